// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest pages the FIFO ABI keeps mapped (event arrays, control blocks),
 * as Xen's map_guest_page: a PV guest names machine frames; the frame must
 * be the domain's own and take a writable type reference (an ordinary page,
 * not a page table or descriptor page). The references hold until the FIFO
 * state goes (EVTCHNOP_reset, the domain's death).
 */
#include <asm/mm.h>
#include <lamina/domain.h>
#include <lamina/event.h>
#include <lamina/mm.h>

void *evtchn_map_guest_frame(struct domain *d, uint64_t gfn)
{
	struct mm_ctx c;
	int rc;

	mm_ctx_init(&c, d, d->id);
	spin_lock(&mm_lock);
	rc = mm_get_page_and_type(&c, gfn, d->id, MM_PGT_WRITABLE);
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
	return rc ? NULL : mfn_to_virt(_mfn(gfn));
}

void evtchn_unmap_guest_frame(struct domain *d, uint64_t gfn)
{
	struct mm_ctx c;

	mm_ctx_init(&c, d, d->id);
	spin_lock(&mm_lock);
	mm_put_page_and_type(&c, gfn);
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
}
