// SPDX-License-Identifier: MIT
/*
 * Event channels raced by two vCPUs of one domain on two CPUs (Xen's dom0
 * gets one vCPU per CPU), on Xen 4.17 and on Lamina:
 *   handshake  vCPU 1 sends on a loopback pair ROUNDS times, each time
 *              waiting for vCPU 0's answer on a second pair; vCPU 0 polls
 *              for each event while it allocates, binds and closes other
 *              ports between them (the domain's event lock against the
 *              senders' channel locks): every event arrives, none is lost
 *   close      vCPU 1 sends on one end in a loop while vCPU 0 closes the
 *              other end, then the end vCPU 1 sends on, and binds them
 *              anew, CLOSES times: every send is 0 (bound, or unbound once
 *              the peer closed) or -EINVAL (closed), never anything else
 * Both ports of a pair are masked: events are polled, not upcalled.
 */
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/test.h>
#include <gpv/time.h>

#include "two-domain.h" /* td_port_take, td_wait_port */
#include "vcpu-lib.h"

#define ROUNDS 300
#define CLOSES 100
#define WAIT_NS (5000 * TD_MS)

static struct vcpu_guest_context ctx1;
static uint8_t stack1[8192] __attribute__((aligned(16)));
/* Set by vCPU 0, read by vCPU 1. */
static volatile evtchn_port_t ping_tx, pong_rx, race_port;
static volatile int phase, stop;
/* Set by vCPU 1. */
static volatile long sent, v1_bad, sends_ok, sends_einval, sends_other;
static volatile int v1_done;

static void mask(evtchn_port_t port)
{
	__atomic_fetch_or(&gpv_shared_info->evtchn_mask[port / 64], 1UL << (port % 64),
			  __ATOMIC_SEQ_CST);
}

/* A loopback pair, both ends masked: the end to send on; *other gets the end that hears it. */
static long pair(evtchn_port_t *other)
{
	long a = gpv_evtchn_alloc_unbound(DOMID_SELF);
	long b = a > 0 ? gpv_evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a) : -1;

	if (a <= 0 || b <= 0)
		return -1;
	mask((evtchn_port_t)a);
	mask((evtchn_port_t)b);
	td_port_take((evtchn_port_t)b); /* pending from the bind, as on Xen */
	*other = (evtchn_port_t)a;
	return b;
}

static void v1_handshake(void)
{
	for (long i = 0; i < ROUNDS; i++) {
		if (gpv_evtchn_send(ping_tx)) {
			v1_bad++;
			break;
		}
		sent++;
		if (!td_wait_port(pong_rx, WAIT_NS)) {
			v1_bad++;
			break;
		}
	}
}

static void v1_close_race(void)
{
	while (!stop) {
		long rc = gpv_evtchn_send(race_port);

		if (!rc)
			sends_ok++;
		else if (rc == -XEN_EINVAL)
			sends_einval++;
		else
			sends_other++;
	}
}

/* vCPU 1: each phase as vCPU 0 starts it, then down. */
static void v1_main(void)
{
	while (phase != 1)
		;
	v1_handshake();
	v1_done = 1;
	while (phase != 2)
		;
	v1_close_race();
	v1_done = 2;
	for (;;)
		gpv_vcpu_op(VCPUOP_down, 1, NULL);
}

/* Another loopback pair allocated, bound and closed: the event lock, taken while vCPU 1 sends. */
static bool churn(void)
{
	evtchn_port_t other;
	long p = pair(&other);

	return p > 0 && !gpv_evtchn_close((evtchn_port_t)p) && !gpv_evtchn_close(other);
}

static void check_handshake(void)
{
	evtchn_port_t ping_rx, pong_tx;
	long tx = pair(&ping_rx), ptx = pair((evtchn_port_t *)&pong_rx);
	long got = 0, churned = 0;

	gpv_test_area("evtchn_race: handshake against bind and close");
	if (!gpv_test_check(tx > 0 && ptx > 0, "two loopback pairs"))
		return;
	ping_tx = (evtchn_port_t)tx;
	pong_tx = (evtchn_port_t)ptx;
	phase = 1;
	for (long i = 0; i < ROUNDS; i++) {
		churned += churn();
		if (!td_wait_port(ping_rx, WAIT_NS))
			break;
		got++;
		churned += churn();
		if (gpv_evtchn_send(pong_tx))
			break;
	}
	gpv_test_eq(got, ROUNDS, "every one of vCPU 1's events arrived");
	gpv_test_eq(churned, 2 * ROUNDS, "every bind and close between them succeeded");
	while (!v1_done)
		gpv_sched_op(SCHEDOP_yield, NULL);
	gpv_test_eq(sent, ROUNDS, "vCPU 1 sent every event");
	gpv_test_eq(v1_bad, 0, "and every answer reached vCPU 1");
	gpv_evtchn_close(ping_tx);
	gpv_evtchn_close(ping_rx);
	gpv_evtchn_close(pong_tx);
	gpv_evtchn_close(pong_rx);
}

/* vCPU 1 sends on port until it has sent a few more times, or a while has passed. */
static void let_it_send(long more)
{
	long from = sends_ok + sends_einval + sends_other;
	uint64_t end = gpv_time_now() + 50 * TD_MS;

	while (sends_ok + sends_einval + sends_other < from + more && gpv_time_now() < end)
		;
}

static void check_close_race(void)
{
	evtchn_port_t other;
	long closed = 0, p = pair(&other);

	gpv_test_area("evtchn_race: send against close");
	if (!gpv_test_check(p > 0, "a loopback pair"))
		return;
	race_port = (evtchn_port_t)p;
	phase = 2;
	for (long i = 0; i < CLOSES; i++) {
		let_it_send(20);
		closed += !gpv_evtchn_close(other); /* the sender's end becomes unbound */
		let_it_send(20);
		closed += !gpv_evtchn_close(race_port); /* now its sends are -EINVAL */
		let_it_send(20);
		p = pair(&other);
		if (p <= 0)
			break;
		race_port = (evtchn_port_t)p;
	}
	stop = 1;
	while (v1_done != 2)
		gpv_sched_op(SCHEDOP_yield, NULL);
	gpv_test_eq(closed, 2 * CLOSES, "every close succeeded");
	gpv_test_eq(sends_other, 0, "every send was 0 or -EINVAL");
	gpv_test_check(sends_ok > 0 && sends_einval > 0, "both outcomes were seen");
	gpv_test_info("evtchn_race: %ld sends 0, %ld -EINVAL", sends_ok, sends_einval);
	gpv_evtchn_close(race_port);
	gpv_evtchn_close(other);
}

int gpv_main(void)
{
	gpv_test_area("evtchn_race");
	if (!gpv_test_eq(gpv_vcpu_op(VCPUOP_is_up, 1, NULL), 0, "the domain has a vCPU 1"))
		return gpv_test_finish();
	vl_kernel_context(&ctx1, v1_main, stack1 + sizeof(stack1));
	gpv_test_eq(gpv_vcpu_op(VCPUOP_initialise, 1, &ctx1), 0, "initialise(1) = 0");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_up, 1, NULL), 0, "up(1) = 0");
	check_handshake();
	check_close_race();
	return gpv_test_finish();
}
