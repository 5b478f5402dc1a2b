// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant tables: the table itself and the hypercall (xen/common/grant_table.c
 * gnttab_setup_table, query_size, get_version and do_grant_table_op), with Xen's checks and return values; the domain unit.
 * The data structure is drawn in lamina/grant_table.h.
 *
 *   d->grant_table->frame[0 .. nr_frames)    hypervisor frames holding the
 *       shared entries, shared writable with the domain for good
 *       (mm_share_xen_page, as shared_info), which maps them by number
 *   d->grant_table->status[0 .. nr_status)   the same, for v2's status
 *       entries (grant_version.c)
 *
 * The toolstack maps a new domain's frames with XENMEM_acquire_resource
 * (common/memory_resource.c: gnttab_resource_frames), growing the table
 * as setup_table would.
 *
 * A PV domain is not translated, so its frames are never added to a
 * physmap: XENMEM_add_to_physmap(XENMAPSPACE_grant_table) is -EACCES there,
 * as on Xen (common/memory_reservation.c).
 */
#include <asm/mm.h>
#include <lamina/domain.h>
#include <lamina/grant_table.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/spinlock.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <xen/memory.h>

/* Xen's: the high bits of cmd are a continuation's state (cache_flush only). */
#define GNTTABOP_CMD_MASK ((1U << 12) - 1)
#define GNTTABOP_ARG_MASK (~GNTTABOP_CMD_MASK)
#define ACTIVE_BYTES (GNTTAB_V1_PER_FRAME * sizeof(struct gnttab_active))

uint64_t gnttab_frame(const struct grant_table *gt, grant_ref_t ref)
{
	if (gt->version == 1)
		return ((grant_entry_v1_t *)gnttab_header(gt, ref))->frame;
	return ((grant_entry_v2_t *)gnttab_header(gt, ref))->full_page.frame;
}

uint16_t *gnttab_status_word(const struct grant_table *gt, grant_ref_t ref)
{
	grant_status_t *f;

	if (gt->version == 1)
		return &gnttab_header(gt, ref)->flags;
	f = mfn_to_virt(gt->status[ref / GNTTAB_STATUS_PER_FRAME]);
	return &f[ref % GNTTAB_STATUS_PER_FRAME];
}

int16_t gnttab_target(struct domain *cur, domid_t dom, struct domain **d)
{
	*d = dom == DOMID_SELF ? cur : domain_find(dom);
	if (!*d)
		return GNTST_bad_domain;
	return *d == cur || cur->is_privileged ? GNTST_okay : GNTST_permission_denied;
}

/* Drops the table's references on frames list[keep .. *n), each freed with its last. */
void gnttab_put_frames(struct domain *d, mfn_t *list, unsigned int *n, unsigned int keep)
{
	struct mm_ctx c;

	mm_ctx_init(&c, d, d->id);
	spin_lock(&mm_lock);
	while (*n > keep)
		mm_put_page_and_type(&c, mfn_x(list[--*n]));
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
}

/* Adds zeroed frames shared with d to list until *n == want: 0 or -ENOMEM (none added). */
int gnttab_add_frames(struct domain *d, mfn_t *list, unsigned int *n, unsigned int want)
{
	unsigned int had = *n;

	while (*n < want) {
		mfn_t m = mm_alloc_page();

		if (mfn_x(m) == INVALID_MFN_RAW) {
			gnttab_put_frames(d, list, n, had);
			return -XEN_ENOMEM;
		}
		memset(mfn_to_virt(m), 0, PAGE_SIZE);
		mm_share_xen_page(m, d->id); /* one general and one writable type reference */
		list[(*n)++] = m;
	}
	return 0;
}

unsigned int gnttab_status_frames_for(unsigned int nr_frames)
{
	return (nr_frames * GNTTAB_V2_PER_FRAME + GNTTAB_STATUS_PER_FRAME - 1) /
	       GNTTAB_STATUS_PER_FRAME;
}

/* Grows d's table to n frames (<= GNTTAB_MAX_FRAMES), status frames with it in v2. */
static long grow(struct domain *d, struct grant_table *gt, unsigned int n)
{
	unsigned int had = gt->nr_frames, i;

	for (i = had; i < n; i++) {
		gt->active[i] = mm_alloc_heap(ACTIVE_BYTES);
		if (!gt->active[i])
			goto err_active;
	}
	if (gt->version == 2 &&
	    gnttab_add_frames(d, gt->status, &gt->nr_status, gnttab_status_frames_for(n)))
		goto err_active;
	if (gnttab_add_frames(d, gt->frame, &gt->nr_frames, n))
		goto err_status;
	return 0;
err_status:
	if (gt->version == 2)
		gnttab_put_frames(d, gt->status, &gt->nr_status, gnttab_status_frames_for(had));
err_active:
	while (i-- > had) {
		mm_free_heap(gt->active[i], ACTIVE_BYTES);
		gt->active[i] = NULL;
	}
	return -XEN_ENOMEM;
}

/* As Xen, a frame list that faults is a status (bad_virt_addr), not an error. */
int16_t gnttab_frames_out(uint64_t list, const mfn_t *frames, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		uint64_t f = mfn_x(frames[i]);

		if (copy_to_guest(list + i * sizeof(f), &f, sizeof(f)))
			return GNTST_bad_virt_addr;
	}
	return GNTST_okay;
}

/* d's frame limit: the toolstack's max_grant_frames (createdomain), else Xen's default. */
static unsigned int max_frames(const struct domain *d)
{
	unsigned int m = d->max_grant_frames;

	return m && m < GNTTAB_MAX_FRAMES ? m : GNTTAB_MAX_FRAMES;
}

unsigned int gnttab_resource_max_frames(const struct domain *d, unsigned int id)
{
	if (id == XENMEM_resource_grant_table_id_shared)
		return max_frames(d);
	if (id == XENMEM_resource_grant_table_id_status)
		return gnttab_status_frames_for(max_frames(d));
	return 0;
}

/* The grant frames a status frame count needs (Xen's status_to_grant_frames). */
static uint64_t grant_frames_for_status(uint64_t nr_status)
{
	return (nr_status * GNTTAB_STATUS_PER_FRAME + GNTTAB_V2_PER_FRAME - 1) /
	       GNTTAB_V2_PER_FRAME;
}

static int resource_frames(struct domain *d, unsigned int id, unsigned int frame, unsigned int n,
			   uint64_t *mfns)
{
	struct grant_table *gt = d->grant_table;
	uint64_t last = (uint64_t)frame + n - 1, want;
	const mfn_t *list;

	if (!n)
		return -XEN_EINVAL;
	if (id == XENMEM_resource_grant_table_id_shared) {
		want = last + 1;
		if (last >= gt->nr_frames && want <= max_frames(d))
			grow(d, gt, (unsigned int)want);
		if (last >= gt->nr_frames)
			return -XEN_EINVAL;
		list = gt->frame;
	} else if (id == XENMEM_resource_grant_table_id_status && gt->version == 2) {
		want = grant_frames_for_status(last + 1);
		if (last >= gt->nr_status && want <= max_frames(d) && want > gt->nr_frames)
			grow(d, gt, (unsigned int)want);
		if (last >= gt->nr_status)
			return -XEN_EINVAL;
		list = gt->status;
	} else {
		return -XEN_EINVAL;
	}
	for (unsigned int i = 0; i < n; i++)
		mfns[i] = mfn_x(list[frame + i]);
	return (int)n;
}

int gnttab_resource_frames(struct domain *d, unsigned int id, unsigned int frame, unsigned int n,
			   uint64_t *mfns)
{
	int rc;

	spin_lock(&d->grant_lock);
	rc = resource_frames(d, id, frame, n, mfns);
	spin_unlock(&d->grant_lock);
	return rc;
}

static long op_setup_table(struct domain *cur, uint64_t uop)
{
	struct gnttab_setup_table op;
	struct domain *d;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	/* As Xen, the list's start only (even for 0 frames); each frame is written on its own. */
	if (!guest_range_ok((uint64_t)op.frame_list.p, 1))
		return -XEN_EFAULT;
	op.status = gnttab_target(cur, op.dom, &d);
	if (op.status != GNTST_okay)
		goto out;
	spin_lock(&d->grant_lock);
	if (op.nr_frames > max_frames(d) ||
	    (op.nr_frames > d->grant_table->nr_frames && grow(d, d->grant_table, op.nr_frames)))
		op.status = GNTST_general_error;
	if (op.status == GNTST_okay)
		op.status = gnttab_frames_out((uint64_t)op.frame_list.p, d->grant_table->frame,
					      op.nr_frames);
	spin_unlock(&d->grant_lock);
out:
	return copy_to_guest(uop + offsetof(struct gnttab_setup_table, status), &op.status,
			     sizeof(op.status))
		       ? -XEN_EFAULT
		       : 0;
}

static long op_query_size(struct domain *cur, uint64_t uop)
{
	struct gnttab_query_size op;
	struct domain *d;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	op.status = gnttab_target(cur, op.dom, &d);
	if (op.status == GNTST_okay) {
		op.nr_frames = __atomic_load_n(&d->grant_table->nr_frames, __ATOMIC_RELAXED);
		op.max_nr_frames = max_frames(d);
	}
	return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

static long op_get_version(struct domain *cur, uint64_t uop)
{
	struct gnttab_get_version op;
	struct domain *d;

	if (copy_from_guest(&op, uop, sizeof(op)))
		return -XEN_EFAULT;
	switch (gnttab_target(cur, op.dom, &d)) {
	case GNTST_bad_domain:
		return -XEN_ESRCH;
	case GNTST_permission_denied:
		return -XEN_EPERM;
	}
	op.version = __atomic_load_n(&d->grant_table->version, __ATOMIC_RELAXED);
	return copy_to_guest(uop, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

/* Continues a long batch: the rest of the ops, as Xen's do_grant_table_op. */
static long continue_from(unsigned int cmd, uint64_t uop, size_t size, long done, uint64_t count)
{
	const uint64_t a[HYPERCALL_NR_ARGS] = { cmd, uop + (uint64_t)done * size,
						count - (uint64_t)done };

	return hypercall_create_continuation(__HYPERVISOR_grant_table_op, a);
}

/* The size of one op of a batched command (for its continuation). */
static size_t op_size(unsigned int cmd)
{
	switch (cmd) {
	case GNTTABOP_map_grant_ref:
		return sizeof(struct gnttab_map_grant_ref);
	case GNTTABOP_unmap_grant_ref:
		return sizeof(struct gnttab_unmap_grant_ref);
	case GNTTABOP_unmap_and_replace:
		return sizeof(struct gnttab_unmap_and_replace);
	case GNTTABOP_copy:
		return sizeof(struct gnttab_copy);
	default:
		return sizeof(struct gnttab_cache_flush);
	}
}

/*
 * The batched ops. As Xen's guest_handle_okay, only the array's start must
 * be a guest address here (-EFAULT even for 0 ops); each op is read on its
 * own. cache_flush's continuation bits (opaque) are where its grant search
 * starts.
 */
static long batch_op(struct domain *d, unsigned int cmd, uint64_t uop, unsigned int count,
		     unsigned int opaque)
{
	long rc;

	if (!guest_range_ok(uop, 1))
		return -XEN_EFAULT;
	if (cmd == GNTTABOP_map_grant_ref)
		rc = gnttab_op_map(d, uop, count);
	else if (cmd == GNTTABOP_copy)
		rc = gnttab_op_copy(d, uop, count);
	else if (cmd == GNTTABOP_cache_flush)
		rc = gnttab_op_cache_flush(d, uop, count, opaque);
	else
		rc = gnttab_op_unmap(d, uop, count, cmd == GNTTABOP_unmap_and_replace);
	return rc > 0 ? continue_from(cmd, uop, op_size(cmd), rc, count) : rc;
}

static long grant_op(const uint64_t a[HYPERCALL_NR_ARGS])
{
	unsigned int cmd = (unsigned int)a[0], count = (unsigned int)a[2];
	unsigned int opaque = cmd & GNTTABOP_ARG_MASK;
	uint64_t uop = a[1];
	struct domain *d = current_vcpu()->domain;

	if ((int)count < 0)
		return -XEN_EINVAL;
	/* Only cache_flush carries state in the high bits. */
	if ((cmd & GNTTABOP_CMD_MASK) != GNTTABOP_cache_flush && (cmd & GNTTABOP_ARG_MASK))
		return -XEN_EINVAL;
	cmd &= GNTTABOP_CMD_MASK;
	switch (cmd) {
	case GNTTABOP_map_grant_ref:
	case GNTTABOP_unmap_grant_ref:
	case GNTTABOP_unmap_and_replace:
	case GNTTABOP_copy:
	case GNTTABOP_cache_flush:
		return batch_op(d, cmd, uop, count, opaque);
	case GNTTABOP_setup_table:
		return count != 1 ? -XEN_EINVAL : op_setup_table(d, uop);
	case GNTTABOP_query_size:
		return count != 1 ? -XEN_EINVAL : op_query_size(d, uop);
	case GNTTABOP_get_status_frames:
		return count != 1 ? -XEN_EINVAL : gnttab_op_get_status_frames(d, uop);
	case GNTTABOP_get_version:
		return op_get_version(d, uop);
	case GNTTABOP_set_version:
		return gnttab_op_set_version(d, uop);
	default:
		return -XEN_ENOSYS;
	}
}

long do_grant_table_op(const uint64_t a[HYPERCALL_NR_ARGS])
{
	return grant_op(a);
}

int gnttab_domain_init(struct domain *d)
{
	struct grant_table *gt = mm_alloc_heap(sizeof(*gt));

	if (!gt)
		return -XEN_ENOMEM;
	gt->version = 1;
	gt->mt_head = gt->mt_tail = GNTTAB_MAPTRACK_TAIL;
	d->grant_table = gt;
	/* As Xen, one frame from the start. */
	if (grow(d, gt, 1)) {
		gnttab_domain_teardown(d); /* not on the list yet: no other CPU sees it */
		return -XEN_ENOMEM;
	}
	return 0;
}

/*
 * After the grace period no other CPU finds d, so only the two walks take
 * other domains' locks (one at a time, d's own not held); the table goes
 * under d's lock, which a CPU unmapping an orphaned map may still take.
 */
void gnttab_domain_teardown(struct domain *d)
{
	struct grant_table *gt = d->grant_table;

	if (!gt)
		return;
	gnttab_release_maps(d);
	gnttab_orphan_maps_of(d);
	spin_lock(&d->grant_lock);
	d->grant_table = NULL;
	spin_unlock(&d->grant_lock);
	gnttab_maptrack_free(gt);
	for (unsigned int i = 0; i < gt->nr_frames; i++)
		mm_free_heap(gt->active[i], ACTIVE_BYTES);
	gnttab_put_frames(d, gt->status, &gt->nr_status, 0);
	gnttab_put_frames(d, gt->frame, &gt->nr_frames, 0);
	mm_free_heap(gt, sizeof(*gt));
}
