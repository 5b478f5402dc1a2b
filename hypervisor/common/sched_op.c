// SPDX-License-Identifier: GPL-2.0-only
/*
 * sched_op through the scheduler (common/schedule.c): yield lets the other
 * vCPUs of the CPU run first; block unmasks events and sleeps until one is
 * pending; poll sleeps until one of the named ports (checked: at most 128,
 * each below the event ABI's limit) is pending or the absolute timeout
 * (system time in ns; 0 = none) passes; shutdown ends the domain,
 * remote_shutdown another one. A
 * vCPU that sleeps here returns 0 when it is woken: the switch happens on
 * the way out, after the return value is in its frame.
 */
#include <lamina/arch.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/schedule.h>
#include <lamina/timer.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/sched.h>

#define POLL_MAX_PORTS 128

static long sched_block(struct vcpu *v)
{
	v->vcpu_info->evtchn_upcall_mask = 0;
	timer_check(v); /* a due timer is an event: no need to sleep */
	sched_vcpu_block(v);
	return 0;
}

static bool poll_ready(struct vcpu *v, const evtchn_port_t *ports, unsigned int n, uint64_t timeout)
{
	const vcpu_info_t *vi = v->vcpu_info;

	/* As Xen's do_poll: events to deliver end the poll too. */
	if (vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask)
		return true;
	for (unsigned int i = 0; i < n; i++)
		if (evtchn_port_pending(v->domain, ports[i]))
			return true;
	return timeout && arch_now_ns() >= timeout;
}

static long sched_poll(struct vcpu *v, uint64_t arg)
{
	struct sched_poll sp;
	evtchn_port_t ports[POLL_MAX_PORTS];

	if (copy_from_guest(&sp, arg, sizeof(sp)))
		return -XEN_EFAULT;
	if (sp.nr_ports > POLL_MAX_PORTS)
		return -XEN_EINVAL;
	if (copy_from_guest(ports, (uint64_t)sp.ports.p, sp.nr_ports * sizeof(ports[0])))
		return -XEN_EFAULT;
	for (unsigned int i = 0; i < sp.nr_ports; i++)
		if (ports[i] >= v->domain->events.ops->max_ports) /* the ABI's limit, as Xen */
			return -XEN_EINVAL;
	timer_check(v);
	if (poll_ready(v, ports, sp.nr_ports, sp.timeout))
		return 0;
	sched_vcpu_poll(v, sp.nr_ports == 1 ? (int)ports[0] : -1, sp.timeout);
	return 0;
}

/*
 * Xen's SCHEDOP_remote_shutdown: the domain shut down with the reason, by
 * its device model or the control domain only (-EPERM); -ESRCH unknown,
 * DOMID_SELF included (Xen looks the id up as it is: a reserved id names no
 * domain). The caller naming its own id ends as SCHEDOP_shutdown would.
 */
static long remote_shutdown(struct domain *cur, uint64_t arg)
{
	struct sched_remote_shutdown rs;
	struct domain *d;

	if (copy_from_guest(&rs, arg, sizeof(rs)))
		return -XEN_EFAULT;
	d = domain_find(rs.domain_id);
	if (!d)
		return -XEN_ESRCH;
	if (!cur->is_privileged)
		return -XEN_EPERM;
	if (d == cur)
		domain_shutdown_current(rs.reason & 0xff);
	domain_shutdown(d, rs.reason & 0xff);
	return 0;
}

long do_sched_op(const uint64_t a[HYPERCALL_NR_ARGS])
{
	uint64_t cmd = a[0], arg = a[1];
	struct vcpu *v = current_vcpu();

	switch (cmd) {
	case SCHEDOP_yield:
		sched_vcpu_yield(v);
		return 0;
	case SCHEDOP_block:
		return sched_block(v);
	case SCHEDOP_shutdown: {
		struct sched_shutdown s;

		if (copy_from_guest(&s, arg, sizeof(s)))
			return -XEN_EFAULT;
		domain_shutdown_current(s.reason & 0xff);
	}
	case SCHEDOP_shutdown_code: {
		struct sched_shutdown s;

		if (copy_from_guest(&s, arg, sizeof(s)))
			return -XEN_EFAULT;
		v->domain->shutdown_code = s.reason & 0xff;
		return 0;
	}
	case SCHEDOP_poll:
		return sched_poll(v, arg);
	case SCHEDOP_remote_shutdown:
		return remote_shutdown(v->domain, arg);
	default:
		return -XEN_ENOSYS;
	}
}
