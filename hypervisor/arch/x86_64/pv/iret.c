// SPDX-License-Identifier: GPL-2.0-only
/*
 * The iret hypercall (xen/arch/x86/pv/iret.c). iret reads the
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

#define RFLAGS_DEFINED 0x3f7fd7ULL /* CF..ID */

long do_iret(const uint64_t a[HYPERCALL_NR_ARGS])
{
	struct cpu_regs *regs = this_cpu_guest_regs();
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
	regs->vector = 0; /* leave by IRETQ: RCX and R11 are the guest's again (entry.S) */
	regs->rip = r.rip, regs->cs = r.cs, regs->rsp = r.rsp, regs->ss = r.ss;
	/* Never ask IRETQ for NT or an undefined flag (it would fault). */
	regs->rflags = (r.rflags & RFLAGS_DEFINED & ~X86_EFLAGS_NT) | X86_EFLAGS_MBS;
	v->vcpu_info->evtchn_upcall_mask = mode.upcall_mask;
	if (v->mc.active)
		v->mc.stop = true; /* the batch ends: the guest is elsewhere now */
	return HYPERCALL_NO_RETURN_VALUE;
}
