// SPDX-License-Identifier: GPL-2.0-only
/*
 * lamina-consoled's ring handling on an ordinary page: output and input in
 * order across the wrap, hostile indexes refused without touching the
 * backend's index, and the rate budget that throttles, then cuts off, a
 * flooding guest.
 */
#include <string.h>

#include "dom0-tools/consoled/cons.h"
#include "ut.h"

static struct xencons_interface ring;

/* The guest side: write @s into the out ring. */
static void guest_write(const char *s)
{
	for (; *s; s++)
		ring.out[MASK_XENCONS_IDX(ring.out_prod++, ring.out)] = *s;
}

static void test_take_in_order_across_wrap(void)
{
	enum cons_ring_err err;
	char buf[64];
	size_t n;

	memset(&ring, 0, sizeof(ring));
	ring.out_cons = ring.out_prod = (XENCONS_RING_IDX)-3; /* wraps after 3 bytes */
	guest_write("hello, world");
	n = cons_ring_take(&ring, buf, 5, &err);
	CU_ASSERT_EQUAL(err, CONS_RING_OK);
	CU_ASSERT_EQUAL(n, 5);
	CU_ASSERT_NSTRING_EQUAL(buf, "hello", 5);
	n = cons_ring_take(&ring, buf, sizeof(buf), &err);
	CU_ASSERT_EQUAL(n, 7);
	CU_ASSERT_NSTRING_EQUAL(buf, ", world", 7);
	CU_ASSERT_EQUAL(ring.out_cons, ring.out_prod);
	CU_ASSERT_EQUAL(cons_ring_take(&ring, buf, sizeof(buf), &err), 0);
	CU_ASSERT_EQUAL(err, CONS_RING_OK);
}

static void test_take_full_ring(void)
{
	enum cons_ring_err err;
	static char buf[4096];

	memset(&ring, 0, sizeof(ring));
	ring.out_prod = sizeof(ring.out); /* exactly full is legal */
	CU_ASSERT_EQUAL(cons_ring_take(&ring, buf, sizeof(buf), &err), sizeof(ring.out));
	CU_ASSERT_EQUAL(err, CONS_RING_OK);
}

static void test_bad_indexes(void)
{
	static const XENCONS_RING_IDX bad[][2] = {
		{ 0, sizeof(((struct xencons_interface *)0)->out) + 1 },
		{ 100, 99 }, /* prod behind cons: 2^32 - 1 bytes "pending" */
		{ 0, 0x80000000u },
	};
	enum cons_ring_err err;
	char buf[64];

	for (unsigned int i = 0; i < 3; i++) {
		memset(&ring, 0, sizeof(ring));
		ring.out_cons = bad[i][0];
		ring.out_prod = bad[i][1];
		CU_ASSERT_EQUAL(cons_ring_take(&ring, buf, sizeof(buf), &err), 0);
		CU_ASSERT_EQUAL(err, CONS_RING_BAD_INDEX);
		CU_ASSERT_EQUAL(ring.out_cons, bad[i][0]); /* untouched */
	}
	memset(&ring, 0, sizeof(ring));
	ring.in_prod = sizeof(ring.in) + 5;
	CU_ASSERT_EQUAL(cons_ring_room(&ring, &err), 0);
	CU_ASSERT_EQUAL(err, CONS_RING_BAD_INDEX);
	CU_ASSERT_EQUAL(cons_ring_put(&ring, "x", 1, &err), 0);
	CU_ASSERT_EQUAL(err, CONS_RING_BAD_INDEX);
	CU_ASSERT_EQUAL(ring.in_prod, sizeof(ring.in) + 5);
}

static void test_put_until_full(void)
{
	enum cons_ring_err err;
	static char big[2048];

	memset(&ring, 0, sizeof(ring));
	memset(big, 'a', sizeof(big));
	CU_ASSERT_EQUAL(cons_ring_room(&ring, &err), sizeof(ring.in));
	CU_ASSERT_EQUAL(cons_ring_put(&ring, "ls\r", 3, &err), 3);
	CU_ASSERT_NSTRING_EQUAL(ring.in, "ls\r", 3);
	CU_ASSERT_EQUAL(cons_ring_put(&ring, big, sizeof(big), &err), sizeof(ring.in) - 3);
	CU_ASSERT_EQUAL(cons_ring_room(&ring, &err), 0);
	CU_ASSERT_EQUAL(cons_ring_put(&ring, "x", 1, &err), 0);
	CU_ASSERT_EQUAL(err, CONS_RING_OK);
}

static void test_flood_budget(void)
{
	struct cons_limits lim = { .rate_bytes = 1000, .flood_secs = 2, .log_max = 0 };
	struct cons_dom d;
	int ticks = 0;

	memset(&d, 0, sizeof(d));
	CU_ASSERT_FALSE(cons_tick(&d, &lim)); /* first tick: budget 100 bytes */
	CU_ASSERT_EQUAL(d.budget, 100);
	/* A quiet guest is never cut off. */
	for (int i = 0; i < 100; i++)
		CU_ASSERT_FALSE(cons_tick(&d, &lim));
	/* A guest that uses its whole budget every tick is cut off after 2 s (20 ticks). */
	for (;;) {
		d.budget = 0;
		ticks++;
		if (cons_tick(&d, &lim) || ticks > 100)
			break;
	}
	CU_ASSERT_EQUAL(ticks, 20);
}

const CU_TestInfo ut_cons_tests[] = {
	{ "output in order across the index wrap", test_take_in_order_across_wrap },
	{ "a full output ring is legal", test_take_full_ring },
	{ "hostile indexes are refused, backend index untouched", test_bad_indexes },
	{ "input until the ring is full", test_put_until_full },
	{ "rate budget and flood cut-off", test_flood_budget },
	CU_TEST_INFO_NULL,
};
