/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scheduler glue's shared state, for its two files only:
 * common/schedule.c (vCPUs, the per-CPU decision and switch) and
 * common/cpupool.c (the cpupools: XEN_SYSCTL_cpupool_op's actions, vCPU
 * affinity). Nothing else includes it; lamina/schedule.h is the interface.
 *
 *   sched_pools[]       the cpupools; [0] is cpupool 0, never destroyed
 *   sched_cpus[c].pool  the pool CPU c is in (NULL: free)
 *   domain->sched.pool  the pool a domain's units are in
 *
 * Locking: sched_cpupool_lock (outermost) around every cpupool operation;
 * each pool's lock around its algorithm state and the switches of its CPUs.
 * A domain's or a CPU's pool changes only under the locks of the pools
 * involved, so a reader looks, locks and looks again (sched_lock_dom).
 */
#ifndef LAMINA_SCHED_POOLS_H
#define LAMINA_SCHED_POOLS_H

#include <lamina/schedule.h>
#include <lamina/scheduler.h>
#include <lamina/spinlock.h>
#include <lamina/types.h>

/* A cpupool: the algorithm's pool (first member: a sched_pool * is an lpool *). */
struct lpool {
	struct sched_pool sp; /* under lock: the pool, its units, their domains' pool */
	spinlock_t lock;
	bool used; /* under sched_cpupool_lock: the slot holds a pool */
};

struct cpu_sched {
	struct lpool *pool; /* the CPU's pool, NULL when free (changed under its lock) */
	bool need;	    /* choose again before leaving to a guest (any CPU sets it) */
	bool active;	    /* this CPU runs the scheduler (in a pool or free) */
	uint64_t until;	    /* the current decision's end (0 = none) */
	uint64_t qs;	    /* quiescent points passed (grace periods) */
	uint64_t left;	    /* times it left a pool (its pool set to NULL) */
};

extern struct lpool sched_pools[SCHED_MAX_POOLS];
extern spinlock_t sched_cpupool_lock;
extern struct cpu_sched sched_cpus[SCHED_NR_CPUS];

static inline struct lpool *sched_lpool(struct sched_pool *p)
{
	return (struct lpool *)p;
}

/* Locks the pool d's units are in and returns it (d may move meanwhile: looks again). */
struct lpool *sched_lock_dom(const struct domain *d);
/* CPU cpu leaves its pool: it is free from here on; its pool's lock held. */
void sched_cpu_left(unsigned int cpu);

#endif
