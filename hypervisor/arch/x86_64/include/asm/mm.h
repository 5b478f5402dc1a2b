/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The x86 side of machine memory: the frame table (struct page_info, the
 * page-type state machine of asm/page_info.h, kept in arch/x86_64/mm.c).
 */
#ifndef LAMINA_ASM_MM_H
#define LAMINA_ASM_MM_H

#include <asm/page_info.h>

/*
 * The frame table (arch/x86_64/mm.c), mm_nr_frames entries: mm_env_page
 * without a call, for the hypervisor's walks (the pure modules call
 * mm_env_page).
 */
extern struct page_info *mm_frame_table;
extern uint64_t mm_nr_frames;
static inline struct page_info *mm_frame_info(uint64_t mfn)
{
	return mfn < mm_nr_frames ? &mm_frame_table[mfn] : 0;
}

/* Drops a page's pin and allocation ref (under mm_lock; arch/x86_64/mm.c). */
void mm_give_back(struct mm_ctx *c, uint64_t mfn);

#endif
