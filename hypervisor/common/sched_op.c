// SPDX-License-Identifier: GPL-2.0-only
/*
 * sched_op through the scheduler (common/schedule.c): yield lets the other
 * vCPUs of the CPU run first; block unmasks events and sleeps until one is
 * pending; poll sleeps until one of the named ports (Xen's checks, below)
 * is pending or the absolute timeout passes; shutdown ends the domain,
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

/*
 * Xen's do_poll, in its order: at most 128 ports (-EINVAL); the array's
 * start must be a guest address (-EFAULT, nothing else is checked before
 * the reads); events to deliver end the poll at once; then each port in
 * turn is read (-EFAULT) and looked at: one not bound is -EINVAL, one
 * pending ends the poll (0), whatever follows it unread. Else the vCPU
 * sleeps until one of them is pending or the absolute timeout (system
 * time in ns; 0 = none) passes.
 */
/* Each port in turn: <0 an error, 1 one is pending (the rest unread), 0 none; *port the last read. */
static long ports_ready(struct vcpu *v, const struct sched_poll *sp, evtchn_port_t *port)
{
	for (unsigned int i = 0; i < sp->nr_ports; i++) {
		int rc;

		if (copy_from_guest(port, (uint64_t)sp->ports.p + i * sizeof(*port), sizeof(*port)))
			return -XEN_EFAULT;
		rc = evtchn_port_poll(v->domain, *port);
		if (rc)
			return rc;
	}
	return 0;
}

static long sched_poll(struct vcpu *v, uint64_t arg)
{
	const vcpu_info_t *vi = v->vcpu_info;
	struct sched_poll sp;
	evtchn_port_t port = 0;
	long rc;

	if (copy_from_guest(&sp, arg, sizeof(sp)))
		return -XEN_EFAULT;
	if (sp.nr_ports > POLL_MAX_PORTS)
		return -XEN_EINVAL;
	if (!guest_range_ok((uint64_t)sp.ports.p, 1))
		return -XEN_EFAULT;
	timer_check(v); /* a due timer is an event */
	if (vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask)
		return 0;
	rc = ports_ready(v, &sp, &port);
	if (rc)
		return rc < 0 ? rc : 0;
	if (sp.timeout && arch_now_ns() >= sp.timeout)
		return 0;
	/*
	 * As Xen: marked polling, then the ports looked at again, so an event
	 * raised on another CPU between the first look and the mark is seen.
	 */
	sched_vcpu_poll_begin(v, sp.nr_ports == 1 ? (int)port : -1, sp.timeout);
	rc = ports_ready(v, &sp, &port);
	sched_vcpu_poll_end(v, rc || (vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask));
	return rc < 0 ? rc : 0;
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
