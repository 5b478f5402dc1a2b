/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Descriptors fed to Xen's update_descriptor by hv_bounce_guest and to
 * pv_check_descriptor by bounce_tool and the unit test.
 */
#ifndef LAMINA_TESTS_HV_DESCRIPTOR_CASES_H
#define LAMINA_TESTS_HV_DESCRIPTOR_CASES_H

#include <stdint.h>

static const uint64_t hv_desc_cases[] = {
	0x00cf92000000ffffull, /* data, DPL 0 */
	0x00cfb2000000ffffull, /* data, DPL 1 */
	0x00cfd2000000ffffull, /* data, DPL 2 */
	0x00cff2000000ffffull, /* data, DPL 3 */
	0x00af9a000000ffffull, /* 64-bit code, DPL 0 */
	0x00cf9a000000ffffull, /* 32-bit code, DPL 0 */
	0x00cf9e000000ffffull, /* conforming code */
	0x00cf96000000ffffull, /* expand-down data */
	0x0000000000000000ull, /* null */
	0xffff7fffffffffffull, /* not present, garbage */
	0x0000890000000067ull, /* 64-bit TSS */
	0x0000820000000fffull, /* LDT */
	0x0000800000000000ull, /* present, system type 0 */
	0x0000e00012345678ull, /* present, system type 0, DPL 3 */
	0x00008c00e0331000ull, /* call gate to FLAT_KERNEL_CS, DPL 0 */
	0x0000ec00e0331000ull, /* call gate to FLAT_KERNEL_CS, DPL 3 */
	0x00008c0000101000ull, /* call gate to guest selector 0x10 */
	0x00008c00e0081000ull, /* call gate to Xen's ring-0 CS */
	0x00008c00e02b1000ull, /* call gate to the reserved data selector */
	0x00008c00e00c1000ull, /* call gate to an LDT selector */
	0x00008c0100101000ull, /* call gate with a parameter count */
	0x00008c2000101000ull, /* call gate with a reserved bit */
	0x00008e0000101000ull, /* interrupt gate */
	0x00008f0000101000ull, /* trap gate */
	0x0000850000100000ull, /* task gate */
	0x0000830000000000ull, /* busy 16-bit TSS */
};

#endif
