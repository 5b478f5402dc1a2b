/* SPDX-License-Identifier: MIT */
/*
 * Frames and page tables. A guest-pv kernel is linked at virtual 0 with
 * VIRT_BASE 0, so pseudo-physical frame N is virtual N * 4096 in the
 * initial mapping. The p2m is start_info.mfn_list (nr_pages entries), the
 * m2p is Xen's read-only table at MACH2PHYS_VIRT_START. Every lookup is
 * bounds-checked and returns GPV_INVALID on a bad index.
 */
#ifndef GPV_MM_H
#define GPV_MM_H

#include <stdint.h>

#define GPV_INVALID (~0UL)
#define GPV_PAGE_SIZE 4096UL

/* pfn -> mfn through mfn_list. */
unsigned long gpv_pfn_to_mfn(unsigned long pfn);
/* mfn -> pfn through the read-only M2P (GPV_INVALID if it faults). */
unsigned long gpv_mfn_to_pfn(unsigned long mfn);
/* Machine frame behind the kernel virtual address @va (initial mapping). */
unsigned long gpv_virt_to_mfn(const void *va);
/*
 * Walk the current page tables (start_info.pt_base) for @va; fills
 * @entries[0..3] with the L4..L1 entries found (0 past a non-present one)
 * and returns the number of present levels (4 = mapped).
 */
int gpv_pt_walk(unsigned long va, uint64_t entries[4]);

#endif
