/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scheduling real vCPUs (common/schedule.c): the glue between domains and
 * the pure algorithm of common/sched/ (lamina/scheduler.h), as Xen's
 * common/sched/core.c is. A vCPU runs when it is runnable:
 *
 *   domain ALIVE, domain and vCPU not paused, no pause flag
 *     SCHED_VPF_BLOCKED  SCHEDOP_block / poll, until an event (or the poll's timeout)
 *     SCHED_VPF_DOWN     not brought up (vCPUs > 0 until VCPUOP_up) or VCPUOP_down
 *
 * Every change of one of these calls sched_vcpu_wake or sched_vcpu_sleep,
 * which tell the algorithm; it names the CPU that must choose again, and
 * that CPU switches on its way back to a guest (never inside a hypercall:
 * a hypercall that blocks returns its value first) or from its idle loop.
 *
 * Locking: one lock per pool around every call into the algorithm and
 * around each CPU's switch (so a vCPU another CPU takes has its state
 * saved); the pause flags and counts change atomically before the wake or
 * sleep that follows. sched_raise of another CPU sends it an IPI. Lock
 * order: cpupool_lock (cpupool operations), domain or event locks, then the
 * pool locks (two in slot order), then timer queues.
 *
 * Grace periods (domain_destroy): each scheduling CPU counts its passes
 * through a quiescent point (leaving to a guest, idling); a pointer found
 * in a shared list during a hypercall is dead once every other CPU passed one.
 */
#ifndef LAMINA_SCHEDULE_H
#define LAMINA_SCHEDULE_H

#include <lamina/types.h>

struct domain;
struct vcpu;
struct sched_ops;

#define SCHED_VPF_BLOCKED (1u << 0)
#define SCHED_VPF_DOWN (1u << 1)

#define SCHED_NR_CPUS 8 /* as HV_MAX_CPUS */

/* A grace period: each CPU's quiescent count when it started (0: not in it). */
struct sched_grace {
	uint64_t snap[SCHED_NR_CPUS];
	bool nudged; /* the CPUs behind were sent an IPI */
};
/* Starts a grace period now. */
void sched_grace_start(struct sched_grace *g);
/*
 * Whether every other scheduling CPU passed a quiescent point since. The
 * first time not, each CPU behind gets an IPI (the timer vector: its exit to
 * the guest or its idle loop is a quiescent point), so the period ends
 * within an interrupt's time even on a CPU that idles with no timer armed.
 */
bool sched_grace_elapsed(struct sched_grace *g);
/* This CPU holds no pointer found on a shared list now (a quiescent point). */
void sched_quiescent(void);
/* Kills the boot-time domUs that ended, a step each; whether work is left. */
bool sched_reap(void);
/* The machine ends: reaps (at most timeout_ns) until no kill is under way. */
void sched_finish_reaps(uint64_t timeout_ns);
/* This CPU joins the scheduler (an AP, with sched_smp): never returns. */
void sched_ap_start(void) __attribute__((noreturn));
/* Whether APs run vCPUs (the lamina_smp option). */
bool sched_smp_enabled(void);
/* dom0's vCPUs: Xen's dom0_max_vcpus() (one per scheduling CPU, within the option's bounds). */
unsigned int sched_dom0_max_vcpus(void);

/* Boot: cpupool 0 with the boot CPU; before any domain is created. */
void sched_boot_init(void);
/* Boot: the boot CPU starts scheduling the domains built so far; never returns. */
void sched_start(void) __attribute__((noreturn));

/* domain_create's unit: d and its vCPUs join pool 0 (vCPUs down). 0 or -EBUSY. */
int sched_domain_init(struct domain *d);
void sched_domain_teardown(struct domain *d);

/* Whether v may run (the conditions above). */
bool sched_vcpu_runnable(const struct vcpu *v);
/* v may have become runnable: queue it (and preempt where the algorithm says). */
void sched_vcpu_wake(struct vcpu *v);
/* v may have stopped being runnable: take it off its CPU. */
void sched_vcpu_sleep(struct vcpu *v);
/*
 * As Xen's vcpu_sleep_sync: after sched_vcpu_sleep, waits until v (not
 * runnable) is off every CPU, its state saved; at once for this CPU's own vCPU.
 */
void sched_vcpu_sleep_sync(struct vcpu *v);
/* Brings v up (clears SCHED_VPF_DOWN: VCPUOP_up, the builder's vCPU 0) / down. */
void sched_vcpu_up(struct vcpu *v);
void sched_vcpu_down(struct vcpu *v);
/* SCHEDOP_block: v (running) sleeps until an event is pending for it. */
void sched_vcpu_block(struct vcpu *v);
/*
 * SCHEDOP_poll after its checks: v sleeps until port (or, with port < 0,
 * any port of its domain) is set pending, or until deadline (system time
 * in ns, 0 = none). The caller has checked that nothing is pending yet.
 */
void sched_vcpu_poll(struct vcpu *v, int port, uint64_t deadline);
/*
 * The same in two steps, as Xen's do_poll, for a caller that checks its
 * ports again once v is marked polling (an event raised on another CPU
 * between the first check and the mark is then seen): begin marks v, end
 * sleeps (ready false) or takes the marks back (ready true: the poll returns).
 */
void sched_vcpu_poll_begin(struct vcpu *v, int port, uint64_t deadline);
void sched_vcpu_poll_end(struct vcpu *v, bool ready);
/* SCHEDOP_yield: v lets the others of its CPU run first. */
void sched_vcpu_yield(struct vcpu *v);
/* Event channels: v has an event (upcall pending); wake it if it blocks. */
void sched_evtchn_kick(struct vcpu *v);
/* Event channels: port of d was set pending; wake d's vCPUs polling it. */
void sched_evtchn_poll_notify(struct domain *d, unsigned int port);

/*
 * Sets d's weight (1..65535; 0 leaves it) and cap (% of one CPU, at most
 * 100 per vCPU; 0 = none), as XEN_DOMCTL_SCHEDOP_putinfo for credit2:
 * 0 or -EINVAL (a cap too high: the cap unchanged, the weight set, as Xen). For domctl/sysctl and the boot domains.
 */
int sched_set_params(struct domain *d, unsigned int weight, unsigned int cap);
/* Reads them back (XEN_DOMCTL_SCHEDOP_getinfo). */
void sched_get_params(const struct domain *d, unsigned int *weight, unsigned int *cap);
/*
 * Cpupools: XEN_SYSCTL_cpupool_op's actions with Xen 4.17's errors
 * (sysctl_cpupool.c decodes the request; docs/hypervisor.md). Ids are
 * Xen's; SCHED_POOL_ANY is XEN_SYSCTL_CPUPOOL_PAR_ANY.
 *   create   id (or ANY: the highest + 1) with an algorithm (NULL: unknown):
 *            -ENOSPC (2 x CPUs pools), -EEXIST, -ENOENT (no such scheduler)
 *   destroy  -ENOENT, -EBUSY (domains or CPUs in it)
 *   info     the pool with the lowest id >= *id: -ENOENT when none
 *   add_cpu  a free CPU (ANY: the first): -ENOENT, -ENODEV (none free, not
 *            free, not scheduling), -EINVAL (no such CPU), -EADDRNOTAVAIL
 *            (the CPU an RMCPU of another pool has not returned for yet)
 *   rm_cpu   (ANY: the pool's last): -ENOENT, -EINVAL (no such CPU, CPU 0 of
 *            pool 0), -EADDRNOTAVAIL (not in it, or another CPU's RMCPU not
 *            done), -EBUSY (its last CPU while domains are in it); the vCPU
 *            it runs moves on first: -HYPERCALL_ERESTART (continue the
 *            hypercall) until it has, then 0 to the same caller
 *   move     d into pool id (paused meanwhile): -ENOENT (none, or no CPU)
 */
#define SCHED_POOL_ANY 0xFFFFFFFFu
#define SCHED_MAX_POOLS (2 * SCHED_NR_CPUS)
int sched_cpupool_create(uint32_t id, const struct sched_ops *ops, uint32_t *out);
int sched_cpupool_destroy(uint32_t id);
int sched_cpupool_info(uint32_t *id, const struct sched_ops **ops, uint32_t *n_dom, uint64_t *cpus);
int sched_cpupool_add_cpu(uint32_t id, uint32_t cpu);
int sched_cpupool_rm_cpu(uint32_t id, uint32_t cpu);
int sched_cpupool_move_domain(struct domain *d, uint32_t id);
/* The CPUs that schedule and are in no pool. */
uint64_t sched_cpupool_free_cpus(void);
bool sched_cpupool_exists(uint32_t id);
/* Whether a new domain may join pool id (createdomain): 0, -ESRCH (none), -ENODEV (no CPU). */
int sched_cpupool_usable(uint32_t id);
/* The algorithm of pool id: 0 or -ESRCH. */
int sched_cpupool_ops(uint32_t id, const struct sched_ops **ops);
/*
 * Credit1's pool parameters (XEN_SYSCTL_scheduler_op, xen_sysctl_credit_schedule):
 * set them when put (already range-checked), then read them back. 0 or
 * -ESRCH; -EINVAL when the pool does not run credit1.
 */
int sched_cpupool_credit1_params(uint32_t id, bool put, uint32_t *tslice_ms, uint32_t *ratelimit_us,
				 uint32_t *migr_delay_us);
/* The algorithm of d's pool. */
const struct sched_ops *sched_domain_ops(const struct domain *d);
/* XEN_DOMCTL_SCHEDOP_putinfo for credit1 (sched_dom_adjust_credit1). */
void sched_set_params_credit1(struct domain *d, unsigned int weight, unsigned int cap);
/* The id of d's pool (getdomaininfo's cpupool). */
uint32_t sched_domain_cpupool(const struct domain *d);

/*
 * Sets v's hard and/or soft affinity (NULL: unchanged), CPU bitmaps:
 * 0, or -EINVAL (nothing changed) when hard has no CPU of v's pool.
 * v moves to a CPU it may use at once (its CPU is asked to reschedule).
 */
int sched_vcpu_set_affinity(struct vcpu *v, const uint64_t *hard, const uint64_t *soft);
/* v's affinities as set, and the CPUs of its pool (to report the effective ones). */
void sched_vcpu_get_affinity(const struct vcpu *v, uint64_t *hard, uint64_t *soft,
			     uint64_t *pool_cpus);

/* ns v has run in total (the algorithm's accounting). */
uint64_t sched_vcpu_runtime(const struct vcpu *v);

/* The tick (arch timer interrupt): timers, poll timeouts, preemption. */
void sched_tick(void);
/* CPU cpu must choose again (on its way out of the hypervisor). */
void sched_raise(unsigned int cpu);
/* On the way back to a guest: switch if this CPU must choose again. */
void sched_exit_to_guest(void);
/* The running vCPU's domain ended: run another vCPU (or idle); never returns. */
void sched_leave_dead_vcpu(void) __attribute__((noreturn));

#endif
