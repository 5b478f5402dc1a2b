// SPDX-License-Identifier: GPL-2.0-only
/*
 * Quota suite: nodes per domain, node size, permissions per node, path
 * length below a domain's home, transaction nodes; dom0 is exempt; a
 * released domain's nodes go to dom0.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ut_harness.h"

static void test_nodes(void)
{
	struct xs_limits l;
	struct xs_conn *d0, *d1;
	char path[32];
	int i;

	xs_limits_default(&l);
	l.entries = 5;
	ut_init(&l);
	d0 = ut_conn(0);
	d1 = ut_home(d0, 1); /* its home is node 1 */
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "n%d", i);
		CU_ASSERT_EQUAL(ut_write(d1, 0, path, "v"), 0);
	}
	CU_ASSERT_EQUAL(ut_write(d1, 0, "n4", "v"), ENOSPC);
	CU_ASSERT_EQUAL(ut_write(d1, 0, "n0", "rewrite is fine"), 0);
	/* dom0 is exempt; the node inherits the owner and counts for dom1. */
	CU_ASSERT_EQUAL(ut_write(d0, 0, "/local/domain/1/by-dom0", "v"), 0);
	CU_ASSERT_EQUAL(ut_store.dom_nodes[1], 6);
	CU_ASSERT_EQUAL(ut_op1(d1, XS_RM, 0, "n0"), 0);
	CU_ASSERT_EQUAL(ut_write(d1, 0, "n4", "v"), ENOSPC);
	CU_ASSERT_EQUAL(ut_op1(d1, XS_RM, 0, "n1"), 0);
	CU_ASSERT_EQUAL(ut_write(d1, 0, "n4", "v"), 0);
	ut_fini();
}

static void test_sizes(void)
{
	static char big[3000];
	struct xs_conn *d0, *d1;

	ut_init(NULL);
	d0 = ut_conn(0);
	d1 = ut_home(d0, 1);
	memset(big, 'x', sizeof(big) - 1);
	CU_ASSERT_EQUAL(ut_write(d1, 0, "big", big), ENOSPC);
	CU_ASSERT_EQUAL(ut_write(d0, 0, "/local/domain/1/big", big), 0);
	big[1900] = '\0';
	CU_ASSERT_EQUAL(ut_write(d1, 0, "fits", big), 0);
	CU_ASSERT_EQUAL(ut_setperms(d1, 0, "fits", "n1 r2 r3 r4 r5"), 0);
	CU_ASSERT_EQUAL(ut_setperms(d1, 0, "fits", "n1 r2 r3 r4 r5 r6"), ENOSPC);
	CU_ASSERT_EQUAL(ut_setperms(d0, 0, "/local/domain/1/fits", "n1 r2 r3 r4 r5 r6"), 0);
	ut_fini();
}

/* A relative path of @len bytes made of 100-byte components. */
static const char *long_path(size_t len)
{
	static char path[2200];
	size_t i;

	for (i = 0; i < len; i++)
		path[i] = (i % 100 == 99) ? '/' : 'p';
	if (path[len - 1] == '/')
		path[len - 1] = 'q';
	path[len] = '\0';
	return path;
}

static void test_path_len(void)
{
	struct xs_conn *d0, *d1;

	ut_init(NULL);
	d0 = ut_conn(0);
	d1 = ut_home(d0, 1);
	CU_ASSERT_EQUAL(ut_write(d1, 0, long_path(2049), ""), EINVAL);
	CU_ASSERT_EQUAL(ut_write(d1, 0, long_path(2048), ""), 0);
	/* dom0 is held to the absolute limit only. */
	CU_ASSERT_EQUAL(ut_write(d0, 0, long_path(2049), ""), 0);
	ut_fini();
}

static void test_txn_nodes(void)
{
	struct xs_limits l;
	struct xs_conn *d0, *d1;
	char path[32];
	uint32_t t;
	int i, err = 0;

	xs_limits_default(&l);
	l.txn_nodes = 8;
	ut_init(&l);
	d0 = ut_conn(0);
	d1 = ut_home(d0, 1);
	CU_ASSERT_EQUAL(ut_txn_start(d1, &t), 0);
	for (i = 0; i < 20 && !err; i++) {
		snprintf(path, sizeof(path), "t%d", i);
		err = ut_write(d1, t, path, "v");
	}
	CU_ASSERT_EQUAL(err, ENOSPC);
	CU_ASSERT(i < 20);
	CU_ASSERT_EQUAL(ut_txn_end(d1, t, false), 0);
	ut_fini();
}

static void test_release_orphans(void)
{
	struct xs_conn *d0;
	struct xs_domain *d;

	ut_init(NULL);
	d0 = ut_conn(0);
	CU_ASSERT_EQUAL(ut_raw(d0, XS_INTRODUCE, 0,
			       "4\0"
			       "77\0"
			       "1",
			       7),
			XS_INTRODUCE);
	d = xs_domain_find(&ut_store, 4);
	CU_ASSERT_FATAL(d != NULL);
	ut_op1(d0, XS_MKDIR, 0, "/local/domain/4");
	ut_setperms(d0, 0, "/local/domain/4", "n4 r7");
	CU_ASSERT_EQUAL(ut_write(d->conn, 0, "data", "v"), 0);
	CU_ASSERT_EQUAL(ut_store.dom_nodes[4], 2);
	CU_ASSERT_EQUAL(ut_op1(d0, XS_RELEASE, 0, "4"), 0);
	CU_ASSERT_EQUAL(ut_store.dom_nodes[4], 0);
	CU_ASSERT_EQUAL(ut_raw(d0, XS_GET_PERMS, 0, "/local/domain/4", 16), XS_GET_PERMS);
	CU_ASSERT(ut_len == 6 && !memcmp(ut_reply, "n0\0r7\0", 6));
	ut_fini();
}

/* Requests of an unprivileged client wait while 20 messages are unread. */
static void test_outstanding(void)
{
	struct xsd_sockmsg h = { .type = XS_GET_DOMAIN_PATH, .len = 2 };
	char msg[25 * 18], buf[XENSTORE_PAYLOAD_MAX + 1];
	struct xs_conn *d1, *d0;
	uint32_t type, len;
	unsigned int i, n = 0;

	ut_init(NULL);
	d1 = ut_conn(1);
	d0 = ut_conn(0);
	for (i = 0; i < 25; i++) {
		h.req_id = i;
		memcpy(msg + i * 18, &h, sizeof(h));
		memcpy(msg + i * 18 + 16, "1", 2);
	}
	CU_ASSERT_EQUAL(xs_conn_input(d1, msg, sizeof(msg)), 0);
	CU_ASSERT_EQUAL(d1->out_msgs, 20);
	CU_ASSERT(xs_conn_blocked(d1));
	CU_ASSERT_EQUAL(ut_write(d0, 0, "/others/served", "1"), 0);
	while (ut_pop(d1, &type, buf, &len)) {
		CU_ASSERT(type == XS_GET_DOMAIN_PATH && !strcmp(buf, "/local/domain/1"));
		n++;
		if (n == 20)
			xs_conn_process(d1); /* what the daemon does after a flush */
	}
	CU_ASSERT_EQUAL(n, 25);
	CU_ASSERT_EQUAL(d1->in_len, 0);
	CU_ASSERT_EQUAL(d1->out_msgs, 0);
	/* dom0 is exempt. */
	CU_ASSERT_EQUAL(xs_conn_input(d0, msg, sizeof(msg)), 0);
	CU_ASSERT_EQUAL(d0->out_msgs, 25);
	ut_fini();
}

const CU_TestInfo ut_quota_tests[] = {
	{ "outstanding requests per unprivileged client", test_outstanding },
	{ "nodes per domain; dom0 exempt", test_nodes },
	{ "node size and permissions per node", test_sizes },
	{ "path length below the domain's home", test_path_len },
	{ "nodes per transaction", test_txn_nodes },
	{ "release hands a domain's nodes to dom0", test_release_orphans },
	CU_TEST_INFO_NULL,
};
