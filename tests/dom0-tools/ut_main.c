// SPDX-License-Identifier: GPL-2.0-only
/*
 * The dom0-tools unit-test binary: xl.cfg reading (good and hostile files)
 * lxl's command-line handling, the console ring code and libxsu's pipelined
 * transaction against a fake xenstored, all on the host, no Xen needed.
 */
#include <stdio.h>
#include <string.h>

#include "cunit_run.h"
#include "ut.h"

char ut_report[8192];

int ut_read(const char *text, const char *const *over, int nover, struct cfg_domain *d)
{
	FILE *f = fmemopen(ut_report, sizeof(ut_report) - 1, "w");
	int rc;

	memset(ut_report, 0, sizeof(ut_report));
	rc = cfg_read_data("t.cfg", text, (int)strlen(text), over, nover, f, d);
	fclose(f);
	return rc;
}

int ut_reported(const char *needle)
{
	return strstr(ut_report, needle) != NULL;
}

int main(void)
{
	const struct cunit_suite suites[] = {
		{ "xl.cfg reading", ut_cfg_tests },
		{ "xl.cfg hostile and bad input", ut_cfg_bad_tests },
		{ "lxl command line", ut_args_tests },
		{ "lamina-consoled rings", ut_cons_tests },
		{ "libxsu's pipelined transaction", ut_wire_tests },
		{ NULL, NULL },
	};

	return cunit_run(suites);
}
