// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scheduler's core: pools of CPUs, per-CPU run queues, domains and
 * units, and the state machine every algorithm shares (xen/common/sched/
 * core.c plays this part in Xen). A unit is in exactly one state:
 *
 *   BLOCKED --wake--> RUNNABLE (on cpu[u->cpu].runq) --schedule--> RUNNING
 *      ^                 ^                                  |  (cpu[u->cpu].curr)
 *      +----sleep--------+------- preempted / yield --------+
 *
 * The algorithm (struct sched_ops) chooses where a woken unit waits, whether
 * it preempts, and what each CPU runs; the core checks arguments first and
 * keeps the queues consistent. Pure code: the caller holds the pool's lock.
 */
#include <lamina/scheduler.h>
#include <xen/errno.h>

bool sched_cpu_in_pool(const struct sched_pool *p, unsigned int cpu)
{
	return cpu < SCHED_MAX_CPUS && (p->cpus >> cpu) & 1;
}

void sched_runq_insert(struct sched_pool *p, struct sched_unit *u, unsigned int cpu)
{
	struct sched_unit **pp = &p->cpu[cpu].runq;

	/* Behind the units of equal credit: equals take turns. */
	while (*pp && (*pp)->credit >= u->credit)
		pp = &(*pp)->rq_next;
	u->rq_next = *pp;
	*pp = u;
	u->cpu = cpu;
	u->state = SCHED_RUNNABLE;
}

int sched_idle_cpu(const struct sched_pool *p, uint64_t mask, unsigned int not_cpu)
{
	for (unsigned int c = 0; c < SCHED_MAX_CPUS; c++)
		if (c != not_cpu && sched_cpu_in_pool(p, c) && ((mask >> c) & 1) && !p->cpu[c].curr)
			return (int)c;
	return -1;
}

void sched_runq_remove(struct sched_pool *p, struct sched_unit *u)
{
	struct sched_unit **pp = &p->cpu[u->cpu].runq;

	while (*pp && *pp != u)
		pp = &(*pp)->rq_next;
	if (*pp)
		*pp = u->rq_next;
	u->rq_next = NULL;
}

void sched_pool_init(struct sched_pool *p, unsigned int id, const struct sched_ops *ops)
{
	*p = (struct sched_pool){ .ops = ops, .id = id, .max_weight = 1 };
	p->c1_tslice = 30 * 1000000ULL; /* Xen's credit1 defaults: 30 ms, 1000 us, 0 */
	p->c1_ratelimit_us = 1000;
}

int sched_pool_add_cpu(struct sched_pool *p, unsigned int cpu)
{
	if (cpu >= SCHED_MAX_CPUS)
		return -XEN_EINVAL;
	if (sched_cpu_in_pool(p, cpu))
		return -XEN_EEXIST;
	p->cpu[cpu] = (struct sched_cpu){ 0 };
	p->cpus |= 1ULL << cpu;
	return 0;
}

bool sched_unit_may_run(const struct sched_pool *p, const struct sched_unit *u, unsigned int cpu)
{
	return sched_cpu_in_pool(p, cpu) && (u->hard >> cpu) & 1;
}

bool sched_cpu_leaving(const struct sched_pool *p, unsigned int cpu)
{
	return cpu < SCHED_MAX_CPUS && (p->leaving >> cpu) & 1;
}

/* The CPU of @mask in the pool, other than @not, with the fewest units; @not if none. */
static unsigned int least_queued_cpu(const struct sched_pool *p, uint64_t mask, unsigned int not )
{
	unsigned int best = not, best_n = ~0U;

	for (unsigned int c = 0; c < SCHED_MAX_CPUS; c++) {
		unsigned int n = 0;

		if (c == not || !sched_cpu_in_pool(p, c) || !((mask >> c) & 1))
			continue;
		for (const struct sched_unit *u = p->cpu[c].runq; u; u = u->rq_next)
			n++;
		if (p->cpu[c].curr)
			n++;
		if (n < best_n) {
			best = c;
			best_n = n;
		}
	}
	return best;
}

/* A unit's hard affinity lost its last CPU of the pool: every CPU (Xen breaks it). */
static void keep_affinity_valid(struct sched_pool *p)
{
	for (struct sched_unit *u = p->units; u; u = u->pool_next)
		if (!(u->hard & p->cpus))
			u->hard = ~0ULL;
}

int sched_pool_remove_cpu(struct sched_pool *p, unsigned int cpu)
{
	if (!sched_cpu_in_pool(p, cpu))
		return -XEN_EINVAL;
	if (p->cpus == (1ULL << cpu) && p->units)
		return -XEN_EBUSY;
	p->cpus &= ~(1ULL << cpu);
	keep_affinity_valid(p);
	while (p->cpu[cpu].runq) {
		struct sched_unit *u = p->cpu[cpu].runq;

		sched_runq_remove(p, u);
		sched_runq_insert(p, u, least_queued_cpu(p, u->hard, cpu));
	}
	/* Blocked units that last ran here wake elsewhere. */
	for (struct sched_unit *u = p->units; u; u = u->pool_next)
		if (u->cpu == cpu && p->cpu[cpu].curr != u)
			u->cpu = least_queued_cpu(p, u->hard, cpu);
	if (p->cpu[cpu].curr)
		p->leaving |= 1ULL << cpu;
	return 0;
}

static void update_max_weight(struct sched_pool *p)
{
	unsigned int m = 1;

	for (const struct sched_unit *u = p->units; u; u = u->pool_next)
		m = MAX(m, u->dom->weight);
	p->max_weight = m;
}

void sched_dom_init(struct sched_pool *p, struct sched_dom *d)
{
	*d = (struct sched_dom){ .pool = p, .weight = SCHED_DEFAULT_WEIGHT };
	p->nr_doms++;
}

void sched_dom_destroy(struct sched_dom *d)
{
	if (d->pool && d->pool->nr_doms)
		d->pool->nr_doms--;
	d->pool = NULL;
}

void sched_dom_adjust_credit1(struct sched_dom *d, unsigned int weight, unsigned int cap,
			      uint64_t now)
{
	if (weight)
		d->weight = MIN(weight, (unsigned int)SCHED_MAX_WEIGHT);
	if (cap != 0xffff)
		d->cap = cap;
	update_max_weight(d->pool);
	d->pool->ops->dom_adjust(d->pool, d, now);
}

int sched_dom_adjust(struct sched_dom *d, unsigned int weight, unsigned int cap, uint64_t now)
{
	int rc = 0;

	if (weight > SCHED_MAX_WEIGHT)
		return -XEN_EINVAL;
	if (weight)
		d->weight = weight;
	/* As Xen's credit2: the weight is set before the cap is checked. */
	if (cap > 100 * MAX(d->nr_units, 1U))
		rc = -XEN_EINVAL;
	else
		d->cap = cap;
	update_max_weight(d->pool);
	d->pool->ops->dom_adjust(d->pool, d, now);
	return rc;
}

int sched_unit_add(struct sched_dom *d, struct sched_unit *u, void *owner, uint64_t now)
{
	struct sched_pool *p = d->pool;
	unsigned int cpu = least_queued_cpu(p, ~0ULL, SCHED_MAX_CPUS);

	if (cpu == SCHED_MAX_CPUS)
		return -XEN_EBUSY;
	*u = (struct sched_unit){ .dom = d,
				  .cpu = cpu,
				  .owner = owner,
				  .state = SCHED_BLOCKED,
				  .hard = ~0ULL,
				  .soft = ~0ULL };
	u->pool_next = p->units;
	p->units = u;
	d->nr_units++;
	update_max_weight(p);
	p->ops->unit_insert(p, u, now);
	return 0;
}

int sched_unit_remove(struct sched_unit *u)
{
	struct sched_pool *p = u->dom->pool;
	struct sched_unit **pp = &p->units;

	if (u->state != SCHED_BLOCKED || p->cpu[u->cpu].curr == u)
		return -XEN_EBUSY;
	while (*pp && *pp != u)
		pp = &(*pp)->pool_next;
	if (*pp)
		*pp = u->pool_next;
	u->dom->nr_units--;
	update_max_weight(p);
	return 0;
}

int sched_dom_move(struct sched_dom *d, struct sched_pool *to, uint64_t now)
{
	struct sched_pool *from = d->pool;
	struct sched_unit *moving = NULL, **pp;

	if (!to->cpus)
		return -XEN_EBUSY;
	for (const struct sched_unit *u = from->units; u; u = u->pool_next)
		if (u->dom == d && (u->state != SCHED_BLOCKED || from->cpu[u->cpu].curr == u))
			return -XEN_EBUSY;
	/* Every unit of d off from's list, onto a list of its own. */
	for (pp = &from->units; *pp;) {
		struct sched_unit *u = *pp;

		if (u->dom != d) {
			pp = &u->pool_next;
			continue;
		}
		*pp = u->pool_next;
		u->pool_next = moving;
		moving = u;
	}
	update_max_weight(from);
	from->nr_doms--;
	to->nr_doms++;
	d->pool = to;
	while (moving) {
		struct sched_unit *u = moving;

		moving = u->pool_next;
		u->hard = u->soft = ~0ULL;
		u->cpu = least_queued_cpu(to, ~0ULL, SCHED_MAX_CPUS);
		u->pool_next = to->units;
		to->units = u;
		to->ops->unit_insert(to, u, now);
	}
	update_max_weight(to);
	if (d->cap)
		to->ops->dom_adjust(to, d, now);
	return 0;
}

int sched_unit_set_affinity(struct sched_unit *u, uint64_t hard, uint64_t soft, uint64_t now)
{
	struct sched_pool *p = u->dom->pool;
	unsigned int cpu = u->cpu;

	if (!(hard & p->cpus))
		return -XEN_EINVAL;
	u->hard = hard;
	u->soft = soft;
	if (u->state == SCHED_RUNNING && !((soft >> cpu) & 1) && (soft & hard & p->cpus))
		return (int)cpu; /* it may prefer an idle CPU now */
	if (sched_unit_may_run(p, u, cpu))
		return -1;
	switch (u->state) {
	case SCHED_RUNNABLE:
		sched_runq_remove(p, u);
		cpu = p->ops->pick_cpu(p, u, now);
		sched_runq_insert(p, u, cpu);
		return !p->cpu[cpu].curr || p->ops->wake_preempts(p, u, cpu, now) ? (int)cpu : -1;
	case SCHED_RUNNING:
		return (int)cpu; /* its CPU hands it on when it reschedules */
	default:
		if (p->cpu[cpu].curr == u)
			return (int)cpu;
		u->cpu = least_queued_cpu(p, hard, SCHED_MAX_CPUS);
		return -1;
	}
}

int sched_wake(struct sched_unit *u, uint64_t now)
{
	struct sched_pool *p = u->dom->pool;
	unsigned int cpu;

	if (u->state != SCHED_BLOCKED)
		return -1;
	if (p->cpu[u->cpu].curr == u) {
		/* Blocked and woken again before its CPU rescheduled: it runs on. */
		u->state = SCHED_RUNNING;
		return -1;
	}
	cpu = p->ops->pick_cpu(p, u, now);
	if (!sched_cpu_in_pool(p, cpu))
		return -1; /* a pool with units keeps a CPU: cannot happen */
	sched_runq_insert(p, u, cpu);
	if (!p->cpu[cpu].curr || p->ops->wake_preempts(p, u, cpu, now))
		return (int)cpu;
	return -1;
}

int sched_sleep(struct sched_unit *u, uint64_t now)
{
	struct sched_pool *p = u->dom->pool;

	(void)now;
	switch (u->state) {
	case SCHED_RUNNABLE:
		sched_runq_remove(p, u);
		u->state = SCHED_BLOCKED;
		return -1;
	case SCHED_RUNNING:
		/* Still cpu[u->cpu].curr: the reschedule charges and drops it. */
		u->state = SCHED_BLOCKED;
		return (int)u->cpu;
	default:
		return -1;
	}
}

void sched_unit_yield(struct sched_unit *u)
{
	if (u->state == SCHED_RUNNING)
		u->yield = true;
}

struct sched_decision sched_schedule(struct sched_pool *p, unsigned int cpu, uint64_t now)
{
	if (!sched_cpu_in_pool(p, cpu) && !sched_cpu_leaving(p, cpu))
		return (struct sched_decision){ .next = NULL, .until = 0, .tickle = -1 };
	return p->ops->schedule(p, cpu, now);
}
