// SPDX-License-Identifier: MIT
/*
 * System time from vcpu_time_info: read a consistent snapshot (version even
 * and unchanged around the read), scale the TSC delta by tsc_shift and
 * tsc_to_system_mul, add system_time. A negative delta counts as 0.
 */
#include <gpv/gpv.h>
#include <gpv/time.h>

static uint64_t scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t gpv_time_now(void)
{
	struct vcpu_info *vi = gpv_vcpu_info();
	volatile struct vcpu_time_info *t;
	uint32_t version;
	uint64_t now;
	int64_t delta;

	if (!vi)
		return 0;
	t = &vi->time;
	do {
		version = t->version;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		/*
		 * A TSC read just behind the stamp (the record written from
		 * another CPU's TSC, or an emulator's vCPU threads) would wrap
		 * to a huge delta and throw the time far ahead: count it as 0.
		 */
		delta = (int64_t)(gpv_rdtsc() - t->tsc_timestamp);
		now = t->system_time + scale_delta(delta > 0 ? (uint64_t)delta : 0,
						   t->tsc_to_system_mul, t->tsc_shift);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((version & 1) || version != t->version);
	return now;
}

long gpv_timer_set(uint64_t deadline)
{
	return gpv_set_timer_op(deadline);
}

long gpv_timer_set_singleshot(uint64_t deadline)
{
	struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = deadline, .flags = 0 };

	return gpv_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
}

long gpv_poll_port(uint32_t port, uint64_t deadline)
{
	evtchn_port_t p = port;
	struct sched_poll sp = { .nr_ports = 1, .timeout = deadline };

	set_xen_guest_handle(sp.ports, &p);
	return gpv_sched_op(SCHEDOP_poll, &sp);
}
