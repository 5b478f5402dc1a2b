// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant tables, version 1 (xen/common/grant_table.c): setup_table,
 * query_size, get_version, set_version and copy, with Xen's checks, its
 * per-entry status codes (GNTST_*) and its hypercall return values.
 *
 *   d->grant_table->frame[0 .. nr_frames)   hypervisor frames holding the
 *       domain's grant_entry_v1_t array, shared writable with the domain for
 *       good (mm_share_xen_page, as shared_info), which maps them
 *
 * GNTTABOP_copy claims each granted entry for the length of one copy: it
 * sets GTF_reading / GTF_writing in the entry (compare-exchange, so the
 * granter cannot revoke it half-way) and clears it again after. A grant is
 * honoured only when its type is GTF_permit_access, it names the copying
 * domain, and for a destination it is not GTF_readonly; the frame must be
 * one of the granter's own (a general reference held for the copy) and, to
 * be written, take a writable type reference (not a page table).
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

#define ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(grant_entry_v1_t))
#define COPY_BATCH 64 /* ops copied in at once */

static unsigned int nr_entries(const struct grant_table *gt)
{
	return gt->nr_frames * ENTRIES_PER_FRAME;
}

static grant_entry_v1_t *entry(const struct grant_table *gt, grant_ref_t ref)
{
	grant_entry_v1_t *f = mfn_to_virt(gt->frame[ref / ENTRIES_PER_FRAME]);

	return &f[ref % ENTRIES_PER_FRAME];
}

/*
 * Drops the table's references on its frames from frame `keep` on: each
 * frame goes back to the allocator with its last reference, so one the
 * guest still maps (a dying domain's page tables are relinquished after
 * this unit) is freed only when that mapping goes.
 */
static void put_frames(struct domain *d, struct grant_table *gt, unsigned int keep)
{
	struct mm_ctx c;

	mm_ctx_init(&c, d, d->id);
	spin_lock(&mm_lock);
	while (gt->nr_frames > keep)
		mm_put_page_and_type(&c, mfn_x(gt->frame[--gt->nr_frames]));
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
}

/* Grows d's table to n frames (n <= GNTTAB_MAX_FRAMES): 0 or -ENOMEM (nothing added). */
static long grow(struct domain *d, struct grant_table *gt, unsigned int n)
{
	unsigned int had = gt->nr_frames;

	while (gt->nr_frames < n) {
		mfn_t m = mm_alloc_page();

		if (mfn_x(m) == INVALID_MFN_RAW) {
			put_frames(d, gt, had);
			return -XEN_ENOMEM;
		}
		memset(mfn_to_virt(m), 0, PAGE_SIZE);
		/* Shared writable with d (one general and one writable type reference). */
		mm_share_xen_page(m, d->id);
		gt->frame[gt->nr_frames++] = m;
	}
	return 0;
}

/* The domain an op names (DOMID_SELF, or any for a privileged caller); NULL otherwise. */
static struct domain *target(struct domain *cur, domid_t dom, bool *denied)
{
	struct domain *d = dom == DOMID_SELF ? cur : domain_find(dom);

	*denied = d && d != cur && !cur->is_privileged;
	return d;
}

static long op_setup_table(struct domain *cur, uint64_t uop)
{
	struct gnttab_setup_table op;
	struct domain *d;
	bool denied;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	if (!guest_range_ok((uint64_t)op.frame_list.p, (uint64_t)op.nr_frames * sizeof(xen_pfn_t)))
		return -XEN_EFAULT;
	d = target(cur, op.dom, &denied);
	if (!d)
		op.status = GNTST_bad_domain;
	else if (denied)
		op.status = GNTST_permission_denied;
	else if (op.nr_frames > GNTTAB_MAX_FRAMES || grow(d, d->grant_table, op.nr_frames))
		op.status = GNTST_general_error;
	else
		op.status = GNTST_okay;
	for (unsigned int i = 0; op.status == GNTST_okay && i < op.nr_frames; i++) {
		xen_pfn_t f = mfn_x(d->grant_table->frame[i]);

		/* As Xen: a frame list that faults is a status, not an error. */
		if (copy_to_guest((uint64_t)op.frame_list.p + i * sizeof(f), &f, sizeof(f)))
			op.status = GNTST_bad_virt_addr;
	}
	if (copy_to_guest(uop + offsetof(struct gnttab_setup_table, status), &op.status,
			  sizeof(op.status)))
		return -XEN_EFAULT;
	return 0;
}

static long op_query_size(struct domain *cur, uint64_t uop)
{
	struct gnttab_query_size op;
	struct domain *d;
	bool denied;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	d = target(cur, op.dom, &denied);
	op.status = !d ? GNTST_bad_domain : denied ? GNTST_permission_denied : GNTST_okay;
	if (op.status == GNTST_okay) {
		op.nr_frames = d->grant_table->nr_frames;
		op.max_nr_frames = GNTTAB_MAX_FRAMES;
	}
	return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

static long op_get_version(struct domain *cur, uint64_t uop)
{
	struct gnttab_get_version op;
	struct domain *d;
	bool denied;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	d = target(cur, op.dom, &denied);
	if (!d)
		return -XEN_ESRCH;
	if (denied)
		return -XEN_EPERM;
	op.version = d->grant_table->version;
	return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

/* Version 2 is not offered: -ENOSYS, as Xen with gnttab=max-ver:1 answers. */
static long op_set_version(struct domain *cur, uint64_t uop)
{
	struct gnttab_set_version op;
	long rc = 0;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	if (op.version != 1 && op.version != 2)
		rc = -XEN_EINVAL;
	else if (op.version == 2)
		rc = -XEN_ENOSYS;
	op.version = cur->grant_table->version;
	return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : rc;
}

/* One side of a copy, claimed: where its bytes are, and what to release. */
struct copy_side {
	uint8_t *page;
	uint64_t mfn; /* holds a general reference (and a writable one if typed) */
	struct domain *owner;
	bool typed;
	grant_entry_v1_t *claimed;
	uint16_t flag; /* GTF_reading or GTF_writing, set in *claimed */
};

/* A frame of d's own, referenced for the copy; to be written, an ordinary page. */
static int16_t own_frame(struct domain *d, uint64_t mfn, bool write, struct copy_side *s)
{
	struct mm_ctx c;
	int16_t st = GNTST_okay;

	mm_ctx_init(&c, d, d->id);
	spin_lock(&mm_lock);
	if (!mm_get_page(mfn, d->id)) {
		st = GNTST_bad_page;
	} else if (write && mm_get_page_type(&c, mfn, MM_PGT_WRITABLE)) {
		mm_put_page(&c, mfn);
		st = GNTST_general_error;
	}
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
	if (st != GNTST_okay)
		return st;
	s->page = mfn_to_virt(_mfn(mfn));
	s->mfn = mfn;
	s->owner = d;
	s->typed = write;
	return GNTST_okay;
}

static void put_frame(struct copy_side *s)
{
	struct mm_ctx c;

	if (!s->page)
		return;
	mm_ctx_init(&c, s->owner, s->owner->id);
	spin_lock(&mm_lock);
	if (s->typed)
		mm_put_page_type(&c, s->mfn);
	mm_put_page(&c, s->mfn);
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
	s->page = NULL;
}

/*
 * Claims grant ref of granter rd for the copying domain ld: checks the
 * entry, then sets GTF_reading/GTF_writing in it with one compare-exchange
 * of its flags, so that a concurrent change by the granter fails the claim.
 */
static int16_t claim_grant(struct domain *rd, grant_ref_t ref, struct domain *ld, bool write,
			   struct copy_side *s)
{
	struct grant_table *gt = rd->grant_table;
	grant_entry_v1_t *e;
	uint32_t *combo, old, new;
	uint16_t flags;
	int16_t st;

	if (ref >= nr_entries(gt))
		return GNTST_bad_gntref;
	e = entry(gt, ref);
	combo = (uint32_t *)e; /* flags (low half) and domid, as one word */
	old = __atomic_load_n(combo, __ATOMIC_SEQ_CST);
	flags = (uint16_t)old;
	if ((flags & GTF_type_mask) != GTF_permit_access || (domid_t)(old >> 16) != ld->id)
		return GNTST_general_error;
	if (write && (flags & GTF_readonly))
		return GNTST_general_error;
	s->flag = write ? GTF_writing : GTF_reading;
	new = old | s->flag;
	if (!__atomic_compare_exchange_n(combo, &old, new, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST))
		return GNTST_general_error;
	st = own_frame(rd, e->frame, write, s);
	if (st != GNTST_okay) {
		if (!(flags & s->flag))
			__atomic_fetch_and(&e->flags, (uint16_t)~s->flag, __ATOMIC_SEQ_CST);
		return st;
	}
	/* Already held (a map, or the other side of this copy): leave it set after. */
	s->claimed = (flags & s->flag) ? NULL : e;
	return GNTST_okay;
}

static void release(struct copy_side *s)
{
	put_frame(s);
	if (s->claimed)
		__atomic_fetch_and(&s->claimed->flags, (uint16_t)~s->flag, __ATOMIC_SEQ_CST);
	s->claimed = NULL;
}

static int16_t claim_side(struct domain *cur, const struct gnttab_copy_ptr *p, bool gref,
			  bool write, struct copy_side *s)
{
	struct domain *d;

	d = p->domid == DOMID_SELF ? cur : domain_find(p->domid);
	if (!d)
		return GNTST_bad_domain;
	/* Only the caller's own frames may be named by number, and only as DOMID_SELF. */
	if (!gref && p->domid != DOMID_SELF)
		return GNTST_permission_denied;
	return gref ? claim_grant(d, p->u.ref, cur, write, s) : own_frame(d, p->u.gmfn, write, s);
}

static int16_t copy_one(struct domain *cur, const struct gnttab_copy *op)
{
	struct copy_side src = { 0 }, dst = { 0 };
	int16_t st;

	st = claim_side(cur, &op->source, op->flags & GNTCOPY_source_gref, false, &src);
	if (st == GNTST_okay)
		st = claim_side(cur, &op->dest, op->flags & GNTCOPY_dest_gref, true, &dst);
	if (st == GNTST_okay && ((unsigned int)op->source.offset + op->len > PAGE_SIZE ||
				 (unsigned int)op->dest.offset + op->len > PAGE_SIZE))
		st = GNTST_bad_copy_arg;
	if (st == GNTST_okay)
		memmove(dst.page + op->dest.offset, src.page + op->source.offset, op->len);
	release(&dst);
	release(&src);
	return st;
}

static long op_copy(struct domain *cur, uint64_t uop, unsigned int count)
{
	struct gnttab_copy ops[COPY_BATCH];

	for (unsigned int done = 0; done < count;) {
		unsigned int n = MIN(count - done, (unsigned int)COPY_BATCH);
		uint64_t at = uop + (uint64_t)done * sizeof(ops[0]);

		if (copy_from_guest(ops, at, n * sizeof(ops[0])))
			return -XEN_EFAULT;
		for (unsigned int i = 0; i < n; i++) {
			ops[i].status = copy_one(cur, &ops[i]);
			if (copy_to_guest(at + i * sizeof(ops[0]) +
						  offsetof(struct gnttab_copy, status),
					  &ops[i].status, sizeof(ops[i].status)))
				return -XEN_EFAULT;
		}
		done += n;
	}
	return 0;
}

long do_grant_table_op(const uint64_t a[HYPERCALL_NR_ARGS])
{
	uint64_t cmd = a[0], uop = a[1], count = a[2];
	struct domain *d = current_vcpu()->domain;

	switch (cmd) {
	case GNTTABOP_copy:
		return count > (1U << 20) ? -XEN_EINVAL : op_copy(d, uop, (unsigned int)count);
	case GNTTABOP_setup_table:
	case GNTTABOP_query_size:
	case GNTTABOP_get_version:
	case GNTTABOP_set_version:
		if (count != 1)
			return -XEN_EINVAL;
		break;
	default:
		return -XEN_ENOSYS;
	}
	switch (cmd) {
	case GNTTABOP_setup_table:
		return op_setup_table(d, uop);
	case GNTTABOP_query_size:
		return op_query_size(d, uop);
	case GNTTABOP_get_version:
		return op_get_version(d, uop);
	default:
		return op_set_version(d, uop);
	}
}

int gnttab_domain_init(struct domain *d)
{
	struct grant_table *gt = mm_alloc_heap(sizeof(*gt));

	if (!gt)
		return -XEN_ENOMEM;
	gt->version = 1;
	d->grant_table = gt;
	/* As Xen, one frame from the start. */
	if (grow(d, gt, 1)) {
		gnttab_domain_teardown(d);
		return -XEN_ENOMEM;
	}
	return 0;
}

void gnttab_domain_teardown(struct domain *d)
{
	struct grant_table *gt = d->grant_table;

	if (!gt)
		return;
	put_frames(d, gt, 0);
	mm_free_heap(gt, sizeof(*gt));
	d->grant_table = NULL;
}
