/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dom0-tools' unit tests: the suites, and a helper that reads a config text
 * into a domain and captures what libcfg reported.
 */
#ifndef LAMINA_TESTS_DOM0_UT_H
#define LAMINA_TESTS_DOM0_UT_H

#include <CUnit/CUnit.h>

#include "dom0-tools/libcfg/cfg.h"

extern const CU_TestInfo ut_cfg_tests[], ut_cfg_bad_tests[], ut_args_tests[], ut_cons_tests[],
	ut_wire_tests[];

/* What the last ut_read() reported (errors and warnings), NUL-terminated. */
extern char ut_report[8192];

/* cfg_read_data() of @text as "t.cfg" with @nover overrides; its return. */
int ut_read(const char *text, const char *const *over, int nover, struct cfg_domain *d);

/* ut_report contains @needle. */
int ut_reported(const char *needle);

#endif
