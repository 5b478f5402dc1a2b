// SPDX-License-Identifier: MIT
/* The PASS/FAIL/RESULT lines of test kernels (see gpv/test.h). */
#include <gpv/gpv.h>
#include <gpv/test.h>

static const char *cur_area = "test";
static unsigned int n_pass, n_fail;

void gpv_test_area(const char *area)
{
	cur_area = area;
}

bool gpv_test_check(bool ok, const char *name)
{
	gpv_printf("%s: %s: %s\n", ok ? "PASS" : "FAIL", cur_area, name);
	if (ok)
		n_pass++;
	else
		n_fail++;
	return ok;
}

bool gpv_test_checkf(bool ok, const char *name, const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	if (ok)
		return gpv_test_check(true, name);
	va_start(ap, fmt);
	gpv_vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	gpv_printf("FAIL: %s: %s (%s)\n", cur_area, name, detail);
	n_fail++;
	return false;
}

bool gpv_test_eq(long got, long want, const char *name)
{
	return gpv_test_checkf(got == want, name, "got %ld (%#lx), want %ld", got,
			       (unsigned long)got, want);
}

void gpv_test_info(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	gpv_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	gpv_printf("INFO: %s\n", buf);
}

int gpv_test_finish(void)
{
	gpv_printf("RESULT: %u passed, %u failed\n", n_pass, n_fail);
	return (n_fail || !n_pass) ? 1 : 0;
}
