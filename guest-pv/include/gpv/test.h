/* SPDX-License-Identifier: MIT */
/*
 * Verdicts for test kernels. Each check prints one line,
 * "PASS: <area>: <check>" or "FAIL: <area>: <check> (<detail>)"; the kernel
 * ends with gpv_test_finish(), which prints "RESULT: N passed, M failed" and
 * returns the value gpv_main() should return.
 */
#ifndef GPV_TEST_H
#define GPV_TEST_H

#include <stdbool.h>

/* Set the area name printed before each check. */
void gpv_test_area(const char *area);
/* Record one check; returns @ok. */
bool gpv_test_check(bool ok, const char *name);
/* Record one check with a printf-style detail shown on failure. */
bool gpv_test_checkf(bool ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Check that @got equals @want (as longs), printing both on failure. */
bool gpv_test_eq(long got, long want, const char *name);
/* Print an INFO line. */
void gpv_test_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the RESULT line; returns 0 when nothing failed (and something passed). */
int gpv_test_finish(void);

#endif
