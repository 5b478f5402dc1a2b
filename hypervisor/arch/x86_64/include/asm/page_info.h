/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The frame table: one struct page_info per machine frame, as Xen's, and the
 * page-type state machine that makes PV page tables safe (arch/x86_64/mm/,
 * pure code: host-tested in tests/unit/x86_64/mm/page_type.c with simulated frames).
 *
 *   count       general references: 0 = free; a domain's page holds one for
 *               being allocated; every mapping, pin, base pointer and
 *               hypervisor use holds one more
 *   owner       the domain, DOMID_XEN (the hypervisor's), DOMID_IO (not RAM),
 *               MM_DOMID_ORPHAN (a destroyed domain's frame something still
 *               references: never confused with a new domain of the same
 *               id, freed with its last reference) or DOMID_INVALID (free)
 *   type        none, writable, L1..L4 page table, segment descriptors; it
 *               changes only while type_count is 0
 *   type_count  references of that type: a writable mapping holds one of
 *               type writable, an entry of an Ln table one of type L(n-1),
 *               a pin or base pointer one of its level
 *   flags       VALIDATED (a table's every entry was checked and holds its
 *               references), PINNED, XEN_HEAP (a hypervisor page shared
 *               with its owner, e.g. shared_info: writable for good)
 *   linear      > 0: this table holds that many linear (same-level) entries;
 *               < 0: it is the target of that many; never both, so linear
 *               mappings are one level deep and cannot form reference cycles
 *   nr_done     PARTIAL: entries [0, nr_done) hold their refs
 *   tlb_stamp   the TLB clock (mm_env_tlb_clock) when its type count last
 *               dropped to 0: a CPU that has not flushed since may still
 *               hold a translation through what it was (writable, a table)
 *
 * Flush before validation (Xen's tlbflush_filter in _get_page_type): a page
 * that becomes a table or descriptor page from another type must not stay
 * writable (or a table of another level) in any TLB. Before it is
 * validated, the owner's CPUs that may still cache it (mm_env_tlb_stale:
 * this CPU is flushed there and then) are flushed; since no IPI may be sent under the frame table's lock, a
 * preemptible context stops instead (-MM_ERESTART, nothing changed,
 * c->flush_mask set): the caller drops the lock, flushes them
 * (mm_ctx_flush) and issues the op again. A context that cannot stop keeps
 * Xen's order only for this CPU; the other CPUs are flushed at its end.
 *
 * Preemptible trees (Xen's PGT_partial, nr_validated_ptes, partial_flags):
 * validating or tearing down an L2-L4 table may stop between two entries
 * when the caller's context is preemptible and mm_env_preempt() says so.
 * The table is then PARTIAL: type_count 1 and one extra general ref (the
 * "token"), entries [0, nr_done) hold refs, and with PARTIAL_ENTRY entry
 * nr_done holds a general ref on its child but no type ref (the child may
 * itself be PARTIAL). A promoting PARTIAL table is resumed by the next
 * get_page_type of its type (the re-issued pin, or any table naming it),
 * which takes its token over; a DEMOTING one (a teardown that stopped, or a
 * validation that failed half-way) only by mm_put_type_partial, from the
 * holder of a general ref on it (a parent's PARTIAL_ENTRY or the vCPU's
 * pending put, pv/mmuext_op.c). Anything else sees a typed, unvalidated
 * page: -EINVAL.
 *
 * Invariants: a page-table or descriptor page (type_count > 0) is never
 * mapped writable, since such a mapping would hold a writable type ref; a
 * validated table holds exactly the refs of its present entries; dropping the
 * last type ref of a validated table drops them (recursively).
 *
 * Locking: the caller serialises every call (one lock over the frame table;
 * arch/x86_64/mm.c holds it). The code the pure module calls back (mm_env_*)
 * is provided by the hypervisor and by the unit tests.
 */
#ifndef LAMINA_ASM_PAGE_INFO_H
#define LAMINA_ASM_PAGE_INFO_H

#include <stdbool.h>
#include <stdint.h>

typedef uint16_t mm_domid_t;

/* The owner of a dead domain's frames still referenced (reserved, not Xen's). */
#define MM_DOMID_ORPHAN 0x7ffe

enum mm_pgt {
	MM_PGT_NONE = 0,
	MM_PGT_WRITABLE,
	MM_PGT_L1,
	MM_PGT_L2,
	MM_PGT_L3,
	MM_PGT_L4,
	MM_PGT_SEG_DESC,
};

#define MM_PGF_VALIDATED 0x01
#define MM_PGF_PINNED 0x02
#define MM_PGF_XEN_HEAP 0x04
#define MM_PGF_ALLOCATED 0x08	  /* the owner holds its allocation ref (Xen's PGC_allocated) */
#define MM_PGF_PARTIAL 0x10	  /* half validated or torn down: type_count 1 + a general ref */
#define MM_PGF_PARTIAL_ENTRY 0x20 /* entry nr_done holds a general ref, no type ref */
#define MM_PGF_DEMOTING 0x40	  /* PARTIAL on the way down: not taken over by a get */

struct page_info {
	uint32_t count;
	uint32_t type_count;
	mm_domid_t owner;
	uint8_t type;
	uint8_t flags;
	int32_t linear;
	uint16_t nr_done;
	uint64_t tlb_stamp; /* the TLB clock when its last writable type ref went */
};

/* Frames [first, last] of I/O memory the hardware domain maps read-only or not at all. */
struct mm_io_range {
	uint64_t first, last;
	bool ro; /* read-only (a writable entry loses RW), else refused */
};

/* Who asks: the owner of the tables being changed and of the pages mapped. */
struct mm_ctx {
	mm_domid_t pt_owner;
	mm_domid_t pg_owner;		     /* == pt_owner, a foreign domain, or DOMID_IO */
	uint64_t io_end;		     /* pt_owner may map frames that are not RAM below
				this MFN (dom0: the CPU's physical address width,
				as Xen's iomem caps); 0: none */
	const struct mm_io_range *io_ranges; /* of these only read-only ones, in order */
	unsigned int nr_io_ranges;
	bool m2p_strict;     /* VMASST_TYPE_m2p_strict of pt_owner */
	bool need_flush;     /* out: a type changed or a page was freed */
	bool preemptible;    /* L2-L4 validation and teardown may stop (-MM_ERESTART) */
	bool l1e_io;	     /* out: mm_l1e_get accepted an I/O frame (its caller
				applies mm_l1e_io_fix and clears this) */
	bool left_partial;   /* out: the failed get_page_type left the page DEMOTING */
	uint32_t preempted;  /* out: how often validation or teardown stopped */
	uint64_t deferred;   /* out: mm_mod_entry left this old child DEMOTING (its
				general ref to the caller), or MM_NO_MFN */
	uint64_t flush_mask; /* out: CPUs to flush (no lock held) before issuing again */
};

#define MM_NO_MFN (~0ULL)
/* A preemptible step stopped (Xen's internal ERESTART): never a guest's answer. */
#define MM_ERESTART 85

#define MM_PTE_P 0x001ULL
#define MM_PTE_RW 0x002ULL
#define MM_PTE_US 0x004ULL
#define MM_PTE_A 0x020ULL
#define MM_PTE_D 0x040ULL
#define MM_PTE_PSE 0x080ULL
#define MM_PTE_ADDR 0x000ffffffffff000ULL
/* Bits a guest may set (Xen's base_disallow_mask): P RW US A D AVAIL AVAIL_HIGH NX. */
#define MM_PTE_ALLOWED                                                                        \
	(0x001ULL | 0x002ULL | 0x004ULL | 0x020ULL | 0x040ULL | 0xe00ULL | (0x7ffULL << 52) | \
	 (1ULL << 63))
/* Xen's _PAGE_GUEST_KERNEL (an AVAIL_HIGH bit): the guest mapped it without US. */
#define MM_PTE_GUEST_KERNEL (1ULL << 52)
#define MM_PTE_GLOBAL 0x100ULL
#define MM_PTE_CACHE (0x008ULL | 0x010ULL | 0x080ULL) /* PWT PCD PAT (L1) */
#define MM_L4_XEN_FIRST 256
#define MM_L4_XEN_LAST 271

/* --- provided by the environment (hypervisor or unit-test simulation) --- */
/* The frame's info, or NULL when mfn is beyond the table (not RAM: I/O). */
struct page_info *mm_env_page(uint64_t mfn);
/* The frame's 512 entries (a hypervisor mapping of it). */
uint64_t *mm_env_map(uint64_t mfn);
/* The last general reference of a domain's page went: free it. */
void mm_env_freed(uint64_t mfn);
/* Fills the hypervisor's slots of a freshly validated L4. */
void mm_env_l4_xen_slots(uint64_t *l4, uint64_t mfn, bool m2p_strict);
/* Checks (and fixes up) one descriptor of a descriptor page. */
bool mm_env_descriptor_ok(uint64_t *desc);
/* Whether a preemptible validation or teardown should stop now. */
bool mm_env_preempt(void);
/* The TLB clock: it moves before every flush a CPU records. */
uint64_t mm_env_tlb_clock(void);
/*
 * The CPUs other than this one that may hold a translation of owner's
 * older than stamp (this one, if so, is flushed there and then).
 */
uint64_t mm_env_tlb_stale(mm_domid_t owner, uint64_t stamp);

/* --- the state machine (arch/x86_64/mm/page_type.c) --- */
/* A general ref on a page owned by domain d (never a reserved owner's: XEN, IO, ORPHAN). */
bool mm_get_page(uint64_t mfn, mm_domid_t d);
void mm_put_page(struct mm_ctx *c, uint64_t mfn);
/*
 * A type reference of type t (the caller holds a general ref): 0, or
 * -EINVAL when the page has another type in use or does not validate as t,
 * -MM_ERESTART (c->preemptible only) when validation stopped: the page is
 * PARTIAL, the caller's general ref is still the caller's. After a failed
 * validation the page is untyped again, or (c->preemptible, something
 * validated already) DEMOTING with c->left_partial set: the caller keeps its
 * general ref and hands it to a mm_put_type_partial.
 */
int mm_get_page_type(struct mm_ctx *c, uint64_t mfn, enum mm_pgt t);
void mm_put_page_type(struct mm_ctx *c, uint64_t mfn);
/*
 * Drops a type ref; the last one of a validated table tears it down, which
 * with c->preemptible may stop: -MM_ERESTART, the page DEMOTING and the
 * caller's general ref now owed to a later mm_put_type_partial. Else 0.
 */
int mm_put_page_type_preemptible(struct mm_ctx *c, uint64_t mfn);
/*
 * For the holder of a general ref on a PARTIAL page (without a type ref):
 * finishes tearing it down (nothing when it is not PARTIAL any more). 0
 * (then drop the general ref) or -MM_ERESTART (still DEMOTING; call again).
 */
int mm_put_type_partial(struct mm_ctx *c, uint64_t mfn);
/* Both at once; 0, -EINVAL (not d's) or mm_get_page_type's error. */
int mm_get_page_and_type(struct mm_ctx *c, uint64_t mfn, mm_domid_t d, enum mm_pgt t);
void mm_put_page_and_type(struct mm_ctx *c, uint64_t mfn);

/* --- entries (arch/x86_64/mm/page_table.c) --- */
/*
 * The references a present L1 entry needs, as Xen's get_page_from_l1e: 0,
 * -EINVAL (bad flags), -EPERM (I/O without the right), -EBUSY (a page the
 * domain may not map, or not writably), -EACCES (a xen-heap page not
 * write-back).
 */
int mm_l1e_get(struct mm_ctx *c, uint64_t l1e);
void mm_l1e_put(struct mm_ctx *c, uint64_t l1e);
/* The refs of present entry e of table (level 1-4) / their drop. */
int mm_entry_get(struct mm_ctx *c, uint64_t table, unsigned int level, uint64_t e);
void mm_entry_put(struct mm_ctx *c, uint64_t table, unsigned int level, uint64_t e);
/*
 * A level 3-4 entry's child put, preemptible with c->preemptible: partial
 * says the entry holds a general ref only (PARTIAL_ENTRY). 0 (refs gone)
 * or -MM_ERESTART (the child DEMOTING, the entry's general ref kept).
 */
int mm_entry_put_tree(struct mm_ctx *c, uint64_t table, unsigned int level, uint64_t e,
		      bool partial);
/* Xen's adjust_guest_lNe for a 64-bit guest (a present entry). */
uint64_t mm_entry_adjust(unsigned int level, uint64_t e);
/*
 * An accepted L1 entry as it is installed, as Xen's get_page_from_l1e asks
 * (its "flip"): a mapping of I/O memory loses RW where that memory is
 * read-only, and write-back (write-through, write-protect) is made
 * uncacheable; any other entry as it is.
 */
uint64_t mm_l1e_io_fix(const struct mm_ctx *c, uint64_t e);

/* Whether slot of a level-level table is the hypervisor's. */
static inline bool mm_is_xen_slot(unsigned int level, unsigned int slot)
{
	return level == 4 && slot >= MM_L4_XEN_FIRST && slot <= MM_L4_XEN_LAST;
}
/*
 * Validates table mfn as level (1-4) from entry nr_done (0 for a fresh one)
 * / drops its entries' refs from nr_done down (arch/x86_64/mm/page_tree.c).
 * 0, -MM_ERESTART (nr_done and PARTIAL_ENTRY say where it stopped) or, for
 * promotion, the failing entry's error (L1: undone; L2-L4: nr_done and
 * PARTIAL_ENTRY say what is held).
 */
int mm_promote_table(struct mm_ctx *c, uint64_t mfn, unsigned int level);
int mm_demote_table(struct mm_ctx *c, uint64_t mfn, unsigned int level);
/*
 * Writes val into entry slot of the validated table mfn (owned by
 * c->pt_owner): the new entry's refs are taken first, the entry is swapped
 * atomically (keeping the hardware's A/D bits with preserve_ad), then the old
 * entry's refs are dropped. 0 or -EINVAL/-EPERM/-EBUSY as Xen's mod_lN_entry.
 */
int mm_mod_entry(struct mm_ctx *c, uint64_t mfn, unsigned int slot, uint64_t val, bool preserve_ad);

#endif
