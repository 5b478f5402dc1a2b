// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one C entry point for every trap: guest traps go to the PV code,
 * interrupts to their handlers, and the hypervisor's own faults either hit
 * an exception-table fixup (the guest-memory copy, safe MSR access) or end
 * in a register dump and a panic.
 */
#include <asm/percpu.h>
#include <asm/pv/debugreg.h>
#include <asm/pv/ldt.h>
#include <asm/traps.h>
#include <asm/x86.h>
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>

struct ex_entry {
	uint64_t insn, fixup;
};
extern const struct ex_entry __ex_table_start[], __ex_table_end[];

static const char *const trap_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#09", "#TS",
	"#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

void arch_dump_regs(const char *title, const struct cpu_regs *r)
{
	printk(LOG_ERR, "%s", title);
	printk(LOG_ERR, "RIP: %04lx:%016lx  RFLAGS: %016lx  vec %lu err %lx", r->cs, r->rip,
	       r->rflags, r->vector, r->error_code);
	printk(LOG_ERR, "RAX: %016lx RBX: %016lx RCX: %016lx RDX: %016lx", r->rax, r->rbx, r->rcx,
	       r->rdx);
	printk(LOG_ERR, "RSI: %016lx RDI: %016lx RBP: %016lx RSP: %016lx", r->rsi, r->rdi, r->rbp,
	       r->rsp);
	printk(LOG_ERR, "R8:  %016lx R9:  %016lx R10: %016lx R11: %016lx", r->r8, r->r9, r->r10,
	       r->r11);
	printk(LOG_ERR, "R12: %016lx R13: %016lx R14: %016lx R15: %016lx", r->r12, r->r13, r->r14,
	       r->r15);
	printk(LOG_ERR, "SS: %04lx CR2: %016lx CR3: %016lx CPU %u", r->ss, read_cr2(), read_cr3(),
	       this_cpu()->id);
}

static bool fixup(struct cpu_regs *regs)
{
	for (const struct ex_entry *e = __ex_table_start; e < __ex_table_end; e++) {
		if (e->insn == regs->rip) {
			regs->rip = e->fixup;
			return true;
		}
	}
	return false;
}

/*
 * #DF, NMI and #MC arrive on their IST stacks, even from a guest: they are
 * the hypervisor's to handle (the guest's frame is not at the stack top).
 * #DB does too, but entry.S moves a guest's #DB to the stack top first.
 */
static inline bool trap_is_ist(uint64_t vector)
{
	return vector == TRAP_NMI || vector == TRAP_DF || vector == TRAP_MC;
}

/* Out of line: keeps trap_dispatch() small (lamina.lds's hot page). */
static __attribute__((noinline)) void hv_fault(struct cpu_regs *regs)
{
	const char *name =
		regs->vector < 32 && trap_names[regs->vector] ? trap_names[regs->vector] : "?";

	/*
	 * An NMI is not a fault of the instruction it interrupted: it must not
	 * reach the fixup table (an NMI on a guest-copy instruction would
	 * otherwise fail the copy). It runs on its own stack (IST), from the
	 * hypervisor or from a guest; Lamina has no NMI sources to serve yet.
	 */
	if (regs->vector == TRAP_NMI) {
		printk(LOG_WARN, "NMI ignored");
		return;
	}
	/*
	 * A #DB in the hypervisor, on its IST stack: a guest data breakpoint
	 * hit by a guest-memory copy, a MOV SS shadow over an entry, the single
	 * step SYSENTER carries in. Noted and dropped (pv/debugreg.c).
	 */
	if (regs->vector == TRAP_DB) {
		pv_debug_trap_hv(regs);
		return;
	}
	/*
	 * A descriptor load of the guest's (the exit's CS/SS, a context
	 * switch's data selectors) touched an LDT page not mapped yet: map
	 * it and retry, as Xen's handle_gdt_ldt_mapping_fault does.
	 */
	if (regs->vector == TRAP_PF && pv_ldt_map(this_vcpu(), read_cr2()))
		return;
	/* The exit to a guest faulted: the fault is the guest's. */
	if (regs->rip == (uint64_t)exit_iretq && regs->vector != TRAP_DF && regs->vector != TRAP_MC)
		pv_exit_fault(regs);
	if (regs->vector < 32 && regs->vector != TRAP_DF && regs->vector != TRAP_MC && fixup(regs))
		return;
	printk(LOG_ERR, "FATAL TRAP %s in the hypervisor", name);
	arch_dump_regs("hypervisor registers:", regs);
	panic("hypervisor fault");
}

void trap_dispatch(struct cpu_regs *regs)
{
	if (regs->vector == VEC_SYSENTER)
		pv_guest_sysenter(regs);
	else if (regs->vector == VEC_SYSCALL32)
		pv_guest_syscall32(regs);
	else if (regs->vector >= 32 && regs->vector == VEC_TIMER)
		apic_timer_interrupt();
	else if (regs->vector == VEC_FLUSH)
		arch_flush_ipi();
	else if (regs->vector >= 32)
		return;
	else if (regs_from_guest(regs) && !trap_is_ist(regs->vector))
		pv_guest_trap(regs);
	else {
		hv_fault(regs);
		return;
	}
	if (regs_from_guest(regs))
		pv_exit_to_guest(regs);
}

/*
 * lamina_selftest=stackfault: point RSP at an unmapped page and push. The
 * #PF cannot be delivered on that stack, so the CPU raises #DF, which must
 * arrive on its own IST stack and end in the register dump and a panic
 * rather than a triple fault (a silent reset).
 */
void arch_selftest_stack_fault(void)
{
	asm volatile("movq $0x1000, %%rsp\n\t"
		     "pushq $0"
		     :
		     :
		     : "memory");
}

void arch_selftest_guest_access(uint64_t va, bool exec)
{
	static const uint8_t ret = 0xc3;

	if (!exec) {
		printk(LOG_WARN, "lamina_selftest=smap: reading guest memory without STAC");
		printk(LOG_WARN, "lamina_selftest=smap: read %x: SMAP is off",
		       *(volatile const uint8_t *)va);
		return;
	}
	printk(LOG_WARN, "lamina_selftest=smep: calling guest code from ring 0");
	if (copy_to_guest(va, &ret, 1))
		return;
	((void (*)(void))va)();
	printk(LOG_WARN, "lamina_selftest=smep: it ran: SMEP is off");
}
