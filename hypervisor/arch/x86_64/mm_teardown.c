// SPDX-License-Identifier: GPL-2.0-only
/*
 * A dying domain's page tables, torn down preemptibly (Xen's
 * domain_relinquish_resources: vcpu_destroy_pagetables, then
 * relinquish_memory's unpinning and its forced devalidation of what is
 * left half done), in phases whose place is kept in the domain:
 *
 *   d->mm_teardown_phase   TD_VCPUS: each vCPU's pending put and base
 *                          pointers (pv/mm_tables.c); TD_PINS: every pin;
 *                          TD_PARTIAL: every PARTIAL table's token (its
 *                          holder, a parent's PARTIAL_ENTRY, drops its own
 *                          general ref when it is torn down); TD_FRAMES:
 *                          every frame's pin and allocation ref (ctl's); TD_DONE
 *   d->mm_teardown_next    the next vCPU or frame of the phase
 *   d->mm_teardown_pending a pin whose teardown stopped, with its general ref
 *
 * mm_relinquish (arch/x86_64/mm.c) then only orphans what is still mapped
 * from outside.
 * Locks: mm_lock for each step; flushes after it is dropped.
 */
#include <lamina/domain.h>
#include <lamina/mm.h>
#include <asm/mm.h>
#include <asm/pv/mm.h>

enum { TD_VCPUS, TD_PINS, TD_PARTIAL, TD_FRAMES, TD_DONE };
#define TD_SCAN_CHECK 4096 /* frames scanned between two looks at preemption */

static bool td_preempt(const struct mm_ctx *c, uint64_t m, uint64_t from)
{
	return c->preemptible && m != from && !((m - from) % TD_SCAN_CHECK) && mm_env_preempt();
}

/* The pin whose teardown stopped, then the pins from d->mm_teardown_next. */
static int td_pins(struct mm_ctx *c, struct domain *d)
{
	uint64_t from = d->mm_teardown_next;

	if (d->mm_teardown_pending) {
		if (mm_put_type_partial(c, d->mm_teardown_pending))
			return -MM_ERESTART;
		mm_put_page(c, d->mm_teardown_pending);
		d->mm_teardown_pending = 0;
	}
	struct page_info *pg;

	for (uint64_t m = from; (pg = mm_env_page(m)); m++) {
		if (td_preempt(c, m, from)) {
			d->mm_teardown_next = m;
			return -MM_ERESTART;
		}
		if (pg->owner != d->id || !(pg->flags & MM_PGF_PINNED))
			continue;
		pg->flags &= (uint8_t)~MM_PGF_PINNED;
		if (mm_put_page_type_preemptible(c, m)) {
			d->mm_teardown_pending = m; /* with the pin's general ref */
			d->mm_teardown_next = m + 1;
			return -MM_ERESTART;
		}
		mm_put_page(c, m);
	}
	return 0;
}

/*
 * Half-validated or half-torn-down tables nobody will resume: their tokens
 * go (the holders' general refs go with the holders: a parent's teardown).
 */
static int td_partial(struct mm_ctx *c, struct domain *d)
{
	uint64_t from = d->mm_teardown_next;
	struct page_info *pg;

	for (uint64_t m = from; (pg = mm_env_page(m)); m++) {
		if (td_preempt(c, m, from) || (pg->owner == d->id && (pg->flags & MM_PGF_PARTIAL) &&
					       mm_put_type_partial(c, m))) {
			d->mm_teardown_next = m;
			return -MM_ERESTART;
		}
	}
	return 0;
}

/* The frames' pins and allocation refs from d->mm_teardown_next (Xen's relinquish_memory). */
static int td_frames(struct mm_ctx *c, struct domain *d)
{
	uint64_t from = d->mm_teardown_next;
	struct page_info *pg;

	for (uint64_t m = from; (pg = mm_env_page(m)); m++) {
		if (td_preempt(c, m, from)) {
			d->mm_teardown_next = m;
			return -MM_ERESTART;
		}
		if (pg->owner == d->id)
			mm_give_back(c, m);
	}
	return 0;
}

static int td_vcpus(struct domain *d, bool preemptible)
{
	for (; d->mm_teardown_next < d->max_vcpus; d->mm_teardown_next++) {
		struct vcpu *v = d->vcpu[d->mm_teardown_next];

		if (v && pv_mm_vcpu_release_tables(v, preemptible))
			return -MM_ERESTART;
	}
	return 0;
}

static int relinquish_tables(struct domain *d, bool preemptible)
{
	struct mm_ctx c = { .pt_owner = d->id,
			    .pg_owner = d->id,
			    .preemptible = preemptible,
			    .deferred = MM_NO_MFN };
	int rc = 0;

	while (!rc && d->mm_teardown_phase < TD_DONE) {
		if (d->mm_teardown_phase == TD_VCPUS) {
			rc = td_vcpus(d, preemptible);
		} else {
			spin_lock(&mm_lock);
			rc = d->mm_teardown_phase == TD_PINS	  ? td_pins(&c, d)
			     : d->mm_teardown_phase == TD_PARTIAL ? td_partial(&c, d)
								  : td_frames(&c, d);
			spin_unlock(&mm_lock);
			mm_ctx_flush(&c);
		}
		if (!rc) {
			d->mm_teardown_phase++;
			d->mm_teardown_next = 0;
		}
	}
	mm_note_preemptions(c.preempted);
	return rc;
}

int mm_relinquish_tables(struct domain *d)
{
	return relinquish_tables(d, true);
}

void mm_relinquish_tables_now(struct domain *d)
{
	(void)relinquish_tables(d, false);
}
