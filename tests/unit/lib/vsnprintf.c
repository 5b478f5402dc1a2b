// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of the hypervisor's vsnprintf (hypervisor/common/vsnprintf.c),
 * built here under the names lamina_vsnprintf/lamina_snprintf so they do
 * not stand in for the C library's. Each case is checked against the
 * C library's own snprintf where the two must agree.
 */
#include <stdio.h>
#include <string.h>
#include "cunit_run.h"

/* hypervisor/common/vsnprintf.c's snprintf, compiled under this name. */
int lamina_snprintf(char *buf, size_t size, const char *fmt, ...);

#define CHECK_SAME(fmt, ...)                                                 \
	do {                                                                 \
		char a_[128], b_[128];                                       \
		int na_ = snprintf(a_, sizeof(a_), fmt, __VA_ARGS__);        \
		int nb_ = lamina_snprintf(b_, sizeof(b_), fmt, __VA_ARGS__); \
		CU_ASSERT_STRING_EQUAL(b_, a_);                              \
		CU_ASSERT_EQUAL(nb_, na_);                                   \
	} while (0)

static void test_formats(void)
{
	CHECK_SAME("%d %i %u", -42, 7, 3000000000u);
	CHECK_SAME("%x %X %lx", 0xbeefu, 0xbeefu, 0x123456789abcdefUL);
	CHECK_SAME("[%5d] [%-5d] [%05d]", 42, 42, -42);
	CHECK_SAME("[%016lx] [%04lx]", 0xe033UL, 0xe033UL);
	CHECK_SAME("[%s] [%8s] [%-8s]", "abc", "abc", "abc");
	CHECK_SAME("%c%c %%", 'o', 'k');
	CHECK_SAME("%ld %lu %zu", -9223372036854775807L - 1, 18446744073709551615UL, (size_t)5);
	CHECK_SAME("%lu MiB free, max mfn 0x%lx", 508UL, 0x1ffe0UL);
}

static void test_truncation(void)
{
	char buf[8];
	int n = lamina_snprintf(buf, sizeof(buf), "%s", "0123456789");

	CU_ASSERT_EQUAL(n, 10);
	CU_ASSERT_STRING_EQUAL(buf, "0123456");
	n = lamina_snprintf(buf, 1, "%d", 12345);
	CU_ASSERT_EQUAL(n, 5);
	CU_ASSERT_STRING_EQUAL(buf, "");
	n = lamina_snprintf(NULL, 0, "%d", 12345);
	CU_ASSERT_EQUAL(n, 5);
}

static void test_odd_input(void)
{
	char buf[32];

	lamina_snprintf(buf, sizeof(buf), "%s", (char *)NULL);
	CU_ASSERT_STRING_EQUAL(buf, "(null)");
	lamina_snprintf(buf, sizeof(buf), "%p", (void *)0x1000);
	CU_ASSERT_STRING_EQUAL(buf, "0x0000000000001000");
	lamina_snprintf(buf, sizeof(buf), "end%");
	CU_ASSERT_STRING_EQUAL(buf, "end");
	lamina_snprintf(buf, sizeof(buf), "%q");
	CU_ASSERT_STRING_EQUAL(buf, "%q");
}

static const CU_TestInfo tests[] = {
	{ "formats agree with the C library", test_formats },
	{ "truncation and the returned length", test_truncation },
	{ "NULL string, %p, a trailing or unknown %", test_odd_input },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = {
		{ "hv_vsnprintf", tests },
		{ NULL, NULL },
	};

	return cunit_run(suites);
}
