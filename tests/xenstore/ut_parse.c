// SPDX-License-Identifier: GPL-2.0-only
/*
 * Message parsing suite: framing (split and batched messages), oversized
 * lengths, missing NUL terminators, unknown and reply-only types, path
 * characters and lengths, privileged operations, domain-id arguments and
 * Xen's error names.
 */
#include <errno.h>
#include <string.h>

#include "ut_harness.h"

static void test_framing(void)
{
	struct xsd_sockmsg h1 = { .type = XS_WRITE, .req_id = 7, .len = 5 };
	struct xsd_sockmsg h2 = { .type = XS_READ, .req_id = 8, .len = 3 };
	char msg[64], buf[XENSTORE_PAYLOAD_MAX + 1];
	struct xs_conn *c;
	uint32_t type, len;
	size_t n = 0, i;

	ut_init(NULL);
	c = ut_conn(0);
	memcpy(msg + n, &h1, sizeof(h1));
	n += sizeof(h1);
	memcpy(msg + n, "/f\0hi", 5);
	n += 5;
	memcpy(msg + n, &h2, sizeof(h2));
	n += sizeof(h2);
	memcpy(msg + n, "/f", 3);
	n += 3;
	/* One byte at a time: nothing is answered before it is complete. */
	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(xs_conn_input(c, msg + i, 1), 0);
		if (i < sizeof(h1) + 4)
			CU_ASSERT_EQUAL(c->out_end, 0);
	}
	CU_ASSERT(ut_pop(c, &type, buf, &len) && type == XS_WRITE && !strcmp(buf, "OK"));
	CU_ASSERT(ut_pop(c, &type, buf, &len) && type == XS_READ && len == 2 &&
		  !memcmp(buf, "hi", 2));
	/* Both at once. */
	CU_ASSERT_EQUAL(xs_conn_input(c, msg, n), 0);
	CU_ASSERT_EQUAL(ut_drain(c), 0);
	CU_ASSERT_EQUAL(c->in_len, 0);
	ut_fini();
}

static void test_oversized(void)
{
	struct xsd_sockmsg h = { .type = XS_READ, .len = XENSTORE_PAYLOAD_MAX + 1 };
	struct xs_conn *c, *other;

	ut_init(NULL);
	c = ut_conn(0);
	other = ut_conn(0);
	CU_ASSERT_EQUAL(xs_conn_input(c, (const char *)&h, sizeof(h)), -EPROTO);
	CU_ASSERT(c->dead);
	CU_ASSERT_EQUAL(ut_write(other, 0, "/alive", "1"), 0);
	ut_fini();
}

static void test_bad_args(void)
{
	struct xs_conn *c;

	ut_init(NULL);
	c = ut_conn(0);
	CU_ASSERT_EQUAL(ut_raw(c, XS_READ, 0, "/nonul", 6), XS_ERROR);
	CU_ASSERT_STRING_EQUAL(ut_reply, "EINVAL");
	CU_ASSERT_EQUAL(ut_raw(c, XS_READ, 0, "", 0), XS_ERROR);
	CU_ASSERT_EQUAL(ut_raw(c, XS_READ, 0, "/a\0/b", 6), XS_ERROR); /* two args */
	CU_ASSERT_EQUAL(ut_raw(c, XS_WRITE, 0, "/nonul", 6), XS_ERROR);
	CU_ASSERT_EQUAL(ut_raw(c, XS_WATCH, 0, "/a\0tok", 6), XS_ERROR);
	CU_ASSERT_EQUAL(ut_raw(c, XS_WATCH, 0, "/a", 3), XS_ERROR);
	/* Unknown and reply-only types: ENOSYS, as Xen answers. */
	CU_ASSERT_EQUAL(ut_raw(c, 999, 0, "/a", 3), XS_ERROR);
	CU_ASSERT_STRING_EQUAL(ut_reply, "ENOSYS");
	CU_ASSERT_EQUAL(ut_raw(c, XS_WATCH_EVENT, 0, "/a\0t", 5), XS_ERROR);
	CU_ASSERT_STRING_EQUAL(ut_reply, "ENOSYS");
	CU_ASSERT_EQUAL(ut_raw(c, XS_ERROR, 0, "EINVAL", 7), XS_ERROR);
	CU_ASSERT_EQUAL(ut_raw(c, XS_INVALID, 0, "", 1), XS_ERROR);
	CU_ASSERT_STRING_EQUAL(ut_reply, "ENOSYS");
	CU_ASSERT_EQUAL(ut_op1(c, XS_CONTROL, 0, "no-such-command"), EINVAL);
	ut_fini();
}

static void test_paths(void)
{
	static char longp[XENSTORE_ABS_PATH_MAX + 10];
	struct xs_conn *c;

	ut_init(NULL);
	c = ut_conn(0);
	CU_ASSERT_EQUAL(ut_write(c, 0, "/a b", "x"), EINVAL);
	CU_ASSERT_EQUAL(ut_write(c, 0, "/a//b", "x"), EINVAL);
	CU_ASSERT_EQUAL(ut_write(c, 0, "/a/", "x"), EINVAL);
	CU_ASSERT_EQUAL(ut_write(c, 0, "/a\xff", "x"), EINVAL);
	CU_ASSERT_EQUAL(ut_write(c, 0, "@special", "x"), EINVAL);
	CU_ASSERT_EQUAL(ut_write(c, 0, "/ok-_@Z9", "x"), 0);
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[XENSTORE_ABS_PATH_MAX + 1] = '\0';
	CU_ASSERT_EQUAL(ut_read(c, 0, longp, NULL), EINVAL);
	CU_ASSERT_EQUAL(ut_op1(c, XS_CONTROL, 0, "check"), 0);
	ut_fini();
}

static void test_privilege_and_domids(void)
{
	struct xs_conn *d0, *d1;

	ut_init(NULL);
	d0 = ut_conn(0);
	d1 = ut_conn(1);
	CU_ASSERT_EQUAL(ut_op1(d1, XS_CONTROL, 0, "check"), EACCES);
	CU_ASSERT_EQUAL(ut_op1(d1, XS_RELEASE, 0, "2"), EACCES);
	CU_ASSERT_EQUAL(ut_op1(d1, XS_IS_DOMAIN_INTRODUCED, 0, "0"), EACCES);
	CU_ASSERT_EQUAL(ut_op1(d1, XS_GET_DOMAIN_PATH, 0, "7"), 0);
	CU_ASSERT_STRING_EQUAL(ut_reply, "/local/domain/7");
	CU_ASSERT_EQUAL(ut_op1(d0, XS_GET_DOMAIN_PATH, 0, "seven"), EINVAL);
	CU_ASSERT_EQUAL(ut_op1(d0, XS_GET_DOMAIN_PATH, 0, "70000"), EINVAL);
	CU_ASSERT_EQUAL(ut_op1(d0, XS_RESUME, 0, "9"), ENOENT);
	CU_ASSERT_EQUAL(ut_raw(d0, XS_INTRODUCE, 0,
			       "x\0"
			       "1\0"
			       "1",
			       6),
			XS_ERROR);
	CU_ASSERT_EQUAL(ut_raw(d0, XS_INTRODUCE, 0,
			       "70000\0"
			       "1\0"
			       "1",
			       10),
			XS_ERROR);
	CU_ASSERT_EQUAL(ut_op1(d0, XS_CONTROL, 0, "help"), 0);
	CU_ASSERT(strstr(ut_reply, "memreport") != NULL);
	CU_ASSERT_EQUAL(ut_op1(d0, XS_CONTROL, 0, "memreport"), 0);
	CU_ASSERT(strstr(ut_reply, "nodes: 3") != NULL);
	CU_ASSERT_EQUAL(ut_op1(d0, XS_CONTROL, 0, "quota"), 0);
	CU_ASSERT(strstr(ut_reply, "1000") != NULL);
	CU_ASSERT_EQUAL(ut_op2(d0, XS_CONTROL, 0, "log", "on"), 0);
	CU_ASSERT_EQUAL(ut_op2(d0, XS_CONTROL, 0, "log", "maybe"), EINVAL);
	ut_fini();
}

static void test_error_names(void)
{
	CU_ASSERT_STRING_EQUAL(xs_error_name(ENOENT), "ENOENT");
	CU_ASSERT_STRING_EQUAL(xs_error_name(EAGAIN), "EAGAIN");
	CU_ASSERT_STRING_EQUAL(xs_error_name(E2BIG), "E2BIG");
	CU_ASSERT_STRING_EQUAL(xs_error_name(12345), "EIO");
	CU_ASSERT_EQUAL(xs_errno_from_name("EACCES"), EACCES);
}

const CU_TestInfo ut_parse_tests[] = {
	{ "split and batched messages", test_framing },
	{ "length over XENSTORE_PAYLOAD_MAX drops that client", test_oversized },
	{ "missing NULs, wrong arg counts, unknown types", test_bad_args },
	{ "path characters and lengths", test_paths },
	{ "privileged ops and domid arguments", test_privilege_and_domids },
	{ "Xen's error names", test_error_names },
	CU_TEST_INFO_NULL,
};
