// SPDX-License-Identifier: MIT
/*
 * Grant table v1 for guest-pv (see gpv/gnttab.h). The table is mapped at
 * gnttab_area; a reference is free when its flags are 0 and its frame is 0
 * (gpv_gnttab_end clears both).
 */
#include <gpv/gpv.h>
#include <gpv/gnttab.h>
#include <gpv/mm.h>

static char gnttab_area[GPV_GNTTAB_MAX_FRAMES * 4096] __attribute__((aligned(4096)));
static grant_entry_v1_t *table;
static unsigned int nr_entries;

long gpv_gnttab_init(unsigned int nr_frames)
{
	xen_pfn_t frames[GPV_GNTTAB_MAX_FRAMES];
	struct gnttab_setup_table st;
	unsigned int i;
	long rc;

	if (nr_frames == 0 || nr_frames > GPV_GNTTAB_MAX_FRAMES)
		return -XEN_EINVAL;
	st.dom = DOMID_SELF;
	st.nr_frames = nr_frames;
	st.status = 0;
	set_xen_guest_handle(st.frame_list, frames);
	rc = gpv_grant_table_op(GNTTABOP_setup_table, &st, 1);
	if (rc)
		return rc;
	if (st.status != GNTST_okay)
		return -XEN_EINVAL;
	for (i = 0; i < nr_frames; i++) {
		rc = gpv_update_va_mapping((unsigned long)gnttab_area + i * 4096UL,
					   ((uint64_t)frames[i] << 12) | 7, UVMF_INVLPG);
		if (rc)
			return rc;
	}
	table = (grant_entry_v1_t *)gnttab_area;
	nr_entries = nr_frames * 4096 / sizeof(grant_entry_v1_t);
	return 0;
}

unsigned int gpv_gnttab_nr_entries(void)
{
	return nr_entries;
}

grant_entry_v1_t *gpv_gnttab_entry(grant_ref_t ref)
{
	if (!table || ref >= nr_entries)
		return NULL;
	return &table[ref];
}

long gpv_gnttab_grant(domid_t domid, unsigned long mfn, bool readonly)
{
	grant_ref_t ref;

	if (!table)
		return -XEN_EINVAL;
	for (ref = GNTTAB_NR_RESERVED_ENTRIES; ref < nr_entries; ref++) {
		if (table[ref].flags || table[ref].frame)
			continue;
		table[ref].domid = domid;
		table[ref].frame = (uint32_t)mfn;
		__atomic_store_n(&table[ref].flags,
				 (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0)),
				 __ATOMIC_RELEASE);
		return (long)ref;
	}
	return -XEN_ENOSPC;
}

long gpv_gnttab_end(grant_ref_t ref)
{
	uint16_t flags;

	if (!table || ref < GNTTAB_NR_RESERVED_ENTRIES || ref >= nr_entries)
		return -XEN_EINVAL;
	flags = __atomic_load_n(&table[ref].flags, __ATOMIC_ACQUIRE);
	do {
		if (flags & (GTF_reading | GTF_writing))
			return -XEN_EBUSY;
	} while (!__atomic_compare_exchange_n(&table[ref].flags, &flags, 0, false, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	table[ref].frame = 0;
	return 0;
}

/* Map @va's own frame (from the p2m) back at @va. */
static long restore_own(void *va)
{
	unsigned long mfn = gpv_virt_to_mfn(va);

	if (mfn == GPV_INVALID)
		return -XEN_EINVAL;
	return gpv_update_va_mapping((unsigned long)va, ((uint64_t)mfn << 12) | 7, UVMF_INVLPG);
}

long gpv_gnttab_map(domid_t domid, grant_ref_t ref, void *va, bool readonly)
{
	struct gnttab_map_grant_ref op = {
		.host_addr = (unsigned long)va,
		.flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0),
		.ref = ref,
		.dom = domid,
	};
	long rc;

	if ((unsigned long)va & (GPV_PAGE_SIZE - 1))
		return -XEN_EINVAL;
	/* Map over an empty entry (as Linux does): Xen does not flush the TLB
	 * when it writes the grant's PTE, so a present old entry could stay
	 * cached. */
	rc = gpv_update_va_mapping((unsigned long)va, 0, UVMF_INVLPG);
	if (rc)
		return rc;
	rc = gpv_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);
	if (!rc && op.status == GNTST_okay)
		return (long)op.handle;
	restore_own(va);
	return rc ? rc : op.status;
}

long gpv_gnttab_unmap(void *va, grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref op = { .host_addr = (unsigned long)va, .handle = handle };
	long rc = gpv_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);

	if (rc)
		return rc;
	if (op.status != GNTST_okay)
		return op.status;
	/* Unmapping leaves the PTE empty: put the page's own frame back. */
	return restore_own(va);
}

long gpv_gnttab_copy_in(domid_t domid, grant_ref_t ref, unsigned int offset, unsigned long mfn,
			unsigned int dst_offset, unsigned int len)
{
	struct gnttab_copy op;
	long rc;

	if (offset + len > GPV_PAGE_SIZE || dst_offset + len > GPV_PAGE_SIZE)
		return -XEN_EINVAL;
	memset(&op, 0, sizeof(op));
	op.source.u.ref = ref;
	op.source.domid = domid;
	op.source.offset = (uint16_t)offset;
	op.dest.u.gmfn = mfn;
	op.dest.domid = DOMID_SELF;
	op.dest.offset = (uint16_t)dst_offset;
	op.len = (uint16_t)len;
	op.flags = GNTCOPY_source_gref;
	rc = gpv_grant_table_op(GNTTABOP_copy, &op, 1);
	return rc ? rc : op.status;
}
