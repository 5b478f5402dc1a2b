// SPDX-License-Identifier: GPL-2.0-only
/*
 * CUnit suite for the frame table (arch/x86_64/mm/page_type.c, page_table.c)
 * over simulated frames: ownership, general and type references, validation
 * of L1..L4 tables and its undo, the hypervisor's L4 slots, linear
 * (recursive) entries, entry updates, I/O frames, descriptor pages, and that
 * every reference comes back to its baseline when a tree is torn down.
 */
#include <string.h>
#include "asm/page_info.h"
#include "cunit_run.h"
#include "frames.h"
#include <xen/errno.h>
#include <xen/xen.h>

static void test_get_put_page(void)
{
	setup();
	CU_ASSERT_TRUE(mm_get_page(3, DOM));
	CU_ASSERT_FALSE(mm_get_page(3, OTHER)); /* not its page */
	CU_ASSERT_FALSE(mm_get_page(41, DOM));	/* another domain's */
	CU_ASSERT_FALSE(mm_get_page(IO_MFN, DOMID_IO));
	CU_ASSERT_FALSE(mm_get_page(NFRAMES + 5, DOM));
	CU_ASSERT_EQUAL(info[3].count, 2);
	mm_put_page(&ctx, 3);
	mm_put_page(&ctx, 3); /* the allocation ref: freed */
	CU_ASSERT_EQUAL(nr_freed, 1);
	CU_ASSERT_FALSE(mm_get_page(3, DOM)); /* a free page has no owner */
	/* A destroyed domain's frame still referenced: nobody's to take. */
	info[4].owner = MM_DOMID_ORPHAN;
	CU_ASSERT_FALSE(mm_get_page(4, MM_DOMID_ORPHAN));
	CU_ASSERT_FALSE(mm_get_page(4, DOM));
	CU_ASSERT_EQUAL(info[4].count, 1);
}

static void test_writable_vs_table(void)
{
	setup();
	mem[5][0] = pte(6, RW);
	/* 6 is mapped writable by L1 5: it cannot become a table. */
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 5, DOM, MM_PGT_L1), 0);
	CU_ASSERT_EQUAL(info[6].type, MM_PGT_WRITABLE);
	CU_ASSERT_EQUAL(info[6].type_count, 1);
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 6, DOM, MM_PGT_L1), -XEN_EINVAL);
	/* ...and 5, a table, cannot be mapped writable, only read-only. */
	mem[7][0] = pte(5, RW);
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 7, DOM, MM_PGT_L1), -XEN_EBUSY);
	CU_ASSERT_EQUAL(info[7].type, MM_PGT_NONE); /* failed validation: typeless */
	mem[7][0] = pte(5, RO);
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 7, DOM, MM_PGT_L1), 0);
	mm_put_page_and_type(&ctx, 7);
	mm_put_page_and_type(&ctx, 5);
	assert_baseline();
	/*
	 * Now that nothing maps it, 6 may become a table, after a flush of the
	 * CPU that may still cache the mapping (this context cannot stop for
	 * it: at its end; page_tree.c has the preemptible order).
	 */
	ctx.need_flush = false;
	tlb_stale_mask = 0x2;
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 6, DOM, MM_PGT_L1), 0);
	CU_ASSERT_TRUE(ctx.need_flush);
	mm_put_page_and_type(&ctx, 6);
	tlb_stale_mask = 0;
}

static void test_l1_self_and_foreign(void)
{
	setup();
	mem[8][3] = pte(8, RW); /* maps itself writable */
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 8, DOM, MM_PGT_L1), -XEN_EBUSY);
	mem[8][3] = pte(8, RO);
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 8, DOM, MM_PGT_L1), 0);
	mm_put_page_and_type(&ctx, 8);
	/* Another domain's page; failure undoes the refs of the entries before. */
	mem[9][0] = pte(10, RW);
	mem[9][1] = pte(11, RO);
	mem[9][2] = pte(41, RO);
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 9, DOM, MM_PGT_L1), -XEN_EBUSY);
	assert_baseline();
	/* Bad flags: PAT/PCD without I/O rights; bits 52-62 are the guest's (Xen's AVAIL_HIGH). */
	mem[9][2] = pte(12, RO) | 0x80;
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 9, DOM, MM_PGT_L1), -XEN_EINVAL);
	mem[9][2] = pte(12, RO) | 0x10;
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 9, DOM, MM_PGT_L1), -XEN_EINVAL);
	mem[9][2] = pte(12, RO) | MM_PTE_GLOBAL | (1ULL << 63) | 0x200 | (0x7ffULL << 52);
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 9, DOM, MM_PGT_L1), 0);
	mm_put_page_and_type(&ctx, 9);
	assert_baseline();
}

/* As Xen's adjust_guest_l1e: kernel pages get US and the guest-kernel bit, user pages G. */
static void test_user_bit_forced(void)
{
	setup();
	mem[5][0] = pte(6, MM_PTE_P | MM_PTE_RW);
	mem[5][1] = pte(7, MM_PTE_P | MM_PTE_US);
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 5, DOM, MM_PGT_L1), 0);
	CU_ASSERT_EQUAL(mem[5][0], pte(6, MM_PTE_P | MM_PTE_RW | MM_PTE_US) | MM_PTE_GUEST_KERNEL);
	CU_ASSERT_EQUAL(mem[5][1], pte(7, MM_PTE_P | MM_PTE_US | MM_PTE_GLOBAL));
	mm_put_page_and_type(&ctx, 5);
	mem[22][0] = pte(5, MM_PTE_P);
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 22, DOM, MM_PGT_L2), 0);
	CU_ASSERT_EQUAL(mem[22][0], pte(5, MM_PTE_P | MM_PTE_US)); /* upper levels: US only */
	mm_put_page_and_type(&ctx, 22);
	assert_baseline();
}

/* L4 20 -> L3 21 -> L2 22 -> L1 23 -> data 24 (rw), 25 (ro), L1 23 (ro). */
static void build_tree(void)
{
	mem[20][0] = pte(21, RW);
	mem[21][0] = pte(22, RW);
	mem[22][0] = pte(23, RW);
	mem[23][0] = pte(24, RW);
	mem[23][1] = pte(25, RO);
	mem[23][2] = pte(23, RO);
}

static void test_tree_pin_and_teardown(void)
{
	setup();
	build_tree();
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 20, DOM, MM_PGT_L4), 0);
	CU_ASSERT_EQUAL(nr_xen_slots, 1);
	CU_ASSERT_EQUAL(mem[20][261], 0xabc063);
	CU_ASSERT_EQUAL(info[21].type, MM_PGT_L3);
	CU_ASSERT_EQUAL(info[22].type, MM_PGT_L2);
	CU_ASSERT_EQUAL(info[23].type, MM_PGT_L1);
	CU_ASSERT_EQUAL(info[23].count, 3); /* alloc + the L2 entry + its own RO map */
	CU_ASSERT_EQUAL(info[24].type_count, 1);
	CU_ASSERT_EQUAL(info[25].count, 2);
	CU_ASSERT_EQUAL(info[25].type_count, 0);
	/* A second user of the L4 (a base pointer) shares the validation. */
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 20, DOM, MM_PGT_L4), 0);
	CU_ASSERT_EQUAL(info[20].type_count, 2);
	/* In use as an L3's L2 it cannot also be an L1 elsewhere. */
	mem[30][0] = pte(22, RW);
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 30, DOM, MM_PGT_L2), -XEN_EINVAL);
	mm_put_page_and_type(&ctx, 20);
	mm_put_page_and_type(&ctx, 20);
	assert_baseline();
	CU_ASSERT_FALSE(info[21].flags & MM_PGF_VALIDATED);
	CU_ASSERT_EQUAL(nr_freed, 0);
}

static void test_wrong_level_and_pse(void)
{
	setup();
	build_tree();
	mem[22][1] = pte(24, RW | MM_PTE_PSE); /* a 2 MiB superpage */
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 20, DOM, MM_PGT_L4), -XEN_EINVAL);
	assert_baseline();
	mem[22][1] = 0;
	mem[21][1] = pte(23, RW); /* an L3 entry to an L1 (wrong level) */
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 20, DOM, MM_PGT_L4), -XEN_EINVAL);
	assert_baseline();
	mem[21][1] = pte(41, RW); /* another domain's frame as a table */
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 20, DOM, MM_PGT_L4), -XEN_EINVAL);
	assert_baseline();
	mem[21][1] = 0;
	mem[20][300] = pte(22, RW) | MM_PTE_GLOBAL; /* G is not for upper levels */
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 20, DOM, MM_PGT_L4), -XEN_EINVAL);
	assert_baseline();
}

static void test_xen_slots(void)
{
	setup();
	build_tree();
	mem[20][256] = pte(41, RW); /* garbage where the hypervisor lives: ignored */
	mem[20][271] = pte(42, RW);
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 20, DOM, MM_PGT_L4), 0);
	CU_ASSERT_EQUAL(mem[20][256], 0);
	CU_ASSERT_EQUAL(info[41].count, 1);
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 20, 256, pte(21, RO), false), -XEN_EINVAL);
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 20, 270, 0, false), -XEN_EINVAL);
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 20, 272, 0, false), 0);
	mm_put_page_and_type(&ctx, 20);
	assert_baseline();
}

static void test_linear(void)
{
	setup();
	build_tree();
	mem[20][258] = 0;
	mem[20][5] = pte(20, RW); /* recursive, writable: refused */
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 20, DOM, MM_PGT_L4), -XEN_EINVAL);
	assert_baseline();
	mem[20][5] = pte(20, RO); /* read-only: allowed, no refs */
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 20, DOM, MM_PGT_L4), 0);
	CU_ASSERT_EQUAL(info[20].count, 2);
	/* Through an update as well: RW refused, RO accepted. */
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 20, 6, pte(20, RW), false), -XEN_EINVAL);
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 20, 6, pte(20, RO), false), 0);
	/* To another validated L4: one level deep, and no cycle. */
	mem[26][0] = pte(21, RO);
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 26, DOM, MM_PGT_L4), 0);
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 20, 7, pte(26, RO), false), 0);
	CU_ASSERT_EQUAL(info[26].type_count, 2);
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 26, 7, pte(20, RO), false), -XEN_EINVAL);
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 20, 7, 0, false), 0);
	CU_ASSERT_EQUAL(info[26].type_count, 1);
	mm_put_page_and_type(&ctx, 26);
	mm_put_page_and_type(&ctx, 20);
	assert_baseline();
}

static void test_mod_entry(void)
{
	setup();
	build_tree();
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 20, DOM, MM_PGT_L4), 0);
	/* Map the L2 writable: refused; read-only: fine; then drop it. */
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 23, 9, pte(22, RW), false), -XEN_EBUSY);
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 23, 9, pte(22, RO), false), 0);
	CU_ASSERT_EQUAL(info[22].count, 3);
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 23, 9, pte(26, RW), false), 0);
	CU_ASSERT_EQUAL(info[22].count, 2);
	CU_ASSERT_EQUAL(info[26].type, MM_PGT_WRITABLE);
	/* Downgrade RW -> RO in place (fork's write-protect). */
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 23, 9, pte(26, RO), false), 0);
	CU_ASSERT_EQUAL(info[26].type_count, 0);
	/* A/D kept with preserve_ad. */
	mem[23][9] |= MM_PTE_D;
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 23, 9, pte(26, MM_PTE_P), true), 0);
	CU_ASSERT_EQUAL(mem[23][9],
			pte(26, MM_PTE_P | MM_PTE_US | MM_PTE_D | MM_PTE_A) | MM_PTE_GUEST_KERNEL);
	/* Not a table, another domain's, not validated: refused. */
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 26, 0, 0, false), -XEN_EINVAL);
	ctx.pt_owner = OTHER;
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 23, 0, 0, false), -XEN_EINVAL);
	ctx.pt_owner = DOM;
	/* Foreign pages in an L1 only for a privileged pg_owner; never upper. */
	ctx.pg_owner = OTHER;
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 23, 10, pte(41, RW), false), 0);
	CU_ASSERT_EQUAL(info[41].type_count, 1);
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 23, 11, pte(24, RW), false), -XEN_EBUSY);
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 22, 5, pte(30, RW), false), -XEN_EINVAL);
	ctx.pg_owner = DOM;
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 23, 10, 0, false), 0);
	/* Replace the L2's L1 with a fresh one: the old one is demoted. */
	mem[30][0] = pte(27, RW);
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 22, 0, pte(30, RW), false), 0);
	CU_ASSERT_EQUAL(info[23].type_count, 0);
	CU_ASSERT_EQUAL(info[24].type_count, 0);
	CU_ASSERT_EQUAL(info[27].type_count, 1);
	mm_put_page_and_type(&ctx, 20);
	assert_baseline();
}

static void test_io_frames(void)
{
	setup();
	mem[5][0] = pte(IO_MFN, RW);
	mem[5][1] = pte(NFRAMES + 100, RW);
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 5, DOM, MM_PGT_L1), -XEN_EPERM);
	ctx.io_end = NFRAMES + 100; /* I/O rights up to, not including, entry 1's */
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 5, DOM, MM_PGT_L1), -XEN_EPERM);
	ctx.io_end = NFRAMES + 101;
	mem[5][1] |= 0x18; /* uncached: allowed with I/O rights */
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 5, DOM, MM_PGT_L1), 0);
	CU_ASSERT_EQUAL(info[IO_MFN].count, 0);
	mm_put_page_and_type(&ctx, 5);
	assert_baseline();
}

static void test_seg_desc(void)
{
	setup();
	mem[12][0] = 0x00cf92000000ffffull;
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 12, DOM, MM_PGT_SEG_DESC), 0);
	CU_ASSERT_EQUAL(mem[12][0], 0x00cff2000000ffffull); /* DPL raised */
	mem[5][0] = pte(12, RW);
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 5, DOM, MM_PGT_L1), -XEN_EBUSY);
	mm_put_page_and_type(&ctx, 12);
	mem[13][0] = 0x0000890000000067ull; /* a TSS: refused */
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 13, DOM, MM_PGT_SEG_DESC), -XEN_EINVAL);
	assert_baseline();
}

static void test_free_on_last_ref(void)
{
	setup();
	build_tree();
	CU_ASSERT_EQUAL(mm_get_page_and_type(&ctx, 20, DOM, MM_PGT_L4), 0);
	/* The guest gives data page 24 back while it is still mapped. */
	mm_put_page(&ctx, 24);
	CU_ASSERT_EQUAL(nr_freed, 0);
	ctx.need_flush = false;
	CU_ASSERT_EQUAL(mm_mod_entry(&ctx, 23, 0, 0, false), 0);
	CU_ASSERT_EQUAL(nr_freed, 1);
	CU_ASSERT_TRUE(ctx.need_flush);
	CU_ASSERT_EQUAL(info[24].owner, DOMID_INVALID);
	mm_put_page_and_type(&ctx, 20);
}

static const CU_TestInfo tests[] = {
	{ "get/put page, ownership", test_get_put_page },
	{ "writable vs table", test_writable_vs_table },
	{ "L1 self-map and foreign pages", test_l1_self_and_foreign },
	{ "_PAGE_USER forced", test_user_bit_forced },
	{ "4-level tree, pin, teardown", test_tree_pin_and_teardown },
	{ "wrong level, PSE, G", test_wrong_level_and_pse },
	{ "hypervisor L4 slots", test_xen_slots },
	{ "linear entries", test_linear },
	{ "mod_entry", test_mod_entry },
	{ "I/O frames", test_io_frames },
	{ "descriptor pages", test_seg_desc },
	{ "free on last ref", test_free_on_last_ref },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = {
		{ "page_type", tests },
		{ NULL, NULL },
	};

	return cunit_run(suites);
}
