// SPDX-License-Identifier: MIT
/*
 * two-domain-dom0: the dom0 side of the boot-time-domU scenarios
 * (tests/guest/two-domain.sh boots it with two-domain-domu as dom1, dom2).
 * Its command line (the module string) picks the mode:
 *   mode=pingpong   allocates a port unbound for dom1, answers each of
 *                   dom1's TD_PINGPONG_ROUNDS events with one, then waits
 *                   for dom1's end (VIRQ_DOM_EXC)
 *   mode=wait exits=N  waits until N domains have ended (VIRQ_DOM_EXC),
 *                   sleeping meanwhile, so the domUs have the CPU
 *   mode=evrace rounds=R  R rounds of a fresh channel with dom1, sent on
 *                   and closed from both ends at once (dom1's side in
 *                   two-domain-domu.c): a control channel says go and done
 *   mode=exit       powers off while the domUs still run: the machine ends
 *                   with dom0 (code 0), as on Xen; with hello=1 once dom1
 *                   has said it runs (an event on a port unbound for it:
 *                   dom1 is then in its yield loop, and its lines are out)
 * Every mode checks that dom0 itself kept running.
 */
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/test.h>
#include <gpv/time.h>

#include "two-domain.h"

static long bind_dom_exc(void)
{
	long p = gpv_evtchn_bind_virq(VIRQ_DOM_EXC);

	gpv_test_checkf(p > 0, "VIRQ_DOM_EXC bound", "rc %ld", p);
	return p;
}

/* Whether domain id still exists: EVTCHNOP_status on it is -ESRCH once it is gone. */
static bool domain_exists(domid_t id)
{
	struct evtchn_status st = { .dom = id, .port = 1 };

	return gpv_event_channel_op(EVTCHNOP_status, &st) != -XEN_ESRCH;
}

/*
 * Waits, at most timeout_ms, until domains 1..n are gone (Lamina destroys
 * a boot-time domU that ended), waking on VIRQ_DOM_EXC: events of several
 * ends coalesce into one, so the count comes from the domains themselves.
 */
static void wait_exits(long port, long n, long timeout_ms)
{
	uint64_t end = gpv_time_now() + (uint64_t)timeout_ms * TD_MS;
	long gone = 0, virqs = 0;

	while (port > 0 && gpv_time_now() < end) {
		gone = 0;
		for (long id = 1; id <= n; id++)
			gone += !domain_exists((domid_t)id);
		if (gone == n)
			break;
		if (td_wait_port((evtchn_port_t)port, 200 * TD_MS))
			virqs++;
	}
	virqs += port > 0 && td_port_take((evtchn_port_t)port);
	gpv_test_checkf(gone == n, "every domU ended and is gone", "%ld of %ld", gone, n);
	gpv_test_checkf(virqs > 0, "VIRQ_DOM_EXC arrived", "%ld", virqs);
}

static void pingpong(void)
{
	long exc = bind_dom_exc();
	long p = gpv_evtchn_alloc_unbound(1);
	long answered = 0;

	gpv_test_area("two-domain: dom0 ping-pong");
	if (!gpv_test_checkf(p > 0, "port unbound for dom1", "rc %ld", p))
		return;
	gpv_test_info("dom0 port %ld", p);
	for (long i = 0; i < TD_PINGPONG_ROUNDS; i++) {
		if (!td_wait_port((evtchn_port_t)p, 20000 * TD_MS))
			break;
		if (gpv_evtchn_send((evtchn_port_t)p))
			break;
		answered++;
	}
	gpv_test_eq(answered, TD_PINGPONG_ROUNDS, "every ping from dom1 answered");
	wait_exits(exc, 1, 20000);
}

/*
 * Each round: a port unbound for dom1, "go" on the control port; once dom1
 * has bound it and sent (it is pending), TD_RACE_SENDS sends and a close,
 * while dom1 sends on and closes its end; then dom1's "done". A lost event
 * or a deadlock shows as a round that never ends.
 */
static void evrace(void)
{
	long rounds = td_arg("rounds", 200), ctl = gpv_evtchn_alloc_unbound(1);
	long ok = 0, bad_rc = 0;

	gpv_test_area("two-domain: dom0 event race");
	if (!gpv_test_checkf(ctl > 0, "control port unbound for dom1", "rc %ld", ctl))
		return;
	if (!gpv_test_check(td_wait_port((evtchn_port_t)ctl, 20000 * TD_MS),
			    "dom1 bound the control port and said so"))
		return;
	for (long r = 0; r < rounds; r++) {
		long p = gpv_evtchn_alloc_unbound(1);

		if (p <= 0 || gpv_evtchn_send((evtchn_port_t)ctl)) {
			bad_rc++;
			break;
		}
		if (!td_wait_port((evtchn_port_t)p, 5000 * TD_MS))
			break;
		for (int i = 0; i < TD_RACE_SENDS; i++)
			bad_rc += gpv_evtchn_send((evtchn_port_t)p) != 0;
		bad_rc += gpv_evtchn_close((evtchn_port_t)p) != 0;
		if (!td_wait_port((evtchn_port_t)ctl, 5000 * TD_MS))
			break;
		ok++;
	}
	gpv_test_eq(ok, rounds, "every round: dom1's event on the new port, then its done");
	gpv_test_eq(bad_rc, 0, "every alloc, send and close of dom0's ends succeeded");
	gpv_test_eq(gpv_evtchn_close((evtchn_port_t)ctl), 0, "the control port closes");
}

int gpv_main(void)
{
	gpv_test_area("two-domain: dom0");
	gpv_test_check(gpv_is_dom0(), "runs as the initial domain");
	if (td_mode("pingpong")) {
		pingpong();
	} else if (td_mode("evrace")) {
		long exc = bind_dom_exc();

		evrace();
		wait_exits(exc, 1, 20000);
	} else if (td_mode("wait")) {
		long exc = bind_dom_exc();

		wait_exits(exc, td_arg("exits", 1), td_arg("timeout", 60000));
	} else if (td_mode("exit")) {
		if (td_arg("hello", 0)) {
			long p = gpv_evtchn_alloc_unbound(1);

			gpv_test_checkf(p > 0 && td_wait_port((evtchn_port_t)p, 20000 * TD_MS),
					"dom1 said it runs, before the power-off", "port %ld", p);
		}
	} else {
		gpv_test_check(false, "a known mode= on the command line");
	}
	gpv_test_check(true, "dom0 still runs after the domUs");
	return gpv_test_finish();
}
