// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scheduler's glue (lamina/schedule.h; Xen's common/sched/core.c):
 * vCPUs as units of the algorithm in common/sched/, the per-CPU decision
 * (what runs, until when), the switch on the way out of the hypervisor,
 * the idle loop, and the reaping of boot-time domUs that ended.
 *
 *   sched_pools[] (cpupools, each a sched_pool with its own lock and run queues)
 *     --cpu[c]--> runq of units --owner--> struct vcpu
 *   sched_cpus[c]: pool (NULL: a free CPU), need (choose again), until (the
 *     decision's end)
 *   domain->sched.pool: the pool its units are in
 *
 * A vCPU is switched only at two points: sched_exit_to_guest(), which the
 * trap path calls just before it leaves to a guest (the frame of the vCPU
 * that entered is complete, return value included), and the idle loop.
 *
 * SMP (lamina_smp=on, the default): every online CPU joins pool 0 once dom0 is built
 * (sched_ap_start) and runs this same loop; the algorithm spreads a
 * domain's vCPUs, balances and preempts per CPU. Cpupools
 * (XEN_SYSCTL_cpupool_op, common/cpupool.c): a CPU is in one pool or free; a free CPU
 * idles. Locking (see lamina/schedule.h): each pool's lock around the
 * algorithm and each switch of its CPUs, so a vCPU chosen by one CPU was
 * fully saved by the one it left; a domain's pool pointer and a CPU's pool
 * change only under the pool locks involved (so sched_lock_dom / lock_cpu look,
 * lock, and look again), and every cpupool operation under sched_cpupool_lock
 * first. sched_cpus[c].need is set by any CPU (sched_raise, then an IPI)
 * and cleared by c. A vCPU
 * that moves takes its timers along (timer_vcpu_migrate); its TLB needs no
 * flush there: every CR3 load drops the old translations (CR4.PGE is off),
 * and the CPUs it left stay in its domain's dirty mask (flush.c).
 */
#include <asm/cpu_index.h>
#include <lamina/arch.h>
#include <lamina/boot.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/runstate.h>
#include <lamina/event.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/sched_pools.h>
#include <lamina/schedule.h>
#include <lamina/scheduler.h>
#include <lamina/spinlock.h>
#include <lamina/timer.h>
#include <xen/errno.h>

struct lpool sched_pools[SCHED_MAX_POOLS];
spinlock_t sched_cpupool_lock;
struct cpu_sched sched_cpus[SCHED_NR_CPUS];
static volatile bool aps_may_join; /* sched_start ran: APs may join pool 0 */

struct lpool *sched_lock_dom(const struct domain *d)
{
	for (;;) {
		struct sched_pool *p = __atomic_load_n(&d->sched.pool, __ATOMIC_ACQUIRE);

		spin_lock(&sched_lpool(p)->lock);
		if (__atomic_load_n(&d->sched.pool, __ATOMIC_ACQUIRE) == p)
			return sched_lpool(p);
		spin_unlock(&sched_lpool(p)->lock);
	}
}

void sched_cpu_left(unsigned int cpu)
{
	__atomic_store_n(&sched_cpus[cpu].pool, NULL, __ATOMIC_RELEASE);
	__atomic_add_fetch(&sched_cpus[cpu].left, 1, __ATOMIC_SEQ_CST);
}

/* Locks cpu's pool and returns it, or NULL (no lock held) for a free CPU. */
static struct lpool *lock_cpu(unsigned int cpu)
{
	for (;;) {
		struct lpool *lp = __atomic_load_n(&sched_cpus[cpu].pool, __ATOMIC_ACQUIRE);

		if (!lp)
			return NULL;
		spin_lock(&lp->lock);
		if (__atomic_load_n(&sched_cpus[cpu].pool, __ATOMIC_ACQUIRE) == lp)
			return lp;
		spin_unlock(&lp->lock);
	}
}

void sched_boot_init(void)
{
	unsigned int cpu = arch_cpu_id();

	sched_pool_init(&sched_pools[0].sp, 0, &sched_credit2_ops);
	sched_pools[0].used = true;
	if (cpu >= SCHED_NR_CPUS || sched_pool_add_cpu(&sched_pools[0].sp, cpu))
		panic("scheduler: cannot add the boot CPU to cpupool 0");
	sched_cpus[cpu].pool = &sched_pools[0];
	sched_cpus[cpu].active = true;
}

bool sched_smp_enabled(void)
{
	return boot_opts.smp;
}

/* Xen's dom0_max_vcpus(): one per CPU the scheduler will have, within the option's bounds. */
unsigned int sched_dom0_max_vcpus(void)
{
	unsigned int n = sched_smp_enabled() ? arch_nr_cpus() : 1;

	if (boot_opts.dom0_vcpus_max) {
		n = MAX(n, boot_opts.dom0_vcpus_min);
		n = MIN(n, boot_opts.dom0_vcpus_max);
	}
	return MAX(MIN(n, (unsigned int)DOMAIN_MAX_VCPUS), 1U);
}

static void quiescent(unsigned int cpu)
{
	__atomic_add_fetch(&sched_cpus[cpu].qs, 1, __ATOMIC_SEQ_CST);
}

void sched_quiescent(void)
{
	if (arch_cpu_id() < SCHED_NR_CPUS)
		quiescent(arch_cpu_id());
}

void sched_grace_start(struct sched_grace *g)
{
	unsigned int self = arch_cpu_id();

	g->nudged = false;
	for (unsigned int c = 0; c < SCHED_NR_CPUS; c++)
		g->snap[c] = c == self || !__atomic_load_n(&sched_cpus[c].active, __ATOMIC_SEQ_CST)
				     ? 0
				     : __atomic_load_n(&sched_cpus[c].qs, __ATOMIC_SEQ_CST) + 1;
}

bool sched_grace_elapsed(struct sched_grace *g)
{
	bool done = true;

	for (unsigned int c = 0; c < SCHED_NR_CPUS; c++) {
		if (!g->snap[c] ||
		    __atomic_load_n(&sched_cpus[c].qs, __ATOMIC_SEQ_CST) >= g->snap[c])
			continue;
		if (!g->nudged)
			arch_timer_kick(c);
		done = false;
	}
	g->nudged = true;
	return done;
}

int sched_domain_init(struct domain *d)
{
	uint64_t now = arch_now_ns();
	unsigned int i;
	int rc = 0;

	spin_lock(&sched_pools[0].lock);
	sched_dom_init(&sched_pools[0].sp, &d->sched);
	for (i = 0; i < d->max_vcpus && !rc; i++) {
		d->vcpu[i]->pause_flags = SCHED_VPF_DOWN;
		rc = sched_unit_add(&d->sched, &d->vcpu[i]->sched, d->vcpu[i], now);
	}
	if (rc) {
		while (--i > 0)
			sched_unit_remove(&d->vcpu[i - 1]->sched);
		sched_dom_destroy(&d->sched);
	}
	spin_unlock(&sched_pools[0].lock);
	return rc;
}

void sched_domain_teardown(struct domain *d)
{
	struct lpool *lp;

	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpu[i];

		__atomic_or_fetch(&v->pause_flags, SCHED_VPF_DOWN, __ATOMIC_SEQ_CST);
		sched_vcpu_sleep(v);
		sched_vcpu_sleep_sync(v);
		/* Destroyed only once off every CPU (domain_destroy's contract). */
		lp = sched_lock_dom(d);
		if (sched_unit_remove(&v->sched))
			panic("scheduler: dom%u vCPU %u destroyed while it runs", d->id, i);
		spin_unlock(&lp->lock);
	}
	lp = sched_lock_dom(d);
	sched_dom_destroy(&d->sched);
	spin_unlock(&lp->lock);
}

bool sched_vcpu_runnable(const struct vcpu *v)
{
	const struct domain *d = v->domain;

	return __atomic_load_n(&d->state, __ATOMIC_SEQ_CST) == DOMAIN_ALIVE &&
	       __atomic_load_n(&d->pause_count, __ATOMIC_SEQ_CST) <= 0 &&
	       __atomic_load_n(&v->pause_count, __ATOMIC_SEQ_CST) <= 0 &&
	       !__atomic_load_n(&v->pause_flags, __ATOMIC_SEQ_CST);
}

void sched_raise(unsigned int cpu)
{
	if (cpu >= SCHED_NR_CPUS)
		return;
	__atomic_store_n(&sched_cpus[cpu].need, true, __ATOMIC_SEQ_CST);
	/* Another CPU hears of it now: the IPI's exit path reschedules (or its idle loop). */
	if (cpu != arch_cpu_id() && sched_cpus[cpu].active)
		arch_timer_kick(cpu);
}

/* Both decide under the pool lock, on flags the caller changed before: the last one wins. */
void sched_vcpu_wake(struct vcpu *v)
{
	struct lpool *lp = sched_lock_dom(v->domain);
	int cpu = -1;

	if (sched_vcpu_runnable(v))
		cpu = sched_wake(&v->sched, arch_now_ns());
	spin_unlock(&lp->lock);
	if (cpu >= 0)
		sched_raise((unsigned int)cpu);
}

void sched_vcpu_sleep(struct vcpu *v)
{
	struct lpool *lp = sched_lock_dom(v->domain);
	int cpu = -1;

	if (!sched_vcpu_runnable(v))
		cpu = sched_sleep(&v->sched, arch_now_ns());
	spin_unlock(&lp->lock);
	if (cpu >= 0)
		sched_raise((unsigned int)cpu);
}

/* Whether v is on a CPU (its state there, not saved yet); its pool's lock held. */
static bool on_cpu(const struct vcpu *v)
{
	const struct sched_pool *p = v->domain->sched.pool;

	return v->sched.cpu < SCHED_MAX_CPUS && p->cpu[v->sched.cpu].curr == &v->sched;
}

void sched_vcpu_sleep_sync(struct vcpu *v)
{
	if (!v || v == current_vcpu())
		return;
	spin_assert_none_held("while waiting for a vCPU to leave its CPU");
	for (;;) {
		struct lpool *lp = sched_lock_dom(v->domain);
		bool on;

		on = on_cpu(v) && !sched_vcpu_runnable(v);
		spin_unlock(&lp->lock);
		if (!on)
			return;
		arch_lock_relax(); /* its CPU may wait for a flush of ours meanwhile */
	}
}

void sched_vcpu_up(struct vcpu *v)
{
	__atomic_and_fetch(&v->pause_flags, ~SCHED_VPF_DOWN, __ATOMIC_SEQ_CST);
	sched_vcpu_wake(v);
}

void sched_vcpu_down(struct vcpu *v)
{
	__atomic_or_fetch(&v->pause_flags, SCHED_VPF_DOWN, __ATOMIC_SEQ_CST);
	sched_vcpu_sleep(v);
}

/* Ends a block or a poll: the vCPU runs again (its hypercall returned 0). */
static void unblock(struct vcpu *v)
{
	if (!(__atomic_fetch_and(&v->pause_flags, ~SCHED_VPF_BLOCKED, __ATOMIC_SEQ_CST) &
	      SCHED_VPF_BLOCKED))
		return;
	v->polling = false;
	v->poll_deadline = 0;
	sched_vcpu_wake(v);
}

void sched_vcpu_block(struct vcpu *v)
{
	__atomic_or_fetch(&v->pause_flags, SCHED_VPF_BLOCKED, __ATOMIC_SEQ_CST);
	/*
	 * An event that arrived before the flag was set must not be slept
	 * through (the sender sets the pending flag, then clears ours).
	 */
	if (__atomic_load_n(&v->vcpu_info->evtchn_upcall_pending, __ATOMIC_SEQ_CST)) {
		__atomic_and_fetch(&v->pause_flags, ~SCHED_VPF_BLOCKED, __ATOMIC_SEQ_CST);
		return;
	}
	sched_vcpu_sleep(v);
}

/*
 * Blocked first, then polling: a raise that sees polling also sees the
 * block it must end (sched_evtchn_poll_notify, then unblock).
 */
void sched_vcpu_poll_begin(struct vcpu *v, int port, uint64_t deadline)
{
	v->poll_port = port;
	v->poll_deadline = deadline;
	__atomic_or_fetch(&v->pause_flags, SCHED_VPF_BLOCKED, __ATOMIC_SEQ_CST);
	__atomic_store_n(&v->polling, true, __ATOMIC_SEQ_CST);
}

void sched_vcpu_poll_end(struct vcpu *v, bool ready)
{
	if (!ready) {
		sched_vcpu_sleep(v);
		return;
	}
	__atomic_store_n(&v->polling, false, __ATOMIC_SEQ_CST);
	__atomic_and_fetch(&v->pause_flags, ~SCHED_VPF_BLOCKED, __ATOMIC_SEQ_CST);
	v->poll_deadline = 0;
}

void sched_vcpu_poll(struct vcpu *v, int port, uint64_t deadline)
{
	sched_vcpu_poll_begin(v, port, deadline);
	sched_vcpu_poll_end(v, false);
}

void sched_vcpu_yield(struct vcpu *v)
{
	struct lpool *lp = sched_lock_dom(v->domain);
	unsigned int cpu;

	sched_unit_yield(&v->sched);
	cpu = v->sched.cpu;
	spin_unlock(&lp->lock);
	sched_raise(cpu);
}

/*
 * As Xen's vcpu_kick: a blocked or polling v wakes (its poll returns 0); a
 * v running on another CPU gets an IPI, so it takes the upcall now rather
 * than at its next entry.
 */
void sched_evtchn_kick(struct vcpu *v)
{
	unsigned int cpu = __atomic_load_n(&v->sched.cpu, __ATOMIC_RELAXED);
	struct sched_pool *p = __atomic_load_n(&v->domain->sched.pool, __ATOMIC_RELAXED);

	unblock(v);
	if (cpu < SCHED_NR_CPUS && cpu != arch_cpu_index() && sched_cpus[cpu].active &&
	    __atomic_load_n(&p->cpu[cpu].curr, __ATOMIC_RELAXED) == &v->sched)
		arch_timer_kick(cpu);
}

void sched_evtchn_poll_notify(struct domain *d, unsigned int port)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpu[i];

		if (v && v->polling && (v->poll_port < 0 || (unsigned int)v->poll_port == port))
			unblock(v);
	}
}

int sched_set_params(struct domain *d, unsigned int weight, unsigned int cap)
{
	struct lpool *lp = sched_lock_dom(d);
	int rc;

	rc = sched_dom_adjust(&d->sched, weight, cap, arch_now_ns());
	spin_unlock(&lp->lock);
	return rc;
}

void sched_get_params(const struct domain *d, unsigned int *weight, unsigned int *cap)
{
	*weight = d->sched.weight;
	*cap = d->sched.cap;
}

uint64_t sched_vcpu_runtime(const struct vcpu *v)
{
	return v->sched.runtime;
}

/* Poll timeouts (the tick's resolution; every CPU's tick looks at every domain). */
static void poll_timeouts(uint64_t now)
{
	for (struct domain *d = domain_next(NULL); d; d = domain_next(d))
		for (unsigned int i = 0; i < d->max_vcpus; i++) {
			struct vcpu *v = d->vcpu[i];

			if (v->polling && v->poll_deadline && now >= v->poll_deadline)
				unblock(v);
		}
}

void sched_tick(void)
{
	unsigned int cpu = arch_cpu_id();
	uint64_t now;

	now = arch_now_ns();
	poll_timeouts(now);
	if (cpu < SCHED_NR_CPUS && sched_cpus[cpu].until && now >= sched_cpus[cpu].until)
		__atomic_store_n(&sched_cpus[cpu].need, true, __ATOMIC_SEQ_CST);
}

/* Whether one of d's vCPUs is on a CPU (pool lock taken here). */
static bool domain_on_cpu(const struct domain *d)
{
	struct lpool *lp = sched_lock_dom(d);
	bool on = false;

	for (unsigned int i = 0; i < d->max_vcpus; i++)
		on |= on_cpu(d->vcpu[i]);
	spin_unlock(&lp->lock);
	return on;
}

static bool reaping;	 /* one CPU reaps at a time */
static bool reap_wanted; /* a pass left work: the next exit or idle pass reaps */

/*
 * One step of a boot-time domU's kill; whether it must be called again.
 * (Its "destroyed" line comes when its structure is freed: domain_put.)
 */
static bool kill_step(struct domain *d)
{
	if (__atomic_load_n(&d->state, __ATOMIC_SEQ_CST) == DOMAIN_SHUTDOWN)
		printk(LOG_DEBUG, "dom%u: vCPU 0 ran %lu ms", d->id,
		       sched_vcpu_runtime(d->vcpu[0]) / 1000000);
	return domain_kill(d) == -HYPERCALL_ERESTART;
}

/*
 * Boot-time domUs that shut down are killed here, once none of their vCPUs
 * is on a CPU (no toolstack does it yet), in steps (domain_kill's
 * preemption points and grace period), and what they leave in the
 * allocator is compared with what it had before they were built. No lock
 * is held; one CPU reaps at a time. Whether work is left for a later pass.
 */
bool sched_reap(void)
{
	struct domain *d, *n;
	bool left = false;

	if (__atomic_exchange_n(&reaping, true, __ATOMIC_SEQ_CST))
		return true;
	for (d = domain_next(NULL); d; d = n) {
		n = domain_next(d);
		if (__atomic_load_n(&d->state, __ATOMIC_SEQ_CST) != DOMAIN_SHUTDOWN ||
		    !d->destroy_on_shutdown)
			continue;
		left |= domain_on_cpu(d) || kill_step(d);
	}
	for (d = domain_next_dying(NULL); d; d = n) {
		n = domain_next_dying(d);
		if (d->destroy_on_shutdown)
			left |= kill_step(d);
	}
	left |= domain_free_dead();
	__atomic_store_n(&reap_wanted, left, __ATOMIC_SEQ_CST);
	__atomic_store_n(&reaping, false, __ATOMIC_SEQ_CST);
	return left;
}

static void reap_domains(void)
{
	sched_reap();
}

static void reap_if_wanted(void)
{
	if (__atomic_load_n(&reap_wanted, __ATOMIC_RELAXED))
		sched_reap();
}

void sched_finish_reaps(uint64_t timeout_ns)
{
	uint64_t end = arch_now_ns() + timeout_ns;
	unsigned int me = arch_cpu_id();

	/* Not from inside a locked path (a crash there): a kill takes locks. */
	if (me < SPIN_MAX_CPUS && spin_nr_held[me])
		return;
	while (arch_now_ns() < end) {
		sched_quiescent(); /* the ending domain's CPU holds no other domain */
		if (!sched_reap() && !domain_kills_under_way())
			return;
		arch_lock_relax();
	}
}

/*
 * prev -> next on this CPU, as Xen's schedule(): prev's runstate (blocked,
 * runnable or offline) and its periodic timer stopped while its tables are
 * still loaded, then the switch: all under the pool lock, so no other CPU
 * takes prev before its state is saved.
 */
static void switch_vcpus(struct vcpu *prev, struct vcpu *next, uint64_t now)
{
	if (prev) {
		int st = (prev->pause_flags & SCHED_VPF_BLOCKED) ? RUNSTATE_blocked
			 : sched_vcpu_runnable(prev)		 ? RUNSTATE_runnable
								 : RUNSTATE_offline;

		runstate_change(prev, st, now);
		timer_vcpu_descheduled(prev);
	}
	arch_context_switch(prev, next);
}

/*
 * After the switch, without the pool lock (next is this CPU's, no other
 * takes it; its periodic timer may raise VIRQ_TIMER, which wakes vCPUs):
 * next's timers brought to this CPU, its runstate, vcpu_time_info, periodic timer.
 */
static void switched_in(struct vcpu *next, unsigned int cpu, uint64_t now)
{
	if (!(next->sched.ran_on & (1ULL << cpu))) {
		next->sched.ran_on |= 1ULL << cpu;
		printk(LOG_DEBUG, "dom%u vCPU %u runs on CPU%u", next->domain->id, next->id, cpu);
	}
	timer_vcpu_migrate(next, cpu);
	runstate_change(next, RUNSTATE_running, now);
	arch_vcpu_time_update(next);
	timer_vcpu_scheduled(next);
}

/*
 * Chooses what this CPU runs next and switches to it (NULL: idle). A CPU
 * removed from its pool while it ran a vCPU hands it on here and is free.
 */
static void schedule(void)
{
	unsigned int cpu = arch_cpu_id();
	struct vcpu *prev = current_vcpu(), *next;
	struct sched_decision dec = { .next = NULL, .until = 0, .tickle = -1 };
	struct lpool *lp;
	uint64_t now;

	spin_assert_none_held("entering the scheduler");
	__atomic_store_n(&sched_cpus[cpu].need, false, __ATOMIC_SEQ_CST);
	lp = lock_cpu(cpu);
	if (!lp) {
		sched_cpus[cpu].until = 0; /* free: it idles (it ran nothing since it left) */
		return;
	}
	now = arch_now_ns();
	dec = sched_schedule(&lp->sp, cpu, now);
	sched_cpus[cpu].until = dec.until;
	next = dec.next ? dec.next->owner : NULL;
	if (next != prev)
		switch_vcpus(prev, next, now);
	if (!sched_cpu_in_pool(&lp->sp, cpu) && !sched_cpu_leaving(&lp->sp, cpu))
		sched_cpu_left(cpu);
	spin_unlock(&lp->lock);
	if (next && next != prev)
		switched_in(next, cpu, now);
	if (dec.tickle >= 0)
		sched_raise((unsigned int)dec.tickle);
	reap_domains();
}

static void __attribute__((noreturn)) idle_loop(void)
{
	unsigned int cpu = arch_cpu_id();

	for (;;) {
		quiescent(cpu);
		if (__atomic_load_n(&sched_cpus[cpu].need, __ATOMIC_SEQ_CST)) {
			schedule();
			if (current_vcpu())
				arch_vcpu_enter(current_vcpu());
			continue;
		}
		reap_if_wanted();
		spin_assert_none_held("idling");
		arch_idle_wait();
	}
}

void sched_leave_dead_vcpu(void)
{
	sched_raise(arch_cpu_id());
	schedule();
	if (current_vcpu())
		arch_vcpu_enter(current_vcpu());
	idle_loop();
}

void sched_exit_to_guest(void)
{
	unsigned int cpu = arch_cpu_index(); /* arch_cpu_id() inline: every exit runs this */

	if (cpu >= SCHED_NR_CPUS)
		return;
	quiescent(cpu);
	reap_if_wanted(); /* no lock held here: kills left by an earlier pass go on */
	if (!__atomic_load_n(&sched_cpus[cpu].need, __ATOMIC_SEQ_CST))
		return;
	schedule();
	if (!current_vcpu())
		idle_loop();
}

void sched_ap_start(void)
{
	unsigned int cpu = arch_cpu_id();

	while (!__atomic_load_n(&aps_may_join, __ATOMIC_ACQUIRE))
		arch_idle_wait(); /* flush IPIs get through meanwhile */
	spin_lock(&sched_cpupool_lock);
	spin_lock(&sched_pools[0].lock);
	if (cpu >= SCHED_NR_CPUS || sched_pool_add_cpu(&sched_pools[0].sp, cpu))
		panic("scheduler: CPU%u cannot join cpupool 0", cpu);
	__atomic_store_n(&sched_cpus[cpu].pool, &sched_pools[0], __ATOMIC_RELEASE);
	__atomic_store_n(&sched_cpus[cpu].active, true, __ATOMIC_SEQ_CST);
	spin_unlock(&sched_pools[0].lock);
	spin_unlock(&sched_cpupool_lock);
	printk(LOG_DEBUG, "scheduler: CPU%u joins cpupool 0", cpu);
	sched_raise(cpu);
	idle_loop();
}

void sched_start(void)
{
	unsigned int n = arch_nr_cpus();

	sched_raise(arch_cpu_id());
	printk(LOG_INFO, "scheduler: %s on cpupool 0 (%s), %u domain%s",
	       sched_pools[0].sp.ops->name, sched_smp_enabled() && n > 1 ? "every CPU" : "boot CPU",
	       domain_count(), domain_count() == 1 ? "" : "s");
	if (sched_smp_enabled()) {
		__atomic_store_n(&aps_may_join, true, __ATOMIC_RELEASE);
		for (unsigned int c = 0; c < SCHED_NR_CPUS; c++)
			if (c != arch_cpu_id())
				arch_timer_kick(c); /* the waiting APs look again */
	}
	idle_loop();
}
