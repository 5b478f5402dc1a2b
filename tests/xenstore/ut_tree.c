// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tree suite: reads and writes, implicit parents, MKDIR, RM of subtrees,
 * DIRECTORY order, DIRECTORY_PART, binary values, relative paths, and the
 * CONTROL check that the tree stays consistent.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ut_harness.h"

static char buf[XENSTORE_PAYLOAD_MAX + 1];

static void test_write_read(void)
{
	struct xs_conn *c;

	ut_init(NULL);
	c = ut_conn(0);
	CU_ASSERT_EQUAL(ut_write(c, 0, "/a/b/c", "hello"), 0);
	CU_ASSERT_EQUAL(ut_read(c, 0, "/a/b/c", buf), 0);
	CU_ASSERT_STRING_EQUAL(buf, "hello");
	CU_ASSERT_EQUAL(ut_read(c, 0, "/a/b", buf), 0); /* implicit parent, empty */
	CU_ASSERT_STRING_EQUAL(buf, "");
	CU_ASSERT_EQUAL(ut_write(c, 0, "/a/b/c", "again"), 0);
	CU_ASSERT_EQUAL(ut_read(c, 0, "/a/b/c", buf), 0);
	CU_ASSERT_STRING_EQUAL(buf, "again");
	CU_ASSERT_EQUAL(ut_read(c, 0, "/a/x", buf), ENOENT);
	ut_fini();
}

static void test_binary_value(void)
{
	static const char msg[] = "/bin\0a\0b";
	struct xs_conn *c;

	ut_init(NULL);
	c = ut_conn(0);
	CU_ASSERT_EQUAL(ut_raw(c, XS_WRITE, 0, msg, sizeof(msg) - 1), XS_WRITE);
	CU_ASSERT_EQUAL(ut_raw(c, XS_READ, 0, "/bin", 5), XS_READ);
	CU_ASSERT_EQUAL(ut_len, 3);
	CU_ASSERT(memcmp(ut_reply, "a\0b", 3) == 0);
	ut_fini();
}

static void test_mkdir_rm(void)
{
	struct xs_conn *c;

	ut_init(NULL);
	c = ut_conn(0);
	CU_ASSERT_EQUAL(ut_op1(c, XS_MKDIR, 0, "/d/e"), 0);
	CU_ASSERT_EQUAL(ut_op1(c, XS_MKDIR, 0, "/d/e"), 0);
	CU_ASSERT_EQUAL(ut_write(c, 0, "/d/e/f/g", "1"), 0);
	CU_ASSERT_EQUAL(ut_op1(c, XS_RM, 0, "/d/e"), 0);
	CU_ASSERT_EQUAL(ut_read(c, 0, "/d/e/f/g", buf), ENOENT);
	CU_ASSERT_EQUAL(ut_read(c, 0, "/d/e/f", buf), ENOENT);
	CU_ASSERT_EQUAL(ut_read(c, 0, "/d", buf), 0);
	/* Missing node under an existing parent: fine; else ENOENT. */
	CU_ASSERT_EQUAL(ut_op1(c, XS_RM, 0, "/d/nothere"), 0);
	CU_ASSERT_EQUAL(ut_op1(c, XS_RM, 0, "/nothere/either"), ENOENT);
	CU_ASSERT_EQUAL(ut_op1(c, XS_RM, 0, "/"), EINVAL);
	CU_ASSERT_EQUAL(ut_op1(c, XS_CONTROL, 0, "check"), 0);
	CU_ASSERT_STRING_EQUAL(ut_reply, "OK");
	CU_ASSERT_EQUAL(ut_store.nodes.count, 4); /* "/", "/tool", "/tool/xenstored", "/d" */
	ut_fini();
}

static void test_directory_order(void)
{
	struct xs_conn *c;

	ut_init(NULL);
	c = ut_conn(0);
	ut_write(c, 0, "/dir/zeta", "");
	ut_write(c, 0, "/dir/alpha", "");
	ut_write(c, 0, "/dir/mid", "");
	CU_ASSERT_EQUAL(ut_raw(c, XS_DIRECTORY, 0, "/dir", 5), XS_DIRECTORY);
	CU_ASSERT_EQUAL(ut_len, 15);
	CU_ASSERT(memcmp(ut_reply, "zeta\0alpha\0mid\0", 15) == 0);
	ut_op1(c, XS_RM, 0, "/dir/alpha");
	CU_ASSERT_EQUAL(ut_raw(c, XS_DIRECTORY, 0, "/dir", 5), XS_DIRECTORY);
	CU_ASSERT(ut_len == 9 && memcmp(ut_reply, "zeta\0mid\0", 9) == 0);
	ut_fini();
}

/* More children than one reply holds: E2BIG, then DIRECTORY_PART pieces. */
static void test_directory_part(void)
{
	char path[80], off[16], all[16384];
	size_t total = 0, got = 0, glen;
	struct xs_conn *c;
	int i, rounds = 0;

	ut_init(NULL);
	c = ut_conn(0);
	for (i = 0; i < 200; i++) {
		snprintf(path, sizeof(path), "/big/child-with-a-long-name-%04d", i);
		CU_ASSERT_EQUAL_FATAL(ut_write(c, 0, path, ""), 0);
		total += strlen(path) - 5 + 1;
	}
	CU_ASSERT_EQUAL(ut_op1(c, XS_DIRECTORY, 0, "/big"), E2BIG);
	for (;;) {
		snprintf(off, sizeof(off), "%zu", got);
		CU_ASSERT_EQUAL_FATAL(ut_op2(c, XS_DIRECTORY_PART, 0, "/big", off), 0);
		glen = strlen(ut_reply) + 1; /* generation first */
		CU_ASSERT_FATAL(ut_len <= XENSTORE_PAYLOAD_MAX);
		if (ut_len - glen == 1 && ut_reply[glen] == '\0')
			break; /* the empty terminator alone */
		memcpy(all + got, ut_reply + glen, ut_len - glen);
		got += ut_len - glen;
		rounds++;
		if (ut_reply[ut_len - 1] == '\0' && ut_reply[ut_len - 2] == '\0') {
			got--; /* the terminator */
			break;
		}
		CU_ASSERT_FATAL(rounds < 10);
	}
	CU_ASSERT(rounds >= 2);
	CU_ASSERT_EQUAL(got, total);
	CU_ASSERT(memcmp(all, "child-with-a-long-name-0000", 28) == 0);
	CU_ASSERT_EQUAL(ut_op2(c, XS_DIRECTORY_PART, 0, "/big", "3"), EINVAL); /* mid-name */
	CU_ASSERT_EQUAL(ut_op2(c, XS_DIRECTORY_PART, 0, "/big", "x"), EINVAL);
	ut_fini();
}

static void test_relative(void)
{
	struct xs_conn *c;

	ut_init(NULL);
	c = ut_conn(0);
	CU_ASSERT_EQUAL(ut_write(c, 0, "rel/node", "v"), 0);
	CU_ASSERT_EQUAL(ut_read(c, 0, "/local/domain/0/rel/node", buf), 0);
	CU_ASSERT_STRING_EQUAL(buf, "v");
	ut_fini();
}

/* The deepest tree a path allows (1536 levels): created and removed. */
static void test_deep_tree(void)
{
	static char path[XENSTORE_ABS_PATH_MAX + 1];
	struct xs_conn *c;
	uint32_t t;
	int i;

	ut_init(NULL);
	c = ut_conn(0);
	for (i = 0; i < XENSTORE_ABS_PATH_MAX; i += 2) {
		path[i] = '/';
		path[i + 1] = 'a';
	}
	CU_ASSERT_EQUAL(ut_write(c, 0, path, "deep"), 0);
	CU_ASSERT_EQUAL(ut_store.nodes.count, 3 + XENSTORE_ABS_PATH_MAX / 2);
	CU_ASSERT_EQUAL(ut_txn_start(c, &t), 0);
	CU_ASSERT_EQUAL(ut_op1(c, XS_RM, t, "/a"), 0);
	CU_ASSERT_EQUAL(ut_txn_end(c, t, true), 0);
	CU_ASSERT_EQUAL(ut_store.nodes.count, 3);
	CU_ASSERT_EQUAL(ut_write(c, 0, path, "deep"), 0);
	CU_ASSERT_EQUAL(ut_op1(c, XS_RM, 0, "/a"), 0);
	CU_ASSERT_EQUAL(ut_store.nodes.count, 3);
	CU_ASSERT_EQUAL(ut_op1(c, XS_CONTROL, 0, "check"), 0);
	CU_ASSERT_STRING_EQUAL(ut_reply, "OK");
	ut_fini();
}

/*
 * The node hash is keyed: the same names spread differently under another
 * key, so names chosen to collide under one key do not under the next
 * start's. The store works whatever the key (main() picks a random one).
 */
static void test_keyed_hash(void)
{
	static const char *const names[] = { "/a", "/local/domain/1/data", "/x/y/z", "" };
	unsigned int i, same = 0, bucket_same = 0;
	uint32_t h1[64], h2[64];
	char path[32];

	xs_hash_set_key(1, 2);
	for (i = 0; i < 64; i++) {
		snprintf(path, sizeof(path), "/local/domain/%u", i);
		h1[i] = xs_hash(path, strlen(path));
	}
	CU_ASSERT_EQUAL(h1[5], xs_hash("/local/domain/5", 15)); /* deterministic */
	xs_hash_set_key(1, 3);
	for (i = 0; i < 64; i++) {
		snprintf(path, sizeof(path), "/local/domain/%u", i);
		h2[i] = xs_hash(path, strlen(path));
		same += h1[i] == h2[i];
		bucket_same += (h1[i] & 1023) == (h2[i] & 1023);
	}
	CU_ASSERT_EQUAL(same, 0);
	CU_ASSERT(bucket_same < 8);
	for (i = 0; i < 4; i++)
		CU_ASSERT_NOT_EQUAL(xs_hash(names[i], strlen(names[i])),
				    xs_hash(names[(i + 1) % 4], strlen(names[(i + 1) % 4])));
	ut_init(NULL);
	CU_ASSERT_EQUAL(ut_write(ut_conn(0), 0, "/k/e/y", "v"), 0);
	CU_ASSERT_EQUAL(ut_read(ut_conn(0), 0, "/k/e/y", NULL), 0);
	ut_fini();
}

const CU_TestInfo ut_tree_tests[] = {
	{ "the node hash is keyed", test_keyed_hash },
	{ "the deepest tree: created, removed (also in a transaction)", test_deep_tree },
	{ "write, read, implicit parents", test_write_read },
	{ "values may hold NUL bytes", test_binary_value },
	{ "mkdir and rm of a subtree", test_mkdir_rm },
	{ "directory lists in creation order", test_directory_order },
	{ "directory_part reassembles a big directory", test_directory_part },
	{ "relative paths are under /local/domain/<id>", test_relative },
	CU_TEST_INFO_NULL,
};
