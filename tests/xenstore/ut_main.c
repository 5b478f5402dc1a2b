// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xenstored unit-test binary: every suite of tests/xenstore/ut_*.c.
 */
#include <sys/random.h>
#include <unistd.h>

#include "cunit_run.h"
#include "ut_harness.h"

extern const CU_TestInfo ut_tree_tests[], ut_perms_tests[], ut_txn_tests[], ut_watch_tests[],
	ut_quota_tests[], ut_parse_tests[], ut_ring_tests[], ut_state_tests[];

int main(void)
{
	uint64_t key[2] = { 0, 0 };

	/* A random hash key, as the daemon has (the suites must not care). */
	if (getrandom(key, sizeof(key), GRND_NONBLOCK) != sizeof(key))
		key[0] = (uint64_t)getpid() << 20;
	xs_hash_set_key(key[0], key[1]);
	const struct cunit_suite suites[] = {
		{ "xenstore tree", ut_tree_tests },
		{ "xenstore permissions", ut_perms_tests },
		{ "xenstore transactions", ut_txn_tests },
		{ "xenstore watches", ut_watch_tests },
		{ "xenstore quotas", ut_quota_tests },
		{ "xenstore message parsing", ut_parse_tests },
		{ "xenstore ring", ut_ring_tests },
		{ "xenstore whole or nothing", ut_state_tests },
		{ NULL, NULL },
	};

	return cunit_run(suites);
}
