/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A discrete-event simulator that drives the scheduler (lamina/scheduler.h)
 * as the hypervisor would: CPUs with one timer each, vCPUs that compute for
 * a burst and then sleep, wake-ups that reschedule the CPU sched_wake names.
 * It measures on its own side (not from the scheduler's accounting) how long
 * each vCPU ran, how long it waited runnable, its wake-up latencies, and how
 * long CPUs sat idle while an uncapped vCPU waited.
 */
#ifndef LAMINA_TESTS_SCHED_SIM_H
#define LAMINA_TESTS_SCHED_SIM_H

#include <lamina/scheduler.h>

#define SIM_MAX_UNITS 64
#define SIM_MS 1000000ULL
#define SIM_US 1000ULL

struct sim_vcpu {
	struct sched_unit su;
	uint64_t burst; /* runs this long, then sleeps; 0 = CPU-bound */
	uint64_t sleep; /* sleeps this long */
	uint64_t left;	/* of the current burst */
	uint64_t wake_at;
	uint64_t woke_at;	/* last wake-up, until it runs */
	bool latency_pending;	/* woke and has not run yet */
	uint64_t waiting_since; /* runnable and not running since */
	/* measured */
	uint64_t ran;
	uint64_t max_wait;
	uint64_t max_latency, sum_latency, nr_latency;
	uint64_t migrations;
	uint64_t ran_cpus; /* bitmap: the CPUs it ran on */
	unsigned int last_cpu;
};

struct sim {
	struct sched_pool pool;
	unsigned int nr_cpus;
	uint64_t now;
	uint64_t timer[SCHED_MAX_CPUS]; /* 0: none */
	uint64_t tick;			/* 0: timers fire on time; else only at multiples of it */
	struct sim_vcpu *v[SIM_MAX_UNITS];
	unsigned int nr_v;
	uint64_t idle_while_waiting; /* ns x CPUs */
	uint64_t nr_schedules;
};

/* The algorithm sim_init gives its pool (credit2 unless a suite says otherwise). */
extern const struct sched_ops *sim_ops;
void sim_init(struct sim *s, unsigned int nr_cpus);
/* A vCPU of domain d: CPU-bound when burst is 0; it starts runnable at now. */
void sim_add(struct sim *s, struct sched_dom *d, struct sim_vcpu *v, uint64_t burst,
	     uint64_t sleep);
/* Sets v's affinity (sched_unit_set_affinity) and reschedules the CPU it names: its answer. */
int sim_set_affinity(struct sim *s, struct sim_vcpu *v, uint64_t hard, uint64_t soft);
/* Runs the simulation for @duration ns more. */
void sim_run(struct sim *s, uint64_t duration);
/* Clears every measurement (after a warm-up). */
void sim_clear(struct sim *s);

#endif
