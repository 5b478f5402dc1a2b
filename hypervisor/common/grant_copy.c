// SPDX-License-Identifier: GPL-2.0-only
/*
 * GNTTABOP_copy and GNTTABOP_cache_flush (xen/common/grant_table.c
 * gnttab_copy, _cache_flush), with Xen's per-entry status codes.
 *
 * A copy pins each granted side for its length (grant_pin.c, as a host
 * read or write pin, so GTF_reading / GTF_writing are set while it runs
 * and the granter cannot revoke it half-way); a grant is honoured only when
 * its type is GTF_permit_access, it names the copying domain, and for a
 * destination it is not GTF_readonly. Each frame must be its owner's (a
 * general reference held for the copy) and, to be written, take a
 * writable type reference (not a page table). A frame named by number
 * must be the caller's own, named as DOMID_SELF.
 *
 * cache_flush (x86): GNTTAB_CACHE_CLEAN (with or without INVAL) writes the
 * lines back, INVAL alone is -EOPNOTSUPP, as Xen's x86 cache helpers; the
 * frame must be the caller's or one it holds a pinned grant of.
 */
#include <asm/mm.h>
#include <lamina/domain.h>
#include <lamina/grant_table.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <xen/errno.h>
#include <xen/grant_table.h>

/* One side of a copy: the frame named (owner, mfn, write), then claimed (page set). */
struct copy_side {
	uint8_t *page;
	uint64_t mfn; /* holds a general reference (and a writable one if typed) */
	struct domain *owner;
	bool typed;
	struct domain *pinned; /* the granter whose grant `ref` is pinned, or NULL */
	grant_ref_t ref;
};

/*
 * The named frames of the sides given (NULL: none), in that order, under one
 * mm_lock: a general reference each, to be written a writable type one (an
 * ordinary page). GNTST_okay, or the first side's failure (the sides before
 * it keep their references, released with the copy).
 */
static int16_t take_frames(struct copy_side *a, struct copy_side *b)
{
	struct copy_side *side[2] = { a, b };
	struct mm_ctx c;
	int16_t st = GNTST_okay;

	mm_ctx_init_refs(&c, (a ? a : b)->owner->id);
	spin_lock(&mm_lock);
	for (int i = 0; i < 2 && st == GNTST_okay; i++) {
		struct copy_side *s = side[i];

		if (!s)
			continue;
		if (!mm_get_page(s->mfn, s->owner->id)) {
			st = GNTST_bad_page;
		} else if (s->typed && mm_get_page_type(&c, s->mfn, MM_PGT_WRITABLE)) {
			mm_put_page(&c, s->mfn);
			st = GNTST_general_error;
		} else {
			s->page = mfn_to_virt(_mfn(s->mfn));
		}
	}
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
	return st;
}

/* Drops both sides' frame references under one mm_lock, then each side's pin. */
static void release(struct copy_side *dst, struct copy_side *src)
{
	struct copy_side *side[2] = { dst, src };
	struct mm_ctx c;

	if (dst->page || src->page) {
		mm_ctx_init_refs(&c, (dst->page ? dst : src)->owner->id);
		spin_lock(&mm_lock);
		for (int i = 0; i < 2; i++) {
			if (!side[i]->page)
				continue;
			if (side[i]->typed)
				mm_put_page_type(&c, side[i]->mfn);
			mm_put_page(&c, side[i]->mfn);
			side[i]->page = NULL;
		}
		spin_unlock(&mm_lock);
		mm_ctx_flush(&c);
	}
	for (int i = 0; i < 2; i++) {
		struct domain *rd = side[i]->pinned;

		if (!rd)
			continue;
		spin_lock(&rd->grant_lock);
		gnttab_unpin(rd, side[i]->ref, i ? GNTPIN_HSTR : GNTPIN_HSTW, i);
		spin_unlock(&rd->grant_lock);
		side[i]->pinned = NULL;
	}
}

/* Pins grant ref of rd's for ld's copy; the pin keeps the frame named for the copy. */
static int16_t claim_grant(struct domain *rd, grant_ref_t ref, struct domain *ld, bool write,
			   struct copy_side *s)
{
	int16_t st;

	spin_lock(&rd->grant_lock);
	st = gnttab_pin(rd, ref, ld->id, write ? GNTPIN_HSTW : GNTPIN_HSTR, !write, false, &s->mfn);
	if (st == GNTST_okay) {
		s->pinned = rd;
		s->ref = ref;
		/* v2 sub-page and transitive grants are not offered: whole pages only. */
		if (rd->grant_table->version == 2 &&
		    (gnttab_header(rd->grant_table, ref)->flags & (GTF_sub_page | GTF_type_mask)) !=
			    GTF_permit_access)
			st = GNTST_general_error;
	}
	spin_unlock(&rd->grant_lock);
	return st;
}

/*
 * One side, its domain already found: a grant of d's (pinned), or a frame of
 * the caller's own (named); take_frames references the frame after.
 */
static int16_t claim_side(struct domain *cur, struct domain *d, const struct gnttab_copy_ptr *p,
			  bool gref, bool write, struct copy_side *s)
{
	s->owner = d;
	s->typed = write;
	/* Only the caller's own frames may be named by number, and only as DOMID_SELF. */
	if (!gref) {
		s->mfn = p->u.gmfn;
		return p->domid == DOMID_SELF ? GNTST_okay : GNTST_permission_denied;
	}
	return claim_grant(d, p->u.ref, cur, write, s);
}

static struct domain *copy_domain(struct domain *cur, domid_t id)
{
	return id == DOMID_SELF ? cur : domain_find(id);
}

/*
 * In Xen 4.17's order (tried there, tests/guest/grant): both domains are
 * looked up first (bad_domain), then the source is claimed, then the
 * destination, then the offsets and length are checked.
 */
static int16_t copy_one(struct domain *cur, const struct gnttab_copy *op)
{
	struct copy_side src, dst;
	struct domain *sd = copy_domain(cur, op->source.domid);
	struct domain *dd = copy_domain(cur, op->dest.domid);
	int16_t st;

	if (!sd || !dd)
		return GNTST_bad_domain;
	/* What release looks at; claim_side fills in the rest. */
	src.page = dst.page = NULL;
	src.pinned = dst.pinned = NULL;
	st = claim_side(cur, sd, &op->source, op->flags & GNTCOPY_source_gref, false, &src);
	/*
	 * A source named by number is referenced before the destination is looked
	 * at (its bad_page comes first, as in Xen); a granted source's frame was
	 * checked by its pin, so both frames are referenced together after.
	 */
	if (st == GNTST_okay && !(op->flags & GNTCOPY_source_gref))
		st = take_frames(&src, NULL);
	if (st == GNTST_okay)
		st = claim_side(cur, dd, &op->dest, op->flags & GNTCOPY_dest_gref, true, &dst);
	if (st == GNTST_okay)
		st = take_frames(src.page ? NULL : &src, &dst);
	if (st == GNTST_okay && ((unsigned int)op->source.offset + op->len > PAGE_SIZE ||
				 (unsigned int)op->dest.offset + op->len > PAGE_SIZE))
		st = GNTST_bad_copy_arg;
	/* memcpy, as Xen's gnttab_copy: ranges of one frame that overlap copy forward as there. */
	if (st == GNTST_okay)
		memcpy(dst.page + op->dest.offset, src.page + op->source.offset, op->len);
	release(&dst, &src);
	return st;
}

/*
 * One op at a time, as Xen: an array that runs into unmapped memory has
 * its ops up to there carried out and their statuses written, then -EFAULT.
 */
long gnttab_op_copy(struct domain *cur, uint64_t uop, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++) {
		uint64_t at = uop + (uint64_t)i * sizeof(struct gnttab_copy);
		struct gnttab_copy op;

		if (i && hypercall_preempt_check())
			return i;
		if (copy_from_guest(&op, at, sizeof(op)))
			return -XEN_EFAULT;
		op.status = copy_one(cur, &op);
		if (copy_to_guest(at + offsetof(struct gnttab_copy, status), &op.status,
				  sizeof(op.status)))
			return -XEN_EFAULT;
	}
	return 0;
}

/*
 * Whether cur holds a pin on a grant of owner's for mfn, looking from
 * reference from (Xen's grant_map_exists, without its chunks).
 */
static bool holds_grant_of(const struct domain *cur, const struct domain *owner, uint64_t mfn,
			   grant_ref_t from)
{
	const struct grant_table *gt = owner->grant_table;

	for (grant_ref_t r = from; r < gnttab_nr_entries(gt); r++) {
		const struct gnttab_active *a = gnttab_active(gt, r);

		if (a->pin && a->domid == cur->id && a->mfn == mfn)
			return true;
	}
	return false;
}

/*
 * As Xen's _cache_flush; cur_ref is not 0 only for the first op of a call
 * whose command carried continuation bits: a no-op then is -EILSEQ.
 */
static long flush_one(struct domain *cur, const struct gnttab_cache_flush *op, unsigned int cur_ref)
{
	uint64_t mfn = op->a.dev_bus_addr >> PAGE_SHIFT;
	struct domain *owner;

	if (op->offset >= PAGE_SIZE || op->length > PAGE_SIZE ||
	    (unsigned int)op->offset + op->length > PAGE_SIZE ||
	    (op->op & ~(uint32_t)(GNTTAB_CACHE_INVAL | GNTTAB_CACHE_CLEAN)))
		return -XEN_EINVAL;
	if (!op->length || !op->op)
		return cur_ref ? -XEN_EILSEQ : 0;
	if (op->op & GNTTAB_CACHE_SOURCE_GREF)
		return -XEN_EOPNOTSUPP;
	if (mfn >= mm_max_mfn())
		return -XEN_EINVAL;
	owner = domain_find(mm_page_owner(_mfn(mfn)));
	if (mm_page_owner(_mfn(mfn)) == cur->id)
		owner = cur;
	if (!owner || !owner->grant_table)
		return -XEN_EPERM;
	if (owner != cur) {
		bool held;

		spin_lock(&owner->grant_lock);
		held = holds_grant_of(cur, owner, mfn, cur_ref);
		spin_unlock(&owner->grant_lock);
		if (!held)
			return -XEN_EINVAL;
	}
	if (!(op->op & GNTTAB_CACHE_CLEAN))
		return -XEN_EOPNOTSUPP; /* x86 cannot invalidate without writing back */
	arch_gnttab_cache_clean((uint8_t *)mfn_to_virt(_mfn(mfn)) + op->offset, op->length);
	return 0;
}

long gnttab_op_cache_flush(struct domain *cur, uint64_t uop, unsigned int count,
			   unsigned int first_ref)
{
	for (unsigned int i = 0; i < count; i++) {
		uint64_t at = uop + (uint64_t)i * sizeof(struct gnttab_cache_flush);
		struct gnttab_cache_flush op;
		long rc;

		if (i && hypercall_preempt_check())
			return i;
		if (copy_from_guest(&op, at, sizeof(op)))
			return -XEN_EFAULT;
		rc = flush_one(cur, &op, i ? 0 : first_ref);
		if (rc)
			return rc;
	}
	return 0;
}
