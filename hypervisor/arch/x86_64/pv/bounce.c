// SPDX-License-Identifier: GPL-2.0-only
/*
 * Delivering an event to the guest kernel with Xen's bounce frame
 * (x86_64/entry.S create_bounce_frame), computed by the PV-logic module
 * asm/bounce_frame.h. From user mode the vCPU first
 * switches to kernel mode and uses the stack_switch stack; from kernel mode
 * the interrupted stack. Frame, lowest address first:
 *
 *   rcx, r11, [error code], rip, cs | saved_upcall_mask << 32, rflags, rsp, ss
 *
 * cs has RPL 0 when the interrupted context was guest kernel mode; rflags.IF
 * is the inverse of the saved upcall mask and IOPL the virtual one under
 * VMASST architectural_iopl. A frame that cannot be written crashes the
 * domain.
 */
#include <asm/bounce_frame.h>
#include <asm/layout.h>
#include <asm/pv/regs.h>
#include <asm/traps.h>
#include <asm/x86.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/lib.h>

#define TBF_MASK_EVENTS 4 /* trap_info flags: mask events on entry */

/*
 * A frame pv_bounce_regs() accepts (canonical, not wrapping, below Xen's
 * range or above it) is one guest_range_ok() accepts: the same range.
 */
_Static_assert(PV_BF_XEN_VIRT_START == HV_VIRT_START && PV_BF_XEN_VIRT_END == HV_VIRT_END,
	       "the bounce frame's range check is the guest copy's");

/*
 * Delivers tb: the frame and the new registers come from pv_bounce_frame()
 * (host-tested against Xen's); this writes the frame on the guest's kernel
 * stack (after switching to kernel mode if needed) and then commits.
 */
static inline __attribute__((always_inline)) void bounce_tb(struct vcpu *v, struct cpu_regs *regs,
							    const struct pv_trap_bounce *tb)
{
	struct pv_bounce_words out;
	struct pv_frame_regs r = {
		.rax = regs->rax,
		.rcx = regs->rcx,
		.r11 = regs->r11,
		.rip = regs->rip,
		.cs = (uint16_t)regs->cs,
		.rflags = regs->rflags,
		.rsp = regs->rsp,
		.ss = (uint16_t)regs->ss,
	};
	struct pv_vcpu_mode m;

	pv_vcpu_mode(v, &m);
	if (pv_bounce_regs(&r, &m, tb, &out))
		domain_crash_current("cannot deliver to the guest (bad stack or no handler)");
	if (out.to_kernel_mode)
		pv_toggle_guest_mode(v);
	/* pv_bounce_regs() checked the frame as guest_range_ok() would. */
	if (arch_copy_raw((void *)out.frame_sp, out.words, out.nr_words * 8))
		domain_crash_current("cannot write the bounce frame");
	regs->rip = r.rip, regs->cs = r.cs, regs->rflags = r.rflags;
	regs->rsp = r.rsp, regs->ss = r.ss;
	v->vcpu_info->evtchn_upcall_mask = out.upcall_mask;
}

static __attribute__((noinline)) void bounce(struct vcpu *v, struct cpu_regs *regs,
					     uint64_t handler, int64_t err, bool mask)
{
	struct pv_trap_bounce tb = {
		.eip = handler,
		.has_error_code = err >= 0,
		.error_code = (uint32_t)err,
		.mask_events = mask,
	};

	bounce_tb(v, regs, &tb);
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
		domain_crash_current(why);
	}
	bounce(v, regs, ti->address, err, ti->flags & TBF_MASK_EVENTS);
}

void pv_inject_softint(struct vcpu *v, struct cpu_regs *regs, unsigned int vec)
{
	const struct trap_info *ti = &v->arch.trap_ctxt[vec & 0xff];
	char why[48];

	if (!ti->address) {
		snprintf(why, sizeof(why), "unhandled software interrupt %u", vec);
		domain_crash_current(why);
	}
	bounce(v, regs, ti->address, -1, ti->flags & TBF_MASK_EVENTS);
}

void pv_bounce_callback(struct vcpu *v, struct cpu_regs *regs, const struct pv_callback *cb)
{
	bounce(v, regs, cb->eip, -1, cb->mask_events);
}

/*
 * The event callback (pv_exit_to_guest: an upcall pending and not masked):
 * bounce_tb() on a constant bounce, so its error-code and failsafe cases
 * fold away; the frame, its checks and the crash are the same.
 */
void pv_bounce_event(struct vcpu *v, struct cpu_regs *regs)
{
	const struct pv_trap_bounce tb = { .eip = v->arch.event_cb.eip, .mask_events = true };

	bounce_tb(v, regs, &tb);
}
