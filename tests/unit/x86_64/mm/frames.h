/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The frame-table suites' simulated machine (frames.c): frames 0..39 are
 * DOM's, 40..59 OTHER's, 60..63 DOMID_IO's, each DOM/OTHER frame holding its
 * allocation ref; the hooks count frees and L4 slot fills, preempt every
 * preempt_every-th call (0: never) and report tlb_stale_mask as the CPUs
 * to flush.
 */
#ifndef TESTS_UNIT_MM_FRAMES_H
#define TESTS_UNIT_MM_FRAMES_H

#include <stdint.h>
#include "asm/page_info.h"

#define NFRAMES 64
#define DOM 1
#define OTHER 2
#define IO_MFN 60 /* frames 60..63 belong to DOMID_IO; >= NFRAMES are beyond RAM */

#define RW (MM_PTE_P | MM_PTE_RW | MM_PTE_US | MM_PTE_A)
#define RO (MM_PTE_P | MM_PTE_US | MM_PTE_A)

extern uint64_t mem[NFRAMES][512];
extern struct page_info info[NFRAMES];
extern unsigned int nr_freed, nr_xen_slots, preempt_every, preempt_calls;
extern uint64_t tlb_clock, tlb_stale_mask;
extern struct mm_ctx ctx; /* DOM's, not preemptible */

/* Every frame as above, nothing mapped, ctx reset. */
int setup(void);
uint64_t pte(uint64_t mfn, uint64_t flags);
/* Every domain frame back at "allocated, typeless or idle", nothing PARTIAL. */
void assert_baseline(void);

#endif
