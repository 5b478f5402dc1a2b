// SPDX-License-Identifier: GPL-2.0-only
/*
 * A vCPU's timers on the timer queue (lamina/timer.h), with the semantics
 * of xen/common/sched/core.c:
 *
 *   singleshot  set_timer_op / VCPUOP_set_singleshot_timer: VIRQ_TIMER once
 *   periodic    VIRQ_TIMER every period_ns while the vCPU runs; stopped when
 *               it is descheduled (blocks), caught up when it runs again:
 *               an overdue period raises one event, never a burst
 *   poll        the SCHEDOP_poll timeout: its interrupt only wakes the CPU
 *
 * set_timer_op(0) stops the one-shot timer; a deadline with bit 63 set or
 * more than 2^50 ns (about 13 days) ahead is taken as Linux's wrapped
 * jiffies and fires in 100 ms, as Xen does.
 */
#include <lamina/arch.h>
#include <lamina/domain.h>
#include <lamina/event.h>
#include <lamina/hypercall.h>
#include <lamina/timer.h>
#include <xen/xen.h>

#define HUGE_TIMEOUT_SHIFT 50
#define HUGE_TIMEOUT_DELAY_NS 100000000ULL /* 100 ms */

static void singleshot_fn(void *data)
{
	evtchn_send_vcpu_virq(data, VIRQ_TIMER);
}

/* Raises an overdue period's event and arms the next (Xen's vcpu_periodic_timer_work). */
static void periodic_work(struct vcpu *v)
{
	struct vcpu_timers *t = &v->timers;
	uint64_t now = arch_now_ns(), next = t->periodic_last + t->period_ns;

	if (!t->period_ns)
		return;
	if (now >= next) {
		evtchn_send_vcpu_virq(v, VIRQ_TIMER);
		t->periodic_last = now;
		next = now + t->period_ns;
	}
	timer_set(&t->periodic, next);
}

static void periodic_fn(void *data)
{
	periodic_work(data);
}

static void poll_fn(void *data)
{
	(void)data; /* the interrupt itself ends the CPU's wait */
}

void timer_vcpu_init(struct vcpu *v)
{
	struct vcpu_timers *t = &v->timers;

	timer_init(&t->singleshot, singleshot_fn, v, 0);
	timer_init(&t->periodic, periodic_fn, v, 0);
	timer_init(&t->poll, poll_fn, v, 0);
	t->period_ns = TIMER_DEFAULT_PERIOD_NS;
	t->periodic_last = 0;
}

void timer_vcpu_start(struct vcpu *v)
{
	v->timers.periodic_last = arch_now_ns();
	timer_vcpu_scheduled(v);
}

void timer_vcpu_kill(struct vcpu *v)
{
	timer_stop(&v->timers.singleshot);
	timer_stop(&v->timers.periodic);
	timer_stop(&v->timers.poll);
	v->timers.period_ns = 0;
}

void timer_vcpu_migrate(struct vcpu *v, unsigned int cpu)
{
	timer_migrate(&v->timers.singleshot, cpu);
	timer_migrate(&v->timers.periodic, cpu);
	timer_migrate(&v->timers.poll, cpu);
}

void timer_vcpu_scheduled(struct vcpu *v)
{
	timer_migrate(&v->timers.periodic, arch_cpu_id());
	periodic_work(v);
}

void timer_vcpu_descheduled(struct vcpu *v)
{
	timer_stop(&v->timers.periodic);
}

void timer_check(struct vcpu *v)
{
	struct vcpu_timers *t = &v->timers;
	uint64_t now = arch_now_ns();

	if (timer_is_active(&t->singleshot) && t->singleshot.expires <= now) {
		timer_stop(&t->singleshot);
		singleshot_fn(v);
	}
	if (timer_is_active(&t->periodic) && t->periodic.expires <= now)
		periodic_work(v);
}

void timer_set_singleshot(struct vcpu *v, uint64_t deadline)
{
	/* Already due: the event now, without a round trip through the APIC (as Xen). */
	if (deadline <= arch_now_ns()) {
		timer_stop(&v->timers.singleshot);
		singleshot_fn(v);
		return;
	}
	timer_migrate(&v->timers.singleshot, arch_cpu_id());
	timer_set(&v->timers.singleshot, deadline);
}

void timer_stop_singleshot(struct vcpu *v)
{
	timer_stop(&v->timers.singleshot);
}

void timer_set_periodic(struct vcpu *v, uint64_t period_ns)
{
	timer_stop(&v->timers.periodic);
	v->timers.period_ns = period_ns;
	periodic_work(v);
}

void timer_set_poll(struct vcpu *v, uint64_t deadline)
{
	if (!deadline) {
		timer_stop(&v->timers.poll);
		return;
	}
	timer_migrate(&v->timers.poll, arch_cpu_id());
	timer_set(&v->timers.poll, deadline);
}

long do_set_timer_op(const uint64_t a[HYPERCALL_NR_ARGS])
{
	struct vcpu *v = current_vcpu();
	uint64_t timeout = a[0], now = arch_now_ns();
	int64_t offset = (int64_t)(timeout - now);

	if (!timeout)
		timer_stop_singleshot(v);
	else if ((int64_t)timeout < 0 || (offset > 0 && (offset >> HUGE_TIMEOUT_SHIFT)))
		timer_set_singleshot(v, now + HUGE_TIMEOUT_DELAY_NS);
	else
		timer_set_singleshot(v, timeout);
	return 0;
}
