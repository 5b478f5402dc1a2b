/* SPDX-License-Identifier: MIT */
/*
 * Grant tables, v1 entries: GNTTABOP_setup_table maps the table's frames
 * into a fixed area of the kernel; references are handed out from the
 * first one not reserved by the toolstack (GNTTAB_NR_RESERVED_ENTRIES).
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
/* Number of entries in the mapped table. */
unsigned int gpv_gnttab_nr_entries(void);

#endif
