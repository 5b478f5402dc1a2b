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
 * Locking: one lock per pool (cpupool 0's here) around every call into the
 * algorithm and around each CPU's switch (so a vCPU another CPU takes has
 * its state saved); the pause flags and counts change atomically before the
 * wake or sleep that follows. sched_raise of another CPU sends it an IPI.
 * Lock order: domain or event locks, then the pool lock, then timer queues.
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
 * 0 or -EINVAL (nothing changed). For domctl/sysctl and the boot domains.
 */
int sched_set_params(struct domain *d, unsigned int weight, unsigned int cap);
/* Reads them back (XEN_DOMCTL_SCHEDOP_getinfo). */
void sched_get_params(const struct domain *d, unsigned int *weight, unsigned int *cap);
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
