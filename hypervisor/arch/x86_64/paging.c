// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor's own page tables (idle_pg_table): only L4 slots 256-271 are
 * ever used once the boot identity map in slot 0 is dropped. Every guest L4
 * gets a copy of these slots. New mappings (the read-only M2P in slot 256)
 * get their intermediate tables from the page allocator.
 */
#include <asm/paging.h>
#include <asm/setup.h>
#include <asm/x86.h>
#include <lamina/console.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <xen/errno.h>

extern uint64_t idle_pg_table[512], boot_l2_low[2048];

void paging_drop_identity(void)
{
	idle_pg_table[0] = 0;
	write_cr3(read_cr3());
}

void paging_set_uncached(uint64_t start, uint64_t end)
{
	for (uint64_t a = start & ~((1UL << 21) - 1); a < end && a < HV_DIRECTMAP_SIZE;
	     a += 1UL << 21)
		boot_l2_low[a >> 21] |= PTE_PWT | PTE_PCD;
	write_cr3(read_cr3());
}

uint64_t *paging_idle_l4(void)
{
	return idle_pg_table;
}

/* The table an entry points to, allocated (with flags) when absent. */
static uint64_t *next_level(uint64_t *e, uint64_t flags)
{
	if (!(*e & PTE_P)) {
		mfn_t m = mm_alloc_page();

		if (mfn_x(m) == INVALID_MFN_RAW)
			return NULL;
		*e = (mfn_x(m) << PAGE_SHIFT) | flags;
	}
	return maddr_to_virt(*e & PTE_ADDR_MASK);
}

static uint64_t *walk(uint64_t va, uint64_t inter)
{
	uint64_t *t = idle_pg_table;

	for (int shift = 39; shift > 12; shift -= 9) {
		t = next_level(&t[(va >> shift) & 511], inter);
		if (!t)
			return NULL;
	}
	return &t[(va >> 12) & 511];
}

int paging_map_page(uint64_t va, mfn_t mfn, uint64_t flags)
{
	uint64_t *e = walk(va, PTE_P | PTE_RW | (flags & PTE_US));

	if (!e)
		return -XEN_ENOMEM;
	*e = (mfn_x(mfn) << PAGE_SHIFT) | flags;
	invlpg(va);
	return 0;
}

uint64_t *paging_l1e(uint64_t va)
{
	return walk(va, PTE_P | PTE_RW);
}
