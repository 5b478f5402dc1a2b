// SPDX-License-Identifier: MIT
/*
 * Host unit tests of guest-pv's formatting (guest-pv/lib/printf.c, built
 * for the host): every conversion and flag it claims, truncation as
 * snprintf does it, hostile formats (unknown conversions, a trailing '%',
 * NULL strings), and gpv_printf's bounded console write.
 */
#include <limits.h>
#include <string.h>

#include "cunit_run.h"
#include <gpv/lib.h>
#include <gpv/console.h>

static char console[1024];
static size_t console_len;

void gpv_console_write(const char *buf, size_t len)
{
	memcpy(console, buf, len < sizeof(console) ? len : sizeof(console));
	console_len = len;
}

static char buf[128];

#define FMT(...) gpv_snprintf(buf, sizeof(buf), __VA_ARGS__)

static void test_integers(void)
{
	FMT("%d %i %u", -42, 7, 4000000000U);
	CU_ASSERT_STRING_EQUAL(buf, "-42 7 4000000000");
	FMT("%ld %lu", LONG_MIN, ULONG_MAX);
	CU_ASSERT_STRING_EQUAL(buf, "-9223372036854775808 18446744073709551615");
	FMT("%lld %zu", -1LL, (size_t)12);
	CU_ASSERT_STRING_EQUAL(buf, "-1 12");
	FMT("%x %X %#x %lx", 0xbeefU, 0xbeefU, 0x10U, 0xffffffffffUL);
	CU_ASSERT_STRING_EQUAL(buf, "beef BEEF 0x10 ffffffffff");
}

static void test_widths(void)
{
	FMT("[%5d][%-5d][%05d][%016lx]", 42, 42, -42, 0xabcUL);
	CU_ASSERT_STRING_EQUAL(buf, "[   42][42   ][-0042][0000000000000abc]");
	FMT("[%5s][%-5s][%s]", "ab", "ab", "abcdefgh");
	CU_ASSERT_STRING_EQUAL(buf, "[   ab][ab   ][abcdefgh]");
	FMT("%c%c%%", 'o', 'k');
	CU_ASSERT_STRING_EQUAL(buf, "ok%");
	FMT("%p", (void *)0x1234);
	CU_ASSERT_STRING_EQUAL(buf, "0x1234");
}

static void test_truncation(void)
{
	char small[5];
	int n = gpv_snprintf(small, sizeof(small), "hello world");

	CU_ASSERT_EQUAL(n, 11);
	CU_ASSERT_STRING_EQUAL(small, "hell");
	memset(small, 'x', sizeof(small));
	CU_ASSERT_EQUAL(gpv_snprintf(small, 0, "abc"), 3);
	CU_ASSERT_EQUAL(small[0], 'x');
	CU_ASSERT_EQUAL(gpv_snprintf(small, 1, "abc"), 3);
	CU_ASSERT_EQUAL(small[0], '\0');
}

/* Formats a caller got from somewhere: not literals, so not checked by gcc. */
static const char *volatile hostile[] = { "%s", "a%qb", "end%", "%99999999999d" };

static void test_hostile_formats(void)
{
	const char *volatile null_str = NULL;
	int n;

	FMT(hostile[0], null_str);
	CU_ASSERT_STRING_EQUAL(buf, "(null)");
	FMT(hostile[1], 0);
	CU_ASSERT_STRING_EQUAL(buf, "a%qb");
	FMT(hostile[2], 0);
	CU_ASSERT_STRING_EQUAL(buf, "end");
	n = FMT(hostile[3], 1); /* an absurd width is clamped, output stays in the buffer */
	CU_ASSERT(n > 0 && n <= 100000);
	CU_ASSERT_EQUAL(strlen(buf), sizeof(buf) - 1);
}

static void test_printf_bounded(void)
{
	char big[700];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CU_ASSERT_EQUAL(gpv_printf("%s", big), 511);
	CU_ASSERT_EQUAL(console_len, 511);
	CU_ASSERT_EQUAL(gpv_printf("x=%d\n", 5), 4);
	CU_ASSERT_EQUAL(memcmp(console, "x=5\n", 4), 0);
}

static const CU_TestInfo tests[] = {
	{ "integers", test_integers },
	{ "widths and flags", test_widths },
	{ "truncation", test_truncation },
	{ "hostile formats", test_hostile_formats },
	{ "gpv_printf is bounded", test_printf_bounded },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = { { "gpv_printf", tests }, { NULL, NULL } };

	return cunit_run(suites);
}
