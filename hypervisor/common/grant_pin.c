// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pin protocol every use of a grant goes through (Xen's _set_status_v1,
 * _set_status_v2, reduce_status_for_pin and the active-entry half of
 * map_grant_ref / acquire_grant_for_copy):
 *
 *   first pin, or first writer   the granter's entry is checked and
 *       GTF_reading (+ GTF_writing) set in its status word:
 *       v1  one compare-exchange of the entry's flags+domid word, retried
 *           at most four times when the guest changes it under us, so that
 *           a concurrent revoke either wins (the pin fails) or sees the
 *           bits (and must wait)
 *       v2  the bits are set in the status entry, then the header is read
 *           again; a changed header clears them and fails the pin
 *   every pin                    the active entry's count for its kind
 *       (host/device, read/write) goes up; a counter at 128 refuses more
 *   unpin                        the count goes down; GTF_writing is cleared
 *       when no writer is left, GTF_reading when no pin is
 *
 * The frame is taken from the entry at the first pin and must be the
 * granter's own (else GNTST_bad_page), as Xen's get_paged_frame for PV.
 */
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/grant_table.h>
#include <lamina/mm.h>
#include <xen/grant_table.h>

#define PIN_RETRIES 4

union combo {
	uint32_t raw;
	grant_entry_header_t hdr;
};

static bool header_ok(grant_entry_header_t h, domid_t ld, bool readonly, bool map)
{
	uint16_t mask = GTF_type_mask | (map ? GTF_sub_page : 0);

	return (h.flags & mask) == GTF_permit_access && h.domid == ld &&
	       (readonly || !(h.flags & GTF_readonly));
}

static int16_t set_status_v1(grant_entry_header_t *shah, bool pinned, domid_t ld, bool readonly,
			     bool map)
{
	uint32_t *raw = (uint32_t *)shah;
	union combo seen = { .raw = __atomic_load_n(raw, __ATOMIC_SEQ_CST) };

	for (int tries = 0;; tries++) {
		union combo want = seen;

		/* Already pinned: the type and domain were checked by the first pin. */
		if (!pinned && !header_ok(seen.hdr, ld, true, map))
			return GNTST_general_error;
		if (!readonly && (seen.hdr.flags & GTF_readonly))
			return GNTST_general_error;
		want.hdr.flags |= GTF_reading | (readonly ? 0 : GTF_writing);
		if (__atomic_compare_exchange_n(raw, &seen.raw, want.raw, false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return GNTST_okay;
		if (tries == PIN_RETRIES)
			return GNTST_general_error; /* "shared grant entry is unstable" */
	}
}

static int16_t set_status_v2(grant_entry_header_t *shah, uint16_t *status, bool pinned, domid_t ld,
			     bool readonly, bool map)
{
	grant_entry_header_t h = { .flags = __atomic_load_n(&shah->flags, __ATOMIC_SEQ_CST),
				   .domid = __atomic_load_n(&shah->domid, __ATOMIC_SEQ_CST) };

	if (!pinned && !header_ok(h, ld, true, map))
		return GNTST_general_error;
	if (!readonly && (h.flags & GTF_readonly))
		return GNTST_general_error;
	__atomic_fetch_or(status, (uint16_t)(GTF_reading | (readonly ? 0 : GTF_writing)),
			  __ATOMIC_SEQ_CST);
	/* The guest sees the status before we look at its header again. */
	h.flags = __atomic_load_n(&shah->flags, __ATOMIC_SEQ_CST);
	h.domid = __atomic_load_n(&shah->domid, __ATOMIC_SEQ_CST);
	if (!pinned && !header_ok(h, ld, readonly, map)) {
		__atomic_fetch_and(status, (uint16_t) ~(GTF_reading | GTF_writing),
				   __ATOMIC_SEQ_CST);
		return GNTST_general_error;
	}
	if (pinned && (h.flags & GTF_readonly)) {
		__atomic_fetch_and(status, (uint16_t)~GTF_writing, __ATOMIC_SEQ_CST);
		return GNTST_general_error;
	}
	return GNTST_okay;
}

/* Clears the status bits the remaining pins of act do not need. */
static void reduce_status(const struct gnttab_active *act, uint16_t *status, bool readonly)
{
	uint16_t clear = act->pin ? 0 : GTF_reading;

	if (!readonly && !(act->pin & GNTPIN_WRITERS))
		clear |= GTF_writing;
	if (clear)
		__atomic_fetch_and(status, (uint16_t)~clear, __ATOMIC_SEQ_CST);
}

int16_t gnttab_pin(struct domain *rd, grant_ref_t ref, domid_t ld, uint32_t incr, bool readonly,
		   bool map, uint64_t *mfn)
{
	struct grant_table *gt = rd->grant_table;
	struct gnttab_active *act;
	uint16_t *status;
	int16_t st;

	if (ref >= gnttab_nr_entries(gt))
		return GNTST_bad_gntref;
	act = gnttab_active(gt, ref);
	if (act->pin && (act->domid != ld || (act->pin & GNTPIN_OVERFLOW(incr))))
		return GNTST_general_error;
	if (!act->pin || (!readonly && !(act->pin & GNTPIN_WRITERS))) {
		grant_entry_header_t *shah = gnttab_header(gt, ref);

		/* (v1: the status bits are the header's flags, the frame follows it) */
		status = gt->version == 1 ? &shah->flags : gnttab_status_word(gt, ref);
		st = gt->version == 1 ? set_status_v1(shah, act->pin, ld, readonly, map)
				      : set_status_v2(shah, status, act->pin, ld, readonly, map);
		if (st != GNTST_okay)
			return st;
		if (!act->pin) {
			uint64_t f = gt->version == 1 ? ((grant_entry_v1_t *)shah)->frame
						      : ((grant_entry_v2_t *)shah)->full_page.frame;

			if (mm_page_owner(_mfn(f)) != rd->id) {
				reduce_status(act, status, readonly);
				return GNTST_bad_page;
			}
			act->mfn = f;
			act->domid = ld;
		}
	}
	act->pin += incr;
	*mfn = act->mfn;
	return GNTST_okay;
}

void gnttab_unpin(struct domain *rd, grant_ref_t ref, uint32_t incr, bool readonly)
{
	struct grant_table *gt = rd->grant_table;
	struct gnttab_active *act = gnttab_active(gt, ref);

	ASSERT(act->pin >= incr);
	act->pin -= incr;
	reduce_status(act,
		      gt->version == 1 ? &gnttab_header(gt, ref)->flags
				       : gnttab_status_word(gt, ref),
		      readonly);
}
