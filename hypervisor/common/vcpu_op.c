// SPDX-License-Identifier: GPL-2.0-only
/*
 * vcpu_op for a one-vCPU domain: a vCPU id other than 0 is -ENOENT (as Xen
 * for an id beyond max_vcpus); is_up, the single-shot timer and its stop
 * work, and the periodic timer (10 ms from the start, as Xen gives a PV
 * vCPU; at least 1 ms); down ends the domain (its only vCPU); the rest of
 * the sub-ops answer -ENOSYS for now.
 */
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/event.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

#define VCPU_PERIODIC_MIN_NS 1000000ULL /* 1 ms, as Xen */

long do_vcpu_op(uint64_t cmd, uint64_t vcpuid, uint64_t arg)
{
	struct domain *d = current_vcpu()->domain;

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
		domain_shutdown(d, SHUTDOWN_crash);
	case VCPUOP_set_singleshot_timer: {
		struct vcpu_set_singleshot_timer t;

		if (copy_from_guest(&t, arg, sizeof(t)))
			return -XEN_EFAULT;
		if ((t.flags & VCPU_SSHOTTMR_future) && t.timeout_abs_ns < arch_now_ns())
			return -XEN_ETIME;
		d->timer_deadline = t.timeout_abs_ns ? t.timeout_abs_ns : 1;
		timer_check(d);
		return 0;
	}
	case VCPUOP_stop_singleshot_timer:
		d->timer_deadline = 0;
		return 0;
	case VCPUOP_set_periodic_timer: {
		struct vcpu_set_periodic_timer t;

		if (copy_from_guest(&t, arg, sizeof(t)))
			return -XEN_EFAULT;
		if (t.period_ns < VCPU_PERIODIC_MIN_NS)
			return -XEN_EINVAL;
		d->periodic_ns = t.period_ns;
		d->periodic_next = arch_now_ns() + t.period_ns;
		return 0;
	}
	case VCPUOP_stop_periodic_timer:
		d->periodic_ns = 0;
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}
