// SPDX-License-Identifier: GPL-2.0-only
/*
 * A credit2-like algorithm (the semantics of xen/common/sched/credit2.c,
 * Xen's default scheduler since 4.12), on per-CPU run queues.
 *
 * Why credit2 rather than credit1: credit2 needs no 30 ms accounting tick
 * and no BOOST priority; fairness and fast wake-up both fall out of one
 * ordered value per unit, which makes the algorithm small and its tests exact.
 *
 * - Credit is time in ns at the pool's highest weight: a running unit burns
 *   delta * max_weight / weight, so a unit of twice the weight burns half as
 *   fast and runs twice as long between resets. Units wait highest credit
 *   first; a CPU runs the one with the most credit until its credit falls to
 *   the next one's (at least MIN_TIMER, at most MAX_TIMER).
 * - Reset: when the unit a CPU is about to run has no credit left and
 *   another waits that may run there, every unit
 *   of the pool (blocked ones too) gets CREDIT_INIT more (a multiple, if
 *   that unit is deeper in debt), keeping at most CREDIT_INIT + CARRYOVER_MAX. A unit that slept therefore wakes with more credit than
 *   the CPU-bound ones and preempts them at once (wake-up boost); it can
 *   never hoard more than one reset's worth.
 * - Load balancing: a CPU that reschedules takes the best waiting unit of
 *   another CPU when that unit has more credit (by MIGRATE_RESIST) than its
 *   own best; an idle CPU takes any. Credits are reset pool-wide, so they
 *   compare across CPUs. A woken unit goes to an idle CPU first.
 * - Affinity: a unit waits and runs only on CPUs its hard affinity allows;
 *   a woken unit goes to an idle CPU of its soft affinity first, then to
 *   one of its hard affinity; a CPU takes a waiting unit from another CPU
 *   only when the unit may run on it, and one that prefers where it waits
 *   only when the taker would otherwise idle.
 * - Caps: a capped domain's units share a budget of cap% of one CPU per
 *   CAP_PERIOD; with none left they are skipped ("parked") until the next
 *   replenishment. An overrun is a debt on the next period.
 */
#include <lamina/scheduler.h>

#define NS_PER_US 1000LL
#define CREDIT_INIT (10000 * NS_PER_US)
/*
 * The lowest credit: deep enough that a unit which overran its slice by a
 * tick keeps its debt, so weights hold with coarse preemption (a CPU
 * without a one-shot timer preempts only at its 10 ms tick, which a loaded
 * TCG host delivers up to 80 ms late: 2 x 80 ms of credit at half the top
 * weight); shallow enough to bound the wait of a unit whose weight is far
 * below the others' (the no-starvation test: at 100 x CREDIT_INIT it waits
 * more than 500 ms).
 */
#define CREDIT_MIN (-30 * CREDIT_INIT)
#define CARRYOVER_MAX (500 * NS_PER_US)
#define MIN_TIMER (500 * NS_PER_US)
#define MAX_TIMER CREDIT_INIT
#define MIGRATE_RESIST (500 * NS_PER_US)
#define CAP_PERIOD (10000 * NS_PER_US)
#define BURN_DELTA_MAX (1000000 * NS_PER_US) /* beyond this, credit is at CREDIT_MIN anyway */

static int64_t burn_for(const struct sched_pool *p, const struct sched_unit *u, uint64_t delta)
{
	return (int64_t)MIN(delta, (uint64_t)BURN_DELTA_MAX) * p->max_weight / u->dom->weight;
}

/* Time u runs while its credit falls by @credit. */
static uint64_t time_for(const struct sched_pool *p, const struct sched_unit *u, int64_t credit)
{
	return credit <= 0 ? 0 : (uint64_t)credit * u->dom->weight / p->max_weight;
}

/* u's credit if it were charged up to now (it is running). */
static int64_t credit_now(const struct sched_pool *p, const struct sched_unit *u, uint64_t now)
{
	return MAX(u->credit - burn_for(p, u, now > u->start ? now - u->start : 0), CREDIT_MIN);
}

/* Charges the unit cpu runs for its time since it started or was last charged. */
static void charge(struct sched_pool *p, unsigned int cpu, uint64_t now)
{
	struct sched_unit *u = p->cpu[cpu].curr;
	uint64_t delta;

	if (!u)
		return;
	delta = now > u->start ? now - u->start : 0;
	u->credit = credit_now(p, u, now);
	u->runtime += delta;
	if (u->dom->cap)
		u->dom->budget -= (int64_t)delta;
	u->start = now;
}

static int64_t cap_quota(const struct sched_dom *d)
{
	return (int64_t)d->cap * CAP_PERIOD / 100;
}

static void replenish(struct sched_pool *p, uint64_t now)
{
	for (struct sched_unit *u = p->units; u; u = u->pool_next) {
		struct sched_dom *d = u->dom;
		uint64_t periods;

		if (!d->cap || now < d->period_end)
			continue;
		periods = (now - d->period_end) / CAP_PERIOD + 1;
		d->budget = MIN(d->budget + cap_quota(d) * (int64_t)MIN(periods, 1000ULL),
				cap_quota(d));
		d->period_end += periods * CAP_PERIOD;
	}
}

static bool eligible(const struct sched_unit *u)
{
	return !u->dom->cap || u->dom->budget > 0;
}

/*
 * Every unit gets m x CREDIT_INIT, clipped to CREDIT_INIT + CARRYOVER_MAX,
 * where m is enough for @next to be in the black again (Xen's credit2
 * multiplier): a unit that overran deep into debt (coarse preemption)
 * keeps that debt relative to the others instead of dragging every credit
 * down to CREDIT_MIN, where debts would be clipped and weights lost.
 */
static void reset_credit(struct sched_pool *p, const struct sched_unit *next, uint64_t now)
{
	int64_t m = 1;

	for (unsigned int c = 0; c < SCHED_MAX_CPUS; c++)
		if (sched_cpu_in_pool(p, c))
			charge(p, c, now);
	if (next->credit < -CREDIT_INIT)
		m += -next->credit / CREDIT_INIT;
	for (struct sched_unit *u = p->units; u; u = u->pool_next)
		u->credit = MIN(u->credit + m * CREDIT_INIT, CREDIT_INIT + CARRYOVER_MAX);
}

/* The best eligible waiting unit of cpu, other than @skip if there is another. */
static struct sched_unit *best_waiting(struct sched_pool *p, unsigned int cpu,
				       const struct sched_unit *skip)
{
	struct sched_unit *skipped = NULL;

	for (struct sched_unit *u = p->cpu[cpu].runq; u; u = u->rq_next) {
		if (!eligible(u))
			continue;
		if (u != skip)
			return u;
		skipped = u;
	}
	return skipped;
}

/* Whether u's soft affinity means anything in p (it excludes some CPU u may run on). */
static bool has_soft(const struct sched_pool *p, const struct sched_unit *u)
{
	uint64_t hard = u->hard & p->cpus;

	return (u->soft & hard) && (u->soft & hard) != hard;
}

/*
 * The best eligible unit waiting on @from that @cpu may take; not one that
 * prefers @from to @cpu when @soft, or when @from is idle (it runs it next).
 */
static struct sched_unit *stealable(struct sched_pool *p, unsigned int from, unsigned int cpu,
				    bool soft)
{
	for (struct sched_unit *u = p->cpu[from].runq; u; u = u->rq_next) {
		if (!eligible(u) || !sched_unit_may_run(p, u, cpu))
			continue;
		if (has_soft(p, u) && !((u->soft >> cpu) & 1) && ((u->soft >> from) & 1) &&
		    (soft || !p->cpu[from].curr))
			continue; /* it prefers from, and from runs it soon (idle) or it is pass 1 */
		return u;
	}
	return NULL;
}

/* The unit cpu runs next: its own best, or a better one it takes from another CPU. */
static struct sched_unit *pick_next(struct sched_pool *p, unsigned int cpu,
				    const struct sched_unit *yielded)
{
	struct sched_unit *best = best_waiting(p, cpu, yielded);
	bool had_own = best != NULL;

	for (int pass = 0; pass < 2; pass++) {
		for (unsigned int c = 0; c < SCHED_MAX_CPUS; c++) {
			struct sched_unit *h;

			if (c == cpu || !sched_cpu_in_pool(p, c))
				continue;
			h = stealable(p, c, cpu, pass == 0);
			if (h && (!best || h->credit > best->credit + MIGRATE_RESIST))
				best = h;
		}
		/* A unit held back by its soft affinity still beats idling. */
		if (best || had_own)
			break;
	}
	return best;
}

/* The earliest replenishment a parked runnable unit of the pool waits for, or 0. */
static uint64_t parked_deadline(const struct sched_pool *p)
{
	uint64_t t = 0;

	for (const struct sched_unit *u = p->units; u; u = u->pool_next)
		if (u->state == SCHED_RUNNABLE && !eligible(u) && (!t || u->dom->period_end < t))
			t = u->dom->period_end;
	return t;
}

static uint64_t slice_for(struct sched_pool *p, unsigned int cpu, const struct sched_unit *next)
{
	const struct sched_unit *rival = best_waiting(p, cpu, NULL);
	uint64_t slice = MAX_TIMER;

	if (rival)
		slice = MAX(MIN(time_for(p, next, next->credit - rival->credit), slice),
			    (uint64_t)MIN_TIMER);
	if (next->dom->cap)
		slice = MAX(MIN(slice, (uint64_t)next->dom->budget), (uint64_t)MIN_TIMER);
	return slice;
}

static unsigned int c2_pick_cpu(struct sched_pool *p, struct sched_unit *u, uint64_t now);

/*
 * prev stops running on cpu: it waits there again; when it may no longer
 * run there (its affinity changed, the CPU leaves the pool) it waits on a
 * CPU picked as for a wake-up, and when it merely prefers others, on an idle
 * one of those. The CPU it moved to (to reschedule), or -1.
 */
static int requeue_prev(struct sched_pool *p, struct sched_unit *prev, unsigned int cpu,
			uint64_t now)
{
	bool may = sched_unit_may_run(p, prev, cpu);
	unsigned int to;

	if (may && (!has_soft(p, prev) || ((prev->soft >> cpu) & 1))) {
		sched_runq_insert(p, prev, cpu);
		return -1;
	}
	to = c2_pick_cpu(p, prev, now);
	if (may && p->cpu[to].curr)
		to = cpu;
	sched_runq_insert(p, prev, to);
	return to == cpu ? -1 : (int)to;
}

/* Whether a unit other than next waits that may run on cpu. */
static bool has_rival(const struct sched_pool *p, unsigned int cpu, const struct sched_unit *next)
{
	for (const struct sched_unit *u = p->units; u; u = u->pool_next)
		if (u != next && u->state == SCHED_RUNNABLE && eligible(u) &&
		    sched_unit_may_run(p, u, cpu))
			return true;
	return false;
}

static unsigned int lowest_credit_cpu(struct sched_pool *p, uint64_t mask, unsigned int prev,
				      uint64_t now);

/*
 * A CPU that should look at cpu's waiting units: an idle one a unit may run
 * on, else one whose running unit has less credit (by MIGRATE_RESIST) than a
 * waiting unit allowed there (the push half of load balancing: a CPU pulls
 * only when it reschedules, and two CPUs' slices can keep in step), or -1.
 */
static int push_target(struct sched_pool *p, unsigned int cpu, uint64_t now)
{
	for (const struct sched_unit *u = p->cpu[cpu].runq; u; u = u->rq_next) {
		uint64_t others = u->hard & ~(1ULL << cpu);
		unsigned int victim;
		int idle;

		if (!eligible(u) || !(others & p->cpus))
			continue;
		idle = sched_idle_cpu(p, others, cpu);
		if (idle >= 0)
			return idle;
		victim = lowest_credit_cpu(p, others, SCHED_MAX_CPUS, now);
		if (victim < SCHED_MAX_CPUS && p->cpu[victim].curr &&
		    u->credit > credit_now(p, p->cpu[victim].curr, now) + MIGRATE_RESIST)
			return (int)victim;
	}
	return -1;
}

static struct sched_decision c2_schedule(struct sched_pool *p, unsigned int cpu, uint64_t now)
{
	struct sched_cpu *c = &p->cpu[cpu];
	struct sched_unit *prev = c->curr, *next, *yielded = NULL;
	struct sched_decision dec = { .next = NULL, .until = 0, .tickle = -1 };
	uint64_t parked;

	charge(p, cpu, now);
	replenish(p, now);
	c->curr = NULL;
	if (prev && prev->state == SCHED_RUNNING) {
		dec.tickle = requeue_prev(p, prev, cpu, now);
		if (prev->yield)
			yielded = prev;
	}
	if (prev)
		prev->yield = false;
	if (sched_cpu_leaving(p, cpu)) {
		p->leaving &= ~(1ULL << cpu);
		return dec; /* it has left: nothing runs here any more */
	}
	next = pick_next(p, cpu, yielded);
	if (next) {
		/*
		 * Out of credit: a pool-wide reset if it competes here, else a
		 * refill of its own (a unit alone where its affinity lets it run
		 * must not reset the units that compete elsewhere).
		 */
		if (next->credit <= 0 && has_rival(p, cpu, next))
			reset_credit(p, next, now);
		else if (next->credit <= 0)
			next->credit = CREDIT_INIT;
		sched_runq_remove(p, next);
		next->cpu = cpu;
		next->state = SCHED_RUNNING;
		next->start = now;
		c->curr = next;
		dec.next = next;
		dec.until = now + slice_for(p, cpu, next);
		if (dec.tickle < 0)
			dec.tickle = push_target(p, cpu, now);
	}
	parked = parked_deadline(p);
	if (parked && (!dec.until || parked < dec.until))
		dec.until = MAX(parked, now);
	return dec;
}

static void c2_unit_insert(struct sched_pool *p, struct sched_unit *u, uint64_t now)
{
	(void)p;
	(void)now;
	u->credit = CREDIT_INIT;
}

/* The busy CPU of @mask whose running unit has the least credit (@prev first on a tie). */
static unsigned int lowest_credit_cpu(struct sched_pool *p, uint64_t mask, unsigned int prev,
				      uint64_t now)
{
	unsigned int victim = prev;

	for (unsigned int c = 0; c < SCHED_MAX_CPUS; c++) {
		const struct sched_unit *cur = p->cpu[c].curr;

		if (!sched_cpu_in_pool(p, c) || !((mask >> c) & 1) || !cur)
			continue;
		if (victim == SCHED_MAX_CPUS || !p->cpu[victim].curr ||
		    credit_now(p, cur, now) < credit_now(p, p->cpu[victim].curr, now))
			victim = c;
	}
	return victim;
}

/* The first CPU of the pool in @mask (there is one: the core keeps it so). */
static unsigned int first_cpu(const struct sched_pool *p, uint64_t mask)
{
	for (unsigned int c = 0; c < SCHED_MAX_CPUS; c++)
		if (sched_cpu_in_pool(p, c) && ((mask >> c) & 1))
			return c;
	return SCHED_MAX_CPUS;
}

/*
 * A CPU for a woken unit, among those its hard affinity allows: its own if
 * idle and preferred, else an idle one of its soft affinity, else any idle
 * one, else the one whose running unit it preempts by the most (its own
 * when it preempts there too), else its own.
 */
static unsigned int c2_pick_cpu(struct sched_pool *p, struct sched_unit *u, uint64_t now)
{
	uint64_t hard = u->hard & p->cpus;
	uint64_t soft = has_soft(p, u) ? u->soft & hard : hard;
	unsigned int prev = sched_unit_may_run(p, u, u->cpu) ? u->cpu : SCHED_MAX_CPUS;
	unsigned int victim;
	int idle;

	if (prev < SCHED_MAX_CPUS && !p->cpu[prev].curr && ((soft >> prev) & 1))
		return prev;
	idle = sched_idle_cpu(p, soft, SCHED_MAX_CPUS);
	if (idle < 0)
		idle = sched_idle_cpu(p, hard, SCHED_MAX_CPUS);
	if (idle >= 0)
		return (unsigned int)idle;
	if (prev < SCHED_MAX_CPUS && u->credit > credit_now(p, p->cpu[prev].curr, now))
		return prev;
	victim = lowest_credit_cpu(p, hard, prev, now);
	if (victim < SCHED_MAX_CPUS && p->cpu[victim].curr &&
	    u->credit > credit_now(p, p->cpu[victim].curr, now))
		return victim;
	if (prev < SCHED_MAX_CPUS)
		return prev;
	return victim < SCHED_MAX_CPUS ? victim : first_cpu(p, hard);
}

static bool c2_wake_preempts(struct sched_pool *p, struct sched_unit *u, unsigned int cpu,
			     uint64_t now)
{
	const struct sched_unit *cur = p->cpu[cpu].curr;

	return eligible(u) && (!cur || u->credit > credit_now(p, cur, now));
}

static void c2_dom_adjust(struct sched_pool *p, struct sched_dom *d, uint64_t now)
{
	(void)p;
	if (d->cap) {
		d->budget = cap_quota(d);
		d->period_end = now + CAP_PERIOD;
	}
}

const struct sched_ops sched_credit2_ops = {
	.name = "credit2",
	.unit_insert = c2_unit_insert,
	.pick_cpu = c2_pick_cpu,
	.wake_preempts = c2_wake_preempts,
	.schedule = c2_schedule,
	.dom_adjust = c2_dom_adjust,
};
