/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A vCPU's timers (xen/common/timer.c, the PV parts of sched/core.c and
 * domain.c): the one-shot timer of set_timer_op and VCPUOP_set_singleshot_timer,
 * and the periodic timer (10 ms from the vCPU's start, as Xen gives a PV
 * vCPU). Both raise VIRQ_TIMER; they are checked on the tick and whenever a
 * vCPU waits. Times are system time in ns (arch_now_ns).
 */
#ifndef LAMINA_TIMER_H
#define LAMINA_TIMER_H

#include <lamina/types.h>

struct vcpu;

struct vcpu_timers {
	uint64_t singleshot;	/* deadline, 0 = none */
	uint64_t period_ns;	/* periodic timer, 0 = off */
	uint64_t periodic_next; /* its next deadline */
};

#define TIMER_DEFAULT_PERIOD_NS 10000000ULL /* Xen's default periodic timer: 10 ms */

/* A new vCPU's timers: no one-shot, the default period, not armed until timer_vcpu_start. */
void timer_vcpu_init(struct vcpu *v);
/* Arms the periodic timer from now, when the vCPU first runs. */
void timer_vcpu_start(struct vcpu *v);
/* Stops both timers of a vCPU that goes away. */
void timer_vcpu_kill(struct vcpu *v);
/* Sets the one-shot deadline (0 stops it, as set_timer_op(0) on Xen); fires it if due. */
void timer_set_singleshot(struct vcpu *v, uint64_t deadline);
void timer_stop_singleshot(struct vcpu *v);
/* Sets the periodic timer's period (0 stops it); the first deadline is now + period. */
void timer_set_periodic(struct vcpu *v, uint64_t period_ns);
/* Fires v's due timers (VIRQ_TIMER). */
void timer_check(struct vcpu *v);
/* Fires the due timers of every vCPU of every live domain (the tick). */
void timer_tick(void);

#endif
