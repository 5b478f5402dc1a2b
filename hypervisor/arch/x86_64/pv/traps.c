// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest traps and system calls (after xen/arch/x86/pv/traps.c and
 * x86_64/entry.S): a SYSCALL in guest kernel mode is a hypercall, in guest
 * user mode it goes to the syscall callback; a #GP is first checked for an
 * `int $n` (decoded from the instruction, not trusted from the error code)
 * and for a privileged instruction to emulate; a #UD for the forced-CPUID
 * prefix; a #PF for the LDT area (ldt.c) and ptwr (ro_page_fault.c); everything else is bounced to
 * the guest's trap table.
 */
#include <asm/bounce_frame.h>
#include <asm/insn_decode.h>
#include <asm/percpu.h>
#include <asm/pv/debugreg.h>
#include <asm/pv/emul.h>
#include <asm/pv/ldt.h>
#include <asm/traps.h>
#include <asm/x86.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/schedule.h>

static bool has_error_code(unsigned int vec)
{
	return vec == TRAP_DF || (vec >= TRAP_TS && vec <= TRAP_PF) || vec == TRAP_AC;
}

/*
 * `int $n` at rip (decoded, prefixes and all, by pv/insn_decode): deliver it
 * if the guest's gate allows it from this mode, else #GP((n << 3) | 2).
 */
static __attribute__((noinline)) bool handle_int_n(struct vcpu *v, struct cpu_regs *regs)
{
	uint8_t buf[PV_INSN_MAX_LEN];
	size_t len = pv_fetch_insn(buf, regs->rip);
	struct pv_insn in;
	const struct trap_info *ti;

	if (!len || pv_insn_decode(buf, len, regs->cs != HV_GUEST_CS32, &in) ||
	    in.kind != PV_INSN_INT)
		return false;
	ti = &v->arch.trap_ctxt[in.vector];
	if (ti->address && pv_softint_permitted(ti->flags & 3, v->arch.kernel_mode)) {
		regs->rip += in.len;
		pv_inject_softint(v, regs, in.vector);
	} else {
		pv_inject_exception(v, regs, TRAP_GP, pv_insn_int_gp_errcode(in.vector));
	}
	return true;
}

void pv_guest_trap(struct cpu_regs *regs)
{
	struct vcpu *v = this_vcpu();
	unsigned int vec = (unsigned int)regs->vector;

	switch (vec) {
	case TRAP_GP:
		if (handle_int_n(v, regs))
			return;
		if (pv_emulate_privileged(v, regs))
			return;
		break;
	case TRAP_UD:
		if (pv_emulate_forced_cpuid(v, regs))
			return;
		break;
	case TRAP_PF:
		if (pv_ldt_page_fault(v, regs) || pv_ro_page_fault(v, regs))
			return;
		break;
	case TRAP_NM:
		/* The real TS only mirrors the virtual one: clear it, and bounce
		 * #NM (clearing the virtual TS, as Xen) only if the guest set it. */
		asm volatile("clts");
		if (!v->arch.vcr0_ts)
			return;
		v->arch.vcr0_ts = 0;
		break;
	case TRAP_DB:
		pv_debug_trap(v, regs);
		return;
	case TRAP_NMI:
	case TRAP_MC:
		printk(LOG_WARN, "NMI/#MC while in guest ignored");
		return;
	default:
		break;
	}
	pv_inject_exception(v, regs, vec, has_error_code(vec) ? (int64_t)regs->error_code : -1);
}

/* An upcall pending, not masked, and a callback to take it: the event bounce. */
static inline void return_to_guest(struct vcpu *v, struct cpu_regs *regs)
{
	const vcpu_info_t *vi = v->vcpu_info;

	if (vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask && v->arch.event_cb.eip)
		pv_bounce_event(v, regs);
}

/*
 * The last step of every trap from a guest: a vCPU switch if one is due,
 * then the upcall if one is pending (pv_return_to_guest()), the common
 * case without a call. Inline in the hypercall path, pv_exit_to_guest()
 * for trap_dispatch().
 */
static inline void exit_to_guest(struct cpu_regs *regs)
{
	struct vcpu *v;

	sched_exit_to_guest();
	v = this_vcpu();
	if (v && v->vcpu_info->evtchn_upcall_pending)
		return_to_guest(v, regs);
}

/* SYSCALL from guest user mode: the syscall callback, or #UD without one. */
static __attribute__((noinline)) void user_syscall(struct vcpu *v, struct cpu_regs *regs)
{
	regs->rflags &= ~X86_EFLAGS_DF;
	if (!v->arch.syscall_cb.eip) {
		pv_inject_exception(v, regs, TRAP_UD, -1);
		return;
	}
	pv_bounce_callback(v, regs, &v->arch.syscall_cb);
}

/*
 * entry.S's 64-bit SYSCALL, without trap_dispatch: in guest kernel mode a
 * hypercall, its arguments read where the entry saved them; then the exit
 * every guest trap takes.
 */
void pv_guest_syscall(struct cpu_regs *regs)
{
	struct vcpu *v = this_vcpu();

	if (__builtin_expect(v->arch.kernel_mode, 1)) {
		long rc = hypercall_dispatch(regs->rax, pv_hypercall_args(regs));

		if (rc != HYPERCALL_NO_RETURN_VALUE)
			regs->rax = (uint64_t)rc;
	} else {
		user_syscall(v, regs);
	}
	exit_to_guest(regs);
}

void pv_exit_to_guest(struct cpu_regs *regs)
{
	exit_to_guest(regs);
}

void pv_exit_fault(struct cpu_regs *regs)
{
	struct vcpu *v = this_vcpu();
	const uint64_t *frame = (const uint64_t *)regs->rsp;
	struct cpu_regs *top = cpu_guest_regs(this_cpu()->id);
	struct cpu_regs g = *regs; /* the guest's registers: IRETQ's were popped */
	unsigned int vec = (unsigned int)regs->vector;

	g.rip = frame[0], g.cs = frame[1], g.rflags = frame[2];
	g.rsp = frame[3], g.ss = frame[4];
	pv_inject_exception(v, &g, vec, has_error_code(vec) ? (int64_t)regs->error_code : -1);
	/* Leave from the stack top, as every exit (this frame and the old one
	 * were copied), so a guest whose handler faults again cannot grow it. */
	*top = g;
	if (v->vcpu_info->evtchn_upcall_pending)
		pv_return_to_guest(top);
	arch_enter_frame(top);
}

void pv_return_to_guest(struct cpu_regs *regs)
{
	struct vcpu *v = this_vcpu();

	if (v)
		return_to_guest(v, regs);
}

/* SYSCALL from 32-bit user code goes to the syscall32 callback (#UD without one). */
void pv_guest_syscall32(struct cpu_regs *regs)
{
	struct vcpu *v = this_vcpu();

	regs->rflags &= ~X86_EFLAGS_DF;
	if (v->arch.kernel_mode || !v->arch.syscall32_cb.eip) {
		pv_inject_exception(v, regs, TRAP_UD, -1);
		return;
	}
	pv_bounce_callback(v, regs, &v->arch.syscall32_cb);
}

void pv_guest_sysenter(struct cpu_regs *regs)
{
	struct vcpu *v = this_vcpu();

	if (v->arch.kernel_mode || !v->arch.sysenter_cb.eip) {
		regs->error_code = 0;
		pv_inject_exception(v, regs, TRAP_GP, 0);
		return;
	}
	pv_bounce_callback(v, regs, &v->arch.sysenter_cb);
}
