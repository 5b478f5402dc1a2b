// SPDX-License-Identifier: GPL-2.0-only
/*
 * CUnit suite for x86_64/lib/descriptor: DPL raised to 3 for code and data, call
 * gates moved to DPL 0 with the DPL in the selector's RPL, the gate target
 * and reserved-bit checks, system descriptors refused and left unchanged.
 */
#include <asm/descriptor.h>
#include "cunit_run.h"
#include "descriptor_cases.h"

static uint64_t check(uint64_t d, bool want_ok)
{
	uint64_t in = d;
	bool ok = pv_check_descriptor(&d);

	CU_ASSERT_EQUAL(ok, want_ok);
	if (!ok)
		CU_ASSERT_EQUAL(d, in); /* a refused descriptor is not touched */
	return d;
}

static void test_code_data(void)
{
	CU_ASSERT_EQUAL(check(0x00cf92000000ffffull, true), 0x00cff2000000ffffull);
	CU_ASSERT_EQUAL(check(0x00cfb2000000ffffull, true), 0x00cff2000000ffffull);
	CU_ASSERT_EQUAL(check(0x00af9a000000ffffull, true), 0x00affa000000ffffull);
	CU_ASSERT_EQUAL(check(0x00cff2000000ffffull, true), 0x00cff2000000ffffull);
	/* not present: as is, whatever it holds */
	CU_ASSERT_EQUAL(check(0xffff7fffffffffffull, true), 0xffff7fffffffffffull);
	CU_ASSERT_EQUAL(check(0, true), 0);
}

static void test_gates(void)
{
	/* to a guest selector: DPL 0, RPL 3 */
	CU_ASSERT_EQUAL(check(0x00008c0000101000ull, true), 0x00008c0000131000ull);
	CU_ASSERT_EQUAL(check(0x0000ec00e0331000ull, true), 0x00008c00e0331000ull);
	CU_ASSERT_EQUAL(check(0x00008c00e00c1000ull, true), 0x00008c00e00f1000ull); /* LDT */
	check(0x00008c00e0081000ull, false); /* Xen's own CS */
	check(0x00008c00e02b1000ull, false); /* a reserved selector, not FLAT_KERNEL_CS */
	check(0x00008c0100101000ull, false); /* parameter count */
	check(0x00008c2000101000ull, false); /* reserved bit */
	/* the upper half of a 16-byte gate (type 0): as is */
	CU_ASSERT_EQUAL(check(0x0000800000000000ull, true), 0x0000800000000000ull);
}

static void test_system_refused(void)
{
	check(0x0000890000000067ull, false); /* TSS */
	check(0x0000820000000fffull, false); /* LDT */
	check(0x00008e0000101000ull, false); /* interrupt gate */
	check(0x00008f0000101000ull, false); /* trap gate */
	check(0x0000850000100000ull, false); /* task gate */
	/* every present system type but 0 and 0xc is refused */
	for (unsigned int t = 1; t < 16; t++)
		if (t != 0xc)
			check(0x0000800000000000ull | (uint64_t)t << 40, false);
	/* and no case from the shared list crashes or half-writes */
	for (unsigned int i = 0; i < sizeof(hv_desc_cases) / sizeof(hv_desc_cases[0]); i++) {
		uint64_t d = hv_desc_cases[i];

		if (!pv_check_descriptor(&d))
			CU_ASSERT_EQUAL(d, hv_desc_cases[i]);
	}
}

static const CU_TestInfo tests[] = {
	{ "code and data", test_code_data },
	{ "call gates", test_gates },
	{ "system descriptors", test_system_refused },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = {
		{ "descriptor", tests },
		{ NULL, NULL },
	};

	return cunit_run(suites);
}
