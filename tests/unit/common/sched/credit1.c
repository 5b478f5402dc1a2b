// SPDX-License-Identifier: GPL-2.0-only
/*
 * CUnit suite for credit1 (hypervisor/common/sched/credit1.c, Xen's
 * XEN_SCHEDULER_CREDIT semantics), driven by the simulator in sim.c: shares
 * by weight, caps, no starvation, BOOST on wake, work stealing. Shares are
 * measured by the simulator, not read from the scheduler.
 */
#include <stdio.h>
#include <xen/errno.h>

#include "cunit_run.h"
#include "sim.h"

static struct sim s;
static struct sched_dom dom[8];
static struct sim_vcpu v[SIM_MAX_UNITS];
static unsigned int nv;

static void start(unsigned int cpus)
{
	sim_ops = &sched_credit1_ops;
	sim_init(&s, cpus);
	nv = 0;
}

/* Domain i with n vCPUs (CPU-bound when burst is 0), weight w, cap c. */
static struct sched_dom *domain(unsigned int i, unsigned int n, unsigned int w, unsigned int c,
				uint64_t burst, uint64_t sleep)
{
	sched_dom_init(&s.pool, &dom[i]);
	while (n--)
		sim_add(&s, &dom[i], &v[nv++], burst, sleep);
	CU_ASSERT_EQUAL(sched_dom_adjust(&dom[i], w, c, s.now), 0);
	return &dom[i];
}

static uint64_t ran(unsigned int a, unsigned int n)
{
	uint64_t t = 0;

	while (n--)
		t += v[a++].ran;
	return t;
}

static bool near(double got, double want, double tol)
{
	bool ok = got >= want * (1 - tol) && got <= want * (1 + tol);

	if (!ok)
		printf("\n    got %.4f, want %.4f +- %.0f%%\n", got, want, tol * 100);
	return ok;
}

/* A second to settle, then @secs measured. */
static void run_for(unsigned int secs)
{
	sim_run(&s, 1000 * SIM_MS);
	sim_clear(&s);
	sim_run(&s, secs * 1000 * SIM_MS);
}

#define SECS(n) ((double)(n)*1000 * SIM_MS)

static void test_weight_1_2(void)
{
	start(1);
	domain(0, 1, 256, 0, 0, 0);
	domain(1, 1, 512, 0, 0, 0);
	run_for(10);
	CU_ASSERT(near((double)v[1].ran / (double)v[0].ran, 2.0, 0.03));
	CU_ASSERT_EQUAL(s.idle_while_waiting, 0);
}

/*
 * As in a guest on a loaded TCG host: timers fire only at an 80 ms tick, so
 * each run lasts up to 80 ms, more than an accounting period (credit1 got
 * 1:1 in tests/guest/schedw when a run was charged at most one period).
 */
static void test_weight_1_2_tick(void)
{
	start(1);
	s.tick = 80 * SIM_MS;
	domain(0, 1, 256, 0, 0, 0);
	domain(1, 1, 512, 0, 0, 0);
	run_for(10);
	CU_ASSERT(near((double)v[1].ran / (double)v[0].ran, 2.0, 0.03));
}

static void test_weight_1_2_two_cpus(void)
{
	start(2);
	domain(0, 2, 256, 0, 0, 0);
	domain(1, 2, 512, 0, 0, 0);
	run_for(10);
	CU_ASSERT(near((double)ran(2, 2) / (double)ran(0, 2), 2.0, 0.05));
	CU_ASSERT_EQUAL(s.idle_while_waiting, 0);
}

/* Three vCPUs over two CPUs: stealing keeps both CPUs busy and shares even. */
static void test_three_on_two(void)
{
	start(2);
	domain(0, 3, 256, 0, 0, 0);
	run_for(10);
	for (unsigned int i = 0; i < 3; i++)
		CU_ASSERT(near((double)v[i].ran, SECS(10) * 2 / 3, 0.05));
	CU_ASSERT_EQUAL(s.idle_while_waiting, 0);
}

static void test_cap_alone(void)
{
	start(1);
	domain(0, 1, 256, 40, 0, 0);
	run_for(10);
	CU_ASSERT(near((double)v[0].ran, SECS(10) * 0.40, 0.03));
}

static void test_cap_two_vcpus(void)
{
	start(2);
	domain(0, 2, 256, 50, 0, 0);
	domain(1, 1, 256, 0, 0, 0);
	run_for(10);
	CU_ASSERT(near((double)ran(0, 2), SECS(10) * 0.50, 0.03));
	CU_ASSERT_EQUAL(s.idle_while_waiting, 0); /* the hog takes what the cap leaves */
	CU_ASSERT(v[2].ran > SECS(10) * 0.80);
}

/*
 * Every vCPU runs, and waits a bounded time. The heavy one is owed 97 % of
 * the CPU, so the nine others share 3 % in turns of one tick or slice
 * (10-30 ms): a turn comes every few seconds (measured: at most 3.6 s).
 */
static void test_no_starvation(void)
{
	start(1);
	domain(0, 1, 1, 0, 0, 0);
	domain(1, 1, SCHED_MAX_WEIGHT, 0, 0, 0);
	for (unsigned int i = 2; i < 6; i++)
		domain(i, 2, 256, 0, 0, 0);
	run_for(10);
	for (unsigned int i = 0; i < nv; i++) {
		if (!v[i].ran || v[i].max_wait >= 5000 * SIM_MS)
			printf("\n    vCPU %u ran %llu ms, waited up to %llu ms", i,
			       (unsigned long long)(v[i].ran / SIM_MS),
			       (unsigned long long)(v[i].max_wait / SIM_MS));
		CU_ASSERT(v[i].ran > 0);
		CU_ASSERT(v[i].max_wait < 5000 * SIM_MS);
	}
}

/* BOOST: a vCPU that sleeps most of the time preempts the hogs when it wakes. */
static void test_boost(void)
{
	start(1);
	domain(0, 2, 256, 0, 0, 0);
	domain(1, 1, 256, 0, 300 * SIM_US, 7 * SIM_MS);
	run_for(10);
	printf("\n    woken vCPU: max latency %llu us over %llu wake-ups\n",
	       (unsigned long long)(v[2].max_latency / SIM_US),
	       (unsigned long long)v[2].nr_latency);
	CU_ASSERT(v[2].nr_latency > 1000);
	CU_ASSERT(v[2].max_latency <= 1 * SIM_MS);
	CU_ASSERT(near((double)v[2].ran, SECS(10) * 300 / 7300, 0.02));
}

/* A hog and a waker (300 us bursts, 500 us sleeps) for 3 s: the waker's longest wait. */
static uint64_t waker_latency(uint32_t ratelimit_us)
{
	start(1);
	s.pool.c1_ratelimit_us = ratelimit_us;
	domain(0, 1, 256, 0, 0, 0);
	domain(1, 1, 256, 0, 300 * SIM_US, 500 * SIM_US);
	run_for(3);
	printf("\n    ratelimit %u us: waker's max latency %llu us over %llu wake-ups",
	       ratelimit_us, (unsigned long long)(v[1].max_latency / SIM_US),
	       (unsigned long long)v[1].nr_latency);
	CU_ASSERT(v[1].nr_latency > 1000);
	CU_ASSERT(v[0].ran > SECS(3) / 4);
	return v[1].max_latency;
}

/*
 * Xen's rate limit: a hog switched in is not preempted by a BOOSTed waker
 * before it has run the limit (1000 us by default); the waker, back 500 us
 * after its burst, waits the rest, about 500 us. Without a limit it
 * preempts at once.
 */
static void test_ratelimit(void)
{
	uint64_t lat = waker_latency(1000);

	CU_ASSERT(lat >= 400 * SIM_US && lat <= 1000 * SIM_US);
	CU_ASSERT(waker_latency(0) <= 10 * SIM_US);
	printf("\n");
}

/* Without competition a unit keeps its CPU for the whole timeslice (30 ms). */
static void test_timeslice(void)
{
	start(1);
	domain(0, 2, 256, 0, 0, 0);
	run_for(3);
	/* Two hogs alternate 30 ms slices: about 100 schedules a second, not thousands. */
	CU_ASSERT(s.nr_schedules < 3000);
	CU_ASSERT(near((double)v[0].ran, SECS(3) / 2, 0.05));
}

static void test_move_to_credit2(void)
{
	struct sched_pool p2;

	start(1);
	domain(0, 1, 256, 0, 0, 0);
	sched_pool_init(&p2, 1, &sched_credit2_ops);
	CU_ASSERT_EQUAL(sched_pool_add_cpu(&p2, 1), 0);
	CU_ASSERT_EQUAL(sched_dom_move(&dom[0], &p2, s.now), -XEN_EBUSY); /* runnable */
	CU_ASSERT_STRING_EQUAL(s.pool.ops->name, "credit");
}

static const CU_TestInfo tests[] = {
	{ "weights 1:2 on one CPU", test_weight_1_2 },
	{ "weights 1:2, preempted only at an 80 ms tick", test_weight_1_2_tick },
	{ "weights 1:2, 4 vCPUs on 2 CPUs", test_weight_1_2_two_cpus },
	{ "3 vCPUs over 2 CPUs (work stealing)", test_three_on_two },
	{ "cap 40% alone", test_cap_alone },
	{ "cap 50% over two vCPUs beside a hog", test_cap_two_vcpus },
	{ "no starvation (weight 1 vs 65535, 8 others)", test_no_starvation },
	{ "BOOST on wake among hogs", test_boost },
	{ "the rate limit delays a BOOSTed waker, 0 does not", test_ratelimit },
	{ "30 ms timeslice", test_timeslice },
	{ "a runnable domain does not move", test_move_to_credit2 },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = { { "sched_credit1", tests }, { NULL, NULL } };

	return cunit_run(suites);
}
