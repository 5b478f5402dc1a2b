/* SPDX-License-Identifier: MIT */
/*
 * Grant tables, v1 entries: GNTTABOP_setup_table maps the table's frames
 * into a fixed area of the kernel; references are handed out from the
 * first one not reserved by the toolstack (GNTTAB_NR_RESERVED_ENTRIES).
 * Foreign grants can be mapped at a kernel page and copied from.
 */
#ifndef GPV_GNTTAB_H
#define GPV_GNTTAB_H

#include <gpv/xen.h>

#define GPV_GNTTAB_MAX_FRAMES 4

/* Set up and map @nr_frames (1..GPV_GNTTAB_MAX_FRAMES) frames; 0 or -errno. */
long gpv_gnttab_init(unsigned int nr_frames);
/* Grant @domid access to machine frame @mfn; returns the ref or -errno. */
long gpv_gnttab_grant(domid_t domid, unsigned long mfn, bool readonly);
/* Revoke @ref; -EBUSY while the grantee still has it mapped. */
long gpv_gnttab_end(grant_ref_t ref);
/* The entry behind @ref (NULL when out of range or not set up). */
grant_entry_v1_t *gpv_gnttab_entry(grant_ref_t ref);
/*
 * Map @domid's grant @ref at the page-aligned kernel address @va (whose old
 * mapping is replaced); returns the grant handle (>= 0) or a GNTST_* / -errno
 * value (< 0). gpv_gnttab_unmap() removes it and restores @va's own frame.
 */
long gpv_gnttab_map(domid_t domid, grant_ref_t ref, void *va, bool readonly);
long gpv_gnttab_unmap(void *va, grant_handle_t handle);
/* GNTTABOP_copy of @len bytes from @domid's grant @ref to machine frame @mfn. */
long gpv_gnttab_copy_in(domid_t domid, grant_ref_t ref, unsigned int offset, unsigned long mfn,
			unsigned int dst_offset, unsigned int len);
/* Number of entries in the mapped table. */
unsigned int gpv_gnttab_nr_entries(void);

#endif
