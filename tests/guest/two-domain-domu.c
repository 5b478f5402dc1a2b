// SPDX-License-Identifier: MIT
/*
 * two-domain-domu: a boot-time domU of tests/guest/two-domain.sh. It
 * writes with console_io (Lamina prints it as "(dN) ..."), not its console
 * ring: no console backend runs in these scenarios. Modes:
 *   mode=pingpong     binds dom0's unbound port, sends TD_PINGPONG_ROUNDS
 *                     events, each answered; prints the round trip
 *   mode=spin start=S window=W windows=K   sleeps until system time S ms,
 *                     counts loop iterations in K windows of W ms, prints
 *                     "INFO: loops <k> N" for each (the script compares two
 *                     domains' counts with their weights)
 *   mode=fpu rounds=N keeps distinct x87/SSE values (from its domid) in
 *                     XMM0-15, MXCSR and the FPU control word across N
 *                     yields and timer preemptions; checks every round
 *   mode=yieldbench rounds=N [hello=1]  N SCHEDOP_yield calls, timed (BENCH
 *                     line); with hello=1 an event to dom0 first (mode=exit's)
 *   mode=crash        (after 300 ms, so dom0 has bound VIRQ_DOM_EXC)
 *                     executes ud2 without a handler: guest-pv's dump and
 *                     SHUTDOWN_crash, which must not touch dom0
 *   mode=fault        drops its trap table and executes ud2: the hypervisor
 *                     crashes the domain (nothing to bounce to), dom0 lives
 *   mode=evrace rounds=R  dom1's side of dom0's evrace: at each "go" on the
 *                     control port, binds dom0's new port, sends
 *                     TD_RACE_SENDS times and closes it (while dom0 does
 *                     the same with its end), then "done"
 *   mode=demo         `make run`'s second domain: says what it is, sends
 *                     itself an event, yields to dom0, ends
 */
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/test.h>
#include <gpv/time.h>

#include "two-domain.h"

static void pingpong(void)
{
	long l = td_bind_dom0();
	long done = 0;
	uint64_t t0, t1;

	gpv_test_area("two-domain: domU ping-pong");
	if (!gpv_test_checkf(l > 0, "bound to dom0's unbound port", "rc %ld", l))
		return;
	td_port_take((evtchn_port_t)l); /* pending from the bind, as on Xen */
	t0 = gpv_time_now();
	for (long i = 0; i < TD_PINGPONG_ROUNDS; i++) {
		if (gpv_evtchn_send((evtchn_port_t)l))
			break;
		if (!td_wait_port((evtchn_port_t)l, 5000 * TD_MS))
			break;
		done++;
	}
	t1 = gpv_time_now();
	gpv_test_eq(done, TD_PINGPONG_ROUNDS, "every ping answered by dom0");
	if (done)
		gpv_printf("BENCH: evtchn round trip dom1<->dom0: %lu ns (%ld rounds)\n",
			   (unsigned long)((t1 - t0) / (uint64_t)done), done);
}

static void evrace(void)
{
	long rounds = td_arg("rounds", 200), ctl = td_bind_dom0();
	long ok = 0, bad_rc = 0;

	gpv_test_area("two-domain: domU event race");
	if (!gpv_test_checkf(ctl > 0, "bound dom0's control port", "rc %ld", ctl))
		return;
	td_port_take((evtchn_port_t)ctl); /* pending from the bind */
	gpv_evtchn_send((evtchn_port_t)ctl);
	for (long r = 0; r < rounds; r++) {
		long l;

		if (!td_wait_port((evtchn_port_t)ctl, 5000 * TD_MS))
			break;
		l = td_bind_dom0();
		if (l <= 0) {
			bad_rc++;
			break;
		}
		for (int i = 0; i < TD_RACE_SENDS; i++)
			bad_rc += gpv_evtchn_send((evtchn_port_t)l) != 0;
		bad_rc += gpv_evtchn_close((evtchn_port_t)l) != 0;
		if (gpv_evtchn_send((evtchn_port_t)ctl)) {
			bad_rc++;
			break;
		}
		ok++;
	}
	gpv_test_eq(ok, rounds, "every round: dom0's go came, its new port bound, done sent");
	gpv_test_eq(bad_rc, 0, "every bind, send and close of dom1's ends succeeded");
}

/* Counts loop iterations in each of `windows` windows of `window` ms from `start` ms on. */
static void spin(void)
{
	uint64_t start = (uint64_t)td_arg("start", 0) * TD_MS;
	uint64_t window = (uint64_t)td_arg("window", 1000) * TD_MS;
	long windows = td_arg("windows", 1);
	unsigned long total = 0;

	gpv_test_area("two-domain: domU spin");
	if (!gpv_test_check(gpv_time_now() < start, "started before the window opens"))
		return;
	td_sleep_until(start);
	for (long w = 0; w < windows; w++) {
		uint64_t end = start + (uint64_t)(w + 1) * window;
		volatile unsigned long loops = 0;

		while (gpv_time_now() < end)
			for (int i = 0; i < 1000; i++)
				loops++;
		gpv_test_info("loops %ld %lu", w, (unsigned long)loops);
		total += loops;
	}
	gpv_test_check(total > 0, "counted in the windows");
}

static void yieldbench(void)
{
	long n = td_arg("rounds", 2000);
	uint64_t t0, t1;

	/* hello=1: first tells dom0 it runs (an event on dom0's port for it;
	 * dom0 checks it came). The check line goes out before the send, which
	 * may end the machine at once. */
	if (td_arg("hello", 0)) {
		long l = td_bind_dom0();

		if (gpv_test_checkf(l > 0, "bound dom0's port for its hello", "rc %ld", l))
			gpv_evtchn_send((evtchn_port_t)l);
	}
	t0 = gpv_time_now();

	for (long i = 0; i < n; i++)
		gpv_sched_op(SCHEDOP_yield, NULL);
	t1 = gpv_time_now();
	gpv_printf("BENCH: %ld yields: %lu ns each\n", n, (unsigned long)((t1 - t0) / (uint64_t)n));
	gpv_test_check(n > 0, "yields timed");
}

void td_fpu_run(long rounds, unsigned int seed, long *bad);

static void demo(void)
{
	long a = gpv_evtchn_alloc_unbound(DOMID_SELF);
	long b = a > 0 ? gpv_evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a) : -1;

	gpv_printf("demo: a second domain runs beside dom0: unprivileged, built from its own\n");
	gpv_printf("demo: module by domu= on Lamina's command line; its console lines say (d1)\n");
	gpv_test_area("demo domU");
	gpv_test_checkf(a > 0 && b > 0, "an event channel to itself", "%ld %ld", a, b);
	if (a > 0 && b > 0) {
		td_port_take((evtchn_port_t)b);
		gpv_test_eq(gpv_evtchn_send((evtchn_port_t)b), 0, "send on it");
		gpv_test_check(td_wait_port((evtchn_port_t)a, 1000 * TD_MS),
			       "the event arrived (poll)");
	}
	gpv_test_eq(gpv_sched_op(SCHEDOP_yield, NULL), 0, "yield to the other domain");
}

int gpv_main(void)
{
	gpv_console_use_hypercall(1);
	gpv_test_area("two-domain: domU");
	gpv_test_check(!gpv_is_dom0(), "not the initial domain");
	gpv_test_check(gpv_start_info->store_mfn && gpv_start_info->console.domU.mfn,
		       "start_info names the store and console rings");
	if (td_mode("pingpong")) {
		pingpong();
	} else if (td_mode("evrace")) {
		evrace();
	} else if (td_mode("spin")) {
		spin();
	} else if (td_mode("fpu")) {
		long bad = 0, rounds = td_arg("rounds", 2000);

		gpv_test_area("two-domain: domU FPU");
		td_fpu_run(rounds, (unsigned int)td_arg("seed", 1), &bad);
		gpv_test_checkf(bad == 0, "x87/SSE state kept across every switch",
				"%ld of %ld rounds wrong", bad, rounds);
	} else if (td_mode("yieldbench")) {
		yieldbench();
	} else if (td_mode("fault")) {
		td_sleep_until(gpv_time_now() + 300 * TD_MS); /* dom0 binds VIRQ_DOM_EXC first */
		gpv_printf("INFO: domU dropping its trap table, then ud2\n");
		gpv_set_trap_table(NULL);
		asm volatile("ud2" ::: "memory");
	} else if (td_mode("demo")) {
		demo();
	} else if (td_mode("crash")) {
		td_sleep_until(gpv_time_now() + 300 * TD_MS); /* dom0 binds VIRQ_DOM_EXC first */
		gpv_printf("INFO: domU crashing on purpose (ud2)\n");
		asm volatile("movabsq $0xc0ffee0ddba11, %%r12\n\tud2" ::: "r12", "memory");
	} else {
		gpv_test_check(false, "a known mode= on the command line");
	}
	return gpv_test_finish();
}
