// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scheduler simulator (sim.h). Each step finds the next event (a
 * CPU's timer, a running vCPU's burst ending, a sleeping vCPU's wake-up),
 * lets time pass up to it, then handles every event due at that instant and
 * reschedules the CPUs they name, as the hypervisor's softirq would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define NEVER UINT64_MAX

static struct sim_vcpu *of(struct sched_unit *u)
{
	return u ? (struct sim_vcpu *)u->owner : NULL;
}

const struct sched_ops *sim_ops = &sched_credit2_ops;

void sim_init(struct sim *s, unsigned int nr_cpus)
{
	memset(s, 0, sizeof(*s));
	sched_pool_init(&s->pool, 0, sim_ops);
	s->nr_cpus = nr_cpus;
	for (unsigned int c = 0; c < nr_cpus; c++)
		if (sched_pool_add_cpu(&s->pool, c))
			abort();
}

static void reschedule(struct sim *s, unsigned int cpu);

static void kick(struct sim *s, int cpu)
{
	if (cpu >= 0)
		reschedule(s, (unsigned int)cpu);
}

static void wake(struct sim *s, struct sim_vcpu *v)
{
	v->wake_at = NEVER;
	v->woke_at = s->now;
	v->latency_pending = true;
	v->waiting_since = s->now;
	kick(s, sched_wake(&v->su, s->now));
}

void sim_add(struct sim *s, struct sched_dom *d, struct sim_vcpu *v, uint64_t burst, uint64_t sleep)
{
	memset(v, 0, sizeof(*v));
	if (s->nr_v == SIM_MAX_UNITS || sched_unit_add(d, &v->su, v, s->now))
		abort();
	v->burst = burst;
	v->sleep = sleep;
	v->left = burst;
	v->last_cpu = v->su.cpu;
	s->v[s->nr_v++] = v;
	wake(s, v);
}

/* What cpu runs now: note latency, waiting and migration when it starts. */
static void started(struct sim *s, struct sim_vcpu *v, unsigned int cpu)
{
	uint64_t waited = s->now - v->waiting_since;

	if (v->latency_pending) {
		uint64_t lat = s->now - v->woke_at;

		v->latency_pending = false;
		v->max_latency = lat > v->max_latency ? lat : v->max_latency;
		v->sum_latency += lat;
		v->nr_latency++;
	}
	v->max_wait = waited > v->max_wait ? waited : v->max_wait;
	if (cpu != v->last_cpu)
		v->migrations++;
	v->last_cpu = cpu;
}

static void reschedule(struct sim *s, unsigned int cpu)
{
	struct sim_vcpu *prev = of(s->pool.cpu[cpu].curr), *next;
	struct sched_decision d = sched_schedule(&s->pool, cpu, s->now);

	s->nr_schedules++;
	next = of(d.next);
	if (prev && prev != next && prev->su.state == SCHED_RUNNABLE)
		prev->waiting_since = s->now;
	if (next && next != prev)
		started(s, next, cpu);
	s->timer[cpu] = d.until;
	/* A CPU that preempts only at its tick: the decision's end rounds up to one. */
	if (s->tick && d.until)
		s->timer[cpu] = (d.until + s->tick - 1) / s->tick * s->tick;
	kick(s, d.tickle);
}

static uint64_t next_event(const struct sim *s)
{
	uint64_t t = NEVER;

	for (unsigned int c = 0; c < s->nr_cpus; c++) {
		struct sim_vcpu *v = of(s->pool.cpu[c].curr);

		if (s->timer[c] && s->timer[c] < t)
			t = s->timer[c];
		if (v && v->burst && s->now + v->left < t)
			t = s->now + v->left;
	}
	for (unsigned int i = 0; i < s->nr_v; i++)
		if (s->v[i]->wake_at < t)
			t = s->v[i]->wake_at;
	return t;
}

/* Whether an uncapped vCPU waits that may run on cpu. */
static bool uncapped_waiting(const struct sim *s, unsigned int cpu)
{
	for (unsigned int i = 0; i < s->nr_v; i++)
		if (s->v[i]->su.state == SCHED_RUNNABLE && !s->v[i]->su.dom->cap &&
		    sched_unit_may_run(&s->pool, &s->v[i]->su, cpu))
			return true;
	return false;
}

/* Time passes from s->now to t: running vCPUs compute, idle CPUs are counted. */
static void advance(struct sim *s, uint64_t t)
{
	uint64_t dt = t - s->now;

	for (unsigned int c = 0; c < s->nr_cpus; c++) {
		struct sim_vcpu *v = of(s->pool.cpu[c].curr);

		if (!v) {
			if (sched_cpu_in_pool(&s->pool, c) && uncapped_waiting(s, c))
				s->idle_while_waiting += dt;
			continue;
		}
		v->ran += dt;
		if (dt)
			v->ran_cpus |= 1ULL << c;
		if (v->burst)
			v->left -= dt;
	}
	s->now = t;
}

static void handle_due(struct sim *s)
{
	for (unsigned int c = 0; c < s->nr_cpus; c++) {
		struct sim_vcpu *v = of(s->pool.cpu[c].curr);

		if (v && v->burst && !v->left) {
			v->left = v->burst;
			v->wake_at = s->now + v->sleep;
			kick(s, sched_sleep(&v->su, s->now));
		}
	}
	for (unsigned int i = 0; i < s->nr_v; i++)
		if (s->v[i]->wake_at <= s->now)
			wake(s, s->v[i]);
	for (unsigned int c = 0; c < s->nr_cpus; c++)
		if (s->timer[c] && s->timer[c] <= s->now)
			reschedule(s, c);
}

int sim_set_affinity(struct sim *s, struct sim_vcpu *v, uint64_t hard, uint64_t soft)
{
	int cpu = sched_unit_set_affinity(&v->su, hard, soft, s->now);

	if (cpu < -1)
		return cpu;
	kick(s, cpu);
	return 0;
}

void sim_run(struct sim *s, uint64_t duration)
{
	uint64_t end = s->now + duration;
	unsigned int stuck = 0;

	for (;;) {
		uint64_t t = next_event(s);

		/* A scheduler that keeps asking for "now" never lets time pass. */
		stuck = t == s->now ? stuck + 1 : 0;
		if (stuck > 1000) {
			fprintf(stderr, "sched_sim: no progress at %llu ns\n",
				(unsigned long long)s->now);
			abort();
		}
		if (t > end) {
			advance(s, end);
			return;
		}
		advance(s, t);
		handle_due(s);
	}
}

void sim_clear(struct sim *s)
{
	s->idle_while_waiting = 0;
	s->nr_schedules = 0;
	for (unsigned int i = 0; i < s->nr_v; i++) {
		struct sim_vcpu *v = s->v[i];

		v->ran = v->max_wait = v->max_latency = v->sum_latency = 0;
		v->nr_latency = v->migrations = v->ran_cpus = 0;
		if (v->su.state == SCHED_RUNNABLE)
			v->waiting_since = s->now;
	}
}
