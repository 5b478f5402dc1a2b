/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Timers (after xen/common/timer.c and the PV timer parts of
 * xen/common/sched/core.c).
 *
 * The queue (common/timer.c): each CPU keeps its armed timers in a list
 * sorted by deadline; the arch programs the CPU's one-shot hardware timer
 * (the local APIC, arch/x86_64/apic_timer.c) for the head, and on its
 * interrupt timer_softirq runs every due timer's function and programs the
 * next deadline. Nothing waits for a tick: the scheduler's own 10 ms tick is
 * one timer on the queue like any other.
 *
 * A vCPU's timers (common/vcpu_timer.c): the one-shot timer of set_timer_op
 * and VCPUOP_set_singleshot_timer, the periodic timer (10 ms from the vCPU's
 * start, as Xen gives a PV vCPU) and the SCHEDOP_poll timeout. The first two
 * raise the vCPU's own VIRQ_TIMER. Times are system time in ns (arch_now_ns).
 */
#ifndef LAMINA_TIMER_H
#define LAMINA_TIMER_H

#include <lamina/types.h>

struct vcpu;

/* One timer. Fields are the queue's (its CPU's lock); set them with the calls below. */
struct timer {
	uint64_t expires;	/* deadline, system time ns */
	void (*fn)(void *data); /* runs on its CPU, interrupts off, queue unlocked */
	void *data;
	struct timer *next; /* on cpu's queue while active */
	unsigned int cpu;
	bool active;
};

#define TIMER_MAX_CPUS 8 /* as HV_MAX_CPUS */

/* Sets t up, inactive, on cpu's queue. */
void timer_init(struct timer *t, void (*fn)(void *data), void *data, unsigned int cpu);
/* Arms (or re-arms) t for expires; a deadline already past runs at the next timer_softirq. */
void timer_set(struct timer *t, uint64_t expires);
/* Disarms t (nothing if inactive); its function does not run after this returns. */
void timer_stop(struct timer *t);
/* Moves t to cpu's queue, keeping its deadline if armed. */
void timer_migrate(struct timer *t, unsigned int cpu);
/* True while t is armed. */
bool timer_is_active(const struct timer *t);
/* The timer interrupt: runs this CPU's due timers, then programs its next deadline. */
void timer_softirq(void);
/* The earliest deadline on cpu's queue, 0 when none (for tests and the bench). */
uint64_t timer_next_deadline(unsigned int cpu);
/* This CPU takes timers: its queue gets the scheduler's tick (sched_tick every SCHED_TICK_NS). */
void timer_cpu_init(void);

#define SCHED_TICK_NS 10000000ULL /* 10 ms: time slices, not timer resolution */

/* A vCPU's timers. */
struct vcpu_timers {
	struct timer singleshot; /* set_timer_op / VCPUOP_set_singleshot_timer */
	struct timer periodic;	 /* VCPUOP_set_periodic_timer */
	struct timer poll;	 /* SCHEDOP_poll's timeout: wakes the CPU only */
	uint64_t period_ns;	 /* 0 = periodic timer off */
	uint64_t periodic_last;	 /* when it last raised VIRQ_TIMER */
};

#define TIMER_DEFAULT_PERIOD_NS 10000000ULL	  /* Xen's default periodic timer: 10 ms */
#define TIMER_PERIOD_MIN_NS 1000000ULL		  /* VCPUOP_set_periodic_timer's minimum: 1 ms */
#define TIMER_PERIOD_MAX_NS 0x7fffffffffffffffULL /* Xen's STIME_DELTA_MAX */

/* A new vCPU's timers: none armed, the default period, on CPU 0. */
void timer_vcpu_init(struct vcpu *v);
/* Arms the periodic timer from now, when the vCPU first runs. */
void timer_vcpu_start(struct vcpu *v);
/* Stops every timer of a vCPU that goes away. */
void timer_vcpu_kill(struct vcpu *v);
/* Moves v's timers to cpu (the scheduler calls it when v moves). */
void timer_vcpu_migrate(struct vcpu *v, unsigned int cpu);
/* Arms v's one-shot timer for deadline on this CPU (a past deadline fires at once). */
void timer_set_singleshot(struct vcpu *v, uint64_t deadline);
void timer_stop_singleshot(struct vcpu *v);
/* Sets the periodic timer's period (0 stops it), as Xen's vcpu_set_periodic_timer. */
void timer_set_periodic(struct vcpu *v, uint64_t period_ns);
/* Arms (deadline != 0) or stops (0) the timer that ends v's SCHEDOP_poll. */
void timer_set_poll(struct vcpu *v, uint64_t deadline);
/* v is switched onto this CPU: its periodic timer moves here and catches up. */
void timer_vcpu_scheduled(struct vcpu *v);
/* v is switched out (or blocks): its periodic timer stops, as Xen's schedule(). */
void timer_vcpu_descheduled(struct vcpu *v);
/*
 * Fires v's timers that are due now, before the queue's interrupt would:
 * a vCPU about to sleep calls it so that a due timer counts as an event.
 */
void timer_check(struct vcpu *v);

#endif
