// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypercall table and its dispatcher, preemption and continuations (see
 * lamina/hypercall.h; after xen/include/hypercall-defs.c and
 * xen/arch/x86/hypercall.c). The common rows are listed here; the arch adds
 * its own at boot (arch_hypercall_init). Nothing changes the table after
 * boot.
 *
 *   hypercall_table[nr]   handler, or NULL: -ENOSYS
 */
#include <lamina/arch.h>
#include <lamina/boot.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/domctl.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <xen/errno.h>
#include <xen/xen.h>

hypercall_fn *hypercall_table[HYPERCALL_TABLE_SIZE];
bool hypercall_tracing;

static const struct {
	unsigned int nr;
	hypercall_fn *fn;
} common_rows[] = {
	{ __HYPERVISOR_xen_version, do_xen_version },
	{ __HYPERVISOR_console_io, do_console_io },
	{ __HYPERVISOR_multicall, do_multicall },
	{ __HYPERVISOR_vm_assist, do_vm_assist },
	{ __HYPERVISOR_sched_op, do_sched_op },
	{ __HYPERVISOR_event_channel_op, do_event_channel_op },
	{ __HYPERVISOR_set_timer_op, do_set_timer_op },
	{ __HYPERVISOR_vcpu_op, do_vcpu_op },
	{ __HYPERVISOR_memory_op, do_memory_op },
	{ __HYPERVISOR_grant_table_op, do_grant_table_op },
	{ __HYPERVISOR_domctl, do_domctl },
	{ __HYPERVISOR_sysctl, do_sysctl },
};

int hypercall_register(unsigned int nr, hypercall_fn *fn)
{
	if (nr >= HYPERCALL_TABLE_SIZE || !fn || hypercall_table[nr])
		return -XEN_EINVAL;
	hypercall_table[nr] = fn;
	return 0;
}

void hypercall_init(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(common_rows); i++)
		if (hypercall_register(common_rows[i].nr, common_rows[i].fn))
			panic("hypercall %u registered twice", common_rows[i].nr);
	arch_hypercall_init();
	hypercall_tracing = boot_opts.hypercall_trace;
}

/*
 * hypercall_trace: a failing hypercall with its sub-op (domctl and sysctl:
 * the cmd word their struct starts with) and first arguments.
 */
static void trace_failure(uint64_t nr, const uint64_t a[HYPERCALL_NR_ARGS], long rc)
{
	static unsigned int lines;
	uint32_t cmd = 0;

	if (lines >= 400 || nr == __HYPERVISOR_platform_op)
		return;
	lines++;
	if ((nr == __HYPERVISOR_domctl || nr == __HYPERVISOR_sysctl) &&
	    copy_from_guest(&cmd, a[0], sizeof(cmd)))
		cmd = ~0U;
	printk(LOG_INFO, "trace: d%u hypercall %lu cmd %u (%lx, %lx, %lx) -> %ld",
	       current_vcpu()->domain->id, nr, cmd, a[0], a[1], a[2], rc);
}

long hypercall_unknown(uint64_t nr, const uint64_t a[HYPERCALL_NR_ARGS])
{
	static unsigned int reported;

	/* The first few, at loglvl=debug: what a new guest is missing. */
	if (reported < 32) {
		reported++;
		printk(LOG_DEBUG, "hypercall %lu (%lx, %lx) -> -ENOSYS", nr, a[0], a[1]);
	}
	return -XEN_ENOSYS;
}

long hypercall_dispatch_traced(uint64_t nr, const uint64_t a[HYPERCALL_NR_ARGS])
{
	long rc = hypercall_call(nr, a);

	if (rc < 0 && rc > -4096)
		trace_failure(nr, a, rc);
	return rc;
}

/* As Xen's local_events_need_delivery: an upcall the guest would take now. */
static bool events_need_delivery(const struct vcpu *v)
{
	const vcpu_info_t *vi = v->vcpu_info;

	return vi && __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_RELAXED) &&
	       !vi->evtchn_upcall_mask;
}

bool hypercall_preempt_check(void)
{
	struct vcpu *v = current_vcpu();

	return arch_hypercall_preempt_check() || (v && events_need_delivery(v));
}

long hypercall_create_continuation(unsigned int nr, const uint64_t a[HYPERCALL_NR_ARGS])
{
	struct vcpu *v = current_vcpu();

	if (v->mc.active) {
		/* multicall.c writes these back into the entry and continues the batch. */
		memcpy(v->mc.args, a, sizeof(v->mc.args));
		v->mc.preempted = true;
		return HYPERCALL_NO_RETURN_VALUE;
	}
	arch_hypercall_continuation(nr, a);
	return HYPERCALL_NO_RETURN_VALUE;
}
