// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of the timer queue (hypervisor/common/timer.c) with a fake
 * clock, two fake CPUs and a record of what the "hardware" was told: timers
 * run in deadline order and never before their deadline, the hardware is
 * armed for the earliest, stop and re-set take effect, a function may re-arm
 * its own timer, a timer set on the other CPU kicks it, migration keeps the
 * deadline, and the scheduler tick re-arms itself.
 */
#include <lamina/arch.h>
#include <lamina/domain.h>
#include <lamina/timer.h>
#include <string.h>
#include "cunit_run.h"

static uint64_t fake_now, programmed;
static unsigned int this_cpu, kicked, ticks;
static int order[8], nr_run;

uint64_t arch_now_ns(void)
{
	return fake_now;
}

unsigned int arch_cpu_id(void)
{
	return this_cpu;
}

void arch_timer_program(uint64_t deadline_ns)
{
	programmed = deadline_ns;
}

void arch_timer_kick(unsigned int cpu)
{
	kicked |= 1u << cpu;
}

void sched_tick(void)
{
	ticks++;
}

static void record(void *data)
{
	CU_ASSERT(nr_run < 8);
	if (nr_run < 8)
		order[nr_run++] = (int)(intptr_t)data;
}

static struct timer rearm_t;
static int rearms;

static void rearm(void *data)
{
	(void)data;
	if (++rearms < 3)
		timer_set(&rearm_t, fake_now + 10);
}

static void reset(void)
{
	fake_now = 1000;
	programmed = 0;
	this_cpu = 0;
	kicked = 0;
	nr_run = 0;
	memset(order, 0, sizeof(order));
}

static void test_order(void)
{
	struct timer a, b, c;

	reset();
	timer_init(&a, record, (void *)1, 0);
	timer_init(&b, record, (void *)2, 0);
	timer_init(&c, record, (void *)3, 0);
	timer_set(&a, 1300);
	CU_ASSERT_EQUAL(programmed, 1300);
	timer_set(&b, 1100);
	CU_ASSERT_EQUAL(programmed, 1100); /* the new head */
	timer_set(&c, 1200);
	CU_ASSERT_EQUAL(programmed, 1100); /* not the head: untouched */
	CU_ASSERT_EQUAL(timer_next_deadline(0), 1100);
	fake_now = 1099;
	timer_softirq();
	CU_ASSERT_EQUAL(nr_run, 0); /* an early interrupt runs nothing */
	CU_ASSERT_EQUAL(programmed, 1100);
	fake_now = 1250;
	timer_softirq();
	CU_ASSERT_EQUAL(nr_run, 2);
	CU_ASSERT_EQUAL(order[0], 2);
	CU_ASSERT_EQUAL(order[1], 3);
	CU_ASSERT_EQUAL(programmed, 1300);
	CU_ASSERT_TRUE(timer_is_active(&a));
	CU_ASSERT_FALSE(timer_is_active(&b));
	timer_stop(&a);
	CU_ASSERT_FALSE(timer_is_active(&a));
	fake_now = 5000;
	timer_softirq();
	CU_ASSERT_EQUAL(nr_run, 2);
	CU_ASSERT_EQUAL(programmed, 0); /* nothing left: disarmed */
	timer_stop(&a);			/* stopping twice is harmless */
}

static void test_reset_and_rearm(void)
{
	struct timer a, x, y;

	reset();
	timer_init(&a, record, (void *)7, 0);
	timer_set(&a, 2000);
	timer_set(&a, 1500); /* re-set moves it: it runs once, at the new time */
	fake_now = 1500;
	timer_softirq();
	fake_now = 2500;
	timer_softirq();
	CU_ASSERT_EQUAL(nr_run, 1);
	timer_init(&rearm_t, rearm, NULL, 0);
	rearms = 0;
	timer_set(&rearm_t, fake_now);
	for (int i = 0; i < 5; i++) {
		timer_softirq();
		fake_now += 10;
	}
	CU_ASSERT_EQUAL(rearms, 3);
	CU_ASSERT_FALSE(timer_is_active(&rearm_t));
	/* Equal deadlines run in the order they were set. */
	nr_run = 0;
	timer_init(&x, record, (void *)4, 0);
	timer_init(&y, record, (void *)5, 0);
	timer_set(&x, fake_now + 5);
	timer_set(&y, fake_now + 5);
	fake_now += 5;
	timer_softirq();
	CU_ASSERT_EQUAL(nr_run, 2);
	CU_ASSERT_EQUAL(order[0], 4);
	CU_ASSERT_EQUAL(order[1], 5);
}

static void test_other_cpu(void)
{
	struct timer a;

	reset();
	timer_init(&a, record, (void *)9, 1);
	timer_set(&a, 1100);
	CU_ASSERT_EQUAL(kicked, 2u); /* CPU 1 told to reprogram */
	CU_ASSERT_EQUAL(programmed, 0);
	fake_now = 1200;
	timer_softirq(); /* CPU 0's queue: nothing of it */
	CU_ASSERT_EQUAL(nr_run, 0);
	timer_migrate(&a, 0);
	CU_ASSERT_EQUAL(a.expires, 1100);
	CU_ASSERT_EQUAL(programmed, 1100);
	timer_softirq();
	CU_ASSERT_EQUAL(nr_run, 1);
	CU_ASSERT_EQUAL(timer_next_deadline(1), 0);
	/* A deadline of 0 is due at once, and does not disarm the hardware. */
	timer_set(&a, 0);
	CU_ASSERT_EQUAL(programmed, 1);
	timer_softirq();
	CU_ASSERT_EQUAL(nr_run, 2);
}

static void test_sched_tick(void)
{
	reset();
	ticks = 0;
	timer_cpu_init();
	CU_ASSERT_EQUAL(timer_next_deadline(0), 1000 + SCHED_TICK_NS);
	fake_now += SCHED_TICK_NS;
	timer_softirq();
	CU_ASSERT_EQUAL(ticks, 1);
	CU_ASSERT_EQUAL(programmed, fake_now + SCHED_TICK_NS);
}

static const CU_TestInfo timer_tests[] = {
	{ "deadline order, early interrupts, stop", test_order },
	{ "re-set, self re-arming, equal deadlines", test_reset_and_rearm },
	{ "another CPU's queue: kick, migrate", test_other_cpu },
	{ "the scheduler tick re-arms itself", test_sched_tick },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = {
		{ "hv_timer_queue", timer_tests },
		{ NULL, NULL },
	};

	return cunit_run(suites);
}
