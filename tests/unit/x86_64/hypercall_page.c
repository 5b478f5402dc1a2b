// SPDX-License-Identifier: GPL-2.0-only
/*
 * CUnit suite for x86_64/lib/hypercall_page: the stubs' bytes, the iret stub, the
 * 0xcc filler, every stub's number.
 */
#include <string.h>

#include <asm/hypercall_page.h>
#include "cunit_run.h"

static uint8_t page[PV_HYPERCALL_PAGE_SIZE];

static void test_stubs(void)
{
	static const uint8_t s1[] = { 0x51, 0x41, 0x53, 0xb8, 0x01, 0,	  0,
				      0,    0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3 };
	static const uint8_t iret[] = { 0x51, 0x41, 0x53, 0x50, 0xb8, 23, 0, 0, 0, 0x0f, 0x05 };

	memset(page, 0, sizeof(page));
	pv_hypercall_page_fill(page);
	CU_ASSERT_EQUAL(memcmp(page + 32, s1, sizeof(s1)), 0);
	for (unsigned int i = sizeof(s1); i < 32; i++)
		CU_ASSERT_EQUAL(page[32 + i], 0xcc);
	CU_ASSERT_EQUAL(memcmp(page + 23 * 32, iret, sizeof(iret)), 0);
	for (unsigned int i = sizeof(iret); i < 32; i++)
		CU_ASSERT_EQUAL(page[23 * 32 + i], 0xcc);
	for (unsigned int n = 0; n < 128; n++) {
		const uint8_t *p = page + n * 32;
		unsigned int at = n == 23 ? 5 : 4;

		CU_ASSERT_EQUAL(p[at - 1], 0xb8);
		CU_ASSERT_EQUAL(
			p[at] | p[at + 1] << 8 | p[at + 2] << 16 | (uint32_t)p[at + 3] << 24, n);
	}
}

static const CU_TestInfo tests[] = {
	{ "stubs, iret, filler", test_stubs },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = {
		{ "hypercall_page", tests },
		{ NULL, NULL },
	};

	return cunit_run(suites);
}
