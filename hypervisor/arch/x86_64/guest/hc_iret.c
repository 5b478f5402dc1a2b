// SPDX-License-Identifier: GPL-2.0-only
/*
 * The iret hypercall (xen/arch/x86/pv/iret.c) and multicall. iret reads the
 * 9-word iret_context the guest pushed (rax, r11, rcx, flags, rip, cs,
 * rflags, rsp, ss), switches to user mode when the frame's CS has RPL 3, and
 * returns there; the restored selectors must be Xen's flat ones and the
 * addresses canonical, or the domain is crashed (nothing the guest passes
 * may make the hypervisor's own IRETQ fault).
 */
#include <asm/layout.h>
#include <asm/x86.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <xen/errno.h>
#include "emul.h"
#include "hypercalls.h"

#define MULTICALL_MAX 4096
#define RFLAGS_DEFINED 0x3f7fd7ULL /* CF..ID */

/*
 * Xen's flat code selectors, or one of the guest's GDT (checked when it was
 * loaded). Anything else the CPU would still refuse on the way out (the
 * IRETQ fixup crashes the domain then); refusing it here gives a clear
 * message. SS is left to the CPU the same way.
 */
static bool code_selector_ok(const struct vcpu *v, uint64_t cs)
{
	if (cs == HV_GUEST_CS64 || cs == HV_GUEST_CS32)
		return true;
	return !(cs & 4) && (cs >> 3) < v->arch.gdt_ents;
}

long pv_hc_iret(struct cpu_regs *regs, const uint64_t a[6])
{
	struct vcpu *v = current_vcpu();
	struct iret_context ic;
	uint64_t cs, ss;

	(void)a;
	if (copy_from_guest(&ic, regs->rsp, sizeof(ic)))
		domain_crash(v->domain, "iret: cannot read the iret frame");
	cs = (uint16_t)ic.cs | 3;
	ss = (uint16_t)ic.ss | 3;
	if (!code_selector_ok(v, cs) || !pv_canonical(ic.rip) || !pv_canonical(ic.rsp)) {
		char why[128];

		snprintf(why, sizeof(why), "iret: bad frame cs %lx ss %lx rip %lx rsp %lx", ic.cs,
			 ic.ss, ic.rip, ic.rsp);
		domain_crash(v->domain, why);
	}
	if ((ic.cs & 3) == 3) {
		if (mfn_x(v->arch.guest_table_user) == INVALID_MFN_RAW)
			domain_crash(v->domain, "iret: to user mode with no user page table");
		pv_toggle_guest_mode(v);
	}
	if (v->domain->vm_assist & (1UL << VMASST_TYPE_architectural_iopl))
		v->arch.iopl = (ic.rflags & X86_EFLAGS_IOPL) >> 12;
	regs->rip = ic.rip;
	regs->cs = cs;
	regs->rflags =
		(ic.rflags & RFLAGS_DEFINED & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM | X86_EFLAGS_NT)) |
		X86_EFLAGS_IF | X86_EFLAGS_MBS;
	regs->rsp = ic.rsp;
	regs->ss = ss;
	if (!(ic.flags & VGCF_in_syscall)) {
		regs->r11 = ic.r11;
		regs->rcx = ic.rcx;
	}
	v->vcpu_info->evtchn_upcall_mask = !(ic.rflags & X86_EFLAGS_IF);
	regs->rax = ic.rax;
	if (v->arch.in_multicall)
		v->arch.multicall_stop = true;
	return HYPERCALL_NO_RETURN_VALUE;
}

long pv_multicall(struct cpu_regs *regs, uint64_t list, uint64_t nr)
{
	struct vcpu *v = current_vcpu();
	long rc = 0;

	if (v->arch.in_multicall)
		return -XEN_EINVAL;
	if (nr > MULTICALL_MAX)
		return -XEN_EINVAL;
	v->arch.in_multicall = true;
	v->arch.multicall_stop = false;
	for (uint64_t i = 0; i < nr; i++) {
		uint64_t p = list + i * sizeof(struct multicall_entry);
		struct multicall_entry e;
		long res;

		if (copy_from_guest(&e, p, sizeof(e))) {
			rc = -XEN_EFAULT;
			break;
		}
		res = hypercall_dispatch(regs, e.op, (const uint64_t *)e.args);
		if (v->arch.multicall_stop) {
			rc = HYPERCALL_NO_RETURN_VALUE;
			break;
		}
		e.result = (uint64_t)res;
		if (copy_to_guest(p + offsetof(struct multicall_entry, result), &e.result,
				  sizeof(e.result))) {
			rc = -XEN_EFAULT;
			break;
		}
	}
	v->arch.in_multicall = false;
	return rc;
}
