// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypercall table: __HYPERVISOR_* number -> handler. Arguments arrive
 * in rdi, rsi, rdx, r10, r8 (a[0..4]); a number without an entry, or beyond
 * the table, answers -ENOSYS as Xen does.
 */
#include <asm/pv.h>
#include <asm/pv/hypercalls.h>
#include <asm/regs.h>
#include <lamina/console.h>
#include <lamina/event.h>
#include <lamina/grant_table.h>
#include <lamina/hypercall.h>
#include <lamina/timer.h>
#include <xen/errno.h>
#include <xen/xen.h>

typedef long (*hc_fn)(struct cpu_regs *regs, const uint64_t a[6]);

static long hc_console_io(struct cpu_regs *r, const uint64_t a[6])
{
	(void)r;
	return do_console_io(a[0], a[1], a[2]);
}

static long hc_xen_version(struct cpu_regs *r, const uint64_t a[6])
{
	(void)r;
	return do_xen_version(a[0], a[1]);
}

static long hc_sched_op(struct cpu_regs *r, const uint64_t a[6])
{
	(void)r;
	return do_sched_op(a[0], a[1]);
}

static long hc_multicall(struct cpu_regs *r, const uint64_t a[6])
{
	return pv_multicall(r, a[0], a[1]);
}

static long hc_vm_assist(struct cpu_regs *r, const uint64_t a[6])
{
	(void)r;
	return do_vm_assist(a[0], a[1]);
}

static long hc_event_channel_op(struct cpu_regs *r, const uint64_t a[6])
{
	(void)r;
	return do_event_channel_op(a[0], a[1]);
}

static long hc_grant_table_op(struct cpu_regs *r, const uint64_t a[6])
{
	(void)r;
	return do_grant_table_op(a[0], a[1], a[2]);
}

static long hc_set_timer_op(struct cpu_regs *r, const uint64_t a[6])
{
	(void)r;
	return do_set_timer_op(a[0]);
}

static long hc_memory_op(struct cpu_regs *r, const uint64_t a[6])
{
	(void)r;
	return do_memory_op(a[0], a[1]);
}

static long hc_vcpu_op(struct cpu_regs *r, const uint64_t a[6])
{
	(void)r;
	return do_vcpu_op(a[0], a[1], a[2]);
}

static const hc_fn hypercall_table[64] = {
	[__HYPERVISOR_set_trap_table] = pv_hc_set_trap_table,
	[__HYPERVISOR_mmu_update] = pv_hc_mmu_update,
	[__HYPERVISOR_stack_switch] = pv_hc_stack_switch,
	[__HYPERVISOR_set_callbacks] = pv_hc_set_callbacks,
	[__HYPERVISOR_fpu_taskswitch] = pv_hc_fpu_taskswitch,
	[__HYPERVISOR_set_debugreg] = pv_hc_set_debugreg,
	[__HYPERVISOR_get_debugreg] = pv_hc_get_debugreg,
	[__HYPERVISOR_update_va_mapping] = pv_hc_update_va_mapping,
	[__HYPERVISOR_update_va_mapping_otherdomain] = pv_hc_update_va_mapping_otherdomain,
	[__HYPERVISOR_xen_version] = hc_xen_version,
	[__HYPERVISOR_console_io] = hc_console_io,
	[__HYPERVISOR_multicall] = hc_multicall,
	[__HYPERVISOR_vm_assist] = hc_vm_assist,
	[__HYPERVISOR_iret] = pv_hc_iret,
	[__HYPERVISOR_set_segment_base] = pv_hc_set_segment_base,
	[__HYPERVISOR_mmuext_op] = pv_hc_mmuext_op,
	[__HYPERVISOR_sched_op] = hc_sched_op,
	[__HYPERVISOR_callback_op] = pv_hc_callback_op,
	[__HYPERVISOR_physdev_op] = pv_hc_physdev_op,
	[__HYPERVISOR_event_channel_op] = hc_event_channel_op,
	[__HYPERVISOR_set_timer_op] = hc_set_timer_op,
	[__HYPERVISOR_grant_table_op] = hc_grant_table_op,
	[__HYPERVISOR_vcpu_op] = hc_vcpu_op,
	[__HYPERVISOR_memory_op] = hc_memory_op,
	[__HYPERVISOR_set_gdt] = pv_hc_set_gdt,
	[__HYPERVISOR_update_descriptor] = pv_hc_update_descriptor,
};

long hypercall_dispatch(struct cpu_regs *regs, uint64_t nr, const uint64_t args[6])
{
	static unsigned int reported;

	if (nr >= sizeof(hypercall_table) / sizeof(hypercall_table[0]) || !hypercall_table[nr]) {
		/* The first few, at loglvl=debug: what a new guest is missing. */
		if (reported < 32) {
			reported++;
			printk(LOG_DEBUG, "hypercall %lu (%lx, %lx) -> -ENOSYS", nr, args[0],
			       args[1]);
		}
		return -XEN_ENOSYS;
	}
	return hypercall_table[nr](regs, args);
}
