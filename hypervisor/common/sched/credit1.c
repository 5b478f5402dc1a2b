// SPDX-License-Identifier: GPL-2.0-only
/*
 * Credit1 (the semantics of xen/common/sched/credit.c, XEN_SCHEDULER_CREDIT),
 * behind the same interface as credit2 (lamina/scheduler.h).
 *
 * - Accounting every C1_PERIOD (Xen: 3 ticks of 10 ms = 30 ms): the pool's
 *   CPU time since the last one is shared among the active domains (those with a
 *   runnable or running unit) by weight x active units, each domain's share
 *   limited by its cap, and split evenly among its active units. Credit is
 *   kept between -C1_DEBT_MAX (10 periods) and what one accounting hands
 *   out (at least a period).
 * - A running unit is charged its run time whenever its CPU reschedules,
 *   at the latest every C1_TICK. Credit > 0 is UNDER, else OVER; a unit of
 *   a capped domain in debt is parked (not run) until the next accounting.
 * - A unit that wakes UNDER is BOOSTed: it preempts UNDER and OVER units;
 *   it loses the boost when it is first charged.
 * - A CPU runs its best waiting unit (BOOST, UNDER, OVER; first come first
 *   served within a priority) for a timeslice (p->c1_tslice, 30 ms by
 *   default), preempted earlier only by a higher priority, and not before
 *   it has run p->c1_ratelimit_us since it was switched in (Xen's context
 *   switch rate limit, 1000 us by default, 0 = none) unless it yields,
 *   blocks, is parked or its CPU leaves the pool. A CPU with only
 *   OVER work, or none, steals a better unit from another CPU of the pool
 *   (Xen's csched_load_balance).
 */
#include <lamina/scheduler.h>

#define C1_MS 1000000LL
#define C1_TICK (10 * C1_MS)
#define C1_PERIOD (30 * C1_MS)
#define C1_TSLICE_DEFAULT (30 * C1_MS)
/*
 * The deepest debt kept (Xen keeps all of it): a run is charged in full up
 * to this. A loaded TCG host delivers ticks up to 80 ms late, so one run can
 * last several periods; with debt clipped at one period both of two hogs of
 * weights 1:2 sat at the floor and took turns 1:1.
 */
#define C1_DEBT_MAX (10 * C1_PERIOD)
#define C1_ACCT_MAX (4 * C1_PERIOD) /* the most time one accounting hands out */
#define C1_MIN_TIMER (100 * 1000LL) /* Xen's CSCHED_MIN_TIMER: 100 us */

enum { PRI_PARKED = -1, PRI_OVER = 0, PRI_UNDER = 1, PRI_BOOST = 2 };

static bool eligible(const struct sched_unit *u)
{
	return u->c1_prio != PRI_PARKED;
}

/* Sets u's priority from its credit (BOOST kept unless @drop_boost) and its queue key. */
static void set_prio(struct sched_unit *u, bool drop_boost)
{
	if (u->dom->cap && u->c1_credit < 0)
		u->c1_prio = PRI_PARKED;
	else if (u->c1_prio == PRI_BOOST && !drop_boost && u->c1_credit > 0)
		u->c1_prio = PRI_BOOST;
	else
		u->c1_prio = u->c1_credit > 0 ? PRI_UNDER : PRI_OVER;
	u->credit = u->c1_prio; /* the run queue's order: priority, then arrival */
}

static void charge(struct sched_pool *p, unsigned int cpu, uint64_t now)
{
	struct sched_unit *u = p->cpu[cpu].curr;
	uint64_t delta;

	if (!u)
		return;
	delta = now > u->start ? now - u->start : 0;
	u->runtime += delta;
	u->c1_credit = MAX(u->c1_credit - (int64_t)MIN(delta, (uint64_t)C1_DEBT_MAX), -C1_DEBT_MAX);
	u->start = now;
	set_prio(u, delta > 0);
}

static bool active(const struct sched_unit *u)
{
	return u->state != SCHED_BLOCKED;
}

/* Accounting for @span ns of the pool's time: credit shared by weight, within caps. */
static void account(struct sched_pool *p, uint64_t span)
{
	uint64_t total = 0, wsum = 0;

	for (uint64_t m = p->cpus; m; m &= m - 1)
		total += span;

	for (struct sched_unit *u = p->units; u; u = u->pool_next)
		if (active(u))
			wsum += u->dom->weight;
	if (!wsum)
		return;
	for (struct sched_unit *u = p->units; u; u = u->pool_next) {
		int64_t share;

		if (!active(u))
			continue;
		share = (int64_t)(total * u->dom->weight / wsum);
		if (u->dom->cap) {
			unsigned int n = 0;

			for (struct sched_unit *o = p->units; o; o = o->pool_next)
				n += o->dom == u->dom && active(o);
			share = MIN(share, (int64_t)(u->dom->cap * span / 100 / n));
		}
		/*
		 * At most one accounting's worth is kept (Xen: a tslice's, then
		 * the unit stops earning). Clipped at one period, the heavier of
		 * two hogs lost its surplus each time a late tick gave its rival a
		 * long run: 1.86 for 2 at load 14 in tests/guest/schedw.
		 */
		u->c1_credit = MIN(u->c1_credit + share, (int64_t)MAX(span, (uint64_t)C1_PERIOD));
	}
}

/* New priorities for all; each run queue re-sorted, in order within a priority. */
static void requeue_all(struct sched_pool *p)
{
	for (struct sched_unit *u = p->units; u; u = u->pool_next)
		set_prio(u, false);
	for (unsigned int c = 0; c < SCHED_MAX_CPUS; c++) {
		struct sched_unit *u = p->cpu[c].runq;

		p->cpu[c].runq = NULL;
		while (u) {
			struct sched_unit *n = u->rq_next;

			sched_runq_insert(p, u, c);
			u = n;
		}
	}
}

/*
 * The accounting due by now: once a period has passed, for all the time
 * since the last one (a late tick on a loaded host makes it several
 * periods: credit handed out for one while more was charged left every
 * hog in debt, taking turns 1:1), at most C1_ACCT_MAX (a long idle gap is
 * not banked).
 */
static void maybe_account(struct sched_pool *p, uint64_t now)
{
	uint64_t last;

	if (!p->c1_acct_next)
		p->c1_acct_next = now + C1_PERIOD;
	if (now < p->c1_acct_next)
		return;
	last = p->c1_acct_next - C1_PERIOD;
	account(p, MIN(now - last, (uint64_t)C1_ACCT_MAX));
	p->c1_acct_next = now + C1_PERIOD;
	requeue_all(p);
}

/* The first eligible waiting unit of cpu that may run there, other than @skip if another. */
static struct sched_unit *best_waiting(struct sched_pool *p, unsigned int cpu,
				       const struct sched_unit *skip)
{
	struct sched_unit *skipped = NULL;

	for (struct sched_unit *u = p->cpu[cpu].runq; u; u = u->rq_next) {
		if (!eligible(u) || !sched_unit_may_run(p, u, cpu))
			continue;
		if (u != skip)
			return u;
		skipped = u;
	}
	return skipped;
}

/* Work stealing: a unit of better priority than @best waiting on another CPU, or best. */
static struct sched_unit *steal(struct sched_pool *p, unsigned int cpu, struct sched_unit *best)
{
	if (best && best->c1_prio > PRI_OVER)
		return best;
	for (unsigned int c = 0; c < SCHED_MAX_CPUS; c++) {
		struct sched_unit *u;

		if (c == cpu || !sched_cpu_in_pool(p, c))
			continue;
		for (u = p->cpu[c].runq; u; u = u->rq_next)
			if (eligible(u) && sched_unit_may_run(p, u, cpu))
				break;
		if (u && (!best || u->c1_prio > best->c1_prio))
			best = u;
	}
	return best;
}

static unsigned int c1_pick_cpu(struct sched_pool *p, struct sched_unit *u, uint64_t now)
{
	uint64_t hard = u->hard & p->cpus;
	int idle;

	(void)now;
	if (u->state == SCHED_BLOCKED && u->c1_prio == PRI_UNDER)
		u->c1_prio = PRI_BOOST; /* woken: boosted */
	u->credit = u->c1_prio;
	if (sched_unit_may_run(p, u, u->cpu) && !p->cpu[u->cpu].curr)
		return u->cpu;
	idle = sched_idle_cpu(p, hard, SCHED_MAX_CPUS);
	if (idle >= 0)
		return (unsigned int)idle;
	if (sched_unit_may_run(p, u, u->cpu))
		return u->cpu;
	for (unsigned int c = 0; c < SCHED_MAX_CPUS; c++)
		if ((hard >> c) & 1)
			return c;
	return 0;
}

/* A CPU other than cpu that should look at the work waiting (an idle one it may run on), or -1. */
static int push_target(struct sched_pool *p, unsigned int cpu)
{
	for (const struct sched_unit *u = p->cpu[cpu].runq; u; u = u->rq_next) {
		int idle;

		if (!eligible(u))
			continue;
		idle = sched_idle_cpu(p, u->hard, cpu);
		if (idle >= 0)
			return idle;
	}
	return -1;
}

static struct sched_decision c1_schedule(struct sched_pool *p, unsigned int cpu, uint64_t now)
{
	struct sched_cpu *c = &p->cpu[cpu];
	struct sched_unit *prev = c->curr, *next, *yielded = NULL;
	struct sched_decision dec = { .next = NULL, .until = 0, .tickle = -1 };
	uint64_t ratelimit = (uint64_t)p->c1_ratelimit_us * 1000, ran = 0;
	bool keep = false, limited = false;

	charge(p, cpu, now);
	maybe_account(p, now);
	c->curr = NULL;
	if (prev && prev->state == SCHED_RUNNING) {
		struct sched_unit *rival = best_waiting(p, cpu, NULL);
		bool may_keep = !prev->yield && eligible(prev) &&
				sched_unit_may_run(p, prev, cpu) && !sched_cpu_leaving(p, cpu);

		ran = now - prev->c1_ran_from;
		limited = may_keep && ran < ratelimit;
		keep = limited || (may_keep && now < prev->c1_slice_end &&
				   (!rival || rival->c1_prio <= prev->c1_prio));
		if (!keep) {
			unsigned int to =
				sched_unit_may_run(p, prev, cpu) ? cpu : c1_pick_cpu(p, prev, now);

			sched_runq_insert(p, prev, to);
			if (to != cpu)
				dec.tickle = (int)to;
			if (prev->yield)
				yielded = prev;
		}
	}
	if (prev)
		prev->yield = false;
	if (sched_cpu_leaving(p, cpu)) {
		p->leaving &= ~(1ULL << cpu);
		return dec;
	}
	if (keep) {
		next = prev;
	} else {
		next = steal(p, cpu, best_waiting(p, cpu, yielded));
		if (next) {
			sched_runq_remove(p, next);
			next->cpu = cpu;
			next->c1_slice_end = now + p->c1_tslice;
			next->c1_ran_from = now;
		}
	}
	if (next) {
		next->state = SCHED_RUNNING;
		next->start = now;
		c->curr = next;
		dec.next = next;
		dec.until = MIN(next->c1_slice_end, now + C1_TICK);
		/* Xen's rate limit: it runs on until it has run that long (at least C1_MIN_TIMER more). */
		if (limited)
			dec.until = MIN(now + MAX(ratelimit - ran, (uint64_t)C1_MIN_TIMER),
					now + C1_TICK);
		if (dec.tickle < 0)
			dec.tickle = push_target(p, cpu);
	}
	/* Parked units come back at the next accounting: someone must look then. */
	if (!dec.until || p->c1_acct_next < dec.until)
		for (struct sched_unit *u = p->units; u; u = u->pool_next)
			if (u->state == SCHED_RUNNABLE && !eligible(u)) {
				dec.until = MAX(p->c1_acct_next, now);
				break;
			}
	return dec;
}

static void c1_unit_insert(struct sched_pool *p, struct sched_unit *u, uint64_t now)
{
	(void)now;
	if (!p->c1_tslice)
		p->c1_tslice = C1_TSLICE_DEFAULT;
	u->c1_credit = 0;
	u->c1_prio = PRI_UNDER;
	u->credit = PRI_UNDER;
	u->c1_slice_end = 0;
}

static bool c1_wake_preempts(struct sched_pool *p, struct sched_unit *u, unsigned int cpu,
			     uint64_t now)
{
	const struct sched_unit *cur = p->cpu[cpu].curr;

	(void)now;
	return eligible(u) && (!cur || u->c1_prio > cur->c1_prio);
}

static void c1_dom_adjust(struct sched_pool *p, struct sched_dom *d, uint64_t now)
{
	(void)d;
	(void)now;
	requeue_all(p);
}

const struct sched_ops sched_credit1_ops = {
	.name = "credit",
	.unit_insert = c1_unit_insert,
	.pick_cpu = c1_pick_cpu,
	.wake_preempts = c1_wake_preempts,
	.schedule = c1_schedule,
	.dom_adjust = c1_dom_adjust,
};
