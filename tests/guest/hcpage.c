// SPDX-License-Identifier: MIT
/*
 * hcpage: WRMSR of Xen's hypercall-page MSR (0x40000000). As Xen 4.17
 * (guest_wrmsr_xen), the value is the machine frame of a PV guest's page
 * shifted by 12 with page index 0 in the low bits; the frame must be an
 * ordinary writable page of the caller. Anything else - a page index, a
 * frame the domain does not own, one of its page tables (the live L4 from
 * start_info.pt_base, an L3, L2 or L1 of the initial mapping) - is #GP and
 * leaves the frame untouched. The page-table cases come last: before the
 * fix, the L4 one took the machine down.
 */
#include <gpv/gpv.h>
#include <gpv/mm.h>
#include <gpv/probe.h>
#include <gpv/test.h>

#define MSR_HCALL_PAGE 0x40000000U
#define PTE_FRAME(e) (((e)&0x000ffffffffff000UL) >> 12)

static uint8_t target[4096] __attribute__((aligned(4096)));
static uint8_t before[4096];

static void check_ordinary(void)
{
	unsigned long mfn = gpv_virt_to_mfn(target);
	bool ok;

	gpv_test_area("hcpage: ordinary page");
	memset(target, 0xcc, sizeof(target));
	ok = gpv_probe_wrmsr(MSR_HCALL_PAGE, (uint64_t)mfn << 12);
	gpv_test_checkf(ok, "wrmsr of an ordinary page's frame completes", "vector %lu",
			(unsigned long)gpv_last_fault.vector);
	gpv_test_check(ok && !memcmp(target, gpv_hypercall_page, sizeof(target)),
		       "the page now holds the same stubs as the ELF-note hypercall page");
	memset(target, 0xcc, sizeof(target));
	ok = gpv_probe_wrmsr(MSR_HCALL_PAGE, ((uint64_t)mfn << 12) | 1);
	gpv_test_check(!ok && gpv_last_fault.vector == 13, "page index 1 is #GP");
	gpv_test_eq(target[0], 0xcc, "and nothing was written");
	ok = gpv_probe_wrmsr(MSR_HCALL_PAGE, 0xfffffff000UL << 12);
	gpv_test_check(!ok && gpv_last_fault.vector == 13,
		       "a frame the domain does not own is #GP");
	ok = gpv_probe_wrmsr(MSR_HCALL_PAGE + 1, 0);
	gpv_test_check(!ok && gpv_last_fault.vector == 13, "MSR 0x40000001 is #GP");
}

/* wrmsr naming @mfn must #GP and leave the frame (mapped at @va) as it was. */
static void check_refused(unsigned long mfn, const void *va, const char *what)
{
	char name[96];
	bool ok;

	memcpy(before, va, sizeof(before));
	ok = gpv_probe_wrmsr(MSR_HCALL_PAGE, (uint64_t)mfn << 12);
	gpv_snprintf(name, sizeof(name), "wrmsr naming %s is #GP", what);
	gpv_test_checkf(!ok && gpv_last_fault.vector == 13, name, "ok %d vector %lu", ok,
			(unsigned long)gpv_last_fault.vector);
	gpv_snprintf(name, sizeof(name), "%s is unchanged", what);
	gpv_test_check(!memcmp(before, va, sizeof(before)), name);
}

static const void *frame_va(unsigned long mfn)
{
	unsigned long pfn = gpv_mfn_to_pfn(mfn);

	return pfn == GPV_INVALID ? NULL : (const void *)(pfn << 12);
}

static void check_page_tables(void)
{
	uint64_t e[4];
	unsigned long l3, l2, l1;
	const void *va;

	gpv_test_area("hcpage: page tables");
	if (!gpv_test_eq(gpv_pt_walk((unsigned long)target, e), 4, "walk the test page's mapping"))
		return;
	l3 = PTE_FRAME(e[0]), l2 = PTE_FRAME(e[1]), l1 = PTE_FRAME(e[2]);
	va = frame_va(l1);
	if (gpv_test_check(va != NULL, "the L1 is in the initial mapping"))
		check_refused(l1, va, "the L1 of the initial mapping");
	va = frame_va(l2);
	if (gpv_test_check(va != NULL, "the L2 is in the initial mapping"))
		check_refused(l2, va, "the L2 of the initial mapping");
	va = frame_va(l3);
	if (gpv_test_check(va != NULL, "the L3 is in the initial mapping"))
		check_refused(l3, va, "the L3 of the initial mapping");
	check_refused(gpv_virt_to_mfn((void *)gpv_start_info->pt_base),
		      (const void *)gpv_start_info->pt_base, "the live L4 (pt_base)");
	gpv_test_eq(gpv_xen_version(XENVER_pagesize, NULL), 4096,
		    "the hypervisor still answers (page walks still work)");
}

int gpv_main(void)
{
	check_ordinary();
	check_page_tables();
	return gpv_test_finish();
}
