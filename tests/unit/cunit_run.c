// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shared CUnit driver for the unit-test binaries.
 */
#include <stdio.h>
#include <CUnit/Basic.h>

#include "cunit_run.h"

int cunit_run(const struct cunit_suite *suites)
{
	const struct cunit_suite *s;
	const CU_TestInfo *t;
	unsigned int failures;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (s = suites; s->name; s++) {
		CU_pSuite suite = CU_add_suite(s->name, NULL, NULL);

		if (!suite)
			goto err_cleanup;
		for (t = s->tests; t->pName; t++)
			if (!CU_add_test(suite, t->pName, t->pTestFunc))
				goto err_cleanup;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failures = CU_get_number_of_failures();
	if (CU_get_number_of_tests_run() == 0)
		failures = 1;
	CU_cleanup_registry();
	return failures ? 1 : 0;

err_cleanup:
	fprintf(stderr, "cunit: registry error: %s\n", CU_get_error_msg());
	CU_cleanup_registry();
	return 2;
}
