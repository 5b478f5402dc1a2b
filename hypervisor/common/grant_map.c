// SPDX-License-Identifier: GPL-2.0-only
/*
 * GNTTABOP_map_grant_ref, unmap_grant_ref and unmap_and_replace with Xen
 * 4.17's semantics (xen/common/grant_table.c map_grant_ref, unmap_common,
 * unmap_common_complete), and the maptrack table that names each map by a
 * handle.
 *
 *   map     flags name a host map (a PTE, written by the arch), a device
 *           map (the frame's bus address is returned), or both; the grant
 *           is pinned (grant_pin.c), the frame referenced (a general ref
 *           per kind, a writable type ref per writable kind: a page that
 *           is a page table cannot be mapped writable) and the PTE
 *           written under one mm_lock, then the handle filled in: any
 *           failure undoes the earlier steps
 *   unmap   the handle's PTE is cleared if it still maps the frame (else
 *           GNTST_general_error and nothing changes); the references and
 *           pins go only after the TLB flush, so no stale translation
 *           outlives the reference that kept the page: at once, under the
 *           op's locks, when no PTE changed or no other CPU may hold the
 *           domain's translations (an invlpg here), else after the batch's
 *           flush (of each changed address when there are few, else of all)
 *   handles freed to the tail of a FIFO, so a stale handle is not soon
 *           someone else's; a handle whose granter died (gnttab_orphan_maps_of)
 *           still unmaps: the page lived on through its references
 */
#include <lamina/domain.h>
#include <lamina/grant_table.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <xen/errno.h>
#include <xen/grant_table.h>

#define UNMAP_BATCH 32 /* as Xen's GNTTAB_UNMAP_BATCH_SIZE */
#define MAP_KINDS (GNTMAP_host_map | GNTMAP_device_map)
#define FLUSH_ONE_BY_ONE 8 /* more changed addresses than this: flush the whole TLB */

static struct gnttab_maptrack *mt_entry(const struct grant_table *gt, uint32_t h)
{
	return &gt->maptrack[h / GNTTAB_MAPTRACK_PER_FRAME][h % GNTTAB_MAPTRACK_PER_FRAME];
}

static uint32_t mt_limit(const struct grant_table *gt)
{
	return gt->maptrack_frames * (uint32_t)GNTTAB_MAPTRACK_PER_FRAME;
}

static void handle_put(struct grant_table *gt, uint32_t h)
{
	struct gnttab_maptrack *e = mt_entry(gt, h);

	e->flags = 0;
	e->ref = GNTTAB_MAPTRACK_TAIL;
	if (gt->mt_tail == GNTTAB_MAPTRACK_TAIL)
		gt->mt_head = h;
	else
		mt_entry(gt, gt->mt_tail)->ref = h;
	gt->mt_tail = h;
}

/* A free handle (a new maptrack frame when none is left), or GNTTAB_MAPTRACK_TAIL. */
static uint32_t handle_get(struct grant_table *gt)
{
	uint32_t h = gt->mt_head;

	if (h == GNTTAB_MAPTRACK_TAIL) {
		struct gnttab_maptrack *f;

		if (gt->maptrack_frames == GNTTAB_MAX_MAPTRACK_FRAMES)
			return GNTTAB_MAPTRACK_TAIL;
		f = mm_alloc_heap(PAGE_SIZE);
		if (!f)
			return GNTTAB_MAPTRACK_TAIL;
		gt->maptrack[gt->maptrack_frames++] = f;
		for (uint32_t i = mt_limit(gt) - (uint32_t)GNTTAB_MAPTRACK_PER_FRAME;
		     i < mt_limit(gt); i++)
			handle_put(gt, i);
		h = gt->mt_head;
	}
	gt->mt_head = mt_entry(gt, h)->ref;
	if (gt->mt_head == GNTTAB_MAPTRACK_TAIL)
		gt->mt_tail = GNTTAB_MAPTRACK_TAIL;
	return h;
}

void gnttab_maptrack_free(struct grant_table *gt)
{
	while (gt->maptrack_frames)
		mm_free_heap(gt->maptrack[--gt->maptrack_frames], PAGE_SIZE);
}

/*
 * Locking (lamina/grant_table.h): each op takes the grant locks it needs,
 * then mm_lock; the TLB flushes made under them are served by CPUs
 * spinning on them (lamina/spinlock.h). lock_two: both domains' grant
 * locks, the lower id first (one lock when a == b); unlock_two: the same.
 */
static void lock_two(struct domain *a, struct domain *b)
{
	if (a == b) {
		spin_lock(&a->grant_lock);
		return;
	}
	spin_lock(&(a->id < b->id ? a : b)->grant_lock);
	spin_lock(&(a->id < b->id ? b : a)->grant_lock);
}

static void unlock_two(struct domain *a, struct domain *b)
{
	if (a != b)
		spin_unlock(&b->grant_lock);
	spin_unlock(&a->grant_lock);
}

/* The pin increment of a map's kinds (GNTMAP_host_map / device_map). */
static uint32_t pin_incr(unsigned int flags)
{
	bool ro = flags & GNTMAP_readonly;
	uint32_t incr = 0;

	if (flags & GNTMAP_device_map)
		incr += ro ? GNTPIN_DEVR : GNTPIN_DEVW;
	if (flags & GNTMAP_host_map)
		incr += ro ? GNTPIN_HSTR : GNTPIN_HSTW;
	return incr;
}

/* The refs of a map's kinds: one general ref per kind, a writable type ref each if writable. */
static unsigned int nr_kinds(unsigned int flags)
{
	return !!(flags & GNTMAP_host_map) + !!(flags & GNTMAP_device_map);
}

/* Drops n general refs and, if writable, n type refs on mfn (under mm_lock). */
static void put_refs_locked(struct mm_ctx *c, uint64_t mfn, unsigned int n, bool writable)
{
	while (n--) {
		if (writable)
			mm_put_page_type(c, mfn);
		mm_put_page(c, mfn);
	}
}

static void put_refs(struct domain *ld, uint64_t mfn, unsigned int flags)
{
	struct mm_ctx c;

	mm_ctx_init_refs(&c, ld->id);
	spin_lock(&mm_lock);
	put_refs_locked(&c, mfn, nr_kinds(flags), !(flags & GNTMAP_readonly));
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
}

/* A general ref per kind of the map, a writable type ref per writable kind (under mm_lock). */
static int16_t take_refs_locked(struct mm_ctx *c, struct domain *rd, uint64_t mfn,
				unsigned int flags)
{
	unsigned int want = nr_kinds(flags), got = 0;
	bool writable = !(flags & GNTMAP_readonly);

	for (; got < want; got++) {
		if (!mm_get_page(mfn, rd->id))
			break;
		if (writable && mm_get_page_type(c, mfn, MM_PGT_WRITABLE)) {
			mm_put_page(c, mfn);
			break;
		}
	}
	if (got == want)
		return GNTST_okay;
	put_refs_locked(c, mfn, got, writable);
	return GNTST_general_error; /* Xen: "could not pin grant frame" */
}

/*
 * The frame's references, then the PTE of a host map, under one mm_lock;
 * a failure leaves neither.
 */
static int16_t map_frame(struct domain *ld, struct domain *rd, uint64_t host_addr, uint64_t mfn,
			 unsigned int flags, unsigned int op_flags)
{
	struct mm_ctx c;
	int16_t st;

	mm_ctx_init_refs(&c, ld->id);
	spin_lock(&mm_lock);
	st = take_refs_locked(&c, rd, mfn, flags);
	if (st == GNTST_okay && (flags & GNTMAP_host_map)) {
		st = arch_gnttab_create_host_mapping(&c, host_addr, mfn, op_flags);
		if (st != GNTST_okay)
			put_refs_locked(&c, mfn, nr_kinds(flags), !(flags & GNTMAP_readonly));
	}
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
	return st;
}

/* Under both domains' grant locks. */
static int16_t map_locked(struct domain *ld, struct domain *rd, struct gnttab_map_grant_ref *op,
			  unsigned int flags)
{
	struct grant_table *lgt = ld->grant_table;
	uint32_t incr = pin_incr(flags), h;
	struct gnttab_maptrack *mt;
	uint64_t mfn;
	int16_t st;

	h = handle_get(lgt);
	if (h == GNTTAB_MAPTRACK_TAIL)
		return GNTST_no_space;
	st = gnttab_pin(rd, op->ref, ld->id, incr, flags & GNTMAP_readonly, true, &mfn);
	if (st != GNTST_okay)
		goto out_handle;
	st = map_frame(ld, rd, op->host_addr, mfn, flags, op->flags);
	if (st != GNTST_okay)
		goto out_unpin;
	mt = mt_entry(lgt, h);
	*mt = (struct gnttab_maptrack){
		.ref = op->ref, .flags = (uint16_t)flags, .domid = rd->id, .mfn = mfn
	};
	lgt->mt_used++;
	op->dev_bus_addr = mfn << PAGE_SHIFT;
	op->handle = h;
	return GNTST_okay;
out_unpin:
	gnttab_unpin(rd, op->ref, incr, flags & GNTMAP_readonly);
out_handle:
	handle_put(lgt, h);
	return st;
}

int16_t gnttab_map_one(struct domain *ld, struct gnttab_map_grant_ref *op)
{
	unsigned int flags = op->flags & (MAP_KINDS | GNTMAP_readonly | GNTMAP_application_map |
					  GNTMAP_contains_pte);
	struct domain *rd;
	int16_t st;

	if (!pin_incr(flags))
		return GNTST_bad_gntref; /* "bad flags in grant map op" */
	/* As Xen, by id: DOMID_SELF is no domain here. */
	rd = domain_find(op->dom);
	if (!rd)
		return GNTST_bad_domain;
	lock_two(ld, rd);
	st = map_locked(ld, rd, op, flags);
	unlock_two(ld, rd);
	return st;
}

long gnttab_op_map(struct domain *ld, uint64_t uop, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++) {
		uint64_t at = uop + (uint64_t)i * sizeof(struct gnttab_map_grant_ref);
		struct gnttab_map_grant_ref op;

		if (i && hypercall_preempt_check())
			return i;
		if (copy_from_guest(&op, at, sizeof(op)))
			return -XEN_EFAULT;
		op.status = gnttab_map_one(ld, &op);
		if (copy_to_guest(at, &op, sizeof(op)))
			return -XEN_EFAULT;
	}
	return 0;
}

/* What an unmap did, for after the TLB flush: the refs and pins to drop. */
struct unmapped {
	struct domain *rd; /* NULL: the granter is gone (no pins to drop) */
	grant_ref_t ref;
	unsigned int done; /* the kinds removed, and GNTMAP_readonly */
	uint64_t mfn;
	uint64_t va[2]; /* linear addresses whose PTE changed (0: none); ~0: flush all */
	bool completed; /* the refs and pin went already, under the locks (flushed_now) */
};

/*
 * A map's granter by id: live, or dying and not yet through its grant
 * teardown (which orphans the map under the mapper's lock): Xen keeps it as
 * a zombie, so the map still unmaps. The structure outlives the hypercall
 * (domain.c's grace periods); its table may go once no lock is held.
 */
static struct domain *granter(domid_t id)
{
	struct domain *rd = domain_find(id);

	return rd ? rd : domain_find_dying(id);
}

/* The granter of handle h's map, or NULL (bad handle, orphaned, gone); under ld's lock. */
static inline struct domain *granter_of(struct domain *ld, uint32_t h)
{
	const struct gnttab_maptrack *mt;

	if (h >= mt_limit(ld->grant_table))
		return NULL;
	mt = mt_entry(ld->grant_table, h);
	if (!(mt->flags & MAP_KINDS) || (mt->flags & GNTTAB_MT_ORPHAN))
		return NULL;
	return mt->domid == ld->id ? ld : granter(mt->domid);
}

/*
 * Takes ld's grant lock and that of handle h's granter, in order: when the
 * granter's id is lower, ld's is dropped and both taken again, and the
 * handle looked at again (another vCPU may have unmapped or reused it).
 * The granter whose lock is held besides ld's (ld itself: none), for
 * unlock_handle.
 */
static struct domain *lock_handle(struct domain *ld, uint32_t h)
{
	struct domain *rd;

	spin_lock(&ld->grant_lock);
	for (;;) {
		rd = granter_of(ld, h);
		if (!rd || rd == ld)
			return ld;
		if (ld->id < rd->id) {
			spin_lock(&rd->grant_lock);
			return rd;
		}
		spin_unlock(&ld->grant_lock);
		lock_two(ld, rd);
		if (granter_of(ld, h) == rd)
			return rd;
		unlock_two(ld, rd);
		spin_lock(&ld->grant_lock);
	}
}

/* Under the locks and mm_lock: takes the kinds asked for off mt (a PTE cleared) into u. */
static int16_t remove_kinds(struct mm_ctx *c, struct gnttab_maptrack *mt, uint64_t host_addr,
			    uint64_t dev_bus_addr, uint64_t new_addr, struct unmapped *u)
{
	if (host_addr && (mt->flags & GNTMAP_host_map)) {
		int16_t st = arch_gnttab_replace_host_mapping(c, host_addr, mt->mfn, new_addr,
							      mt->flags);

		if (st != GNTST_okay)
			return st;
		/* A PTE named by its machine address: its linear address is unknown. */
		u->va[0] = (mt->flags & GNTMAP_contains_pte) ? ~0ULL : host_addr;
		u->va[1] = new_addr;
		mt->flags &= (uint16_t)~GNTMAP_host_map;
		u->done |= GNTMAP_host_map;
	}
	if (dev_bus_addr && (mt->flags & GNTMAP_device_map)) {
		mt->flags &= (uint16_t)~GNTMAP_device_map;
		u->done |= GNTMAP_device_map;
	}
	if (u->done)
		u->done |= mt->flags & GNTMAP_readonly;
	return GNTST_okay;
}

/*
 * Whether u's references and pin may go now, under the locks held: no PTE
 * changed (a device map), or only this CPU may hold the translations, and
 * they are flushed here (an invlpg each). Else they go after the batch's
 * flush (unmap_complete). Under mm_lock.
 */
static bool flushed_now(const struct unmapped *u)
{
	if (!u->va[0] && !u->va[1])
		return true;
	return u->va[0] != ~0ULL && arch_gnttab_flush_local(u->va, 2);
}

/*
 * Under lock_handle's locks: the map's granter (if live) is locked too; u
 * cleared by unmap_at, c's flush after the locks.
 */
static int16_t unmap_locked(struct domain *ld, uint32_t h, uint64_t host_addr,
			    uint64_t dev_bus_addr, uint64_t new_addr, struct mm_ctx *c,
			    struct unmapped *u)
{
	struct grant_table *lgt = ld->grant_table;
	struct gnttab_maptrack *mt;
	int16_t st;

	if (h >= mt_limit(lgt) || !(mt_entry(lgt, h)->flags & MAP_KINDS))
		return GNTST_bad_handle;
	mt = mt_entry(lgt, h);
	u->rd = NULL;
	if (!(mt->flags & GNTTAB_MT_ORPHAN))
		u->rd = mt->domid == ld->id ? ld : granter(mt->domid);
	if (!u->rd && !(mt->flags & GNTTAB_MT_ORPHAN))
		return GNTST_general_error; /* cannot happen: a dying granter orphans its maps */
	u->ref = mt->ref;
	u->mfn = mt->mfn;
	if (dev_bus_addr && (mt->flags & GNTMAP_device_map) &&
	    dev_bus_addr != mt->mfn << PAGE_SHIFT)
		return GNTST_bad_dev_addr;
	spin_lock(&mm_lock);
	st = remove_kinds(c, mt, host_addr, dev_bus_addr, new_addr, u);
	if (st == GNTST_okay && u->done && flushed_now(u)) {
		put_refs_locked(c, u->mfn, nr_kinds(u->done), !(u->done & GNTMAP_readonly));
		u->completed = true;
		u->va[0] = u->va[1] = 0;
	}
	spin_unlock(&mm_lock);
	if (st != GNTST_okay)
		return st;
	/* The granter's lock is held here (a dying one has not orphaned the map yet). */
	if (u->completed && u->rd)
		gnttab_unpin(u->rd, u->ref, pin_incr(u->done), u->done & GNTMAP_readonly);
	if (!(mt->flags & MAP_KINDS)) {
		lgt->mt_used--;
		handle_put(lgt, h);
	}
	return GNTST_okay;
}

static int16_t unmap_one(struct domain *ld, uint32_t h, uint64_t host_addr, uint64_t dev_bus_addr,
			 uint64_t new_addr, struct unmapped *u)
{
	struct mm_ctx c;
	struct domain *held;
	int16_t st;

	mm_ctx_init_refs(&c, ld->id);
	held = lock_handle(ld, h);
	st = unmap_locked(ld, h, host_addr, dev_bus_addr, new_addr, &c, u);
	unlock_two(ld, held);
	mm_ctx_flush(&c);
	return st;
}

/* After the flush, no lock held: the references, then the pin under the granter's lock. */
static void unmap_complete(struct domain *ld, const struct unmapped *u)
{
	if (!u->done || u->completed)
		return;
	put_refs(ld, u->mfn, u->done);
	if (!u->rd)
		return;
	spin_lock(&u->rd->grant_lock);
	if (u->rd->grant_table) /* (a dying granter's table may have gone since) */
		gnttab_unpin(u->rd, u->ref, pin_incr(u->done), u->done & GNTMAP_readonly);
	spin_unlock(&u->rd->grant_lock);
}

/* One op of either kind, copied in: its status, or -EFAULT. */
static long unmap_at(struct domain *ld, uint64_t at, bool replace, struct unmapped *u)
{
	int16_t st;

	u->done = 0;
	u->va[0] = u->va[1] = 0;
	u->completed = false;
	if (replace) {
		struct gnttab_unmap_and_replace op;

		if (copy_from_guest(&op, at, sizeof(op)))
			return -XEN_EFAULT;
		st = unmap_one(ld, op.handle, op.host_addr, 0, op.new_addr, u);
		return copy_to_guest(at + offsetof(struct gnttab_unmap_and_replace, status), &st,
				     sizeof(st))
			       ? -XEN_EFAULT
			       : 0;
	}
	struct gnttab_unmap_grant_ref op;

	if (copy_from_guest(&op, at, sizeof(op)))
		return -XEN_EFAULT;
	st = unmap_one(ld, op.handle, op.host_addr, op.dev_bus_addr, 0, u);
	return copy_to_guest(at + offsetof(struct gnttab_unmap_grant_ref, status), &st, sizeof(st))
		       ? -XEN_EFAULT
		       : 0;
}

/* Flushes the translations the batch's unmaps changed: one by one when few, else all. */
static void flush(const struct unmapped *u, unsigned int n)
{
	uint64_t va[UNMAP_BATCH * 2];
	unsigned int nva = 0;

	for (unsigned int i = 0; i < n; i++)
		for (unsigned int k = 0; k < 2; k++) {
			if (u[i].va[k] == ~0ULL || nva == FLUSH_ONE_BY_ONE) {
				arch_gnttab_flush_tlb(NULL, 0);
				return;
			}
			if (u[i].va[k])
				va[nva++] = u[i].va[k];
		}
	if (nva)
		arch_gnttab_flush_tlb(va, nva);
}

long gnttab_op_unmap(struct domain *ld, uint64_t uop, unsigned int count, bool replace)
{
	size_t size = replace ? sizeof(struct gnttab_unmap_and_replace)
			      : sizeof(struct gnttab_unmap_grant_ref);
	struct unmapped u[UNMAP_BATCH];
	unsigned int done = 0;
	long rc = 0;

	while (done < count && !rc) {
		unsigned int n = MIN(count - done, (unsigned int)UNMAP_BATCH), i, later = 0;

		for (i = 0; i < n && !rc; i++) {
			rc = unmap_at(ld, uop + (uint64_t)(done + i) * size, replace, &u[i]);
			later += u[i].done && !u[i].completed;
		}
		/* The PTEs are gone: flush, then let the pages go (as Xen). */
		if (later) {
			flush(u, i);
			for (unsigned int j = 0; j < i; j++)
				unmap_complete(ld, &u[j]);
		}
		done += n;
		if (!rc && done < count && hypercall_preempt_check())
			return done;
	}
	return rc;
}

/*
 * Drops the pins (and device refs) of one map d held, at d's death: the
 * entry was taken out under d's lock, the pin goes under the granter's.
 */
static void release_one(struct domain *d, const struct gnttab_maptrack *mt)
{
	struct domain *rd = NULL;
	unsigned int dev = mt->flags & (GNTMAP_device_map | GNTMAP_readonly);

	if (!(mt->flags & GNTTAB_MT_ORPHAN))
		rd = mt->domid == d->id ? d : domain_find(mt->domid);
	/* Host maps' refs go with the PTEs, when d's page tables are torn down. */
	if (dev & GNTMAP_device_map)
		put_refs(d, mt->mfn, dev);
	if (!rd)
		return;
	spin_lock(&rd->grant_lock);
	if (rd->grant_table)
		gnttab_unpin(rd, mt->ref, pin_incr(mt->flags), mt->flags & GNTMAP_readonly);
	spin_unlock(&rd->grant_lock);
}

void gnttab_release_maps(struct domain *d)
{
	struct grant_table *gt = d->grant_table;

	for (uint32_t h = 0; h < mt_limit(gt); h++) {
		struct gnttab_maptrack mt;

		spin_lock(&d->grant_lock);
		mt = *mt_entry(gt, h);
		mt_entry(gt, h)->flags = 0;
		spin_unlock(&d->grant_lock);
		if (mt.flags & MAP_KINDS)
			release_one(d, &mt);
	}
	gt->mt_used = 0;
}

/* Each other live domain's maps of rd's grants, under that domain's lock. */
void gnttab_orphan_maps_of(struct domain *rd)
{
	for (struct domain *d = domain_next(NULL); d; d = domain_next(d)) {
		struct grant_table *gt;

		if (d == rd)
			continue;
		spin_lock(&d->grant_lock);
		gt = d->grant_table;
		for (uint32_t h = 0; gt && h < mt_limit(gt); h++) {
			struct gnttab_maptrack *mt = mt_entry(gt, h);

			if ((mt->flags & MAP_KINDS) && mt->domid == rd->id)
				mt->flags |= GNTTAB_MT_ORPHAN;
		}
		spin_unlock(&d->grant_lock);
	}
}
