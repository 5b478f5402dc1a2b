// SPDX-License-Identifier: GPL-2.0-only
/*
 * vcpu_op for a one-vCPU domain: a vCPU id other than 0 is -ENOENT (as Xen
 * for an id beyond max_vcpus); is_up, the single-shot timer and its stop
 * work, and the periodic timer (10 ms from the start, as Xen gives a PV
 * vCPU; at least 1 ms); down ends the domain (its only vCPU); vcpu_info
 * and runstate registration; the rest of the sub-ops answer -ENOSYS.
 */
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/event.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/mm.h>
#include <lamina/timer.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

#define VCPU_PERIODIC_MIN_NS 1000000ULL /* 1 ms, as Xen */

/*
 * VCPUOP_register_vcpu_info: vcpu_info moves into a page of the guest's own
 * (which can then never become a page table or descriptor page); the old
 * contents come along and everything is marked pending, as Xen does, so no
 * event is lost. Only once.
 */
static long register_vcpu_info(struct vcpu *v, uint64_t arg)
{
	struct vcpu_register_vcpu_info r;
	vcpu_info_t *n;
	struct mm_ctx c;
	int rc;

	if (copy_from_guest(&r, arg, sizeof(r)))
		return -XEN_EFAULT;
	if (v->vcpu_info != &v->domain->shared_info->vcpu_info[v->id])
		return -XEN_EINVAL;
	if (r.offset > PAGE_SIZE - sizeof(vcpu_info_t))
		return -XEN_ENXIO; /* Xen's answer */
	/* A writable type ref for good: the page can never become a table. */
	mm_ctx_init(&c, v->domain, v->domain->id);
	spin_lock(&mm_lock);
	rc = mm_get_page_and_type(&c, r.mfn, v->domain->id, MM_PGT_WRITABLE);
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
	if (rc)
		return -XEN_EINVAL;
	n = (vcpu_info_t *)((uint8_t *)mfn_to_virt(_mfn(r.mfn)) + r.offset);
	*n = *v->vcpu_info;
	n->evtchn_upcall_pending = 1;
	n->evtchn_pending_sel = ~(xen_ulong_t)0;
	v->vcpu_info = n;
	return 0;
}

/* VCPUOP_register_runstate_memory_area: written now (running since boot). */
static long register_runstate(struct vcpu *v, uint64_t arg)
{
	struct vcpu_register_runstate_memory_area r;
	struct vcpu_runstate_info info = { .state = RUNSTATE_running };

	if (copy_from_guest(&r, arg, sizeof(r)))
		return -XEN_EFAULT;
	/* As Xen: the range must be one a guest may name; a write that faults is dropped. */
	if (!guest_range_ok(r.addr.p, sizeof(info)))
		return -XEN_EFAULT;
	v->runstate_area = r.addr.p;
	info.time[RUNSTATE_running] = arch_now_ns();
	if (r.addr.p)
		(void)copy_to_guest(r.addr.p, &info, sizeof(info));
	return 0;
}

long do_vcpu_op(const uint64_t a[HYPERCALL_NR_ARGS])
{
	uint64_t cmd = a[0], vcpuid = a[1], arg = a[2];
	struct vcpu *v = current_vcpu();
	struct domain *d = v->domain;

	if (vcpuid != 0)
		return -XEN_ENOENT;
	switch (cmd) {
	case VCPUOP_is_up:
		return 1;
	case VCPUOP_down:
		/*
		 * The domain's only vCPU stops: nothing of it can run again, so
		 * (Lamina's choice, where Xen would keep a paused domain around)
		 * it ends as a crash, and for dom0 so does the machine.
		 */
		printk(LOG_ERR, "dom%u: its only vCPU went down", d->id);
		domain_shutdown_current(SHUTDOWN_crash);
	case VCPUOP_set_singleshot_timer: {
		struct vcpu_set_singleshot_timer t;

		if (copy_from_guest(&t, arg, sizeof(t)))
			return -XEN_EFAULT;
		if ((t.flags & VCPU_SSHOTTMR_future) && t.timeout_abs_ns < arch_now_ns())
			return -XEN_ETIME;
		timer_set_singleshot(v, t.timeout_abs_ns ? t.timeout_abs_ns : 1);
		return 0;
	}
	case VCPUOP_stop_singleshot_timer:
		timer_stop_singleshot(v);
		return 0;
	case VCPUOP_set_periodic_timer: {
		struct vcpu_set_periodic_timer t;

		if (copy_from_guest(&t, arg, sizeof(t)))
			return -XEN_EFAULT;
		if (t.period_ns < VCPU_PERIODIC_MIN_NS)
			return -XEN_EINVAL;
		timer_set_periodic(v, t.period_ns);
		return 0;
	}
	case VCPUOP_stop_periodic_timer:
		timer_set_periodic(v, 0);
		return 0;
	case VCPUOP_register_vcpu_info:
		return register_vcpu_info(v, arg);
	case VCPUOP_register_runstate_memory_area:
		return register_runstate(v, arg);
	default:
		return -XEN_ENOSYS;
	}
}
