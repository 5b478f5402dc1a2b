// SPDX-License-Identifier: GPL-2.0-only
/*
 * Delivering an event to the guest kernel with Xen's bounce frame
 * (x86_64/entry.S create_bounce_frame). From user mode the vCPU first
 * switches to kernel mode and uses the stack_switch stack; from kernel mode
 * the interrupted stack. Frame, lowest address first:
 *
 *   rcx, r11, [error code], rip, cs | saved_upcall_mask << 32, rflags, rsp, ss
 *
 * cs has RPL 0 when the interrupted context was guest kernel mode; rflags.IF
 * is the inverse of the saved upcall mask and IOPL is the virtual one. A frame
 * that cannot be written crashes the domain.
 */
#include <asm/layout.h>
#include <asm/traps.h>
#include <asm/x86.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/lib.h>

#define TBF_MASK_EVENTS 4 /* trap_info flags: mask events on entry */

static void bounce(struct vcpu *v, struct cpu_regs *regs, uint64_t handler, int64_t err, bool mask)
{
	vcpu_info_t *vi = v->vcpu_info;
	uint8_t saved_mask = vi->evtchn_upcall_mask;
	bool from_user = !v->arch.kernel_mode;
	uint64_t frame[8], sp, cs = regs->cs;
	unsigned int n = 0;

	if (from_user) {
		pv_toggle_guest_mode(v);
		sp = v->arch.kernel_sp;
	} else {
		sp = regs->rsp;
		cs &= ~3ULL;
	}
	sp &= ~15ULL;
	frame[n++] = regs->rcx;
	frame[n++] = regs->r11;
	if (err >= 0)
		frame[n++] = (uint64_t)err;
	frame[n++] = regs->rip;
	frame[n++] = (cs & 0xffff) | ((uint64_t)saved_mask << 32);
	frame[n++] = (regs->rflags & ~(X86_EFLAGS_IF | X86_EFLAGS_IOPL)) |
		     (saved_mask ? 0 : X86_EFLAGS_IF) | ((uint64_t)v->arch.iopl << 12);
	frame[n++] = regs->rsp;
	frame[n++] = regs->ss;
	sp -= n * 8;
	if ((sp >= HV_VIRT_START && sp < HV_VIRT_END + 64) || copy_to_guest(sp, frame, n * 8))
		domain_crash(v->domain, "cannot write the bounce frame");
	regs->rsp = sp;
	regs->rip = handler;
	regs->cs = HV_GUEST_CS64;
	regs->ss = HV_GUEST_DS;
	regs->rflags &=
		~(X86_EFLAGS_TF | X86_EFLAGS_NT | X86_EFLAGS_RF | X86_EFLAGS_VM | X86_EFLAGS_AC);
	if (mask)
		vi->evtchn_upcall_mask = 1;
}

void pv_inject_exception(struct vcpu *v, struct cpu_regs *regs, unsigned int vec, int64_t err)
{
	const struct trap_info *ti = &v->arch.trap_ctxt[vec & 0xff];
	char why[48];

	if (vec == TRAP_PF) {
		v->arch.vcr2 = read_cr2();
		v->vcpu_info->arch.cr2 = v->arch.vcr2;
		err &= ~4LL;
		if (!v->arch.kernel_mode)
			err |= 4;
	}
	if (!ti->address) {
		snprintf(why, sizeof(why), "unhandled trap %u (error %ld)", vec, err);
		domain_crash(v->domain, why);
	}
	bounce(v, regs, ti->address, err, ti->flags & TBF_MASK_EVENTS);
}

void pv_inject_softint(struct vcpu *v, struct cpu_regs *regs, unsigned int vec)
{
	const struct trap_info *ti = &v->arch.trap_ctxt[vec & 0xff];
	char why[48];

	if (!ti->address) {
		snprintf(why, sizeof(why), "unhandled software interrupt %u", vec);
		domain_crash(v->domain, why);
	}
	bounce(v, regs, ti->address, -1, ti->flags & TBF_MASK_EVENTS);
}

void pv_bounce_callback(struct vcpu *v, struct cpu_regs *regs, const struct pv_callback *cb)
{
	bounce(v, regs, cb->eip, -1, cb->mask_events);
}
