/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Frame types of the x86 PV MMU (arch/x86_64/mm.c). Issue 9 replaces them
 * with Xen's frame table (struct page_info).
 */
#ifndef LAMINA_ASM_MM_H
#define LAMINA_ASM_MM_H

#include <lamina/types.h>

/* Page ownership of machine frames (one byte each; 0 = not a guest's). */
enum frame_type {
	FT_NONE = 0,
	FT_GUEST_RW, /* an ordinary page of the domain */
	FT_GUEST_L1, /* a validated page table of the domain, levels 1-4 */
	FT_GUEST_L2,
	FT_GUEST_L3,
	FT_GUEST_L4,
	FT_SHARED_INFO,	   /* the domain's shared_info page (hypervisor-owned) */
	FT_GUEST_SEGDESC,  /* a page of the domain's GDT: never writable */
	FT_GUEST_VCPUINFO, /* holds a registered vcpu_info: writable, never a table */
};
void mm_set_frame_type(mfn_t mfn, enum frame_type t);
enum frame_type mm_frame_type(mfn_t mfn);
/* Whether a page table is pinned (MMUEXT_PIN_*), and setting it. */
bool mm_frame_pinned(mfn_t mfn);
void mm_set_frame_pinned(mfn_t mfn, bool pinned);

#endif
