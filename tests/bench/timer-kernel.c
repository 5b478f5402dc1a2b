// SPDX-License-Identifier: MIT
/*
 * The timer benchmark kernel (a vCPU's own timer, so real Xen runs it too):
 * the round trip from VCPUOP_set_singleshot_timer to the VIRQ_TIMER upcall's
 * handler, for a deadline already past (the hypervisor raises the event in
 * the hypercall) and for one 20 us ahead (the hardware timer's interrupt
 * raises it). Each is run in batches, events enabled, the kernel spinning
 * until its handler ran; the best batch's cycles per round trip is printed
 * as "BENCH: <name> <n> cycles/op", with PASS lines saying every timer fired.
 */
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/test.h>
#include <gpv/time.h>

#define BATCHES 5
#define ITERS 200
#define AHEAD_NS 20000

static volatile unsigned long events;

static void on_timer(evtchn_port_t port, void *data)
{
	(void)port;
	(void)data;
	events++;
}

/* One round trip; 0 when the handler ran, -1 if it did not within 1 s. */
static long roundtrip(uint64_t ahead)
{
	unsigned long before = events;
	struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = gpv_time_now() + ahead };
	uint64_t limit = gpv_time_now() + 1000000000ULL;

	if (!ahead)
		t.timeout_abs_ns = 1;
	if (gpv_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t))
		return -1;
	while (events == before)
		if (gpv_time_now() > limit)
			return -1;
	return 0;
}

static void run(const char *name, uint64_t ahead)
{
	uint64_t best = ~0ULL;
	long bad = 0;
	char label[80];

	for (int b = 0; b < BATCHES; b++) {
		uint64_t t0 = gpv_rdtsc(), dt;

		for (int i = 0; i < ITERS; i++)
			bad |= roundtrip(ahead);
		dt = (gpv_rdtsc() - t0) / ITERS;
		if (dt < best)
			best = dt;
	}
	gpv_printf("BENCH: %s %lu cycles/op\n", name, (unsigned long)best);
	gpv_snprintf(label, sizeof(label), "%s: every timer's handler ran", name);
	gpv_test_eq(bad, 0, label);
}

int gpv_main(void)
{
	long port;

	gpv_test_area("bench: timer");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0, "stop the periodic timer");
	port = gpv_evtchn_bind_virq(VIRQ_TIMER);
	if (!gpv_test_checkf(port > 0, "bind VIRQ_TIMER", "rc %ld", port))
		return gpv_test_finish();
	gpv_evtchn_set_handler((evtchn_port_t)port, on_timer, NULL);
	gpv_events_mask(0);
	run("timer_past_deadline_roundtrip", 0);
	run("timer_20us_roundtrip", AHEAD_NS);
	gpv_events_mask(1);
	return gpv_test_finish();
}
