// SPDX-License-Identifier: MIT
/*
 * The kernel `make run` boots as dom0: a tour of what a PV guest gets from
 * Lamina today, each step a line saying what it shows and checks that can
 * fail. It asks who it is (start_info, xen_version, memory_op), sends an
 * event to itself over an event channel, sleeps on a one-shot timer, has
 * two exceptions bounced back into its own handlers, and reports what is not
 * there yet. With "domus=N" on its command line (run-demo.sh boots N
 * boot-time domUs beside it) it last waits for them to end, hearing of it by
 * VIRQ_DOM_EXC, before it powers off. The verdict is its exit code
 * (run-demo.sh prints it).
 */
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/time.h>
#include <gpv/traps.h>
#include <gpv/test.h>

#define MS 1000000ULL

static unsigned long loop_events, timer_events, traps_seen;
static uint64_t trap_rip;

static void step(const char *what)
{
	gpv_printf("\ndemo: %s\n", what);
}

/* An event handler: count the events of the port in *@data. */
static void count_event(evtchn_port_t port, void *data)
{
	(void)port;
	(*(unsigned long *)data)++;
}

/* #BP: rip is already past the int3. #UD: step over the 2-byte ud2. */
static int on_int3(struct gpv_regs *r)
{
	traps_seen++;
	trap_rip = r->rip;
	return 0;
}

static int on_ud2(struct gpv_regs *r)
{
	traps_seen++;
	trap_rip = r->rip;
	r->rip += 2;
	return 0;
}

static void who_am_i(void)
{
	char extra[XEN_EXTRAVERSION_LEN] = "", caps[XEN_CAPABILITIES_INFO_LEN] = "";
	domid_t self = DOMID_SELF;
	long v;

	step("1. dom0 asks the hypervisor who it is (start_info, xen_version, memory_op)");
	gpv_test_area("demo: identity");
	gpv_test_check(gpv_is_dom0(),
		       "start_info says this is the initial domain (SIF_INITDOMAIN)");
	v = gpv_xen_version(XENVER_version, NULL);
	gpv_xen_version(XENVER_extraversion, extra);
	gpv_xen_version(XENVER_capabilities, caps);
	gpv_test_info("xen_version: %ld.%ld%s, capabilities '%s'", v >> 16, v & 0xffff, extra,
		      caps);
	gpv_test_eq(v, (4L << 16) | 17, "xen_version answers 4.17, the ABI Lamina speaks");
	gpv_test_check(strstr(caps, "xen-3.0-x86_64") != NULL,
		       "capabilities name the 64-bit PV ABI");
	gpv_test_eq(gpv_memory_op(XENMEM_current_reservation, &self),
		    (long)gpv_start_info->nr_pages, "memory_op: its reservation is its nr_pages");
	gpv_test_info("%lu pages (%lu MiB) of memory, start_info at %p",
		      (unsigned long)gpv_start_info->nr_pages,
		      (unsigned long)gpv_start_info->nr_pages / 256, (void *)gpv_start_info);
}

static void event_to_itself(void)
{
	long a, b;

	step("2. an event channel from dom0 to itself: send on one end, the upcall runs the "
	     "other's handler");
	gpv_test_area("demo: event channel");
	a = gpv_evtchn_alloc_unbound(DOMID_SELF);
	b = a > 0 ? gpv_evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a) : -1;
	if (!gpv_test_checkf(a > 0 && b > 0, "alloc_unbound + bind_interdomain make a pair",
			     "%ld %ld", a, b))
		return;
	gpv_test_info("ports %ld and %ld are the two ends", a, b);
	gpv_evtchn_set_handler((evtchn_port_t)a, count_event, &loop_events);
	gpv_events_mask(0);
	gpv_test_eq(gpv_evtchn_send((evtchn_port_t)b), 0, "EVTCHNOP_send on one end");
	gpv_events_mask(1);
	gpv_test_eq((long)loop_events, 1,
		    "the hypervisor's upcall ran the other end's handler once");
	gpv_test_eq(gpv_evtchn_close((evtchn_port_t)b), 0, "EVTCHNOP_close");
	gpv_evtchn_close((evtchn_port_t)a);
}

static void sleep_on_timer(void)
{
	uint64_t t0, t1;
	long port;
	int i;

	step("3. a one-shot timer: dom0 blocks, VIRQ_TIMER wakes it 10 ms later");
	gpv_test_area("demo: timer");
	gpv_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
	port = gpv_evtchn_bind_virq(VIRQ_TIMER);
	if (!gpv_test_checkf(port > 0, "bind VIRQ_TIMER to a port", "%ld", port))
		return;
	gpv_evtchn_set_handler((evtchn_port_t)port, count_event, &timer_events);
	t0 = gpv_time_now();
	gpv_test_eq(gpv_timer_set_singleshot(t0 + 10 * MS), 0, "VCPUOP_set_singleshot_timer");
	for (i = 0; i < 10 && !timer_events; i++) {
		gpv_sched_op(SCHEDOP_block, NULL);
		gpv_events_mask(1);
	}
	t1 = gpv_time_now();
	gpv_test_check(timer_events > 0, "SCHEDOP_block returned on the timer event");
	gpv_test_checkf(t1 >= t0 + 10 * MS, "system time moved past the deadline", "%lu ns",
			(unsigned long)(t1 - t0));
	gpv_test_info("slept %lu us of guest system time", (unsigned long)((t1 - t0) / 1000));
	gpv_evtchn_close((evtchn_port_t)port);
}

static void traps_bounced(void)
{
	gpv_trap_hook_t old3, old6;
	unsigned long at;

	step("4. exceptions in dom0's kernel go to the hypervisor, which bounces them to dom0's "
	     "own handlers");
	gpv_test_area("demo: traps");
	old3 = gpv_trap_set_hook(3, on_int3);
	old6 = gpv_trap_set_hook(6, on_ud2);
	traps_seen = 0;
	asm volatile("int3\n1:\tleaq 1b(%%rip), %0" : "=r"(at)::"memory");
	gpv_test_eq((long)traps_seen, 1, "int3 reached the #BP handler of its trap table");
	gpv_test_eq((long)trap_rip, (long)at, "the #BP frame's rip is just past the int3");
	asm volatile("1:\tud2\n\tleaq 1b(%%rip), %0" : "=r"(at)::"memory");
	gpv_test_eq((long)traps_seen, 2, "ud2 reached the #UD handler");
	gpv_test_eq((long)trap_rip, (long)at,
		    "the #UD frame's rip is the ud2, which it stepped over");
	gpv_trap_set_hook(3, old3);
	gpv_trap_set_hook(6, old6);
}

static void not_yet(void)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	long rc;

	step("5. what is not there yet (docs/abi.md lists every hypercall's state)");
	rc = gpv_grant_table_op(GNTTABOP_query_size, &q, 1);
	gpv_test_info("grant_table_op(query_size) = %ld%s", rc,
		      rc == -XEN_ENOSYS ? " (-ENOSYS: no grant tables yet)" : "");
}

/* The number after "domus=" on the command line, or 0. */
static long cmdline_domus(void)
{
	const char *p = strstr((const char *)gpv_start_info->cmd_line, "domus=");
	long n = 0;

	for (p = p ? p + 6 : ""; *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (*p - '0');
	return n;
}

/* Whether domain id exists (EVTCHNOP_status on it is -ESRCH once Lamina destroyed it). */
static bool domain_exists(domid_t id)
{
	struct evtchn_status st = { .dom = id, .port = 1 };

	return gpv_event_channel_op(EVTCHNOP_status, &st) != -XEN_ESRCH;
}

static void other_domains(long n, long virq_port)
{
	uint64_t end = gpv_time_now() + 10000 * MS;
	long gone = 0;

	step("6. the other domains: dom0 waits for the boot-time domUs to end");
	gpv_test_area("other domains");
	while (gpv_time_now() < end) {
		gone = 0;
		for (long id = 1; id <= n; id++)
			gone += !domain_exists((domid_t)id);
		if (gone == n)
			break;
		gpv_poll_port((uint32_t)virq_port, gpv_time_now() + 100 * MS);
	}
	gpv_test_checkf(gone == n, "every domU ran to its end while dom0 lived", "%ld of %ld gone",
			gone, n);
}

int gpv_main(void)
{
	long domus = cmdline_domus();
	long virq = domus ? gpv_evtchn_bind_virq(VIRQ_DOM_EXC) : 0;

	gpv_printf("demo: dom0 is running: a guest-pv kernel in ring 3, on Xen 4.17's PV ABI\n");
	who_am_i();
	event_to_itself();
	sleep_on_timer();
	traps_bounced();
	not_yet();
	if (domus && gpv_test_checkf(virq > 0, "VIRQ_DOM_EXC bound", "rc %ld", virq))
		other_domains(domus, virq);
	gpv_printf("\n");
	return gpv_test_finish();
}
