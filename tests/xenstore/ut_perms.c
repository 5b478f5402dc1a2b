// SPDX-License-Identifier: GPL-2.0-only
/*
 * Permission suite: owner and default access, per-domain ACLs, inheritance
 * and ownership of new nodes, EPERM on owner change, SET_TARGET privilege,
 * perms strings, special nodes.
 */
#include <errno.h>
#include <string.h>

#include "ut_harness.h"

static char buf[XENSTORE_PAYLOAD_MAX + 1];

static void test_default_and_acl(void)
{
	struct xs_conn *d0, *d1, *d2;

	ut_init(NULL);
	d0 = ut_conn(0);
	d1 = ut_conn(1);
	d2 = ut_conn(2);
	ut_domain(1);
	ut_domain(2);
	CU_ASSERT_EQUAL(ut_write(d0, 0, "/p/node", "secret"), 0);
	CU_ASSERT_EQUAL(ut_read(d1, 0, "/p/node", buf), EACCES);
	CU_ASSERT_EQUAL(ut_write(d1, 0, "/p/node", "x"), EACCES);
	CU_ASSERT_EQUAL(ut_setperms(d0, 0, "/p/node", "n0 r1"), 0);
	CU_ASSERT_EQUAL(ut_read(d1, 0, "/p/node", buf), 0);
	CU_ASSERT_EQUAL(ut_write(d1, 0, "/p/node", "x"), EACCES);
	CU_ASSERT_EQUAL(ut_read(d2, 0, "/p/node", buf), EACCES);
	CU_ASSERT_EQUAL(ut_setperms(d0, 0, "/p/node", "r0 b1"), 0);
	CU_ASSERT_EQUAL(ut_write(d1, 0, "/p/node", "x"), 0);
	CU_ASSERT_EQUAL(ut_read(d2, 0, "/p/node", buf), 0); /* default r */
	CU_ASSERT_EQUAL(ut_write(d2, 0, "/p/node", "y"), EACCES);
	CU_ASSERT_EQUAL(ut_op1(d1, XS_RM, 0, "/p/node"), 0);
	/* An ACL entry for a domain that did not exist yet stays ignored. */
	ut_write(d0, 0, "/p/later", "x");
	CU_ASSERT_EQUAL(ut_setperms(d0, 0, "/p/later", "n0 r7"), 0);
	ut_domain(7);
	CU_ASSERT_EQUAL(ut_read(ut_conn(7), 0, "/p/later", buf), EACCES);
	CU_ASSERT_EQUAL(ut_raw(d0, XS_GET_PERMS, 0, "/p/later", 9), XS_GET_PERMS);
	CU_ASSERT(ut_len == 6 && !memcmp(ut_reply, "n0\0r7\0", 6));
	/* A missing owner is ENOENT, checked before the path (as Xen). */
	CU_ASSERT_EQUAL(ut_setperms(d0, 0, "/p//bad", "n9"), ENOENT);
	ut_fini();
}

static void test_new_node_owner(void)
{
	struct xs_conn *d0, *d1;

	ut_init(NULL);
	d0 = ut_conn(0);
	d1 = ut_conn(1);
	/* An owner must exist (as in Xen): not yet... */
	CU_ASSERT_EQUAL(ut_op1(d0, XS_MKDIR, 0, "/local/domain/1"), 0);
	CU_ASSERT_EQUAL(ut_setperms(d0, 0, "/local/domain/1", "n1 r0"), ENOENT);
	CU_ASSERT_EQUAL(ut_setperms(d0, 0, "/local/domain/1", "n0 r7 b9"), 0); /* ACLs may */
	ut_domain(1);
	ut_domain(2);
	CU_ASSERT_EQUAL(ut_setperms(d0, 0, "/local/domain/1", "n1 r0"), 0);
	CU_ASSERT_EQUAL(ut_write(d1, 0, "mine/leaf", "v"), 0);
	CU_ASSERT_EQUAL(ut_raw(d1, XS_GET_PERMS, 0, "mine/leaf", 10), XS_GET_PERMS);
	CU_ASSERT(ut_len == 6 && memcmp(ut_reply, "n1\0r0\0", 6) == 0);
	CU_ASSERT_EQUAL(ut_store.dom_nodes[1], 3); /* domain/1 + mine + leaf */
	/* A domain cannot give its node away, but may change its ACL. */
	CU_ASSERT_EQUAL(ut_setperms(d1, 0, "mine/leaf", "n2"), EPERM);
	CU_ASSERT_EQUAL(ut_setperms(d1, 0, "mine/leaf", "n1 r2"), 0);
	/* dom0 may: the count follows the owner. */
	CU_ASSERT_EQUAL(ut_setperms(d0, 0, "/local/domain/1/mine/leaf", "n2"), 0);
	CU_ASSERT_EQUAL(ut_store.dom_nodes[1], 2);
	CU_ASSERT_EQUAL(ut_store.dom_nodes[2], 1);
	/* Nobody but the owner (and dom0) may set perms. */
	CU_ASSERT_EQUAL(ut_setperms(d1, 0, "/local/domain/1/mine/leaf", "n1"), EACCES);
	ut_fini();
}

static void test_perm_strings(void)
{
	struct xs_conn *d0;

	ut_init(NULL);
	d0 = ut_conn(0);
	ut_write(d0, 0, "/s", "");
	ut_domain(5);
	CU_ASSERT_EQUAL(ut_setperms(d0, 0, "/s", "x1"), EINVAL);
	CU_ASSERT_EQUAL(ut_setperms(d0, 0, "/s", "r"), EINVAL);
	CU_ASSERT_EQUAL(ut_setperms(d0, 0, "/s", "r1x"), EINVAL);
	CU_ASSERT_EQUAL(ut_setperms(d0, 0, "/s", "b5 w6 r7 n8"), 0);
	CU_ASSERT_EQUAL(ut_raw(d0, XS_GET_PERMS, 0, "/s", 3), XS_GET_PERMS);
	CU_ASSERT(ut_len == 12 && memcmp(ut_reply, "b5\0w6\0r7\0n8\0", 12) == 0);
	CU_ASSERT_EQUAL(ut_op1(d0, XS_SET_PERMS, 0, "/s"), EINVAL); /* no perms */
	/* Special nodes: SET_PERMS works, GET_PERMS is EINVAL (as Xen 4.17). */
	CU_ASSERT_EQUAL(ut_setperms(d0, 0, "@releaseDomain", "n0 r3"), 0);
	CU_ASSERT_EQUAL(ut_setperms(d0, 0, "@other", "n0"), ENOENT);
	CU_ASSERT_EQUAL(ut_op1(d0, XS_GET_PERMS, 0, "@releaseDomain"), EINVAL);
	ut_fini();
}

static void test_target(void)
{
	struct xs_conn *d0, *dm;
	struct xs_domain *d;

	ut_init(NULL);
	d0 = ut_conn(0);
	CU_ASSERT_EQUAL(ut_op2(d0, XS_INTRODUCE, 0, "5", "1234"), EINVAL); /* 2 args */
	CU_ASSERT_EQUAL(ut_raw(d0, XS_INTRODUCE, 0,
			       "5\0"
			       "1234\0"
			       "7",
			       9),
			XS_INTRODUCE);
	CU_ASSERT_EQUAL(ut_raw(d0, XS_INTRODUCE, 0,
			       "6\0"
			       "1235\0"
			       "8",
			       9),
			XS_INTRODUCE);
	ut_write(d0, 0, "/t/guest5", "data");
	ut_setperms(d0, 0, "/t/guest5", "n5");
	d = xs_domain_find(&ut_store, 6);
	CU_ASSERT_FATAL(d != NULL && d->conn != NULL);
	dm = d->conn;
	CU_ASSERT_EQUAL(ut_read(dm, 0, "/t/guest5", NULL), EACCES);
	CU_ASSERT_EQUAL(ut_op2(d0, XS_SET_TARGET, 0, "6", "5"), 0);
	CU_ASSERT_EQUAL(ut_read(dm, 0, "/t/guest5", NULL), 0);
	CU_ASSERT_EQUAL(ut_op2(d0, XS_SET_TARGET, 0, "9", "5"), ENOENT);
	CU_ASSERT_EQUAL(ut_op2(dm, XS_SET_TARGET, 0, "6", "5"), EACCES);
	ut_fini();
}

const CU_TestInfo ut_perms_tests[] = {
	{ "owner, default access and ACL entries", test_default_and_acl },
	{ "new nodes: owner, counts, owner change", test_new_node_owner },
	{ "perms strings and special nodes", test_perm_strings },
	{ "SET_TARGET makes a domain privileged over its target", test_target },
	CU_TEST_INFO_NULL,
};
