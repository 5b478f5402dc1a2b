// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant-table versions (xen/common/grant_table.c gnttab_set_version,
 * gnttab_get_status_frames, gnttab_populate/unpopulate_status_frames):
 *
 *   v1 -> v2   status frames are added (one grant_status_t per v2 entry,
 *              shared writable with the domain, which maps them by number)
 *   v2 -> v1   they are given back, which the domain may not ask while it
 *              still maps one (-EBUSY), nor while a reserved entry holds
 *              what v1 cannot (a frame beyond 32 bits, a transitive grant:
 *              -ERANGE)
 *   either     refused while an entry beyond the toolstack's first
 *              GNTTAB_NR_RESERVED_ENTRIES is pinned (-EBUSY); those eight
 *              are carried over, every other entry is cleared
 */
#include <asm/mm.h>
#include <lamina/domain.h>
#include <lamina/grant_table.h>
#include <lamina/guest_access.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <xen/errno.h>
#include <xen/grant_table.h>

long gnttab_op_get_status_frames(struct domain *cur, uint64_t uop)
{
	struct gnttab_get_status_frames op;
	struct domain *d;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	if (!guest_range_ok((uint64_t)op.frame_list.p, (uint64_t)op.nr_frames * sizeof(uint64_t)))
		return -XEN_EFAULT;
	op.status = gnttab_target(cur, op.dom, &d);
	if (op.status != GNTST_okay)
		goto out;
	spin_lock(&d->grant_lock);
	if (op.nr_frames > d->grant_table->nr_status)
		op.status = GNTST_general_error; /* v1 has none */
	if (op.status == GNTST_okay)
		op.status = gnttab_frames_out((uint64_t)op.frame_list.p, d->grant_table->status,
					      op.nr_frames);
	spin_unlock(&d->grant_lock);
out:
	return copy_to_guest(uop + offsetof(struct gnttab_get_status_frames, status), &op.status,
			     sizeof(op.status))
		       ? -XEN_EFAULT
		       : 0;
}

/* Whether the guest maps any of its status frames (beyond the share's own refs). */
static bool status_mapped(const struct grant_table *gt)
{
	for (unsigned int i = 0; i < gt->nr_status; i++)
		if (mm_env_page(mfn_x(gt->status[i]))->count > 1)
			return true;
	return false;
}

/*
 * The switch itself (Xen's gnttab_set_version): no entry beyond the
 * toolstack's first GNTTAB_NR_RESERVED_ENTRIES may be pinned (-EBUSY);
 * v1 -> v2 adds the status frames; v2 -> v1 needs the reserved entries
 * representable (-ERANGE) and the status frames unmapped (-EBUSY). The
 * reserved entries are carried over, every other entry is cleared.
 */
static long set_version(struct domain *d, unsigned int version)
{
	struct grant_table *gt = d->grant_table;
	grant_entry_v1_t keep[GNTTAB_NR_RESERVED_ENTRIES] = { 0 };

	if (version != 1 && version != 2)
		return -XEN_EINVAL;
	if (version == gt->version)
		return 0;
	for (grant_ref_t r = GNTTAB_NR_RESERVED_ENTRIES; r < gnttab_nr_entries(gt); r++)
		if (gnttab_active(gt, r)->pin)
			return -XEN_EBUSY;
	for (grant_ref_t r = 0; r < GNTTAB_NR_RESERVED_ENTRIES; r++) {
		grant_entry_header_t *h = gnttab_header(gt, r);

		if (gt->version == 1) {
			keep[r] = *(grant_entry_v1_t *)h;
			continue;
		}
		if ((h->flags & GTF_type_mask) == GTF_transitive ||
		    ((h->flags & GTF_type_mask) == GTF_permit_access && gnttab_frame(gt, r) >> 32))
			return -XEN_ERANGE;
		if ((h->flags & GTF_type_mask) == GTF_permit_access)
			keep[r] =
				(grant_entry_v1_t){ .flags = h->flags | *gnttab_status_word(gt, r),
						    .domid = h->domid,
						    .frame = (uint32_t)gnttab_frame(gt, r) };
	}
	if (version == 2 && gnttab_add_frames(d, gt->status, &gt->nr_status,
					      gnttab_status_frames_for(gt->nr_frames)))
		return -XEN_ENOMEM;
	if (version == 1) {
		if (status_mapped(gt))
			return -XEN_EBUSY;
		gnttab_put_frames(d, gt->status, &gt->nr_status, 0);
	}
	for (unsigned int i = 0; i < gt->nr_frames; i++)
		memset(mfn_to_virt(gt->frame[i]), 0, PAGE_SIZE);
	gt->version = version;
	for (grant_ref_t r = 0; r < GNTTAB_NR_RESERVED_ENTRIES; r++) {
		grant_entry_header_t *h = gnttab_header(gt, r);

		if (version == 1) {
			*(grant_entry_v1_t *)h = keep[r];
			continue;
		}
		*gnttab_status_word(gt, r) = keep[r].flags & (GTF_reading | GTF_writing);
		h->flags = keep[r].flags & (uint16_t) ~(GTF_reading | GTF_writing);
		h->domid = keep[r].domid;
		((grant_entry_v2_t *)h)->full_page.frame = keep[r].frame;
	}
	return 0;
}

long gnttab_op_set_version(struct domain *cur, uint64_t uop)
{
	struct gnttab_set_version op;
	long rc;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	spin_lock(&cur->grant_lock);
	rc = set_version(cur, op.version);
	op.version = cur->grant_table->version;
	spin_unlock(&cur->grant_lock);
	return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : rc;
}
