// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated frames the frame-table suites (page_type.c, page_tree.c)
 * run the pure modules over: 64 frames of memory and their page_info, and
 * the mm_env_* hooks (asm/page_info.h) with counters and knobs the tests
 * read and set (frames.h).
 */
#include <string.h>
#include "asm/page_info.h"
#include "cunit_run.h"
#include "frames.h"
#include <xen/errno.h>
#include <xen/xen.h>

uint64_t mem[NFRAMES][512] __attribute__((aligned(4096)));
struct page_info info[NFRAMES];
unsigned int nr_freed, nr_xen_slots;

struct page_info *mm_env_page(uint64_t mfn)
{
	return mfn < NFRAMES ? &info[mfn] : NULL;
}

uint64_t *mm_env_map(uint64_t mfn)
{
	CU_ASSERT_FATAL(mfn < NFRAMES);
	return mem[mfn];
}

void mm_env_freed(uint64_t mfn)
{
	info[mfn].owner = DOMID_INVALID;
	nr_freed++;
}

void mm_env_l4_xen_slots(uint64_t *l4, uint64_t mfn, bool m2p_strict)
{
	(void)mfn;
	l4[256] = m2p_strict ? 0x1005 : 0;
	l4[261] = 0xabc063; /* what the hypervisor's own slot would hold */
	nr_xen_slots++;
}

/* Stands in for the descriptor check: a TSS (type 9) is refused, DPL raised. */
bool mm_env_descriptor_ok(uint64_t *desc)
{
	if (((*desc >> 40) & 0x9f) == 0x89)
		return false;
	*desc |= 3ULL << 45;
	return true;
}

/* Preemption on every nth call when preempt_every is set. */
unsigned int preempt_every, preempt_calls;

bool mm_env_preempt(void)
{
	return preempt_every && ++preempt_calls % preempt_every == 0;
}

/* The TLB: a clock, and the other CPUs the test says are stale. */
uint64_t tlb_clock = 1, tlb_stale_mask;

uint64_t mm_env_tlb_clock(void)
{
	return tlb_clock;
}

uint64_t mm_env_tlb_stale(mm_domid_t owner, uint64_t stamp)
{
	(void)owner;
	(void)stamp;
	return tlb_stale_mask;
}

struct mm_ctx ctx;

int setup(void)
{
	memset(mem, 0, sizeof(mem));
	memset(info, 0, sizeof(info));
	for (unsigned int i = 0; i < NFRAMES; i++) {
		info[i].owner = i >= IO_MFN ? DOMID_IO : (i >= 40 ? OTHER : DOM);
		info[i].count = i >= IO_MFN ? 0 : 1; /* the allocation ref */
	}
	ctx = (struct mm_ctx){ .pt_owner = DOM, .pg_owner = DOM, .deferred = MM_NO_MFN };
	nr_freed = nr_xen_slots = 0;
	preempt_every = preempt_calls = 0;
	tlb_stale_mask = 0;
	return 0;
}

uint64_t pte(uint64_t mfn, uint64_t flags)
{
	return (mfn << 12) | flags;
}

/* Every domain frame back at "allocated, typeless or idle". */
void assert_baseline(void)
{
	for (unsigned int i = 0; i < IO_MFN; i++) {
		CU_ASSERT_EQUAL(info[i].count, 1);
		CU_ASSERT_EQUAL(info[i].type_count, 0);
		CU_ASSERT_EQUAL(info[i].linear, 0);
		CU_ASSERT_FALSE(info[i].flags & (MM_PGF_PARTIAL | MM_PGF_PARTIAL_ENTRY));
	}
}
