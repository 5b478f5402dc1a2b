/* SPDX-License-Identifier: MIT */
/*
 * Time: Xen system time (ns since boot) from this vCPU's vcpu_time_info,
 * the TSC, and the one-shot timer.
 */
#ifndef GPV_TIME_H
#define GPV_TIME_H

#include <stdint.h>

static inline uint64_t gpv_rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Current Xen system time in ns (0 before shared_info is mapped). */
uint64_t gpv_time_now(void);
/* Arm the one-shot timer for @deadline (system time ns) with set_timer_op. */
long gpv_timer_set(uint64_t deadline);
/* Arm the one-shot timer for @deadline with VCPUOP_set_singleshot_timer. */
long gpv_timer_set_singleshot(uint64_t deadline);
/* Wait (SCHEDOP_poll on @port) until @port is pending or @deadline passed. */
long gpv_poll_port(uint32_t port, uint64_t deadline);

#endif
