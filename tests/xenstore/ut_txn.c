// SPDX-License-Identifier: GPL-2.0-only
/*
 * Transaction suite: isolation, snapshot reads, per-node conflicts (and no
 * conflict on disjoint nodes), abort, RM and create inside a transaction,
 * bad transaction ids, the per-connection limit.
 */
#include <errno.h>
#include <string.h>

#include "ut_harness.h"

static char buf[XENSTORE_PAYLOAD_MAX + 1];

static void test_isolation_commit(void)
{
	struct xs_conn *c;
	uint32_t t;

	ut_init(NULL);
	c = ut_conn(0);
	CU_ASSERT_EQUAL(ut_txn_start(c, &t), 0);
	CU_ASSERT(t != 0);
	CU_ASSERT_EQUAL(ut_write(c, t, "/tx/a", "1"), 0);
	CU_ASSERT_EQUAL(ut_read(c, t, "/tx/a", buf), 0);
	CU_ASSERT_STRING_EQUAL(buf, "1");
	CU_ASSERT_EQUAL(ut_read(c, 0, "/tx/a", buf), ENOENT); /* invisible outside */
	CU_ASSERT_EQUAL(ut_txn_end(c, t, true), 0);
	CU_ASSERT_EQUAL(ut_read(c, 0, "/tx/a", buf), 0);
	CU_ASSERT_STRING_EQUAL(buf, "1");
	CU_ASSERT_EQUAL(ut_txn_end(c, t, true), ENOENT); /* gone */
	ut_fini();
}

static void test_abort(void)
{
	struct xs_conn *c;
	uint32_t t;

	ut_init(NULL);
	c = ut_conn(0);
	ut_write(c, 0, "/ab", "old");
	ut_txn_start(c, &t);
	ut_write(c, t, "/ab", "new");
	ut_op1(c, XS_RM, t, "/ab");
	CU_ASSERT_EQUAL(ut_read(c, t, "/ab", buf), ENOENT);
	CU_ASSERT_EQUAL(ut_txn_end(c, t, false), 0);
	CU_ASSERT_EQUAL(ut_read(c, 0, "/ab", buf), 0);
	CU_ASSERT_STRING_EQUAL(buf, "old");
	ut_fini();
}

/* Xen's "ta err": the snapshot holds, and the commit fails. */
static void test_snapshot_conflict(void)
{
	struct xs_conn *c;
	uint32_t t;

	ut_init(NULL);
	c = ut_conn(0);
	ut_write(c, 0, "/s/x", "a");
	ut_txn_start(c, &t);
	CU_ASSERT_EQUAL(ut_read(c, t, "/s/x", buf), 0);
	ut_write(c, 0, "/s/x", "b");
	CU_ASSERT_EQUAL(ut_read(c, t, "/s/x", buf), 0);
	CU_ASSERT_STRING_EQUAL(buf, "a");
	ut_write(c, t, "/s/x", "c");
	CU_ASSERT_EQUAL(ut_txn_end(c, t, true), EAGAIN);
	CU_ASSERT_EQUAL(ut_read(c, 0, "/s/x", buf), 0);
	CU_ASSERT_STRING_EQUAL(buf, "b");
	ut_fini();
}

static void test_disjoint_no_conflict(void)
{
	struct xs_conn *c1, *c2;
	uint32_t t1, t2;

	ut_init(NULL);
	c1 = ut_conn(0);
	c2 = ut_conn(0);
	ut_write(c1, 0, "/d/one", "0");
	ut_write(c1, 0, "/d/two", "0");
	ut_txn_start(c1, &t1);
	ut_txn_start(c2, &t2);
	CU_ASSERT_EQUAL(ut_write(c1, t1, "/d/one", "1"), 0);
	CU_ASSERT_EQUAL(ut_write(c2, t2, "/d/two", "2"), 0);
	ut_write(c1, 0, "/elsewhere", "x"); /* unrelated write */
	CU_ASSERT_EQUAL(ut_txn_end(c1, t1, true), 0);
	CU_ASSERT_EQUAL(ut_txn_end(c2, t2, true), 0);
	ut_read(c1, 0, "/d/two", buf);
	CU_ASSERT_STRING_EQUAL(buf, "2");
	/* Same node: the second commit must retry. */
	ut_txn_start(c1, &t1);
	ut_txn_start(c2, &t2);
	ut_write(c1, t1, "/d/one", "A");
	ut_write(c2, t2, "/d/one", "B");
	CU_ASSERT_EQUAL(ut_txn_end(c1, t1, true), 0);
	CU_ASSERT_EQUAL(ut_txn_end(c2, t2, true), EAGAIN);
	ut_read(c1, 0, "/d/one", buf);
	CU_ASSERT_STRING_EQUAL(buf, "A");
	CU_ASSERT_EQUAL(ut_store.stats_txn_again, 1);
	ut_fini();
}

/* A node the transaction saw absent was created meanwhile: conflict. */
static void test_absent_then_created(void)
{
	struct xs_conn *c;
	uint32_t t;

	ut_init(NULL);
	c = ut_conn(0);
	ut_txn_start(c, &t);
	CU_ASSERT_EQUAL(ut_read(c, t, "/late", buf), ENOENT);
	ut_write(c, 0, "/late", "x");
	ut_write(c, t, "/other", "y");
	CU_ASSERT_EQUAL(ut_txn_end(c, t, true), EAGAIN);
	CU_ASSERT_EQUAL(ut_read(c, 0, "/other", buf), ENOENT);
	ut_fini();
}

static void test_rm_create_in_txn(void)
{
	struct xs_conn *c;
	uint32_t t;

	ut_init(NULL);
	c = ut_conn(0);
	ut_write(c, 0, "/r/a/b", "1");
	ut_write(c, 0, "/r/a/c", "2");
	ut_txn_start(c, &t);
	CU_ASSERT_EQUAL(ut_op1(c, XS_RM, t, "/r/a"), 0);
	CU_ASSERT_EQUAL(ut_write(c, t, "/r/n/x", "3"), 0);
	CU_ASSERT_EQUAL(ut_read(c, 0, "/r/a/b", buf), 0);
	CU_ASSERT_EQUAL(ut_txn_end(c, t, true), 0);
	CU_ASSERT_EQUAL(ut_read(c, 0, "/r/a/b", buf), ENOENT);
	CU_ASSERT_EQUAL(ut_read(c, 0, "/r/a", buf), ENOENT);
	CU_ASSERT_EQUAL(ut_read(c, 0, "/r/n/x", buf), 0);
	CU_ASSERT_EQUAL(ut_raw(c, XS_DIRECTORY, 0, "/r", 3), XS_DIRECTORY);
	CU_ASSERT(ut_len == 2 && !memcmp(ut_reply, "n", 2));
	CU_ASSERT_EQUAL(ut_op1(c, XS_CONTROL, 0, "check"), 0);
	CU_ASSERT_STRING_EQUAL(ut_reply, "OK");
	ut_fini();
}

static void test_bad_ids_and_limits(void)
{
	struct xs_conn *c, *d1;
	uint32_t t, i;

	ut_init(NULL);
	c = ut_conn(0);
	d1 = ut_conn(1);
	CU_ASSERT_EQUAL(ut_read(c, 4242, "/", buf), ENOENT);
	CU_ASSERT_EQUAL(ut_txn_end(c, 4242, true), ENOENT);
	ut_txn_start(c, &t);
	CU_ASSERT_EQUAL(ut_op1(c, XS_TRANSACTION_END, t, "X"), EINVAL);
	CU_ASSERT_EQUAL(ut_raw(c, XS_TRANSACTION_START, t, "", 1), XS_ERROR);
	CU_ASSERT_STRING_EQUAL(ut_reply, "EBUSY");
	/* Another connection cannot use this connection's transaction. */
	CU_ASSERT_EQUAL(ut_read(d1, t, "/", buf), ENOENT);
	for (i = 0; i < 10; i++)
		CU_ASSERT_EQUAL(ut_txn_start(d1, &t), 0);
	CU_ASSERT_EQUAL(ut_txn_start(d1, &t), ENOSPC);
	ut_fini();
}

const CU_TestInfo ut_txn_tests[] = {
	{ "isolation until commit", test_isolation_commit },
	{ "abort discards", test_abort },
	{ "snapshot reads, EAGAIN on conflict", test_snapshot_conflict },
	{ "disjoint nodes never conflict", test_disjoint_no_conflict },
	{ "absent node created meanwhile conflicts", test_absent_then_created },
	{ "rm and create inside a transaction", test_rm_create_in_txn },
	{ "bad ids, EBUSY, 10 per domain", test_bad_ids_and_limits },
	CU_TEST_INFO_NULL,
};
