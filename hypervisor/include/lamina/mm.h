/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Machine memory: the direct map (RAM below 4 GiB at HV_DIRECTMAP) and the
 * page allocator, a bitmap over machine frames. A frame is either free,
 * allocated to the hypervisor, or given to a domain; its type is the arch's
 * (<asm/mm.h>).
 */
#ifndef LAMINA_MM_H
#define LAMINA_MM_H

#include <asm/layout.h>
#include <asm/mm.h>
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

/* Multi-page hypervisor objects, zeroed (whole pages): NULL when out of memory. */
void *mm_alloc_heap(size_t bytes);
void mm_free_heap(void *p, size_t bytes);

/* A domain's memory unit (domain_create / domain_destroy) and its frames. */
struct domain;
int domain_memory_init(struct domain *d);
void domain_memory_teardown(struct domain *d);

#endif
