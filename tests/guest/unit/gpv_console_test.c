// SPDX-License-Identifier: MIT
/*
 * Host unit tests of guest-pv's console ring writer (guest-pv/arch/console.c
 * built for the host) against a fake console backend: every kick lets the
 * backend consume (all, nothing, or move out_cons past out_prod), every
 * yield advances a fake clock. Output must arrive whole and in order, a
 * dead backend must not hang the writer, and a lying one must be dropped.
 */
#include <string.h>

#include "cunit_run.h"
#include <gpv/gpv.h>
#include <gpv/time.h>
#include <xen/io/console.h>

start_info_t *gpv_start_info;
shared_info_t *gpv_shared_info;
static start_info_t fake_si;
static uint64_t fake_now;

enum backend { B_CONSUME, B_DEAD, B_LIAR };
static enum backend backend;
static unsigned long kicks, yields, hypercall_writes;
static char seen[8192];
static size_t nseen;

bool gpv_is_dom0(void)
{
	return false;
}

uint64_t gpv_time_now(void)
{
	return fake_now;
}

/* The ring, as the console code mapped it: found through a first write. */
static struct xencons_interface *ring;

long gpv_hcall(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
	       unsigned long a4, unsigned long a5)
{
	(void)a3, (void)a4, (void)a5;
	if (nr == __HYPERVISOR_update_va_mapping) {
		ring = (struct xencons_interface *)a1;
		return 0;
	}
	if (nr == __HYPERVISOR_console_io) {
		hypercall_writes++;
		return 0;
	}
	if (nr == __HYPERVISOR_sched_op && a1 == SCHEDOP_yield) {
		yields++;
		fake_now += 1000;
		return 0;
	}
	if (nr == __HYPERVISOR_event_channel_op && a1 == EVTCHNOP_send) {
		kicks++;
		if (backend == B_CONSUME) {
			while (ring->out_cons != ring->out_prod && nseen < sizeof(seen))
				seen[nseen++] =
					ring->out[MASK_XENCONS_IDX(ring->out_cons++, ring->out)];
		} else if (backend == B_LIAR) {
			ring->out_cons = ring->out_prod + 5000;
		}
		return 0;
	}
	(void)a2;
	return -XEN_ENOSYS;
}

static int setup(void)
{
	fake_si.console.domU.mfn = 1;
	fake_si.console.domU.evtchn = 2;
	gpv_start_info = &fake_si;
	gpv_console_init();
	return ring ? 0 : -1;
}

static void reset(enum backend b)
{
	memset(ring, 0, sizeof(*ring));
	backend = b;
	kicks = yields = hypercall_writes = 0;
	nseen = 0;
	fake_now = 1;
	gpv_console_use_hypercall(0);
}

static void test_small(void)
{
	reset(B_CONSUME);
	gpv_console_write("hello", 5);
	CU_ASSERT(kicks >= 1);
	CU_ASSERT_EQUAL(nseen, 5);
	CU_ASSERT_EQUAL(memcmp(seen, "hello", 5), 0);
	CU_ASSERT_EQUAL(hypercall_writes, 0);
}

static void test_large_in_order(void)
{
	static char big[5000];
	size_t i;

	reset(B_CONSUME);
	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	gpv_console_write(big, sizeof(big));
	CU_ASSERT_EQUAL(nseen, sizeof(big));
	CU_ASSERT_EQUAL(memcmp(seen, big, sizeof(big)), 0);
}

static void test_dead_backend(void)
{
	static char big[5000];

	reset(B_DEAD);
	memset(big, 'x', sizeof(big));
	gpv_console_write(big, sizeof(big));
	CU_ASSERT_EQUAL(ring->out_prod - ring->out_cons, sizeof(ring->out));
	CU_ASSERT(yields > 0 && yields <= 100001);
	reset(B_DEAD);
	gpv_console_write("x", 1);
	gpv_console_flush();
	CU_ASSERT(fake_now >= 1000000000ULL && fake_now < 2000000000ULL);
}

static void test_lying_backend(void)
{
	reset(B_LIAR);
	gpv_console_write("first", 5);
	gpv_console_write("second", 6);
	CU_ASSERT_EQUAL(yields, 0);
	CU_ASSERT(hypercall_writes >= 1);
	CU_ASSERT(ring->out_prod <= 5);
	gpv_console_flush();
	CU_ASSERT_EQUAL(yields, 0);
}

static const CU_TestInfo tests[] = {
	{ "small write", test_small },
	{ "large write arrives whole and in order", test_large_in_order },
	{ "dead backend: bounded", test_dead_backend },
	{ "lying backend: dropped", test_lying_backend },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = { { "gpv_console", tests }, { NULL, NULL } };

	if (setup())
		return 1;
	return cunit_run(suites);
}
