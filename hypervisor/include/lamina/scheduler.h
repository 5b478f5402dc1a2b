/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scheduler's algorithm, behind an interface (Xen's sched_ops). It is
 * pure: no locks, no allocation, no clock and no hardware; the caller owns
 * every structure, passes the time in nanoseconds, and acts on what each
 * call returns (reschedule a CPU, arm its timer for sched_decision.until).
 * The same code runs in the hypervisor and in the host tests
 * (tests/unit/common/sched/), which drive it with simulated time.
 *
 *   sched_pool   a cpupool: its CPUs, their run queues, the units in it
 *   sched_cpu    one physical CPU: the running unit and the waiting ones,
 *                highest credit first
 *   sched_dom    a domain's parameters: weight, cap and the cap's budget
 *   sched_unit   one vCPU's scheduling state, with its hard affinity (the
 *                CPUs it may run on) and soft affinity (those it prefers)
 *
 * Invariants the core keeps: a unit waits only on a CPU of its pool that
 * its hard affinity allows; its hard affinity meets the pool's CPUs (a CPU
 * that leaves resets the affinity of the units it was the last one for, as
 * Xen breaks affinity); a CPU removed while it runs a unit is "leaving"
 * until it reschedules, which hands that unit to another CPU.
 *
 * Locking: the caller serialises every call on one pool (one lock per pool).
 */
#ifndef LAMINA_SCHEDULER_H
#define LAMINA_SCHEDULER_H

#include <lamina/types.h>

#define SCHED_MAX_CPUS 64
#define SCHED_DEFAULT_WEIGHT 256 /* as Xen's credit and credit2 */
#define SCHED_MAX_WEIGHT 65535

enum sched_state { SCHED_BLOCKED = 0, SCHED_RUNNABLE, SCHED_RUNNING };

struct sched_pool;
struct sched_ops;

struct sched_dom {
	struct sched_pool *pool;
	unsigned int weight;   /* 1 .. SCHED_MAX_WEIGHT */
	unsigned int cap;      /* % of one CPU (150 = one and a half); 0 = none */
	int64_t budget;	       /* ns left in this cap period; < 0 is a debt */
	uint64_t period_end;   /* when the budget is next replenished */
	unsigned int nr_units; /* units of this domain in the pool */
	uint64_t nodes;	       /* the caller's: its NUMA node affinity (0: automatic) */
};

struct sched_unit {
	struct sched_dom *dom;
	struct sched_unit *rq_next;   /* in cpu[cpu].runq, while SCHED_RUNNABLE */
	struct sched_unit *pool_next; /* in pool->units */
	int64_t credit;		      /* ns of credit at the pool's highest weight */
	uint64_t start;		      /* when it last started running (accounting) */
	uint64_t runtime;	      /* ns it has run in total */
	unsigned int cpu;	      /* the CPU it runs on or waits on */
	uint8_t state;		      /* enum sched_state */
	bool yield;		      /* asked to let others run first (SCHEDOP_yield) */
	uint64_t ran_on;	      /* bitmap: the CPUs it has run on (the caller's) */
	uint64_t hard;		      /* bitmap: the CPUs it may run on (default all) */
	uint64_t soft;		      /* bitmap: the CPUs it prefers (default all) */
	int64_t c1_credit;	      /* credit1: ns of credit (> 0 UNDER, else OVER) */
	uint64_t c1_slice_end;	      /* credit1: when its timeslice ends (running) */
	uint64_t c1_ran_from;	      /* credit1: when it was last switched in */
	int8_t c1_prio;		      /* credit1: BOOST 2, UNDER 1, OVER 0, parked -1 */
	void *owner;		      /* the caller's vCPU */
};

struct sched_cpu {
	struct sched_unit *runq; /* SCHED_RUNNABLE units, highest credit first */
	struct sched_unit *curr; /* SCHED_RUNNING unit; NULL when idle */
};

struct sched_pool {
	const struct sched_ops *ops;
	unsigned int id;
	uint64_t cpus;	  /* bitmap: the CPUs in the pool */
	uint64_t leaving; /* bitmap: removed CPUs that still run a unit of it */
	unsigned int nr_doms;
	unsigned int max_weight; /* highest weight of the pool's units' domains */
	struct sched_unit *units;
	uint64_t c1_acct_next;	   /* credit1: the next accounting (0: not yet started) */
	uint64_t c1_tslice;	   /* credit1: the timeslice in ns (Xen's tslice_ms) */
	uint32_t c1_ratelimit_us;  /* credit1: a unit that ran less is not preempted */
	uint32_t c1_migr_delay_us; /* credit1: kept and reported only */
	struct sched_cpu cpu[SCHED_MAX_CPUS];
};

/* What a CPU runs next, until when, and which other CPU should look again. */
struct sched_decision {
	struct sched_unit *next; /* NULL: idle */
	uint64_t until;		 /* absolute time to call sched_schedule again; 0 = none */
	int tickle;		 /* a CPU to reschedule (it is idle and work waits), or -1 */
};

/*
 * An algorithm. Each hook sees a consistent pool; the core has already done
 * the state change it names (queues, states) and validated its arguments.
 */
struct sched_ops {
	const char *name;
	/* A unit joins the pool: give it its starting credit. */
	void (*unit_insert)(struct sched_pool *p, struct sched_unit *u, uint64_t now);
	/* u woke: the CPU to queue it on. */
	unsigned int (*pick_cpu)(struct sched_pool *p, struct sched_unit *u, uint64_t now);
	/* u was queued on cpu: must cpu preempt what it runs? */
	bool (*wake_preempts)(struct sched_pool *p, struct sched_unit *u, unsigned int cpu,
			      uint64_t now);
	/* cpu reschedules: charge its current unit, choose the next. */
	struct sched_decision (*schedule)(struct sched_pool *p, unsigned int cpu, uint64_t now);
	/* A domain's weight or cap changed (already range-checked). */
	void (*dom_adjust)(struct sched_pool *p, struct sched_dom *d, uint64_t now);
};

extern const struct sched_ops sched_credit2_ops;
extern const struct sched_ops sched_credit1_ops; /* XEN_SCHEDULER_CREDIT (common/sched/credit1.c) */

/* Sets up an empty pool with no CPUs. */
void sched_pool_init(struct sched_pool *p, unsigned int id, const struct sched_ops *ops);
/* Adds a CPU (< SCHED_MAX_CPUS, not yet in p): 0, -EINVAL, -EEXIST. */
int sched_pool_add_cpu(struct sched_pool *p, unsigned int cpu);
/*
 * Removes a CPU; its waiting units move to CPUs of the pool their hard
 * affinity allows (a unit it was the last such CPU for gets every CPU, as
 * Xen's "breaking affinity"). A CPU that runs a unit is left "leaving"
 * (sched_cpu_leaving) until its next sched_schedule, which requeues that
 * unit elsewhere and returns no unit. -EINVAL (not in p), -EBUSY (the last
 * CPU while units remain).
 */
int sched_pool_remove_cpu(struct sched_pool *p, unsigned int cpu);
/* Whether cpu was removed from p and still runs one of its units. */
bool sched_cpu_leaving(const struct sched_pool *p, unsigned int cpu);

/* A domain joins p with the default weight and no cap. */
void sched_dom_init(struct sched_pool *p, struct sched_dom *d);
/* A domain whose units were all removed leaves its pool. */
void sched_dom_destroy(struct sched_dom *d);
/*
 * Sets weight and cap as XEN_DOMCTL_SCHEDOP_putinfo does for credit2: a
 * weight of 0 leaves it unchanged, 1..65535 sets it; cap is a percentage of
 * one CPU, at most 100 per unit of the domain, 0 removing the cap.
 * 0 or -EINVAL: a weight above SCHED_MAX_WEIGHT changes nothing; a cap too
 * high keeps the cap, but the weight is set (as Xen's credit2 does).
 */
int sched_dom_adjust(struct sched_dom *d, unsigned int weight, unsigned int cap, uint64_t now);

/*
 * Sets weight and cap as XEN_DOMCTL_SCHEDOP_putinfo does for credit1: a
 * weight of 0 leaves it, a cap of 0xffff leaves it; no range check (Xen's
 * csched_dom_cntl has none: a cap above 100 per unit merely never binds).
 */
void sched_dom_adjust_credit1(struct sched_dom *d, unsigned int weight, unsigned int cap,
			      uint64_t now);

/*
 * Moves domain d, every unit blocked and off its CPU, into pool to (which
 * has a CPU); the units keep their accounting, their affinities become all
 * CPUs (Xen's sched_move_domain). 0 or -EBUSY (nothing changed).
 */
int sched_dom_move(struct sched_dom *d, struct sched_pool *to, uint64_t now);

/* Adds u (blocked) for domain d; the pool must have a CPU: 0 or -EBUSY. */
int sched_unit_add(struct sched_dom *d, struct sched_unit *u, void *owner, uint64_t now);
/* Removes a blocked unit: 0 or -EBUSY (it is queued or running). */
int sched_unit_remove(struct sched_unit *u);

/*
 * u becomes runnable. Returns the CPU the caller must reschedule (it was
 * idle, or u preempts what it runs), or -1. Waking a runnable unit is a no-op.
 */
int sched_wake(struct sched_unit *u, uint64_t now);
/* u blocks. Returns its CPU if it was running there (reschedule it), else -1. */
int sched_sleep(struct sched_unit *u, uint64_t now);
/* u (running) asks to let others run first; the caller then reschedules u->cpu. */
void sched_unit_yield(struct sched_unit *u);
/*
 * Sets u's hard and soft affinity (CPU bitmaps). -EINVAL when hard has no
 * CPU of the pool (nothing changed). Returns the CPU the caller must
 * reschedule (u runs or waits where it may no longer, or it was requeued
 * onto an idle CPU), or -1.
 */
int sched_unit_set_affinity(struct sched_unit *u, uint64_t hard, uint64_t soft, uint64_t now);
/* Whether u may run on cpu: in its pool and in its hard affinity. */
bool sched_unit_may_run(const struct sched_pool *p, const struct sched_unit *u, unsigned int cpu);
/* cpu (in the pool, or leaving it) decides what runs next. */
struct sched_decision sched_schedule(struct sched_pool *p, unsigned int cpu, uint64_t now);

/* Run-queue helpers for algorithms. */
void sched_runq_insert(struct sched_pool *p, struct sched_unit *u, unsigned int cpu);
void sched_runq_remove(struct sched_pool *p, struct sched_unit *u);
bool sched_cpu_in_pool(const struct sched_pool *p, unsigned int cpu);
/* An idle CPU of the pool in @mask other than @not_cpu, or -1. */
int sched_idle_cpu(const struct sched_pool *p, uint64_t mask, unsigned int not_cpu);

#endif
