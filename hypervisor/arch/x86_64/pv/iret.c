// SPDX-License-Identifier: GPL-2.0-only
/*
 * The iret hypercall (xen/arch/x86/pv/iret.c) and multicall. iret reads the
 * 9-word iret_context the guest pushed (rax, r11, rcx, flags, rip, cs,
 * rflags, rsp, ss) and hands it to the PV-logic module (pv_iret(),
 * host-tested against Xen's semantics), which says where it returns and in
 * which mode. As Xen, the frame's selectors and addresses are not checked
 * here (RPL 3 is forced): what the CPU refuses faults on the hypervisor's
 * IRETQ, and that fault is delivered to the guest kernel as raised at the
 * frame (pv_exit_fault()), so a user process that sigreturns to a
 * non-canonical RIP gets a #GP, not its domain crashed.
 */
#include <asm/percpu.h>
#include <asm/pv/emul.h>
#include <asm/pv/hypercalls.h>
#include <asm/pv/regs.h>
#include <asm/x86.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <xen/errno.h>

#define MULTICALL_MAX 4096
#define RFLAGS_DEFINED 0x3f7fd7ULL /* CF..ID */

long pv_hc_iret(struct cpu_regs *regs, const uint64_t a[6])
{
	struct vcpu *v = this_vcpu();
	struct iret_context ic;
	struct pv_frame_regs r;
	struct pv_iret_mode mode;
	struct pv_vcpu_mode m;

	(void)a;
	if (copy_from_guest(&ic, regs->rsp, sizeof(ic)))
		domain_crash_current("iret: cannot read the iret frame");
	pv_vcpu_mode(v, &m);
	if (pv_iret_regs(&m, &ic, &r, &mode))
		domain_crash_current("iret: to user mode without a user page table");
	if (mode.to_user_mode)
		pv_toggle_guest_mode(v);
	if (mode.set_iopl)
		v->arch.iopl = mode.iopl >> 12;
	regs->rax = r.rax, regs->rcx = r.rcx, regs->r11 = r.r11;
	regs->rip = r.rip, regs->cs = r.cs, regs->rsp = r.rsp, regs->ss = r.ss;
	/* Never ask IRETQ for NT or an undefined flag (it would fault). */
	regs->rflags = (r.rflags & RFLAGS_DEFINED & ~X86_EFLAGS_NT) | X86_EFLAGS_MBS;
	v->vcpu_info->evtchn_upcall_mask = mode.upcall_mask;
	if (v->arch.in_multicall)
		v->arch.multicall_stop = true;
	return HYPERCALL_NO_RETURN_VALUE;
}

long pv_multicall(struct cpu_regs *regs, uint64_t list, uint64_t nr)
{
	struct vcpu *v = this_vcpu();
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
