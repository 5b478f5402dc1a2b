/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables (xen/common/grant_table.c), versions 1 and 2. A domain's
 * table of grant entries lives in hypervisor frames it maps (setup_table);
 * in version 2 the GTF_reading/GTF_writing bits live apart, in status
 * frames (get_status_frames). A domain named in an entry may copy to or
 * from the granted frame (GNTTABOP_copy) or map it (map_grant_ref).
 *
 *   grant_table
 *     frame[nr_frames]        shared entries (v1: 512 a frame, v2: 256)
 *     status[nr_status]       v2 only: one grant_status_t per entry
 *     active[frame] -> gnttab_active[512]   Xen's active entries: who has
 *                             the grant pinned (domid), the frame, and pin
 *                             counts (host/device x read/write, 8 bits each)
 *     maptrack[i] -> gnttab_maptrack[256]   the maps this domain holds of
 *                             others' (or its own) grants; a handle is an
 *                             index; free handles form a FIFO list
 *
 * Files: grant_table.c (table set-up, dispatch, death), grant_version.c
 * (set_version, status frames),
 * grant_pin.c (the pin protocol: status flags and active entries),
 * grant_map.c (map / unmap / unmap_and_replace, maptrack), grant_copy.c
 * (copy, cache_flush); arch/x86_64/pv/grant_table.c writes the PTEs.
 *
 * References: a map takes a general reference on the frame per host or
 * device mapping, and a writable type reference per writable one (so a
 * page table is never granted writable and a read-only map never yields a
 * writable reference); unmap drops them. A host mapping's PTE carries
 * them, as in Xen: a guest that zaps the PTE itself drops them with it.
 *
 * Locks: d->grant_lock (in struct domain, so it outlasts the table) guards
 * d's table, status frames, active entries and maptrack: Xen's per-table
 * lock, where Xen also has a maptrack lock and a lock per active entry (a
 * spinlock here, not Xen's rwlock). An op on two domains (a map: the
 * mapper's maptrack and the granter's active entry; an unmap) takes both
 * by domain id, the lower first (grant_map.c lock_two); a copy pins each side
 * under its granter's lock alone and copies with none held (the pins keep
 * the frames). A domain's teardown takes the others' locks one at a time.
 * Order: grant locks, then mm_lock (frame references, PTEs).
 */
#ifndef LAMINA_GRANT_TABLE_H
#define LAMINA_GRANT_TABLE_H

#include <lamina/mm.h>
#include <lamina/types.h>
#include <xen/grant_table.h>

struct domain;
struct mm_ctx;

#define GNTTAB_MAX_FRAMES 64 /* per domain, as Xen's gnttab_max_frames default */
#define GNTTAB_V1_PER_FRAME (PAGE_SIZE / sizeof(grant_entry_v1_t))
#define GNTTAB_V2_PER_FRAME (PAGE_SIZE / sizeof(grant_entry_v2_t))
#define GNTTAB_STATUS_PER_FRAME (PAGE_SIZE / sizeof(grant_status_t))
#define GNTTAB_MAX_STATUS_FRAMES                                                   \
	((GNTTAB_MAX_FRAMES * GNTTAB_V2_PER_FRAME + GNTTAB_STATUS_PER_FRAME - 1) / \
	 GNTTAB_STATUS_PER_FRAME)
#define GNTTAB_MAPTRACK_PER_FRAME (PAGE_SIZE / sizeof(struct gnttab_maptrack))
#define GNTTAB_MAX_MAPTRACK_FRAMES 1024 /* Xen's gnttab_max_maptrack_frames default */
#define GNTTAB_MAPTRACK_TAIL 0xffffffffU

/* Pin counts of an active entry (Xen's GNTPIN_*): four 8-bit counters. */
#define GNTPIN_HSTW 0x00000001U
#define GNTPIN_HSTR 0x00000100U
#define GNTPIN_DEVW 0x00010000U
#define GNTPIN_DEVR 0x01000000U
#define GNTPIN_WRITERS 0x00ff00ffU /* host and device writers */
/* A counter one more increment would overflow into its top bit. */
#define GNTPIN_OVERFLOW(incr) ((incr) << 7)

struct gnttab_active {
	uint32_t pin;  /* GNTPIN_* counts; 0 = not pinned */
	domid_t domid; /* the pinning domain, valid while pinned */
	uint16_t pad;
	uint64_t mfn; /* the granted frame, valid while pinned */
};

/* A maptrack entry; flags 0 = free (ref is then the next free handle). */
#define GNTTAB_MT_ORPHAN 0x8000 /* the granter is gone: no active entry */
struct gnttab_maptrack {
	uint32_t ref;
	uint16_t flags; /* GNTMAP_host_map / device_map / readonly / contains_pte */
	domid_t domid;	/* the granter */
	uint64_t mfn;
};

struct grant_table {
	unsigned int version;	/* 1 or 2 */
	unsigned int nr_frames; /* frames of entries, grown by setup_table */
	unsigned int nr_status; /* status frames (version 2) */
	mfn_t frame[GNTTAB_MAX_FRAMES];
	mfn_t status[GNTTAB_MAX_STATUS_FRAMES];
	struct gnttab_active *active[GNTTAB_MAX_FRAMES]; /* GNTTAB_V1_PER_FRAME each */
	/* The maps this domain holds. */
	unsigned int maptrack_frames;
	uint32_t mt_head, mt_tail; /* free list (FIFO), GNTTAB_MAPTRACK_TAIL when empty */
	unsigned int mt_used;
	struct gnttab_maptrack *maptrack[GNTTAB_MAX_MAPTRACK_FRAMES];
};

/* A domain's grant-table unit (domain_create / domain_destroy). */
int gnttab_domain_init(struct domain *d);
/* Revokes d's maps and what d granted to others, then frees its table. */
void gnttab_domain_teardown(struct domain *d);

/*
 * XENMEM_acquire_resource of d's grant table (Xen's gnttab_resource_max_frames
 * and gnttab_acquire_resource): the frames id (XENMEM_resource_grant_table_id_*)
 * can have at most (0: none), and the MFNs of frames [frame, frame + n),
 * growing the table to hold them when within its maximum: n, or -EINVAL
 * (n 0, beyond the maximum, the status frames of a v1 table, another id).
 */
unsigned int gnttab_resource_max_frames(const struct domain *d, unsigned int id);
int gnttab_resource_frames(struct domain *d, unsigned int id, unsigned int frame, unsigned int n,
			   uint64_t *mfns);

/* --- inside the grant unit (common/grant_*.c) --- */
/* Entries of the table in its current version. */
static inline unsigned int gnttab_nr_entries(const struct grant_table *gt)
{
	return gt->nr_frames * (gt->version == 1 ? GNTTAB_V1_PER_FRAME : GNTTAB_V2_PER_FRAME);
}

/* The active entry of ref (< gnttab_nr_entries). */
static inline struct gnttab_active *gnttab_active(const struct grant_table *gt, grant_ref_t ref)
{
	return &gt->active[ref / GNTTAB_V1_PER_FRAME][ref % GNTTAB_V1_PER_FRAME];
}

/* The shared header of ref (< gnttab_nr_entries), its frame, and the word holding
 * its GTF_reading / GTF_writing (the header's flags in v1, the status entry in v2). */
static inline grant_entry_header_t *gnttab_header(const struct grant_table *gt, grant_ref_t ref)
{
	if (gt->version == 1) {
		grant_entry_v1_t *f = mfn_to_virt(gt->frame[ref / GNTTAB_V1_PER_FRAME]);

		return (grant_entry_header_t *)&f[ref % GNTTAB_V1_PER_FRAME];
	}
	grant_entry_v2_t *f = mfn_to_virt(gt->frame[ref / GNTTAB_V2_PER_FRAME]);

	return &f[ref % GNTTAB_V2_PER_FRAME].hdr;
}

uint64_t gnttab_frame(const struct grant_table *gt, grant_ref_t ref);
uint16_t *gnttab_status_word(const struct grant_table *gt, grant_ref_t ref);
/* The domain an op names (DOMID_SELF, or any for a privileged caller): GNTST_okay and *d,
 * GNTST_bad_domain or GNTST_permission_denied. */
int16_t gnttab_target(struct domain *cur, domid_t dom, struct domain **d);
/*
 * Pins grant ref of rd for domain ld with pin increment incr (GNTPIN_*),
 * as Xen's map_grant_ref / acquire_grant_for_copy: checks the entry
 * (permit_access, names ld, writable unless readonly, whole page when
 * map), sets GTF_reading/GTF_writing with Xen's compare-exchange protocol
 * and checks the frame is rd's. GNTST_okay with *mfn, or a GNTST_* error
 * (nothing changed).
 */
int16_t gnttab_pin(struct domain *rd, grant_ref_t ref, domid_t ld, uint32_t incr, bool readonly,
		   bool map, uint64_t *mfn);
/* Undoes one gnttab_pin: the counts, then the status flags no pin needs. */
void gnttab_unpin(struct domain *rd, grant_ref_t ref, uint32_t incr, bool readonly);
/* The ops of grant_map.c / grant_copy.c: each returns 0, a count done (>0: continue) or -Exxx. */
long gnttab_op_map(struct domain *ld, uint64_t uop, unsigned int count);
long gnttab_op_unmap(struct domain *ld, uint64_t uop, unsigned int count, bool replace);
long gnttab_op_copy(struct domain *cur, uint64_t uop, unsigned int count);
/* first_ref: the command's continuation bits (Xen's cur_ref: where the grant search starts). */
long gnttab_op_cache_flush(struct domain *cur, uint64_t uop, unsigned int count,
			   unsigned int first_ref);
/* Table frames (grant_table.c): shared with d / given back; status frames for nr frames. */
int gnttab_add_frames(struct domain *d, mfn_t *list, unsigned int *n, unsigned int want);
void gnttab_put_frames(struct domain *d, mfn_t *list, unsigned int *n, unsigned int keep);
unsigned int gnttab_status_frames_for(unsigned int nr_frames);
/* Copies frames out to a guest frame list: GNTST_okay or GNTST_bad_virt_addr. */
int16_t gnttab_frames_out(uint64_t list, const mfn_t *frames, unsigned int n);
/* GNTTABOP_set_version and get_status_frames (grant_version.c): 0 or -Exxx. */
long gnttab_op_set_version(struct domain *cur, uint64_t uop);
long gnttab_op_get_status_frames(struct domain *cur, uint64_t uop);
/* One map op for domain ld (its status; op's handle and dev_bus_addr filled in on success). */
int16_t gnttab_map_one(struct domain *ld, struct gnttab_map_grant_ref *op);
/* The death paths' boot self-test (grant_selftest.c): adds its checks and failures. */
void gnttab_selftest(unsigned int *checks, unsigned int *failures);
/* d's maps at its death; every map others hold of dead rd's grants. */
void gnttab_release_maps(struct domain *d);
void gnttab_orphan_maps_of(struct domain *rd);
/* Maptrack frames of d (freed at teardown). */
void gnttab_maptrack_free(struct grant_table *gt);

/* --- the arch's PTE hooks (arch/x86_64/pv/grant_table.c), for the current vCPU --- */
/*
 * Under mm_lock, in the op's context c (its flush after the lock): points
 * the PTE named by addr (a linear address, or with GNTMAP_contains_pte the
 * machine address of an entry in an L1 table of the current domain's) at
 * mfn with the rights of GNTMAP flags; the old entry's references are
 * dropped. GNTST_okay or GNTST_general_error.
 */
int16_t arch_gnttab_create_host_mapping(struct mm_ctx *c, uint64_t addr, uint64_t mfn,
					unsigned int flags);
/*
 * Under mm_lock, in c: clears that PTE (or, with new_addr, moves new_addr's
 * PTE there) if it still maps mfn with the rights of flags. GNTST_okay or
 * GNTST_general_error (then nothing changed).
 */
int16_t arch_gnttab_replace_host_mapping(struct mm_ctx *c, uint64_t addr, uint64_t mfn,
					 uint64_t new_addr, unsigned int flags);
/* Flushes the current domain's translations of va[0 .. n) after unmaps (on every CPU it
 * is loaded on); all of them when !va. No lock may be held. */
void arch_gnttab_flush_tlb(const uint64_t *va, unsigned int n);
/*
 * When no other CPU may hold the current domain's translations: flushes
 * this CPU's of the non-zero va[0 .. n) (no IPI: any lock may be held) and
 * true; else false, nothing done (arch_gnttab_flush_tlb after the locks).
 */
bool arch_gnttab_flush_local(const uint64_t *va, unsigned int n);
/* Writes back the cache lines of [va, va + len). */
void arch_gnttab_cache_clean(const void *va, unsigned int len);

#endif
