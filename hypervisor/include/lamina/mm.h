/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Machine memory: the direct map (RAM below 4 GiB at HV_DIRECTMAP) and the
 * page allocator, a bitmap over machine frames. A frame is either free,
 * allocated to the hypervisor, or given to a domain (frame_owner).
 */
#ifndef LAMINA_MM_H
#define LAMINA_MM_H

#include <asm/layout.h>
#include <lamina/boot.h>
#include <lamina/types.h>

static inline void *maddr_to_virt(paddr_t pa)
{
	return (void *)(HV_DIRECTMAP + pa);
}

static inline void *mfn_to_virt(mfn_t mfn)
{
	return maddr_to_virt(mfn_x(mfn) << PAGE_SHIFT);
}

static inline paddr_t image_virt_to_maddr(const void *va)
{
	return (paddr_t)va - HV_IMAGE_VIRT;
}

/* Reserves [start, end) so the allocator never hands it out. Before mm_init. */
void mm_reserve(paddr_t start, paddr_t end);
/* Frees the RAM ranges of bi minus everything reserved. */
void mm_init(const struct boot_info *bi);
/* Allocates one zeroed frame; INVALID_MFN_RAW in .m when none is left. */
mfn_t mm_alloc_page(void);
void mm_free_page(mfn_t mfn);
/* Allocates n contiguous frames (not zeroed); first mfn or INVALID_MFN_RAW. */
uint64_t mm_alloc_contig(uint64_t n);
/* Free frames, and the highest RAM frame + 1 the allocator covers. */
uint64_t mm_free_pages(void);
uint64_t mm_max_mfn(void);

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
