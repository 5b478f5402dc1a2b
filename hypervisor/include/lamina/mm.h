/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Machine memory: the direct map (RAM below 4 GiB at HV_DIRECTMAP) and the
 * page allocator, a bitmap over machine frames. A frame is either free,
 * allocated to the hypervisor, or given to a domain; its owner, type and
 * reference counts are the frame table's (<asm/mm.h>, arch/x86_64/mm.c).
 */
#ifndef LAMINA_MM_H
#define LAMINA_MM_H

#include <asm/layout.h>
#include <asm/mm.h>
#include <lamina/boot.h>
#include <lamina/spinlock.h>
#include <lamina/types.h>
#include <xen/xen.h>

struct domain;

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
/* Allocates n contiguous frames (not zeroed); the first, or INVALID_MFN. */
mfn_t mm_alloc_contig(uint64_t n);
/* The same, every frame below MFN limit (Xen's MEMF_bits). */
mfn_t mm_alloc_contig_below(uint64_t n, uint64_t limit);
/* Free frames, and the highest RAM frame + 1 the allocator covers. */
uint64_t mm_free_pages(void);
uint64_t mm_max_mfn(void);
/* What the allocator knows of a frame, for the frame table's set-up. */
enum mm_frame_state { MM_FRAME_FREE, MM_FRAME_USED, MM_FRAME_NOT_RAM };
enum mm_frame_state mm_frame_state(uint64_t mfn);
/* The frame table's side of mm_alloc_page(): the frame is DOMID_XEN's. */
void mm_frame_allocated(mfn_t mfn);

/* Multi-page hypervisor objects, zeroed (whole pages): NULL when out of memory. */
void *mm_alloc_heap(size_t bytes);
void mm_free_heap(void *p, size_t bytes);

/* A domain's memory unit (domain_create / domain_destroy) and its frames. */
struct domain;
int domain_memory_init(struct domain *d);
void domain_memory_teardown(struct domain *d);

/*
 * The frame table (arch/x86_64/mm.c over the pure asm/page_info.h): every
 * frame the allocator covers has an owner, a type and reference counts.
 * mm_alloc_page() frames are the hypervisor's (DOMID_XEN); RAM the allocator
 * never hands out (the first MiB, holes) belongs to DOMID_IO. Every frame
 * table operation runs under mm_lock (taken by the MMU hypercalls, the
 * builder and ptwr), which is also what serialises the pure code.
 */
extern spinlock_t mm_lock;
/* Sets up the table (from mm_init, once the allocator knows the RAM). */
void mm_frame_table_init(void);
/* Gives a free-from-the-allocator frame to domain d (one allocation ref). */
void mm_assign_page(mfn_t mfn, domid_t d);
/* Shares a hypervisor page writable with d for good (shared_info). */
void mm_share_xen_page(mfn_t mfn, domid_t d);
/* Gives back every frame of a dying domain (pins, then allocation refs). */
void mm_relinquish(struct domain *d);
/*
 * The preemptible part of that, for a domain's destruction: its vCPUs'
 * pending puts and base pointers, its pins and any half-validated table,
 * then its frames' allocation refs, with the state kept in d between calls.
 * 0 when done (mm_relinquish then only orphans what is still mapped from
 * outside), -MM_ERESTART: call again.
 */
int mm_relinquish_tables(struct domain *d);
/* The same without stopping (what mm_relinquish does first). */
void mm_relinquish_tables_now(struct domain *d);
/* Preemptions of page-table validation and teardown (all domains, so far). */
void mm_note_preemptions(uint32_t n);
uint64_t mm_preemptions(void);
/*
 * Takes a page of d's back (XENMEM_decrease_reservation, Xen's
 * guest_remove_page): its pin and its allocation ref go; it is freed when
 * nothing maps it any more. 0 or -EINVAL (not d's, or given back already).
 */
int mm_remove_page(struct domain *d, mfn_t mfn);
/*
 * A general reference on a frame of d's (a grant or foreign mapping, a
 * hypervisor use): 0, or -EINVAL when the frame is not d's (free, another
 * domain's, the hypervisor's, I/O, or a destroyed domain's). Put drops it;
 * the last reference of a domain's (or an orphaned) frame frees it (and
 * flushes TLBs: call it with no lock held).
 */
int mm_page_get(mfn_t mfn, const struct domain *d);
void mm_page_put(mfn_t mfn);
/*
 * XENMEM_exchange's steal (Xen's steal_page), under mm_lock: whether d may
 * give mfn away (0, or -EINVAL: not d's, mapped, typed, pinned or shared),
 * then the giving (its allocation ref goes, so it is freed and d's
 * tot_pages drops). Check every page of a chunk before committing any.
 */
int mm_steal_check(const struct domain *d, mfn_t mfn);
void mm_steal_commit(struct domain *d, mfn_t mfn);
/* The owner of mfn (DOMID_INVALID when free, DOMID_IO when not RAM). */
domid_t mm_page_owner(mfn_t mfn);
/* The context of an MMU operation on pt's tables mapping pg_owner's pages. */
void mm_ctx_init(struct mm_ctx *c, const struct domain *pt, domid_t pg_owner);
/*
 * A context for frame references of domain d's alone (mm_get_page, a
 * WRITABLE type, their puts, mm_l1e_put): nothing is validated in it, so
 * it needs none of mm_ctx_init's I/O ranges.
 */
static inline void mm_ctx_init_refs(struct mm_ctx *c, domid_t d)
{
	/* Field by field, not a compound literal: no rep stos over the padding. A field
	 * added to struct mm_ctx changes its size: set it here too. */
	_Static_assert(sizeof(struct mm_ctx) == 56, "mm_ctx_init_refs sets every field");
	c->pt_owner = c->pg_owner = d;
	c->io_end = 0;
	c->io_ranges = 0;
	c->nr_io_ranges = 0;
	c->m2p_strict = c->need_flush = c->preemptible = c->l1e_io = c->left_partial = false;
	c->preempted = 0;
	c->deferred = MM_NO_MFN;
	c->flush_mask = 0;
}
/*
 * Flushes the TLBs the operations under c made stale (a type changed, a
 * page was freed): this CPU's and every CPU's running a guest. Call it
 * without mm_lock held. (mm_ctx_flush_stale does it; the check is inline,
 * since most operations leave nothing stale.)
 */
void mm_ctx_flush_stale(struct mm_ctx *c);
static inline void mm_ctx_flush(struct mm_ctx *c)
{
	if (c->need_flush || c->flush_mask)
		mm_ctx_flush_stale(c);
}

/*
 * Cross-CPU TLB flushes (arch/x86_64/flush.c). mm_tlb_loaded: this CPU is
 * loading d's page tables (before its CR3 load). mm_tlb_mask: the CPUs whose
 * TLB may hold d's translations (d NULL: any guest's), bit n for CPU n.
 * mm_flush_cpus: flushes those CPUs' TLBs (this one's directly, the others by
 * IPI) and waits until they did; no lock may be held. mm_flush_domain: every
 * CPU of d's and this one. mm_flush_selftest: lamina_selftest=tlb.
 */
void mm_tlb_loaded(const struct domain *d);
uint64_t mm_tlb_mask(const struct domain *d);
void mm_flush_cpus(uint64_t mask);
void mm_flush_domain(const struct domain *d);
void mm_flush_selftest(void);
/*
 * The TLB clock (Xen's tlbflush_clock): mm_tlb_clock now; mm_tlb_stale, the
 * CPUs of d's that have not flushed since clock value stamp, without this
 * one, which it flushes at once if it is among them (safe under mm_lock:
 * no IPI).
 */
uint64_t mm_tlb_clock(void);
uint64_t mm_tlb_stale(const struct domain *d, uint64_t stamp);

/*
 * The read-only machine-to-phys table every guest reads at
 * HV_RO_MPT_VIRT: one entry per frame, INVALID (~0) unless a domain set it.
 */
int mm_m2p_init(void);
/*
 * The first MFN of the M2P's 2 MiB chunk c (XENMEM_machphys_mfn_list), or
 * INVALID_MFN_RAW past the last one.
 */
uint64_t mm_m2p_chunk_mfn(uint64_t c);
/* Sets M2P[mfn] = pfn: 0, or -EINVAL beyond the table. */
int mm_m2p_set(mfn_t mfn, uint64_t pfn);

#endif
