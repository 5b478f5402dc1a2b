// SPDX-License-Identifier: MIT
/*
 * sched_op: yield; poll with a timeout (returns after the deadline when the
 * port stays idle, at once when it is pending) and Xen's checks on the port
 * list (a port not bound, or without storage, is -EINVAL; the list is read
 * in order, up to the first pending port); block, which enables events atomically and returns after the timer
 * event; bad arguments. The shutdown reason is checked by the boot
 * scripts (Xen logs "Hardware Dom0 halted" for SHUTDOWN_poweroff).
 */
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/time.h>
#include <gpv/test.h>

#define BAD_PTR ((void *)0x00007f0000000000UL)
#define MS 1000000ULL

static unsigned long timer_events;

static void on_timer(evtchn_port_t port, void *data)
{
	(void)port;
	(void)data;
	timer_events++;
}

static long poll_ports(evtchn_port_t *ports, unsigned int n, uint64_t timeout)
{
	struct sched_poll p;

	set_xen_guest_handle(p.ports, ports);
	p.nr_ports = n;
	p.timeout = timeout;
	return gpv_sched_op(SCHEDOP_poll, &p);
}

static void check_poll(void)
{
	evtchn_port_t ports[2], bad = 1U << 20;
	long a, b, rc;
	uint64_t t0, t1;

	gpv_test_area("sched_op: poll");
	a = gpv_evtchn_alloc_unbound(DOMID_SELF);
	gpv_test_checkf(a > 0, "alloc_unbound to self", "rc %ld", a);
	b = a > 0 ? gpv_evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a) : -1;
	gpv_test_checkf(b > 0, "bind_interdomain loopback", "rc %ld", b);
	if (a <= 0 || b <= 0)
		return;
	ports[0] = (evtchn_port_t)a;
	t0 = gpv_time_now();
	gpv_test_eq(poll_ports(ports, 1, t0 + 20 * MS), 0, "poll of an idle port times out with 0");
	t1 = gpv_time_now();
	gpv_test_checkf(t1 >= t0 + 20 * MS, "poll waited until the timeout", "waited %lu ns",
			(unsigned long)(t1 - t0));
	gpv_test_eq(gpv_evtchn_send((evtchn_port_t)b), 0, "send on the loopback port");
	gpv_test_check(gpv_shared_info->evtchn_pending[0] & (1UL << a), "peer port is pending");
	t0 = gpv_time_now();
	gpv_test_eq(poll_ports(ports, 1, t0 + 1000 * MS), 0, "poll of a pending port returns 0");
	t1 = gpv_time_now();
	gpv_test_checkf(t1 < t0 + 1000 * MS, "poll of a pending port returns before the timeout",
			"waited %lu ns", (unsigned long)(t1 - t0));
	gpv_shared_info->evtchn_pending[0] &= ~(1UL << a);
	ports[1] = bad;
	gpv_test_eq(poll_ports(ports, 2, gpv_time_now() + MS), -XEN_EINVAL,
		    "poll with an out-of-range port = -EINVAL");
	ports[1] = 0;
	gpv_test_eq(poll_ports(&ports[1], 1, gpv_time_now() + MS), -XEN_EINVAL,
		    "poll of port 0 = -EINVAL");
	ports[1] = 600;
	gpv_test_eq(poll_ports(&ports[1], 1, gpv_time_now() + MS), -XEN_EINVAL,
		    "poll of port 600 (no storage yet) = -EINVAL");
	ports[1] = (evtchn_port_t)b + 1;
	gpv_test_eq(poll_ports(ports, 2, gpv_time_now() + MS), -XEN_EINVAL,
		    "poll of a port never bound (after an idle one) = -EINVAL");
	gpv_test_eq(gpv_evtchn_send((evtchn_port_t)b), 0, "send again");
	ports[1] = bad;
	gpv_test_eq(poll_ports(ports, 2, gpv_time_now() + MS), 0,
		    "a pending port first: 0, the bad one after it is not looked at");
	gpv_shared_info->evtchn_pending[0] &= ~(1UL << a);
	gpv_test_eq(poll_ports((evtchn_port_t *)0xffff800000001000UL, 1, 0), -XEN_EFAULT,
		    "poll with the port list in the hypervisor's range = -EFAULT");
	gpv_test_eq(poll_ports(ports, 129, 0), -XEN_EINVAL, "poll of 129 ports = -EINVAL");
	gpv_test_eq(poll_ports(BAD_PTR, 1, 0), -XEN_EFAULT,
		    "poll with an unmapped port list = -EFAULT");
	gpv_events_mask(0);
	rc = poll_ports(ports, 1, gpv_time_now() + MS);
	gpv_events_mask(1);
	gpv_test_eq(rc, 0, "poll with events enabled also times out with 0");
	gpv_test_eq(gpv_sched_op(SCHEDOP_poll, BAD_PTR), -XEN_EFAULT,
		    "poll with an unmapped argument = -EFAULT");
	gpv_evtchn_close((evtchn_port_t)b);
	gpv_evtchn_close((evtchn_port_t)a);
}

static void check_block(void)
{
	long port;
	uint64_t t0, t1;
	unsigned long before;
	int i;

	gpv_test_area("sched_op: block");
	/* Xen starts PV vCPUs with a periodic timer; stop it before binding
	 * VIRQ_TIMER so that only set_timer_op can raise the port. */
	gpv_test_eq(gpv_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0,
		    "VCPUOP_stop_periodic_timer");
	port = gpv_evtchn_bind_virq(VIRQ_TIMER);
	gpv_test_checkf(port > 0, "bind VIRQ_TIMER", "rc %ld", port);
	if (port <= 0)
		return;
	gpv_evtchn_set_handler((evtchn_port_t)port, on_timer, NULL);
	/* Drop what the poll checks left pending so only the timer wakes us. */
	gpv_vcpu_info()->evtchn_upcall_pending = 0;
	gpv_vcpu_info()->evtchn_pending_sel = 0;
	before = gpv_evtchn_upcalls();
	t0 = gpv_time_now();
	gpv_test_eq(gpv_timer_set(t0 + 10 * MS), 0, "set_timer_op 10 ms ahead");
	gpv_test_eq(gpv_sched_op(SCHEDOP_block, NULL), 0, "block returns 0");
	for (i = 0; i < 5 && !timer_events; i++) {
		gpv_events_mask(1);
		gpv_sched_op(SCHEDOP_block, NULL);
	}
	t1 = gpv_time_now();
	gpv_test_check(gpv_evtchn_upcalls() > before, "block delivered the event upcall");
	gpv_test_check(timer_events > 0, "the timer event reached its handler");
	gpv_test_checkf(t1 >= t0 + 10 * MS, "block slept until the timer", "slept %lu ns",
			(unsigned long)(t1 - t0));
	gpv_test_eq(gpv_vcpu_info()->evtchn_upcall_mask, 0, "block left events enabled");
	gpv_events_mask(1);
	gpv_evtchn_close((evtchn_port_t)port);
}

int gpv_main(void)
{
	gpv_test_area("sched_op");
	gpv_test_eq(gpv_sched_op(SCHEDOP_yield, NULL), 0, "yield returns 0");
	gpv_test_eq(gpv_sched_op(SCHEDOP_shutdown, BAD_PTR), -XEN_EFAULT,
		    "shutdown with an unmapped argument = -EFAULT");
	gpv_test_eq(gpv_sched_op(99, NULL), -XEN_ENOSYS, "unknown sub-op = -ENOSYS");
	check_poll();
	check_block();
	return gpv_test_finish();
}
