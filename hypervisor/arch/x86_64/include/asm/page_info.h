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
#define MM_PGF_ALLOCATED 0x08 /* the owner holds its allocation ref (Xen's PGC_allocated) */

struct page_info {
	uint32_t count;
	uint32_t type_count;
	mm_domid_t owner;
	uint8_t type;
	uint8_t flags;
	int32_t linear;
};

/* Who asks: the owner of the tables being changed and of the pages mapped. */
struct mm_ctx {
	mm_domid_t pt_owner;
	mm_domid_t pg_owner; /* == pt_owner, a foreign domain, or DOMID_IO */
	uint64_t io_end;     /* pt_owner may map frames that are not RAM below
				this MFN (dom0: the CPU's physical address width,
				as Xen's iomem caps); 0: none */
	bool m2p_strict;     /* VMASST_TYPE_m2p_strict of pt_owner */
	bool need_flush;     /* out: a type changed or a page was freed */
};

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

/* --- the state machine (arch/x86_64/mm/page_type.c) --- */
/* A general ref on a page owned by domain d (never a reserved owner's: XEN, IO, ORPHAN). */
bool mm_get_page(uint64_t mfn, mm_domid_t d);
void mm_put_page(struct mm_ctx *c, uint64_t mfn);
/*
 * A type reference of type t (the caller holds a general ref): 0, or
 * -EINVAL when the page has another type in use or does not validate as t
 * (then every ref its validation took is dropped again), -EBUSY-free.
 */
int mm_get_page_type(struct mm_ctx *c, uint64_t mfn, enum mm_pgt t);
void mm_put_page_type(struct mm_ctx *c, uint64_t mfn);
/* Both at once; 0, -EINVAL (not d's) or mm_get_page_type's error. */
int mm_get_page_and_type(struct mm_ctx *c, uint64_t mfn, mm_domid_t d, enum mm_pgt t);
void mm_put_page_and_type(struct mm_ctx *c, uint64_t mfn);

/* --- entries (arch/x86_64/mm/page_table.c) --- */
/*
 * The references a present L1 entry needs, as Xen's get_page_from_l1e: 0,
 * -EINVAL (bad flags), -EPERM (I/O without the right), -EBUSY (a page the
 * domain may not map, or not writably).
 */
int mm_l1e_get(struct mm_ctx *c, uint64_t l1e);
void mm_l1e_put(struct mm_ctx *c, uint64_t l1e);
/* Validates table mfn as level (1-4) / drops its entries' refs. */
int mm_promote_table(struct mm_ctx *c, uint64_t mfn, unsigned int level);
void mm_demote_table(struct mm_ctx *c, uint64_t mfn, unsigned int level);
/*
 * Writes val into entry slot of the validated table mfn (owned by
 * c->pt_owner): the new entry's refs are taken first, the entry is swapped
 * atomically (keeping the hardware's A/D bits with preserve_ad), then the old
 * entry's refs are dropped. 0 or -EINVAL/-EPERM/-EBUSY as Xen's mod_lN_entry.
 */
int mm_mod_entry(struct mm_ctx *c, uint64_t mfn, unsigned int slot, uint64_t val, bool preserve_ad);

#endif
