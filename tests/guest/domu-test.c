// SPDX-License-Identifier: MIT
/*
 * domu-test: the pieces an unprivileged PV domain uses, for the rig's
 * `xl create` runs (kernel="domu-test.elf", type="pv", memory=32): its
 * start_info, the console ring (every line of this test goes through it),
 * event channels with upcalls, the one-shot vCPU timer and SCHEDOP_block,
 * grant table v1 setup and grants, and the xenbus client (read, write,
 * directory, watch, transactions, rm). It also runs as dom0, where the
 * checks that need a store are reported as skipped INFO lines.
 */
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/gnttab.h>
#include <gpv/mm.h>
#include <gpv/time.h>
#include <gpv/xenbus.h>
#include <gpv/test.h>

#define MS 1000000ULL

static unsigned long loop_events, timer_events;

static void on_loop(evtchn_port_t p, void *d)
{
	(void)p;
	(void)d;
	loop_events++;
}

static void on_timer(evtchn_port_t p, void *d)
{
	(void)p;
	(void)d;
	timer_events++;
}

static void check_start_info(void)
{
	const start_info_t *si = gpv_start_info;

	gpv_test_area("domu: start_info");
	gpv_test_check(!(si->flags & SIF_INITDOMAIN), "not the initial domain");
	gpv_test_check(si->store_mfn != 0 && si->store_evtchn != 0, "store ring and port given");
	gpv_test_check(si->console.domU.mfn != 0 && si->console.domU.evtchn != 0,
		       "console ring and port given");
}

/* What xen_version tells a domU (Xen 4.17's XSM dummy: compile info open, command line not). */
static void check_xen_version(void)
{
	static struct xen_compile_info ci;
	static char cmdline[sizeof(xen_commandline_t)];

	gpv_test_area("domu: xen_version");
	gpv_test_eq(gpv_xen_version(XENVER_compile_info, &ci), 0, "XENVER_compile_info = 0");
	gpv_test_checkf(ci.compiler[0] && strcmp(ci.compiler, "<denied>") != 0,
			"the compiler is told to a domU", "'%s'", ci.compiler);
	gpv_test_eq(gpv_xen_version(XENVER_commandline, cmdline), 0, "XENVER_commandline = 0");
	gpv_test_checkf(strcmp(cmdline, "<denied>") == 0, "the command line is <denied>", "'%s'",
			cmdline);
}

static void check_evtchn(void)
{
	long a, b;

	gpv_test_area("domu: event channels");
	a = gpv_evtchn_alloc_unbound(DOMID_SELF);
	b = a > 0 ? gpv_evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a) : -1;
	if (!gpv_test_checkf(a > 0 && b > 0, "loopback pair", "%ld %ld", a, b))
		return;
	gpv_evtchn_set_handler((evtchn_port_t)a, on_loop, NULL);
	gpv_events_mask(0);
	gpv_test_eq(gpv_evtchn_send((evtchn_port_t)b), 0, "send returns 0");
	gpv_events_mask(1);
	gpv_test_eq((long)loop_events, 1, "the upcall ran the port's handler once");
	gpv_shared_info->evtchn_mask[0] |= 1UL << a;
	gpv_evtchn_send((evtchn_port_t)b);
	gpv_events_mask(0);
	gpv_events_mask(1);
	gpv_test_eq((long)loop_events, 1, "a masked port is not delivered");
	gpv_test_eq(gpv_evtchn_unmask((evtchn_port_t)a), 0, "EVTCHNOP_unmask returns 0");
	gpv_events_mask(0);
	gpv_events_mask(1);
	gpv_test_eq((long)loop_events, 2, "unmasking delivers the pending event");
	gpv_test_eq(gpv_evtchn_close((evtchn_port_t)b), 0, "close returns 0");
	gpv_evtchn_close((evtchn_port_t)a);
}

static void check_timer(void)
{
	uint64_t t0, t1;
	long port;
	int i;

	gpv_test_area("domu: timers");
	/* Xen starts PV vCPUs with a periodic timer; stop it before binding
	 * VIRQ_TIMER so that only the one-shot can raise the port. */
	gpv_test_eq(gpv_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0,
		    "VCPUOP_stop_periodic_timer");
	port = gpv_evtchn_bind_virq(VIRQ_TIMER);
	if (!gpv_test_checkf(port > 0, "bind VIRQ_TIMER", "%ld", port))
		return;
	gpv_evtchn_set_handler((evtchn_port_t)port, on_timer, NULL);
	t0 = gpv_time_now();
	gpv_test_check(t0 > 0, "vcpu_time_info gives a system time");
	gpv_test_eq(gpv_timer_set_singleshot(t0 + 5 * MS), 0, "VCPUOP_set_singleshot_timer");
	for (i = 0; i < 10 && !timer_events; i++) {
		gpv_sched_op(SCHEDOP_block, NULL);
		gpv_events_mask(1);
	}
	t1 = gpv_time_now();
	gpv_test_check(timer_events > 0, "the timer fired and SCHEDOP_block woke");
	gpv_test_checkf(t1 >= t0 + 5 * MS, "it fired after its deadline", "%lu ns",
			(unsigned long)(t1 - t0));
	gpv_evtchn_close((evtchn_port_t)port);
}

static void check_gnttab(void)
{
	static char page[4096] __attribute__((aligned(4096)));
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	grant_entry_v1_t *e;
	long ref;

	gpv_test_area("domu: grant tables");
	gpv_test_eq(gpv_gnttab_init(1), 0, "GNTTABOP_setup_table of 1 frame, mapped");
	gpv_test_eq(gpv_grant_table_op(GNTTABOP_query_size, &q, 1), 0, "GNTTABOP_query_size");
	gpv_test_checkf(q.nr_frames >= 1 && q.max_nr_frames >= q.nr_frames,
			"query_size reports the frames", "%u/%u", q.nr_frames, q.max_nr_frames);
	ref = gpv_gnttab_grant(0, gpv_virt_to_mfn(page), true);
	gpv_test_checkf(ref >= GNTTAB_NR_RESERVED_ENTRIES, "grant to dom0 gives a free ref", "%ld",
			ref);
	e = ref >= 0 ? gpv_gnttab_entry((grant_ref_t)ref) : NULL;
	gpv_test_check(e && e->flags == (GTF_permit_access | GTF_readonly) && e->domid == 0,
		       "entry holds permit_access|readonly for dom0");
	gpv_test_eq(ref >= 0 ? gpv_gnttab_end((grant_ref_t)ref) : -1, 0, "ending the grant");
	gpv_test_eq(gpv_gnttab_init(GPV_GNTTAB_MAX_FRAMES + 1), -XEN_EINVAL,
		    "too many frames refused by the library");
}

static void check_xenbus(void)
{
	char buf[256], path[64], token[64];
	uint32_t tx = 0;
	long rc;

	gpv_test_area("domu: xenbus");
	rc = gpv_xs_init();
	if (rc == -XEN_ENODEV) {
		gpv_test_info("no store ring (dom0 or no xenstored): xenbus checks not run");
		return;
	}
	rc = gpv_xs_read(0, "domid", buf, sizeof(buf));
	gpv_test_checkf(rc > 0 && buf[0] >= '0' && buf[0] <= '9', "read domid", "rc %ld", rc);
	gpv_test_eq(gpv_xs_write(0, "data/gpv-test", "hello"), 0, "write data/gpv-test");
	rc = gpv_xs_read(0, "data/gpv-test", buf, sizeof(buf));
	gpv_test_check(rc == 5 && strcmp(buf, "hello") == 0, "read it back");
	rc = gpv_xs_directory(0, "data", buf, sizeof(buf));
	gpv_test_checkf(rc > 0 && memcmp(buf, "gpv-test", 9) == 0, "directory data lists it",
			"rc %ld", rc);
	gpv_test_eq(gpv_xs_read(0, "data/gpv-none", buf, sizeof(buf)), -XEN_ENOENT,
		    "read of a missing node = ENOENT");
	gpv_test_eq(gpv_xs_watch("data/gpv-watch", "tok"), 0, "watch data/gpv-watch");
	rc = gpv_xs_wait_watch(path, sizeof(path), token, sizeof(token), 2000 * MS);
	gpv_test_check(rc == 0 && strcmp(token, "tok") == 0, "the initial watch event arrives");
	gpv_xs_write(0, "data/gpv-watch", "1");
	rc = gpv_xs_wait_watch(path, sizeof(path), token, sizeof(token), 2000 * MS);
	gpv_test_checkf(rc == 0 && strcmp(token, "tok") == 0 && strstr(path, "gpv-watch"),
			"a write fires the watch", "rc %ld path %s", rc, path);
	gpv_test_eq(gpv_xs_unwatch("data/gpv-watch", "tok"), 0, "unwatch");
	gpv_test_eq(gpv_xs_transaction_start(&tx), 0, "transaction start");
	gpv_xs_write(tx, "data/gpv-tx", "1");
	gpv_test_eq(gpv_xs_transaction_end(tx, false), 0, "transaction commit");
	gpv_xs_transaction_start(&tx);
	gpv_xs_write(tx, "data/gpv-tx", "2");
	gpv_test_eq(gpv_xs_transaction_end(tx, true), 0, "transaction abort");
	rc = gpv_xs_read(0, "data/gpv-tx", buf, sizeof(buf));
	gpv_test_check(rc == 1 && buf[0] == '1', "committed value kept, aborted one dropped");
	gpv_test_eq(gpv_xs_rm(0, "data/gpv-tx"), 0, "rm");
	gpv_test_eq(gpv_xs_read(0, "data/gpv-tx", buf, sizeof(buf)), -XEN_ENOENT,
		    "removed node reads ENOENT");
}

void domu_check_grant_self(domid_t self);

/* This domain's id: 0 for dom0, else what the store says. */
static long own_domid(void)
{
	char buf[16];
	long id = 0;
	const char *p;

	if (gpv_is_dom0())
		return 0;
	if (gpv_xs_init() || gpv_xs_read(0, "domid", buf, sizeof(buf)) <= 0)
		return -1;
	for (p = buf; *p >= '0' && *p <= '9'; p++)
		id = id * 10 + (*p - '0');
	return id;
}

int gpv_main(void)
{
	gpv_test_info("domu-test: %s", gpv_is_dom0() ? "running as dom0" : "running as a domU");
	if (!gpv_is_dom0()) {
		check_start_info();
		check_xen_version();
	}
	check_evtchn();
	check_timer();
	check_gnttab();
	check_xenbus();
	if (own_domid() >= 0)
		domu_check_grant_self((domid_t)own_domid());
	return gpv_test_finish();
}
