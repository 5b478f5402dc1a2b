/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one way every CUnit binary in tests/ runs its suites: basic mode,
 * verbose, and an exit status that is non-zero when anything failed.
 */
#ifndef LAMINA_TESTS_CUNIT_RUN_H
#define LAMINA_TESTS_CUNIT_RUN_H

#include <CUnit/CUnit.h>

/* One suite: a name and a NULL-terminated table of tests. */
struct cunit_suite {
	const char *name;
	const CU_TestInfo *tests;
};

/*
 * Register @suites (terminated by an entry with a NULL name), run them, print
 * CUnit's summary; returns the process exit status (0 only when all passed).
 */
int cunit_run(const struct cunit_suite *suites);

#endif
