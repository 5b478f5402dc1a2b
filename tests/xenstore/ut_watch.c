// SPDX-License-Identifier: GPL-2.0-only
/*
 * Watch suite: the initial firing, events for the node and descendants,
 * relative paths, RM of an ancestor, transactions firing at commit, special
 * watches, read permission, the per-domain limit and a client that never
 * reads its events.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ut_harness.h"

static char ev[XENSTORE_PAYLOAD_MAX + 1];

/* Pop one event: its path (token must be @tok), or NULL when none. */
static const char *next_event(struct xs_conn *c, const char *tok)
{
	uint32_t type, len;

	if (!ut_pop(c, &type, ev, &len) || type != XS_WATCH_EVENT)
		return NULL;
	if (strcmp(ev + strlen(ev) + 1, tok))
		return "wrong-token";
	return ev;
}

static void test_fire(void)
{
	struct xs_conn *w, *c;
	const char *p;

	ut_init(NULL);
	w = ut_conn(0);
	c = ut_conn(0);
	CU_ASSERT_EQUAL(ut_op2(w, XS_WATCH, 0, "/w", "tok"), 0);
	p = next_event(w, "tok");
	CU_ASSERT(p && !strcmp(p, "/w")); /* initial firing */
	CU_ASSERT_EQUAL(ut_op2(w, XS_WATCH, 0, "/w", "tok"), EEXIST);
	ut_drain(w);
	ut_write(c, 0, "/w/a/b", "1");
	p = next_event(w, "tok");
	CU_ASSERT(p && !strcmp(p, "/w/a/b"));
	CU_ASSERT_PTR_NULL(next_event(w, "tok"));
	ut_write(c, 0, "/wx", "1"); /* a sibling with the same prefix */
	ut_write(c, 0, "/", "root");
	CU_ASSERT_PTR_NULL(next_event(w, "tok"));
	ut_op1(c, XS_RM, 0, "/w");
	p = next_event(w, "tok");
	CU_ASSERT_PTR_NOT_NULL(p);
	ut_drain(w);
	CU_ASSERT_EQUAL(ut_op2(w, XS_UNWATCH, 0, "/w", "tok"), 0);
	CU_ASSERT_EQUAL(ut_op2(w, XS_UNWATCH, 0, "/w", "tok"), ENOENT);
	ut_write(c, 0, "/w", "again");
	CU_ASSERT_PTR_NULL(next_event(w, "tok"));
	ut_fini();
}

/* RM: watches on and above the top fire with its path; below it, only the
 * watches on a removed node itself, with that node's path (as Xen). */
static void test_rm_events(void)
{
	struct xs_conn *c, *up, *top, *leaf, *below;
	const char *p;

	ut_init(NULL);
	c = ut_conn(0);
	up = ut_conn(0);
	top = ut_conn(0);
	leaf = ut_conn(0);
	below = ut_conn(0);
	ut_write(c, 0, "/top/mid/leaf", "1");
	ut_op2(up, XS_WATCH, 0, "/", "t");
	ut_op2(top, XS_WATCH, 0, "/top/mid", "t");
	ut_op2(leaf, XS_WATCH, 0, "/top/mid/leaf", "t");
	ut_op2(below, XS_WATCH, 0, "/top/mid/leaf/none", "t");
	ut_drain(up);
	ut_drain(top);
	ut_drain(leaf);
	ut_drain(below);
	ut_op1(c, XS_RM, 0, "/top/mid");
	p = next_event(up, "t");
	CU_ASSERT(p && !strcmp(p, "/top/mid"));
	CU_ASSERT_PTR_NULL(next_event(up, "t"));
	p = next_event(top, "t");
	CU_ASSERT(p && !strcmp(p, "/top/mid"));
	CU_ASSERT_PTR_NULL(next_event(top, "t"));
	p = next_event(leaf, "t");
	CU_ASSERT(p && !strcmp(p, "/top/mid/leaf"));
	CU_ASSERT_PTR_NULL(next_event(leaf, "t"));
	CU_ASSERT_PTR_NULL(next_event(below, "t"));
	ut_fini();
}

static void test_relative_watch(void)
{
	struct xs_conn *d0, *d1;
	const char *p;

	ut_init(NULL);
	d0 = ut_conn(0);
	d1 = ut_conn(1);
	ut_domain(1);
	ut_op1(d0, XS_MKDIR, 0, "/local/domain/1");
	ut_setperms(d0, 0, "/local/domain/1", "n1");
	CU_ASSERT_EQUAL(ut_op2(d1, XS_WATCH, 0, "device", "rel"), 0);
	p = next_event(d1, "rel");
	CU_ASSERT(p && !strcmp(p, "device"));
	ut_write(d0, 0, "/local/domain/1/device/vif/0", "x");
	p = next_event(d1, "rel");
	CU_ASSERT(p && !strcmp(p, "device/vif/0"));
	ut_fini();
}

static void test_txn_fires_at_commit(void)
{
	struct xs_conn *w, *c;
	const char *p;
	uint32_t t;

	ut_init(NULL);
	w = ut_conn(0);
	c = ut_conn(0);
	ut_op2(w, XS_WATCH, 0, "/tw", "t");
	ut_drain(w);
	ut_txn_start(c, &t);
	ut_write(c, t, "/tw/x", "1");
	CU_ASSERT_PTR_NULL(next_event(w, "t"));
	ut_txn_end(c, t, true);
	p = next_event(w, "t");
	CU_ASSERT(p && !strcmp(p, "/tw/x"));
	CU_ASSERT_PTR_NULL(next_event(w, "t"));
	ut_txn_start(c, &t);
	ut_write(c, t, "/tw/y", "1");
	ut_txn_end(c, t, false);
	CU_ASSERT_PTR_NULL(next_event(w, "t"));
	ut_fini();
}

static void test_special_and_perms(void)
{
	struct xs_conn *d0, *d1, *w;
	const char *p;

	ut_init(NULL);
	d0 = ut_conn(0);
	d1 = ut_conn(1);
	w = ut_conn(0);
	ut_op2(w, XS_WATCH, 0, "@introduceDomain", "in");
	ut_op2(w, XS_WATCH, 0, "@releaseDomain", "out");
	ut_drain(w);
	CU_ASSERT_EQUAL(ut_raw(d0, XS_INTRODUCE, 0,
			       "3\0"
			       "99\0"
			       "4",
			       7),
			XS_INTRODUCE);
	p = next_event(w, "in");
	CU_ASSERT(p && !strcmp(p, "@introduceDomain"));
	CU_ASSERT_EQUAL(ut_op1(d0, XS_IS_DOMAIN_INTRODUCED, 0, "3"), 0);
	CU_ASSERT_STRING_EQUAL(ut_reply, "T");
	CU_ASSERT_EQUAL(ut_op1(d0, XS_RELEASE, 0, "3"), 0);
	p = next_event(w, "out");
	CU_ASSERT(p && !strcmp(p, "@releaseDomain"));
	CU_ASSERT_EQUAL(ut_op1(d0, XS_IS_DOMAIN_INTRODUCED, 0, "3"), 0);
	CU_ASSERT_STRING_EQUAL(ut_reply, "F");
	CU_ASSERT_EQUAL(ut_op1(d0, XS_RELEASE, 0, "3"), ENOENT);
	/* dom1 cannot read /hidden: no event for it. */
	ut_write(d0, 0, "/hidden", "");
	CU_ASSERT_EQUAL(ut_op2(d1, XS_WATCH, 0, "/hidden", "h"), 0);
	ut_drain(d1);
	ut_write(d0, 0, "/hidden", "changed");
	CU_ASSERT_PTR_NULL(next_event(d1, "h"));
	ut_fini();
}

static void test_limit_and_backlog(void)
{
	struct xs_conn *d1, *w, *c;
	struct xs_limits l;
	char tok[16];
	int i;

	xs_limits_default(&l);
	l.out_max = 65536;
	ut_init(&l);
	d1 = ut_conn(1);
	for (i = 0; i < 128; i++) {
		snprintf(tok, sizeof(tok), "%d", i);
		CU_ASSERT_EQUAL(ut_op2(d1, XS_WATCH, 0, "/q", tok), 0);
	}
	CU_ASSERT_EQUAL(ut_op2(d1, XS_WATCH, 0, "/q", "one-more"), E2BIG);
	/* A watcher that never reads: its queue stops growing. */
	w = ut_conn(0);
	c = ut_conn(0);
	ut_op2(w, XS_WATCH, 0, "/flood", "f");
	for (i = 0; i < 10000; i++) {
		snprintf(tok, sizeof(tok), "/flood/%d", i % 100);
		ut_write(c, 0, tok, "0123456789012345678901234567890123456789");
	}
	CU_ASSERT(w->events_dropped > 0);
	CU_ASSERT(w->out_end - w->out_start <= ut_store.lim.out_max + XS_MSG_MAX);
	CU_ASSERT_EQUAL(ut_write(c, 0, "/still/served", "yes"), 0);
	ut_fini();
}

/* As Xen: an event identical to one still queued is not queued twice. */
static void test_identical_pending(void)
{
	struct xs_conn *w, *c;
	const char *p;

	ut_init(NULL);
	w = ut_conn(0);
	c = ut_conn(0);
	ut_op2(w, XS_WATCH, 0, "/d", "t");
	ut_op2(w, XS_WATCH, 0, "/d/x", "t"); /* same token: both match /d/x */
	ut_drain(w);
	ut_write(c, 0, "/d/x", "1");
	p = next_event(w, "t");
	CU_ASSERT(p && !strcmp(p, "/d/x"));
	CU_ASSERT_PTR_NULL(next_event(w, "t"));
	ut_write(c, 0, "/d/x", "2"); /* the first was read: queued again */
	p = next_event(w, "t");
	CU_ASSERT(p && !strcmp(p, "/d/x"));
	ut_write(c, 0, "/d/x", "3");
	ut_write(c, 0, "/d/x", "4"); /* still pending: not again */
	CU_ASSERT_EQUAL(ut_drain(w), 1);
	ut_fini();
}

const CU_TestInfo ut_watch_tests[] = {
	{ "identical pending events are not queued twice", test_identical_pending },
	{ "initial firing, node and descendants, unwatch", test_fire },
	{ "rm fires like Xen: top and above, removed nodes themselves", test_rm_events },
	{ "relative watches get relative paths", test_relative_watch },
	{ "transactions fire at commit only", test_txn_fires_at_commit },
	{ "special watches; no event without read access", test_special_and_perms },
	{ "128 watches per domain; a client that never reads", test_limit_and_backlog },
	CU_TEST_INFO_NULL,
};
