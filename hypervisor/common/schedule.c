// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scheduler's glue (lamina/schedule.h; Xen's common/sched/core.c):
 * vCPUs as units of the algorithm in common/sched/, the per-CPU decision
 * (what runs, until when), the switch on the way out of the hypervisor,
 * the idle loop, and the reaping of boot-time domUs that ended.
 *
 *   pool0 (cpupool 0) --cpu[c]--> runq of units --owner--> struct vcpu
 *   cpu_sched[c]: need (choose again), until (the decision's end)
 *
 * A vCPU is switched only at two points: sched_exit_to_guest(), which the
 * trap path calls just before it leaves to a guest (the frame of the vCPU
 * that entered is complete, return value included), and the idle loop.
 * Locking: none (lamina/schedule.h says what SMP needs).
 */
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/runstate.h>
#include <lamina/event.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/schedule.h>
#include <lamina/scheduler.h>
#include <lamina/timer.h>
#include <xen/errno.h>

#define SCHED_NR_CPUS 8

struct cpu_sched {
	bool need;	/* choose again before leaving to a guest */
	uint64_t until; /* the current decision's end (0 = none) */
};

static struct sched_pool pool0;
static struct cpu_sched cpu_sched[SCHED_NR_CPUS];

void sched_boot_init(void)
{
	sched_pool_init(&pool0, 0, &sched_credit2_ops);
	if (sched_pool_add_cpu(&pool0, arch_cpu_id()))
		panic("scheduler: cannot add the boot CPU to cpupool 0");
}

int sched_domain_init(struct domain *d)
{
	uint64_t now = arch_now_ns();
	unsigned int i;
	int rc = 0;

	sched_dom_init(&pool0, &d->sched);
	for (i = 0; i < d->max_vcpus && !rc; i++) {
		d->vcpu[i]->pause_flags = SCHED_VPF_DOWN;
		rc = sched_unit_add(&d->sched, &d->vcpu[i]->sched, d->vcpu[i], now);
	}
	if (!rc)
		return 0;
	while (--i > 0)
		sched_unit_remove(&d->vcpu[i - 1]->sched);
	sched_dom_destroy(&d->sched);
	return rc;
}

void sched_domain_teardown(struct domain *d)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpu[i];

		v->pause_flags |= SCHED_VPF_DOWN;
		sched_vcpu_sleep(v);
		/* Destroyed only once off every CPU (domain_destroy's contract). */
		if (sched_unit_remove(&v->sched))
			panic("scheduler: dom%u vCPU %u destroyed while it runs", d->id, i);
	}
	sched_dom_destroy(&d->sched);
}

bool sched_vcpu_runnable(const struct vcpu *v)
{
	const struct domain *d = v->domain;

	return d->state == DOMAIN_ALIVE && d->pause_count <= 0 && v->pause_count <= 0 &&
	       !v->pause_flags;
}

void sched_raise(unsigned int cpu)
{
	/* Only the boot CPU is in cpupool 0 for now: no IPI to send. */
	if (cpu < SCHED_NR_CPUS)
		cpu_sched[cpu].need = true;
}

void sched_vcpu_wake(struct vcpu *v)
{
	int cpu;

	if (!sched_vcpu_runnable(v))
		return;
	cpu = sched_wake(&v->sched, arch_now_ns());
	if (cpu >= 0)
		sched_raise((unsigned int)cpu);
}

void sched_vcpu_sleep(struct vcpu *v)
{
	int cpu;

	if (sched_vcpu_runnable(v))
		return;
	cpu = sched_sleep(&v->sched, arch_now_ns());
	if (cpu >= 0)
		sched_raise((unsigned int)cpu);
}

void sched_vcpu_up(struct vcpu *v)
{
	v->pause_flags &= ~SCHED_VPF_DOWN;
	sched_vcpu_wake(v);
}

void sched_vcpu_down(struct vcpu *v)
{
	v->pause_flags |= SCHED_VPF_DOWN;
	sched_vcpu_sleep(v);
}

/* Ends a block or a poll: the vCPU runs again (its hypercall returned 0). */
static void unblock(struct vcpu *v)
{
	if (!(v->pause_flags & SCHED_VPF_BLOCKED))
		return;
	v->pause_flags &= ~SCHED_VPF_BLOCKED;
	v->polling = false;
	v->poll_deadline = 0;
	sched_vcpu_wake(v);
}

void sched_vcpu_block(struct vcpu *v)
{
	v->pause_flags |= SCHED_VPF_BLOCKED;
	/* An event that arrived before the flag was set must not be slept through. */
	if (__atomic_load_n(&v->vcpu_info->evtchn_upcall_pending, __ATOMIC_ACQUIRE)) {
		v->pause_flags &= ~SCHED_VPF_BLOCKED;
		return;
	}
	sched_vcpu_sleep(v);
}

void sched_vcpu_poll(struct vcpu *v, int port, uint64_t deadline)
{
	v->poll_port = port;
	v->poll_deadline = deadline;
	v->polling = true;
	v->pause_flags |= SCHED_VPF_BLOCKED;
	sched_vcpu_sleep(v);
}

void sched_vcpu_yield(struct vcpu *v)
{
	sched_unit_yield(&v->sched);
	sched_raise(v->sched.cpu);
}

/* As Xen's vcpu_kick -> vcpu_unblock: a poller wakes too (its poll returns 0). */
void sched_evtchn_kick(struct vcpu *v)
{
	unblock(v);
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
	return sched_dom_adjust(&d->sched, weight, cap, arch_now_ns());
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

/* Poll timeouts (the tick's resolution: common/timer.c has no queue yet). */
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
	if (cpu < SCHED_NR_CPUS && cpu_sched[cpu].until && now >= cpu_sched[cpu].until)
		cpu_sched[cpu].need = true;
}

/*
 * Boot-time domUs that shut down are destroyed here, once none of their
 * vCPUs is on a CPU (no toolstack does it yet), and what they leave in the
 * allocator is compared with what it had before they were built.
 */
static void reap_domains(void)
{
	struct domain *d = domain_next(NULL), *n;

	for (; d; d = n) {
		bool on_cpu = false;
		uint64_t before;
		domid_t id;

		n = domain_next(d);
		if (d->state != DOMAIN_SHUTDOWN || !d->destroy_on_shutdown)
			continue;
		for (unsigned int i = 0; i < d->max_vcpus; i++)
			on_cpu |= pool0.cpu[d->vcpu[i]->sched.cpu].curr == &d->vcpu[i]->sched;
		if (on_cpu)
			continue;
		id = d->id;
		before = d->free_pages_before;
		printk(LOG_DEBUG, "dom%u: vCPU 0 ran %lu ms", id,
		       sched_vcpu_runtime(d->vcpu[0]) / 1000000);
		domain_destroy(d);
		printk(LOG_INFO, "dom%u destroyed: %lu pages free, %lu before it was built", id,
		       mm_free_pages(), before);
	}
}

/*
 * prev -> next on this CPU, as Xen's schedule(): prev's runstate (blocked,
 * runnable or offline) and its periodic timer stopped while its tables are
 * still loaded; next's runstate, vcpu_time_info and periodic timer after.
 */
static void switch_vcpus(struct vcpu *prev, struct vcpu *next)
{
	uint64_t now = arch_now_ns();

	if (prev) {
		int st = (prev->pause_flags & SCHED_VPF_BLOCKED) ? RUNSTATE_blocked
			 : sched_vcpu_runnable(prev)		 ? RUNSTATE_runnable
								 : RUNSTATE_offline;

		runstate_change(prev, st, now);
		timer_vcpu_descheduled(prev);
	}
	arch_context_switch(prev, next);
	if (next) {
		runstate_change(next, RUNSTATE_running, now);
		arch_vcpu_time_update(next);
		timer_vcpu_scheduled(next);
	}
}

/* Chooses what this CPU runs next and switches to it (NULL: idle). */
static void schedule(void)
{
	unsigned int cpu = arch_cpu_id();
	struct vcpu *prev = current_vcpu(), *next;
	struct sched_decision dec;

	cpu_sched[cpu].need = false;
	dec = sched_schedule(&pool0, cpu, arch_now_ns());
	cpu_sched[cpu].until = dec.until;
	if (dec.tickle >= 0)
		sched_raise((unsigned int)dec.tickle);
	next = dec.next ? dec.next->owner : NULL;
	if (next != prev)
		switch_vcpus(prev, next);
	reap_domains();
}

static void __attribute__((noreturn)) idle_loop(void)
{
	unsigned int cpu = arch_cpu_id();

	for (;;) {
		if (cpu_sched[cpu].need) {
			schedule();
			if (current_vcpu())
				arch_vcpu_enter(current_vcpu());
			continue;
		}
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
	unsigned int cpu = arch_cpu_id();

	if (cpu >= SCHED_NR_CPUS || !cpu_sched[cpu].need)
		return;
	schedule();
	if (!current_vcpu())
		idle_loop();
}

void sched_start(void)
{
	sched_raise(arch_cpu_id());
	printk(LOG_INFO, "scheduler: %s on cpupool 0 (boot CPU), %u domain%s", pool0.ops->name,
	       domain_count(), domain_count() == 1 ? "" : "s");
	idle_loop();
}
