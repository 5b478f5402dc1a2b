// SPDX-License-Identifier: MIT
/*
 * Grant table v1 for guest-pv (see gpv/gnttab.h). The table is mapped at
 * gnttab_area; a reference is free when its flags are 0 and its frame is 0
 * (gpv_gnttab_end clears both).
 */
#include <gpv/gpv.h>
#include <gpv/gnttab.h>

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
