// SPDX-License-Identifier: GPL-2.0-only
/*
 * CUnit suite for preemptible validation and teardown of page-table trees
 * (arch/x86_64/mm/page_tree.c, the PARTIAL token of page_type.c) over the
 * simulated frames of frames.c: a pin stopped at every chance and resumed
 * ends as an unstopped one does, a stopped teardown too; a validation that
 * fails half-way leaves a DEMOTING table its caller tears down; a
 * half-validated table refuses other uses, a half-validated child can be
 * taken over by another pin, abandoned tokens go (domain death), and a
 * page with a possibly stale writable TLB entry is not validated before
 * the CPUs holding it are flushed.
 */
#include <string.h>
#include "asm/page_info.h"
#include "cunit_run.h"
#include "frames.h"
#include <xen/errno.h>
#include <xen/xen.h>

#define L4 20
#define L3 21
#define DATA 30
#define DATA_RW 31

/* L4 20 -> L3 21 -> L2 22 (L1 24-26), L2 23 (L1 27-29) -> data 30 (ro), 31 (rw in 24). */
static void build(void)
{
	mem[L4][0] = pte(L3, RW);
	mem[L3][0] = pte(22, RW);
	mem[L3][1] = pte(23, RW);
	for (unsigned int i = 0; i < 3; i++) {
		mem[22][i] = pte(24 + i, RW);
		mem[23][i] = pte(27 + i, RW);
	}
	for (unsigned int l1 = 24; l1 < 30; l1++)
		for (unsigned int i = 0; i < 8; i++)
			mem[l1][i] = pte(DATA, RO);
	mem[24][8] = pte(DATA_RW, RW);
}

static struct page_info want[NFRAMES];

/* The frame table after an unstopped pin of the tree. */
static void reference(void)
{
	setup();
	build();
	CU_ASSERT_EQUAL_FATAL(mm_get_page_and_type(&ctx, L4, DOM, MM_PGT_L4), 0);
	memcpy(want, info, sizeof(want));
}

static bool same_as_reference(void)
{
	for (unsigned int i = 0; i < NFRAMES; i++)
		if (info[i].count != want[i].count || info[i].type_count != want[i].type_count ||
		    info[i].type != want[i].type || info[i].flags != want[i].flags)
			return false;
	return true;
}

/* A pin as pv_mm_pin makes it: a stopped one drops its general ref. */
static int pin_step(void)
{
	int rc = mm_get_page_and_type(&ctx, L4, DOM, MM_PGT_L4);

	if (rc == -MM_ERESTART)
		mm_put_page(&ctx, L4);
	return rc;
}

/* Pins the tree stopping at every chance: the number of stops. */
static unsigned int pin_stopping(void)
{
	unsigned int stops = 0;
	int rc;

	ctx.preemptible = true;
	preempt_every = 1;
	while ((rc = pin_step()) == -MM_ERESTART) {
		stops++;
		CU_ASSERT_TRUE(info[L4].flags & MM_PGF_PARTIAL);
		CU_ASSERT_EQUAL(info[L4].type_count, 1);
		if (stops > 100)
			break;
	}
	CU_ASSERT_EQUAL(rc, 0);
	return stops;
}

/* Tears the pinned tree down stopping at every chance (the vCPU's pending put). */
static unsigned int unpin_stopping(void)
{
	unsigned int stops = 0;

	if (mm_put_page_type_preemptible(&ctx, L4) == -MM_ERESTART) {
		stops++;
		CU_ASSERT_EQUAL(info[L4].flags & (MM_PGF_PARTIAL | MM_PGF_DEMOTING),
				MM_PGF_PARTIAL | MM_PGF_DEMOTING);
		while (mm_put_type_partial(&ctx, L4) == -MM_ERESTART && stops < 100)
			stops++;
	}
	mm_put_page(&ctx, L4);
	return stops;
}

static void test_stopped_pin_ends_as_unstopped(void)
{
	unsigned int stops, down;

	reference();
	setup();
	build();
	stops = pin_stopping();
	CU_ASSERT_TRUE(stops >= 5); /* at least once per L1 but the first */
	CU_ASSERT_TRUE(same_as_reference());
	down = unpin_stopping();
	CU_ASSERT_TRUE(down >= 5);
	assert_baseline();
	CU_ASSERT_EQUAL(ctx.preempted, stops + down);
}

static void test_half_failed_validation(void)
{
	int rc;

	for (unsigned int every = 0; every < 3; every++) {
		setup();
		build();
		mem[29][511] = pte(22, RW); /* the last entry: an L2 of the tree, writable */
		ctx.preemptible = true;
		preempt_every = every;
		while ((rc = pin_step()) == -MM_ERESTART)
			;
		CU_ASSERT_EQUAL(rc, -XEN_EBUSY);
		CU_ASSERT_TRUE(ctx.left_partial);
		CU_ASSERT_EQUAL(info[L4].flags & (MM_PGF_PARTIAL | MM_PGF_DEMOTING),
				MM_PGF_PARTIAL | MM_PGF_DEMOTING);
		/* A DEMOTING table is not taken over by a get. */
		CU_ASSERT_EQUAL(mm_get_page_type(&ctx, L4, MM_PGT_L4), -XEN_EINVAL);
		while (mm_put_type_partial(&ctx, L4) == -MM_ERESTART)
			;
		mm_put_page(&ctx, L4); /* the caller's ref, kept for the teardown */
		assert_baseline();
	}
	/* Not preemptible: undone at once, as before. */
	setup();
	build();
	mem[29][511] = pte(22, RW);
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, L4, DOM, MM_PGT_L4), -XEN_EBUSY);
	CU_ASSERT_FALSE(ctx.left_partial);
	assert_baseline();
}

/* A fresh tree whose pin stopped at its first chance (inside L2 22); no more stops. */
static int stopped_once(void)
{
	int rc;

	setup();
	build();
	ctx.preemptible = true;
	preempt_every = 1;
	rc = pin_step();
	preempt_every = 0;
	return rc;
}

static void test_half_validated_refuses(void)
{
	CU_ASSERT_EQUAL_FATAL(stopped_once(), -MM_ERESTART);
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, L4, DOM, MM_PGT_L3), -XEN_EINVAL);
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, L4, DOM, MM_PGT_WRITABLE), -XEN_EINVAL);
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, L4, 0, 0, false), -XEN_EINVAL);
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, L3, 0, 0, false), -XEN_EINVAL);
	/* What it did validate is in use: an L1 below it is no L2 and not writable. */
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 24, DOM, MM_PGT_WRITABLE), -XEN_EINVAL);
	CU_ASSERT_EQUAL(pin_step(), 0);
	mm_put_page_and_type(&ctx, L4);
	assert_baseline();
}

static void test_child_taken_over(void)
{
	CU_ASSERT_EQUAL_FATAL(stopped_once(), -MM_ERESTART);
	CU_ASSERT_TRUE(info[22].flags & MM_PGF_PARTIAL);
	CU_ASSERT_TRUE(info[L3].flags & MM_PGF_PARTIAL_ENTRY);
	/* Another pin of the half-validated L2 finishes it (Xen's take-over). */
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 22, DOM, MM_PGT_L2), 0);
	CU_ASSERT_EQUAL(info[22].type_count, 1);
	CU_ASSERT_EQUAL(pin_step(), 0);
	CU_ASSERT_EQUAL(info[22].type_count, 2);
	mm_put_page_and_type(&ctx, 22);
	mm_put_page_and_type(&ctx, L4);
	assert_baseline();
}

/* Domain death: tokens nobody will resume go, children before parents or after. */
static void test_abandoned_tokens(void)
{
	for (int child_first = 0; child_first < 2; child_first++) {
		CU_ASSERT_EQUAL_FATAL(stopped_once(), -MM_ERESTART);
		if (child_first)
			CU_ASSERT_EQUAL(mm_put_type_partial(&ctx, 22), 0);
		CU_ASSERT_EQUAL(mm_put_type_partial(&ctx, L4), 0);
		for (unsigned int m = 0; m < NFRAMES; m++)
			CU_ASSERT_EQUAL(mm_put_type_partial(&ctx, m), 0);
		assert_baseline();
	}
}

static void test_flush_before_validation(void)
{
	setup();
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 5, DOM, MM_PGT_WRITABLE), 0);
	tlb_clock = 7;
	mm_put_page_and_type(&ctx, 5); /* its last writable mapping went at clock 7 */
	CU_ASSERT_EQUAL(info[5].tlb_stamp, 7);
	tlb_stale_mask = 0x6; /* CPUs 1 and 2 may still cache it */
	ctx.preemptible = true;
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 5, DOM, MM_PGT_L1), -MM_ERESTART);
	CU_ASSERT_EQUAL(ctx.flush_mask, 0x6);
	CU_ASSERT_EQUAL(info[5].type, MM_PGT_WRITABLE); /* nothing changed */
	CU_ASSERT_EQUAL(info[5].type_count, 0);
	mm_put_page(&ctx, 5);
	tlb_stale_mask = 0; /* flushed */
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 5, DOM, MM_PGT_L1), 0);
	mm_put_page_and_type(&ctx, 5);
	/* The same type again needs no flush; another table level does. */
	tlb_stale_mask = 0x6;
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 5, DOM, MM_PGT_L1), 0);
	mm_put_page_and_type(&ctx, 5);
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 5, DOM, MM_PGT_L2), -MM_ERESTART);
	CU_ASSERT_EQUAL(info[5].type, MM_PGT_L1);
	mm_put_page(&ctx, 5);
	/* A context that cannot stop flushes at its end. */
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 6, DOM, MM_PGT_WRITABLE), 0);
	mm_put_page_and_type(&ctx, 6);
	ctx.preemptible = false;
	ctx.need_flush = false;
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 6, DOM, MM_PGT_SEG_DESC), 0);
	CU_ASSERT_TRUE(ctx.need_flush);
	mm_put_page_and_type(&ctx, 6);
	assert_baseline();
}

static CU_TestInfo tests[] = {
	{ "a stopped pin ends as an unstopped one", test_stopped_pin_ends_as_unstopped },
	{ "a validation failing half-way", test_half_failed_validation },
	{ "a half-validated table refuses other uses", test_half_validated_refuses },
	{ "a half-validated child taken over", test_child_taken_over },
	{ "abandoned tokens go", test_abandoned_tokens },
	{ "flush before validation", test_flush_before_validation },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = {
		{ "page_tree", tests },
		{ NULL, NULL },
	};

	return cunit_run(suites);
}
