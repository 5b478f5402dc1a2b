// SPDX-License-Identifier: MIT
/*
 * mmu: the simple PV MMU cases a kernel built from Xen's initial layout
 * needs: update_va_mapping and mmu_update (MMU_NORMAL_PT_UPDATE) flipping a
 * page of the initial mapping read-only and back, with the TLB flush
 * options, MMUEXT_INVLPG_LOCAL, the success count; and the refusals: a
 * page table mapped writable, a misaligned or foreign entry address, a va
 * with no L1 table, a non-canonical va.
 */
#include <gpv/gpv.h>
#include <gpv/mm.h>
#include <gpv/page.h>
#include <gpv/probe.h>
#include <gpv/test.h>

#define PTE_RW 2UL

/* Machine address of the L1 entry that maps @va, or 0. */
static uint64_t l1e_maddr(unsigned long va)
{
	uint64_t e[4];

	if (gpv_pt_walk(va, e) != 4)
		return 0;
	return (e[2] & 0x000ffffffffff000UL) + ((va >> 12) & 511) * 8;
}

static long invlpg(unsigned long va)
{
	struct mmuext_op op = { .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = va };

	return gpv_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static void check_uvm(char *page)
{
	unsigned long va = (unsigned long)page;
	uint64_t pte = ((uint64_t)gpv_virt_to_mfn(page) << 12) | 7, v;

	gpv_test_area("mmu: update_va_mapping");
	gpv_test_eq(gpv_update_va_mapping(va, pte & ~PTE_RW, UVMF_INVLPG | UVMF_LOCAL), 0,
		    "remap a page read-only (INVLPG, LOCAL)");
	gpv_test_check(gpv_probe_read(va, &v), "it is still readable");
	gpv_test_check(!gpv_probe_write(va, 1), "a write faults");
	gpv_test_eq((long)gpv_last_fault.error & 3, 3, "#PF error: present, write");
	gpv_test_eq(gpv_update_va_mapping(va, pte, UVMF_TLB_FLUSH | UVMF_ALL), 0,
		    "remap it writable (TLB_FLUSH, ALL)");
	gpv_test_check(gpv_probe_write(va, 1), "a write works again");
	gpv_test_eq(gpv_update_va_mapping(va, pte, UVMF_NONE), 0, "UVMF_NONE returns 0");
	gpv_test_eq(gpv_update_va_mapping(1UL << 39, pte, UVMF_INVLPG), -XEN_EINVAL,
		    "a va with no L1 table = -EINVAL");
}

static void check_mmu_update(char *page)
{
	unsigned long va = (unsigned long)page;
	uint64_t pte = ((uint64_t)gpv_virt_to_mfn(page) << 12) | 7, ptr = l1e_maddr(va), v;
	uint64_t l4 = gpv_start_info->pt_base;
	mmu_update_t req;
	unsigned int done = 99;
	long rc;

	gpv_test_area("mmu: mmu_update");
	if (!gpv_test_check(ptr != 0, "found the page's L1 entry"))
		return;
	req.ptr = ptr | MMU_NORMAL_PT_UPDATE;
	req.val = pte & ~PTE_RW;
	gpv_test_eq(gpv_mmu_update(&req, 1, &done, DOMID_SELF), 0,
		    "MMU_NORMAL_PT_UPDATE to read-only returns 0");
	gpv_test_eq(done, 1, "success count 1");
	gpv_test_eq(invlpg(va), 0, "MMUEXT_INVLPG_LOCAL returns 0");
	gpv_test_check(!gpv_probe_write(va, 2), "a write faults after the update");
	req.val = pte;
	gpv_test_eq(gpv_mmu_update(&req, 1, NULL, DOMID_SELF), 0, "back to writable");
	invlpg(va);
	gpv_test_check(gpv_probe_write(va, 2) && gpv_probe_read(va, &v) && v == 2,
		       "the page is writable again");

	req.ptr = l1e_maddr(l4) | MMU_NORMAL_PT_UPDATE;
	req.val = ((uint64_t)gpv_virt_to_mfn((void *)l4) << 12) | 7;
	gpv_test_eq(gpv_mmu_update(&req, 1, NULL, DOMID_SELF), -XEN_EBUSY,
		    "mapping the L4 table writable = -EBUSY (as Xen 4.17)");
	/* The low 3 bits of ptr are the command: ptr + 4 is command 4. */
	req.ptr = (ptr + 4) | MMU_NORMAL_PT_UPDATE;
	req.val = pte;
	gpv_test_eq(gpv_mmu_update(&req, 1, NULL, DOMID_SELF), -XEN_ENOSYS,
		    "ptr with low bits 4 is an unknown command = -ENOSYS");
	/*
	 * Xen 4.17 lets mmu_update write into an ordinary writable page; the
	 * issue lets Lamina refuse it until the validated MMU. Either way the
	 * outcome must be exact: the value written, or nothing written.
	 */
	gpv_probe_write(va + 8, 0);
	req.ptr = (((uint64_t)gpv_virt_to_mfn(page) << 12) + 8) | MMU_NORMAL_PT_UPDATE;
	req.val = 0x5a5a5a5a5a5a5a5aULL;
	rc = gpv_mmu_update(&req, 1, NULL, DOMID_SELF);
	gpv_probe_read(va + 8, &v);
	gpv_test_checkf(rc == 0 ? v == req.val : (rc < 0 && v == 0),
			"a write into a non-page-table page: written or refused, exactly",
			"rc %ld value %lx", rc, (unsigned long)v);
	gpv_test_info("write into a plain page: rc %ld", rc);
	gpv_test_eq(gpv_mmu_update(&req, 0, NULL, DOMID_SELF), 0, "a count of 0 returns 0");
	/* As Xen's guest_handle_okay: the list's start is checked, even for a count of 0. */
	gpv_test_eq(gpv_mmu_update((void *)0xffff830000000000UL, 0, NULL, DOMID_SELF), -XEN_EFAULT,
		    "a count of 0 at a hypervisor address = -EFAULT");
	gpv_test_eq(gpv_mmu_update((void *)0x8000000000000000UL, 0, NULL, DOMID_SELF), -XEN_EFAULT,
		    "a count of 0 at a non-canonical address = -EFAULT");
	gpv_test_eq(gpv_mmu_update((void *)0x00007f0000000000UL, 0, NULL, DOMID_SELF), 0,
		    "a count of 0 at an unmapped guest address = 0");
	gpv_test_eq(gpv_mmuext_op((void *)0xffff830000000000UL, 0, NULL, DOMID_SELF), -XEN_EFAULT,
		    "mmuext_op: 0 ops at a hypervisor address = -EFAULT");
	gpv_test_eq(gpv_mmuext_op((void *)0x00007f0000000000UL, 0, NULL, DOMID_SELF), 0,
		    "mmuext_op: 0 ops at an unmapped guest address = 0");
}

int gpv_main(void)
{
	char *page = gpv_page_alloc();

	if (!gpv_test_check(page != NULL, "a page to play with"))
		return gpv_test_finish();
	check_uvm(page);
	check_mmu_update(page);
	return gpv_test_finish();
}
