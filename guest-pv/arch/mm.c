// SPDX-License-Identifier: MIT
/* p2m, m2p and page-table walking helpers (see gpv/mm.h). */
#include <gpv/gpv.h>
#include <gpv/mm.h>
#include <gpv/probe.h>

#define PTE_PRESENT 1UL
#define PTE_PSE 0x80UL
#define PTE_ADDR_MASK 0x000ffffffffff000UL

unsigned long gpv_pfn_to_mfn(unsigned long pfn)
{
	const unsigned long *p2m = (const unsigned long *)gpv_start_info->mfn_list;

	if (pfn >= gpv_start_info->nr_pages)
		return GPV_INVALID;
	return p2m[pfn];
}

unsigned long gpv_mfn_to_pfn(unsigned long mfn)
{
	uint64_t pfn;

	if (mfn >= (1UL << 40) ||
	    !gpv_probe_read(MACH2PHYS_VIRT_START + mfn * sizeof(unsigned long), &pfn))
		return GPV_INVALID;
	return pfn;
}

unsigned long gpv_virt_to_mfn(const void *va)
{
	return gpv_pfn_to_mfn((unsigned long)va / GPV_PAGE_SIZE);
}

/* The kernel virtual address of the table in machine frame @mfn, or 0. */
static const uint64_t *table_of(uint64_t mfn)
{
	unsigned long pfn = gpv_mfn_to_pfn(mfn);

	if (pfn == GPV_INVALID || pfn >= gpv_start_info->nr_pages || gpv_pfn_to_mfn(pfn) != mfn)
		return NULL;
	return (const uint64_t *)(pfn * GPV_PAGE_SIZE);
}

int gpv_pt_walk(unsigned long va, uint64_t entries[4])
{
	const uint64_t *table = (const uint64_t *)gpv_start_info->pt_base;
	int level;

	for (level = 0; level < 4; level++)
		entries[level] = 0;
	for (level = 0; level < 4 && table; level++) {
		unsigned int shift = 39 - 9 * level;
		uint64_t e = table[(va >> shift) & 511];

		entries[level] = e;
		if (!(e & PTE_PRESENT))
			return level;
		if (level == 3 || (e & PTE_PSE))
			return 4;
		table = table_of((e & PTE_ADDR_MASK) >> 12);
	}
	return level;
}
