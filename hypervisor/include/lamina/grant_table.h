/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables (xen/common/grant_table.c), version 1: a domain's table of
 * grant entries lives in hypervisor frames it maps (setup_table); another
 * domain (or itself) named in an entry may copy to or from the granted
 * frame (GNTTABOP_copy). Mapping grants (map_grant_ref and friends) waits
 * for the frame table of issue 9, and version 2 with it (its status frames
 * must not be given back while mapped): both answer -ENOSYS.
 *
 * Locks: none yet (one CPU runs every domain).
 */
#ifndef LAMINA_GRANT_TABLE_H
#define LAMINA_GRANT_TABLE_H

#include <lamina/types.h>

struct domain;

#define GNTTAB_MAX_FRAMES 64 /* per domain, as Xen's gnttab_max_frames default */

struct grant_table {
	unsigned int version;	/* 1 */
	unsigned int nr_frames; /* frames of entries, grown by setup_table */
	mfn_t frame[GNTTAB_MAX_FRAMES];
};

/* A domain's grant-table unit (domain_create / domain_destroy). */
int gnttab_domain_init(struct domain *d);
void gnttab_domain_teardown(struct domain *d);

#endif
