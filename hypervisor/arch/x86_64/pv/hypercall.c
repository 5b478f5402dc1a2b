// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PV hypercall entry's arch side (after xen/arch/x86/pv/hypercall.c):
 * the PV-only rows of the one table (common/hypercall.c), a continuation
 * written into the guest's registers, and the preemption check. A guest
 * kernel's SYSCALL is a hypercall (pv/traps.c); its arguments arrive in
 * rdi, rsi, rdx, r10, r8, r9.
 */
#include <asm/percpu.h>
#include <asm/pv/hypercalls.h>
#include <asm/setup.h>
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <xen/xen.h>

static const struct {
	unsigned int nr;
	hypercall_fn *fn;
} pv_rows[] = {
	{ __HYPERVISOR_set_trap_table, do_set_trap_table },
	{ __HYPERVISOR_mmu_update, do_mmu_update },
	{ __HYPERVISOR_set_gdt, do_set_gdt },
	{ __HYPERVISOR_stack_switch, do_stack_switch },
	{ __HYPERVISOR_set_callbacks, do_set_callbacks },
	{ __HYPERVISOR_fpu_taskswitch, do_fpu_taskswitch },
	{ __HYPERVISOR_update_descriptor, do_update_descriptor },
	{ __HYPERVISOR_update_va_mapping, do_update_va_mapping },
	{ __HYPERVISOR_update_va_mapping_otherdomain, do_update_va_mapping_otherdomain },
	{ __HYPERVISOR_iret, do_iret },
	{ __HYPERVISOR_set_segment_base, do_set_segment_base },
	{ __HYPERVISOR_mmuext_op, do_mmuext_op },
	{ __HYPERVISOR_callback_op, do_callback_op },
	{ __HYPERVISOR_physdev_op, do_physdev_op },
	{ __HYPERVISOR_set_debugreg, do_set_debugreg },
	{ __HYPERVISOR_get_debugreg, do_get_debugreg },
};

void arch_hypercall_init(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(pv_rows); i++)
		if (hypercall_register(pv_rows[i].nr, pv_rows[i].fn))
			panic("PV hypercall %u registered twice", pv_rows[i].nr);
}

/*
 * As Xen's hypercall_create_continuation for a 64-bit PV guest: RAX is the
 * hypercall number again, the arguments are the new ones, and RIP goes back
 * over the 2-byte SYSCALL, so the guest re-executes it on return.
 */
void arch_hypercall_continuation(unsigned int nr, const uint64_t a[HYPERCALL_NR_ARGS])
{
	struct cpu_regs *regs = this_cpu_guest_regs();

	regs->rax = nr;
	regs->rdi = a[0], regs->rsi = a[1], regs->rdx = a[2];
	regs->r10 = a[3], regs->r8 = a[4], regs->r9 = a[5];
	regs->rip -= 2;
}

/* The tick is due: the hypervisor runs with interrupts off, its interrupt waits. */
bool arch_hypercall_preempt_check(void)
{
	return apic_timer_pending();
}
