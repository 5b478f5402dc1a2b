// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cpupools and vCPU affinity: XEN_SYSCTL_cpupool_op's actions (after Xen's
 * common/sched/cpupool.c; sysctl_cpupool.c decodes the request) and
 * XEN_DOMCTL_setvcpuaffinity's (domctl_sched.c decodes), over the
 * scheduler glue's pools (lamina/sched_pools.h, common/schedule.c).
 * Every cpupool operation runs under sched_cpupool_lock, which orders
 * them; the pools' locks are taken inside it, two at once in slot order.
 */
#include <lamina/arch.h>
#include <lamina/domain.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/sched_pools.h>
#include <lamina/schedule.h>
#include <lamina/scheduler.h>
#include <lamina/spinlock.h>
#include <xen/errno.h>

/* The pool with id, or with the lowest id >= id unless exact; sched_cpupool_lock held. */
static struct lpool *find_pool(uint32_t id, bool exact)
{
	struct lpool *best = NULL;

	for (unsigned int i = 0; i < SCHED_MAX_POOLS; i++) {
		struct lpool *lp = &sched_pools[i];

		if (!lp->used || lp->sp.id < id || (exact && lp->sp.id != id))
			continue;
		if (!best || lp->sp.id < best->sp.id)
			best = lp;
	}
	return best;
}

static void lock_two(struct lpool *a, struct lpool *b)
{
	if (a == b) {
		spin_lock(&a->lock);
		return;
	}
	spin_lock(&(a < b ? a : b)->lock);
	spin_lock(&(a < b ? b : a)->lock);
}

static void unlock_two(struct lpool *a, struct lpool *b)
{
	spin_unlock(&a->lock);
	if (a != b)
		spin_unlock(&b->lock);
}

/*
 * The CPU on its way out of a pool (Xen's cpupool_moving_cpu): RMCPU took it
 * out, it hands on the vCPU it runs at its next reschedule, and until then
 * the caller's RMCPU is continued (HYPERCALL_ERESTART: the guest executes it
 * again after its exit path, where it may be switched). Xen's caller waits
 * likewise, in continue_hypercall_on_cpu, with its vCPU off its CPU; Lamina's
 * caller does not spin in the hypervisor. Under sched_cpupool_lock.
 */
static struct {
	int cpu;	    /* -1: none */
	struct lpool *from; /* the pool it leaves */
	uint64_t left;	    /* sched_cpus[cpu].left when it was taken out */
	domid_t dom;	    /* the caller that waits for it */
	unsigned int vcpu;
} moving = { .cpu = -1 };

static bool moving_waiter(const struct vcpu *v)
{
	return moving.cpu >= 0 && v && moving.dom == v->domain->id && moving.vcpu == v->id;
}

/* A record whose caller is gone (its domain destroyed while it waited) is dropped. */
static void moving_drop_stale(void)
{
	if (moving.cpu >= 0 && !domain_find(moving.dom))
		moving.cpu = -1;
}

int sched_cpupool_usable(uint32_t id)
{
	struct lpool *lp;
	int rc = 0;

	spin_lock(&sched_cpupool_lock);
	lp = find_pool(id, true);
	if (!lp)
		rc = -XEN_ESRCH;
	else if (!lp->sp.cpus)
		rc = -XEN_ENODEV;
	spin_unlock(&sched_cpupool_lock);
	return rc;
}

bool sched_cpupool_exists(uint32_t id)
{
	return sched_cpupool_usable(id) != -XEN_ESRCH;
}

int sched_cpupool_create(uint32_t id, const struct sched_ops *ops, uint32_t *out)
{
	unsigned int n = 0, free = SCHED_MAX_POOLS;
	uint32_t last = 0;
	int rc = 0;

	spin_lock(&sched_cpupool_lock);
	for (unsigned int i = 0; i < SCHED_MAX_POOLS; i++) {
		if (!sched_pools[i].used) {
			free = MIN(free, i);
			continue;
		}
		n++;
		last = MAX(last, sched_pools[i].sp.id);
	}
	if (n >= MIN(2 * arch_nr_cpus(), (unsigned int)SCHED_MAX_POOLS) || free == SCHED_MAX_POOLS)
		rc = -XEN_ENOSPC; /* Xen's limit: twice the CPUs */
	else if (id == SCHED_POOL_ANY && last == SCHED_POOL_ANY - 1)
		rc = -XEN_ENOSPC;
	else if (id != SCHED_POOL_ANY && find_pool(id, true))
		rc = -XEN_EEXIST;
	else if (!ops)
		rc = -XEN_ENOENT; /* a scheduler Lamina does not have */
	if (!rc) {
		*out = id == SCHED_POOL_ANY ? last + 1 : id;
		spin_lock(&sched_pools[free].lock);
		sched_pool_init(&sched_pools[free].sp, *out, ops);
		sched_pools[free].used = true;
		spin_unlock(&sched_pools[free].lock);
	}
	spin_unlock(&sched_cpupool_lock);
	return rc;
}

int sched_cpupool_destroy(uint32_t id)
{
	struct lpool *lp;
	int rc = 0;

	spin_lock(&sched_cpupool_lock);
	lp = find_pool(id, true);
	if (!lp)
		rc = -XEN_ENOENT;
	else if (lp->sp.nr_doms || lp->sp.cpus || lp->sp.leaving)
		rc = -XEN_EBUSY; /* a CPU still leaving it too (Lamina's: Xen keeps a reference) */
	else
		lp->used = false;
	spin_unlock(&sched_cpupool_lock);
	return rc;
}

int sched_cpupool_info(uint32_t *id, const struct sched_ops **ops, uint32_t *n_dom, uint64_t *cpus)
{
	struct lpool *lp;
	int rc = -XEN_ENOENT;

	spin_lock(&sched_cpupool_lock);
	lp = find_pool(*id, false);
	if (lp) {
		spin_lock(&lp->lock);
		*id = lp->sp.id;
		*ops = lp->sp.ops;
		*n_dom = lp->sp.nr_doms;
		*cpus = lp->sp.cpus;
		spin_unlock(&lp->lock);
		rc = 0;
	}
	spin_unlock(&sched_cpupool_lock);
	return rc;
}

/* The CPUs that run the scheduler in no pool; sched_cpupool_lock held. */
static uint64_t free_cpus(void)
{
	uint64_t m = 0;

	for (unsigned int c = 0; c < SCHED_NR_CPUS; c++)
		if (__atomic_load_n(&sched_cpus[c].active, __ATOMIC_SEQ_CST) &&
		    !__atomic_load_n(&sched_cpus[c].pool, __ATOMIC_ACQUIRE))
			m |= 1ULL << c;
	return m;
}

uint64_t sched_cpupool_free_cpus(void)
{
	uint64_t m;

	spin_lock(&sched_cpupool_lock);
	m = free_cpus();
	spin_unlock(&sched_cpupool_lock);
	return m;
}

int sched_cpupool_add_cpu(uint32_t id, uint32_t cpu)
{
	struct lpool *lp;
	uint64_t avail;
	int rc = 0;

	spin_lock(&sched_cpupool_lock);
	lp = find_pool(id, true);
	avail = free_cpus();
	if (!lp) {
		rc = -XEN_ENOENT;
		goto out;
	}
	if (cpu == SCHED_POOL_ANY) {
		if (!avail) {
			rc = -XEN_ENODEV;
			goto out;
		}
		cpu = (uint32_t)__builtin_ctzll(avail);
	}
	if (cpu >= arch_nr_cpus() || cpu >= SCHED_NR_CPUS)
		rc = -XEN_EINVAL;
	else if (!((avail >> cpu) & 1))
		rc = -XEN_ENODEV; /* not running the scheduler, or in a pool */
	else if (moving.cpu == (int)cpu && moving.from != lp)
		rc = -XEN_EADDRNOTAVAIL; /* its RMCPU has not returned yet (Xen's) */
	if (rc)
		goto out;
	spin_lock(&lp->lock);
	rc = sched_pool_add_cpu(&lp->sp, cpu);
	if (!rc)
		__atomic_store_n(&sched_cpus[cpu].pool, lp, __ATOMIC_RELEASE);
	spin_unlock(&lp->lock);
	if (!rc)
		sched_raise(cpu); /* it may have work at once */
out:
	spin_unlock(&sched_cpupool_lock);
	return rc;
}

/*
 * Xen's cpupool_unassign_cpu. CPU 0 stays in pool 0; the last CPU of a pool
 * with domains stays. A CPU that runs a vCPU hands it on when it next
 * schedules (this CPU at the end of this hypercall, another at once: an
 * IPI); the call is continued until it has.
 */
int sched_cpupool_rm_cpu(uint32_t id, uint32_t cpu)
{
	struct vcpu *me = current_vcpu();
	struct lpool *lp;
	bool left = true;
	int rc = 0;

	spin_lock(&sched_cpupool_lock);
	if (moving_waiter(me)) { /* this caller's RMCPU, continued */
		if (__atomic_load_n(&sched_cpus[moving.cpu].left, __ATOMIC_SEQ_CST) == moving.left)
			rc = -HYPERCALL_ERESTART;
		else
			moving.cpu = -1;
		spin_unlock(&sched_cpupool_lock);
		return rc;
	}
	moving_drop_stale();
	lp = find_pool(id, true);
	if (!lp) {
		rc = -XEN_ENOENT;
		goto out;
	}
	if (cpu == SCHED_POOL_ANY)
		cpu = lp->sp.cpus ? 63 - (uint32_t)__builtin_clzll(lp->sp.cpus) : SCHED_MAX_CPUS;
	if (cpu >= arch_nr_cpus() || cpu >= SCHED_NR_CPUS || (lp->sp.id == 0 && cpu == 0))
		rc = -XEN_EINVAL;
	else if (!sched_cpu_in_pool(&lp->sp, cpu) || moving.cpu >= 0)
		rc = -XEN_EADDRNOTAVAIL; /* as Xen while another CPU is moving */
	else if (lp->sp.cpus == 1ULL << cpu && lp->sp.nr_doms)
		rc = -XEN_EBUSY;
	if (rc)
		goto out;
	spin_lock(&lp->lock);
	rc = sched_pool_remove_cpu(&lp->sp, cpu);
	if (!rc) {
		left = !sched_cpu_leaving(&lp->sp, cpu);
		if (left)
			sched_cpu_left(cpu); /* it ran nothing */
	}
	spin_unlock(&lp->lock);
	if (!rc && !left && me) {
		moving.cpu = (int)cpu;
		moving.from = lp;
		moving.left = __atomic_load_n(&sched_cpus[cpu].left, __ATOMIC_SEQ_CST);
		moving.dom = me->domain->id;
		moving.vcpu = me->id;
		rc = -HYPERCALL_ERESTART;
	}
out:
	spin_unlock(&sched_cpupool_lock);
	if (!rc || rc == -HYPERCALL_ERESTART)
		sched_raise(cpu);
	return rc;
}

/*
 * Xen's cpupool_move_domain: d is paused (off every CPU), its units move
 * with their accounting, their affinities reset to every CPU, then it runs
 * again in its new pool.
 */
int sched_cpupool_move_domain(struct domain *d, uint32_t id)
{
	struct lpool *from, *to;
	int rc = 0;

	spin_lock(&sched_cpupool_lock);
	to = find_pool(id, true);
	from = sched_lpool(d->sched.pool);
	if (to == from) {
		spin_unlock(&sched_cpupool_lock);
		return 0;
	}
	if (!to || !to->sp.cpus)
		rc = -XEN_ENOENT;
	spin_unlock(&sched_cpupool_lock);
	if (rc)
		return rc;
	domain_pause(d);
	spin_lock(&sched_cpupool_lock);
	to = find_pool(id, true);
	from = sched_lpool(d->sched.pool);
	if (!to || !to->sp.cpus) {
		rc = -XEN_ENOENT;
	} else if (to != from) {
		lock_two(from, to);
		rc = sched_dom_move(&d->sched, &to->sp, arch_now_ns());
		unlock_two(from, to);
	}
	spin_unlock(&sched_cpupool_lock);
	domain_unpause(d);
	return rc;
}

int sched_cpupool_ops(uint32_t id, const struct sched_ops **ops)
{
	struct lpool *lp;

	spin_lock(&sched_cpupool_lock);
	lp = find_pool(id, true);
	if (lp)
		*ops = lp->sp.ops;
	spin_unlock(&sched_cpupool_lock);
	return lp ? 0 : -XEN_ESRCH;
}

int sched_cpupool_credit1_params(uint32_t id, bool put, uint32_t *tslice_ms, uint32_t *ratelimit_us,
				 uint32_t *migr_delay_us)
{
	struct lpool *lp;
	int rc = 0;

	spin_lock(&sched_cpupool_lock);
	lp = find_pool(id, true);
	if (!lp) {
		rc = -XEN_ESRCH;
	} else if (lp->sp.ops != &sched_credit1_ops) {
		rc = -XEN_EINVAL;
	} else {
		spin_lock(&lp->lock);
		if (put) {
			lp->sp.c1_tslice = (uint64_t)*tslice_ms * 1000000ULL;
			lp->sp.c1_ratelimit_us = *ratelimit_us;
			lp->sp.c1_migr_delay_us = *migr_delay_us;
		}
		*tslice_ms = (uint32_t)(lp->sp.c1_tslice / 1000000ULL);
		*ratelimit_us = lp->sp.c1_ratelimit_us;
		*migr_delay_us = lp->sp.c1_migr_delay_us;
		spin_unlock(&lp->lock);
	}
	spin_unlock(&sched_cpupool_lock);
	return rc;
}

const struct sched_ops *sched_domain_ops(const struct domain *d)
{
	return __atomic_load_n(&d->sched.pool, __ATOMIC_ACQUIRE)->ops;
}

void sched_set_params_credit1(struct domain *d, unsigned int weight, unsigned int cap)
{
	struct lpool *lp = sched_lock_dom(d);

	sched_dom_adjust_credit1(&d->sched, weight, cap, arch_now_ns());
	spin_unlock(&lp->lock);
}

uint32_t sched_domain_cpupool(const struct domain *d)
{
	return __atomic_load_n(&d->sched.pool, __ATOMIC_ACQUIRE)->id;
}

/* Affinity (XEN_DOMCTL_setvcpuaffinity / getvcpuaffinity's actions). */
int sched_vcpu_set_affinity(struct vcpu *v, const uint64_t *hard, const uint64_t *soft)
{
	struct lpool *lp = sched_lock_dom(v->domain);
	struct sched_unit *u = &v->sched;
	int cpu = sched_unit_set_affinity(u, hard ? *hard : u->hard, soft ? *soft : u->soft,
					  arch_now_ns());

	spin_unlock(&lp->lock);
	if (cpu < -1)
		return cpu;
	if (cpu >= 0)
		sched_raise((unsigned int)cpu);
	return 0;
}

void sched_vcpu_get_affinity(const struct vcpu *v, uint64_t *hard, uint64_t *soft,
			     uint64_t *pool_cpus)
{
	struct lpool *lp = sched_lock_dom(v->domain);

	*hard = v->sched.hard;
	*soft = v->sched.soft;
	*pool_cpus = lp->sp.cpus;
	spin_unlock(&lp->lock);
}
