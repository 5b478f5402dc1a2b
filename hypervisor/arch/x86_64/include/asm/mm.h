/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The x86 side of machine memory: the frame table (struct page_info, the
 * page-type state machine of asm/page_info.h, kept in arch/x86_64/mm.c).
 */
#ifndef LAMINA_ASM_MM_H
#define LAMINA_ASM_MM_H

#include <asm/page_info.h>

/* Drops a page's pin and allocation ref (under mm_lock; arch/x86_64/mm.c). */
void mm_give_back(struct mm_ctx *c, uint64_t mfn);

#endif
