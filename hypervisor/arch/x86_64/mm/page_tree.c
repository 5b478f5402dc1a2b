// SPDX-License-Identifier: GPL-2.0-only
/*
 * Validation and teardown of whole page-table trees, preemptible between
 * two entries of an L2-L4 table as Xen's promote_lN_table / demote_lN_table
 * are (xen/arch/x86/mm.c, PGT_partial):
 *
 *   table:  [0 ........ nr_done) [nr_done] [...................... 512)
 *            entries holding      PARTIAL_ENTRY:   not looked at yet
 *            their refs           a general ref    (promotion) / gone
 *                                 only, the child  already (teardown)
 *                                 maybe PARTIAL
 *
 * Promotion goes up from nr_done, teardown down from it; either stops,
 * with c->preemptible, when mm_env_preempt() says so after an entry that
 * did work (every call makes progress), or when a child stops, and
 * returns -ERESTART with the picture above saved in the frame table.
 * L1 tables are validated and torn down whole (512 entries are cheap);
 * their failure undoes itself at once. The callers in page_type.c turn the
 * picture into the PARTIAL token (asm/page_info.h).
 */
#include <asm/page_info.h>
#include <xen/errno.h>
#include <xen/xen.h>

#define NR_ENTRIES 512U

static enum mm_pgt child_type(unsigned int level)
{
	return (enum mm_pgt)(MM_PGT_L1 + level - 2);
}

static int promote_l1(struct mm_ctx *c, uint64_t mfn)
{
	uint64_t *e = mm_env_map(mfn);
	unsigned int i;
	int rc = 0;

	for (i = 0; i < NR_ENTRIES; i++) {
		if (!(e[i] & MM_PTE_P))
			continue;
		rc = mm_entry_get(c, mfn, 1, e[i]);
		if (rc)
			break;
		if (c->l1e_io) {
			c->l1e_io = false;
			e[i] = mm_l1e_io_fix(c, e[i]);
		}
		e[i] = mm_entry_adjust(1, e[i]);
	}
	if (rc)
		while (i-- > 0)
			if (e[i] & MM_PTE_P)
				mm_entry_put(c, mfn, 1, e[i]);
	return rc;
}

/* Entry e of table again, for a PARTIAL_ENTRY: its general ref is held. */
static int get_partial(struct mm_ctx *c, unsigned int level, uint64_t e)
{
	return mm_get_page_type(c, (e & MM_PTE_ADDR) >> 12, child_type(level));
}

/* Promotes from nr_done; see the file header. */
static int promote_upper(struct mm_ctx *c, uint64_t mfn, struct page_info *pg, unsigned int level)
{
	uint64_t *e = mm_env_map(mfn);
	bool partial = pg->flags & MM_PGF_PARTIAL_ENTRY, worked = false;
	unsigned int i;
	int rc = 0;

	pg->flags &= (uint8_t)~MM_PGF_PARTIAL_ENTRY;
	for (i = pg->nr_done; i < NR_ENTRIES; i++, partial = false) {
		if (!(e[i] & MM_PTE_P) || mm_is_xen_slot(level, i))
			continue; /* (a PARTIAL_ENTRY is present) */
		if (worked && c->preemptible && mm_env_preempt()) {
			c->preempted++;
			rc = -MM_ERESTART;
			break;
		}
		rc = partial ? get_partial(c, level, e[i]) : mm_entry_get(c, mfn, level, e[i]);
		if (rc) {
			/* The child stopped or failed half-way: our general ref stays on it. */
			if (rc == -MM_ERESTART || partial || c->left_partial)
				pg->flags |= MM_PGF_PARTIAL_ENTRY;
			break;
		}
		worked = true;
		e[i] = mm_entry_adjust(level, e[i]);
	}
	pg->nr_done = (uint16_t)i;
	return rc;
}

int mm_promote_table(struct mm_ctx *c, uint64_t mfn, unsigned int level)
{
	struct page_info *pg = mm_env_page(mfn);
	mm_domid_t pt_owner = c->pt_owner, pg_owner = c->pg_owner;
	int rc;

	/* A table maps its owner's pages (Xen: get_page_from_l1e(e, d, d)). */
	c->pt_owner = c->pg_owner = pg->owner;
	rc = level == 1 ? promote_l1(c, mfn) : promote_upper(c, mfn, pg, level);
	c->pt_owner = pt_owner;
	c->pg_owner = pg_owner;
	if (!rc && level == 4)
		mm_env_l4_xen_slots(mm_env_map(mfn), mfn, c->m2p_strict);
	return rc;
}

static int demote_upper(struct mm_ctx *c, uint64_t mfn, struct page_info *pg, unsigned int level)
{
	const uint64_t *e = mm_env_map(mfn);
	unsigned int i = pg->nr_done;
	bool worked = false;
	int rc;

	if (pg->flags & MM_PGF_PARTIAL_ENTRY) {
		rc = mm_entry_put_tree(c, mfn, level, e[i], true);
		if (rc)
			return rc;
		pg->flags &= (uint8_t)~MM_PGF_PARTIAL_ENTRY;
		worked = true;
	}
	for (; i > 0; i--) {
		if (!(e[i - 1] & MM_PTE_P) || mm_is_xen_slot(level, i - 1))
			continue;
		if (worked && c->preemptible && mm_env_preempt()) {
			c->preempted++;
			pg->nr_done = (uint16_t)i;
			return -MM_ERESTART;
		}
		rc = mm_entry_put_tree(c, mfn, level, e[i - 1], false);
		if (rc) {
			pg->nr_done = (uint16_t)(i - 1);
			pg->flags |= MM_PGF_PARTIAL_ENTRY;
			return rc;
		}
		worked = true;
	}
	pg->nr_done = 0;
	return 0;
}

int mm_demote_table(struct mm_ctx *c, uint64_t mfn, unsigned int level)
{
	const uint64_t *e = mm_env_map(mfn);

	if (level > 1)
		return demote_upper(c, mfn, mm_env_page(mfn), level);
	for (unsigned int i = 0; i < NR_ENTRIES; i++)
		if (e[i] & MM_PTE_P)
			mm_entry_put(c, mfn, 1, e[i]);
	return 0;
}
