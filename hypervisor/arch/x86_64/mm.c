// SPDX-License-Identifier: GPL-2.0-only
/*
 * Machine frames as the x86 PV MMU sees them: a byte per frame below 4 GiB
 * with its type (asm/mm.h) and the pinned flag. Issue 9 replaces this with
 * Xen's frame table (struct page_info: owner, type and counts).
 *
 *   frame_types [mfn]   enum frame_type | FT_PINNED
 */
#include <asm/layout.h>
#include <lamina/arch.h>
#include <lamina/mm.h>

#define MAX_FRAMES (HV_DIRECTMAP_SIZE >> PAGE_SHIFT)
#define FT_PINNED 0x80 /* in frame_types: a page table the guest pinned */

static uint8_t frame_types[MAX_FRAMES];

void arch_mm_frame_freed(mfn_t mfn)
{
	if (mfn_x(mfn) < MAX_FRAMES)
		frame_types[mfn_x(mfn)] = FT_NONE;
}

void mm_set_frame_type(mfn_t mfn, enum frame_type t)
{
	if (mfn_x(mfn) < MAX_FRAMES)
		frame_types[mfn_x(mfn)] = (uint8_t)t;
}

enum frame_type mm_frame_type(mfn_t mfn)
{
	return mfn_x(mfn) < mm_max_mfn() ? (enum frame_type)(frame_types[mfn_x(mfn)] & ~FT_PINNED)
					 : FT_NONE;
}

bool mm_frame_pinned(mfn_t mfn)
{
	return mfn_x(mfn) < mm_max_mfn() && (frame_types[mfn_x(mfn)] & FT_PINNED);
}

void mm_set_frame_pinned(mfn_t mfn, bool pinned)
{
	if (mfn_x(mfn) < mm_max_mfn())
		frame_types[mfn_x(mfn)] = (uint8_t)((frame_types[mfn_x(mfn)] & ~FT_PINNED) |
						    (pinned ? FT_PINNED : 0));
}
