// SPDX-License-Identifier: MIT
/*
 * The page allocator (see gpv/page.h). State: [next, end) is the untouched
 * tail; free_list links freed pages through their first word. The range is
 * found on first use: it starts at the page above the builder's entry rsp
 * and ends where the initial mapping ends (found with gpv_pt_walk).
 */
#include <gpv/gpv.h>
#include <gpv/mm.h>
#include <gpv/page.h>

static unsigned long start, next, end;
static void *free_list;
static size_t nr_freed;

static void find_range(void)
{
	unsigned long va;
	uint64_t e[4];

	start = (gpv_boot_regs.rsp + GPV_PAGE_SIZE - 1) & ~(GPV_PAGE_SIZE - 1);
	for (va = start; va < (1UL << 30) && gpv_pt_walk(va, e) == 4 && (e[3] & 2);)
		va += GPV_PAGE_SIZE;
	next = start;
	end = va;
}

void *gpv_page_alloc(void)
{
	void *p;

	if (!end)
		find_range();
	if (free_list) {
		p = free_list;
		free_list = *(void **)p;
		nr_freed--;
	} else if (next < end) {
		p = (void *)next;
		next += GPV_PAGE_SIZE;
	} else {
		return NULL;
	}
	memset(p, 0, GPV_PAGE_SIZE);
	return p;
}

void gpv_page_free(void *page)
{
	unsigned long va = (unsigned long)page;

	if (!end || va < start || va >= next || (va & (GPV_PAGE_SIZE - 1)))
		return;
	*(void **)page = free_list;
	free_list = page;
	nr_freed++;
}

size_t gpv_page_nr_free(void)
{
	if (!end)
		find_range();
	return nr_freed + (end - next) / GPV_PAGE_SIZE;
}
