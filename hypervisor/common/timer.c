// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU timers (see lamina/timer.h). Each vCPU has a one-shot deadline and a
 * periodic timer; both raise VIRQ_TIMER on the vCPU's domain (VIRQs are
 * bound on vCPU 0 for now). There is no timer queue: the tick (100 Hz) and
 * every wait check the deadlines, so a timer fires up to one tick late.
 *
 *   v->timers.singleshot     set_timer_op / VCPUOP_set_singleshot_timer
 *   v->timers.period_ns      VCPUOP_set_periodic_timer, next at periodic_next
 */
#include <lamina/arch.h>
#include <lamina/domain.h>
#include <lamina/hypercall.h>
#include <lamina/event.h>
#include <lamina/timer.h>
#include <xen/xen.h>

void timer_vcpu_init(struct vcpu *v)
{
	v->timers = (struct vcpu_timers){ .period_ns = TIMER_DEFAULT_PERIOD_NS };
}

void timer_vcpu_start(struct vcpu *v)
{
	if (v->timers.period_ns)
		v->timers.periodic_next = arch_now_ns() + v->timers.period_ns;
}

void timer_vcpu_kill(struct vcpu *v)
{
	v->timers = (struct vcpu_timers){ 0 };
}

void timer_set_singleshot(struct vcpu *v, uint64_t deadline)
{
	v->timers.singleshot = deadline;
	timer_check(v);
}

void timer_stop_singleshot(struct vcpu *v)
{
	v->timers.singleshot = 0;
}

void timer_set_periodic(struct vcpu *v, uint64_t period_ns)
{
	v->timers.period_ns = period_ns;
	v->timers.periodic_next = period_ns ? arch_now_ns() + period_ns : 0;
}

void timer_check(struct vcpu *v)
{
	struct vcpu_timers *t = &v->timers;
	uint64_t now = arch_now_ns();

	if (t->singleshot && now >= t->singleshot) {
		t->singleshot = 0;
		evtchn_send_vcpu_virq(v, VIRQ_TIMER);
	}
	if (t->period_ns && t->periodic_next && now >= t->periodic_next) {
		t->periodic_next = now + t->period_ns;
		evtchn_send_vcpu_virq(v, VIRQ_TIMER);
	}
}

void timer_tick(void)
{
	for (struct domain *d = domain_next(NULL); d; d = domain_next(d)) {
		if (d->state != DOMAIN_ALIVE || !d->shared_info)
			continue;
		for (unsigned int i = 0; i < d->max_vcpus; i++)
			timer_check(d->vcpu[i]);
	}
}

long do_set_timer_op(const uint64_t a[HYPERCALL_NR_ARGS])
{
	uint64_t timeout = a[0];

	timer_set_singleshot(current_vcpu(), timeout);
	return 0;
}
