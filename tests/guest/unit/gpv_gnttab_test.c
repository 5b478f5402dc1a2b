// SPDX-License-Identifier: MIT
/*
 * Host unit tests of guest-pv's grant-table code (guest-pv/arch/gnttab.c
 * built for the host) with a stubbed hypervisor: setup refuses bad frame
 * counts, grants skip the reserved entries and run out with -ENOSPC, ending
 * a reserved, out-of-range or in-use reference is refused, and map/copy
 * refuse misaligned pages and ranges that leave the page.
 */
#include <string.h>

#include "cunit_run.h"
#include <gpv/gpv.h>
#include <gpv/gnttab.h>
#include <gpv/mm.h>

start_info_t *gpv_start_info;
shared_info_t *gpv_shared_info;
static start_info_t fake_si;
static int16_t setup_status;
static unsigned long copies;

long gpv_hcall(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
	       unsigned long a4, unsigned long a5)
{
	(void)a3, (void)a4, (void)a5;
	if (nr == __HYPERVISOR_update_va_mapping)
		return 0;
	if (nr == __HYPERVISOR_grant_table_op && a1 == GNTTABOP_setup_table) {
		struct gnttab_setup_table *st = (void *)a2;
		xen_pfn_t *frames = st->frame_list.p;
		uint32_t i;

		for (i = 0; i < st->nr_frames; i++)
			frames[i] = 100 + i;
		st->status = setup_status;
		return 0;
	}
	if (nr == __HYPERVISOR_grant_table_op && a1 == GNTTABOP_copy) {
		((struct gnttab_copy *)a2)->status = GNTST_okay;
		copies++;
		return 0;
	}
	return -XEN_ENOSYS;
}

unsigned long gpv_virt_to_mfn(const void *va)
{
	return (unsigned long)va >> 12;
}

static int setup(void)
{
	gpv_start_info = &fake_si;
	return 0;
}

static void test_setup(void)
{
	CU_ASSERT_EQUAL(gpv_gnttab_grant(0, 5, false), -XEN_EINVAL); /* not set up yet */
	CU_ASSERT_PTR_NULL(gpv_gnttab_entry(8));
	CU_ASSERT_EQUAL(gpv_gnttab_init(0), -XEN_EINVAL);
	CU_ASSERT_EQUAL(gpv_gnttab_init(GPV_GNTTAB_MAX_FRAMES + 1), -XEN_EINVAL);
	setup_status = GNTST_general_error;
	CU_ASSERT_EQUAL(gpv_gnttab_init(1), -XEN_EINVAL);
	setup_status = GNTST_okay;
	CU_ASSERT_EQUAL(gpv_gnttab_init(1), 0);
	CU_ASSERT_EQUAL(gpv_gnttab_nr_entries(), 512);
}

static void test_grant_and_end(void)
{
	long first, ref, n = 0;
	grant_entry_v1_t *e;

	first = gpv_gnttab_grant(3, 0x1234, true);
	CU_ASSERT_EQUAL(first, GNTTAB_NR_RESERVED_ENTRIES);
	e = gpv_gnttab_entry((grant_ref_t)first);
	CU_ASSERT_EQUAL(e->flags, GTF_permit_access | GTF_readonly);
	CU_ASSERT_EQUAL(e->domid, 3);
	CU_ASSERT_EQUAL(e->frame, 0x1234);
	while ((ref = gpv_gnttab_grant(0, 1, false)) >= 0)
		n++;
	CU_ASSERT_EQUAL(ref, -XEN_ENOSPC);
	CU_ASSERT_EQUAL(n, 512 - GNTTAB_NR_RESERVED_ENTRIES - 1);
	CU_ASSERT_EQUAL(gpv_gnttab_end(0), -XEN_EINVAL);
	CU_ASSERT_EQUAL(gpv_gnttab_end(512), -XEN_EINVAL);
	CU_ASSERT_PTR_NULL(gpv_gnttab_entry(512));
	e->flags |= GTF_reading;
	CU_ASSERT_EQUAL(gpv_gnttab_end((grant_ref_t)first), -XEN_EBUSY);
	CU_ASSERT(e->flags & GTF_permit_access);
	e->flags &= (uint16_t)~GTF_reading;
	CU_ASSERT_EQUAL(gpv_gnttab_end((grant_ref_t)first), 0);
	CU_ASSERT_EQUAL(e->flags, 0);
	CU_ASSERT_EQUAL(gpv_gnttab_grant(0, 9, false), first); /* reused */
}

static void test_map_copy_bounds(void)
{
	static char page[8192] __attribute__((aligned(4096)));

	CU_ASSERT_EQUAL(gpv_gnttab_map(0, 8, page + 8, true), -XEN_EINVAL);
	CU_ASSERT_EQUAL(gpv_gnttab_copy_in(0, 8, 4000, 5, 0, 200), -XEN_EINVAL);
	CU_ASSERT_EQUAL(gpv_gnttab_copy_in(0, 8, 0, 5, 4095, 2), -XEN_EINVAL);
	CU_ASSERT_EQUAL(copies, 0);
	CU_ASSERT_EQUAL(gpv_gnttab_copy_in(0, 8, 96, 5, 4000, 96), GNTST_okay);
	CU_ASSERT_EQUAL(copies, 1);
}

static const CU_TestInfo tests[] = {
	{ "setup", test_setup },
	{ "grant and end", test_grant_and_end },
	{ "map and copy bounds", test_map_copy_bounds },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = { { "gpv_gnttab", tests }, { NULL, NULL } };

	if (setup())
		return 1;
	return cunit_run(suites);
}
