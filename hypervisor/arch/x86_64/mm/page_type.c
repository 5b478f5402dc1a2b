// SPDX-License-Identifier: GPL-2.0-only
/*
 * General and type references of machine frames, with Xen's semantics
 * (xen/arch/x86/mm.c get_page, _get_page_type, _put_page_type):
 *
 *   get_page_type(t), type_count 0:  the type may change to t; a page-table
 *       or descriptor type is then validated (page_table.c) before the ref
 *       counts: on failure the page is left typeless (type_count 0, not
 *       validated) and the error returned
 *   get_page_type(t), type_count > 0: only if the type is t (validated)
 *   put_page_type, last ref of a validated table: its entries' refs go
 *       (demotion), the type stays for a later cheap re-use but loses
 *       VALIDATED
 *
 * A type change of a page that was something else before makes the caller
 * flush TLBs (c->need_flush) before the guest runs again: a stale writable
 * TLB entry must not outlive the page's becoming a table. The contract and
 * the fields are in asm/page_info.h; the caller serialises all calls.
 */
#include <asm/page_info.h>
#include <xen/errno.h>
#include <xen/xen.h>

bool mm_get_page(uint64_t mfn, mm_domid_t d)
{
	struct page_info *pg = mm_env_page(mfn);

	if (!pg || pg->owner != d || pg->count == 0 || pg->count == UINT32_MAX)
		return false;
	if (d >= DOMID_FIRST_RESERVED)
		return false;
	pg->count++;
	return true;
}

void mm_put_page(struct mm_ctx *c, uint64_t mfn)
{
	struct page_info *pg = mm_env_page(mfn);

	if (!pg || pg->count == 0)
		return; /* a broken invariant: never free twice */
	if (--pg->count == 0) {
		pg->type = MM_PGT_NONE;
		pg->type_count = 0;
		pg->flags = 0;
		pg->linear = 0;
		c->need_flush = true;
		mm_env_freed(mfn);
	}
}

static bool is_table(enum mm_pgt t)
{
	return t >= MM_PGT_L1 && t <= MM_PGT_L4;
}

static int validate(struct mm_ctx *c, uint64_t mfn, enum mm_pgt t)
{
	uint64_t *e;

	if (is_table(t))
		return mm_promote_table(c, mfn, (unsigned int)(t - MM_PGT_L1 + 1));
	if (t != MM_PGT_SEG_DESC)
		return 0;
	e = mm_env_map(mfn);
	for (unsigned int i = 0; i < 512; i++)
		if (!mm_env_descriptor_ok(&e[i]))
			return -XEN_EINVAL;
	return 0;
}

int mm_get_page_type(struct mm_ctx *c, uint64_t mfn, enum mm_pgt t)
{
	struct page_info *pg = mm_env_page(mfn);
	int rc;

	if (!pg || pg->count == 0 || t == MM_PGT_NONE)
		return -XEN_EINVAL;
	if (pg->type_count == UINT32_MAX)
		return -XEN_EINVAL;
	if (pg->type_count) {
		if (pg->type != t || !(pg->flags & MM_PGF_VALIDATED))
			return -XEN_EINVAL;
		pg->type_count++;
		return 0;
	}
	if (pg->type != t) {
		if (pg->type != MM_PGT_NONE)
			c->need_flush = true;
		pg->type = (uint8_t)t;
		pg->flags &= (uint8_t)~MM_PGF_VALIDATED;
	}
	if (pg->flags & MM_PGF_VALIDATED) {
		pg->type_count = 1;
		return 0;
	}
	/* Held during validation: a self-reference sees the page busy. */
	pg->type_count = 1;
	rc = validate(c, mfn, t);
	if (rc) {
		pg->type_count = 0;
		pg->type = MM_PGT_NONE;
		return rc;
	}
	pg->flags |= MM_PGF_VALIDATED;
	return 0;
}

void mm_put_page_type(struct mm_ctx *c, uint64_t mfn)
{
	struct page_info *pg = mm_env_page(mfn);

	if (!pg || pg->type_count == 0)
		return; /* a broken invariant: refuse to underflow */
	if (pg->type_count > 1 || !is_table((enum mm_pgt)pg->type) ||
	    !(pg->flags & MM_PGF_VALIDATED)) {
		pg->type_count--;
		return;
	}
	/*
	 * Last ref of a validated table: it stops being trusted first (a
	 * reference back to it during demotion sees it unvalidated), then
	 * its entries' refs go.
	 */
	pg->flags &= (uint8_t)~MM_PGF_VALIDATED;
	mm_demote_table(c, mfn, (unsigned int)(pg->type - MM_PGT_L1 + 1));
	pg->type_count = 0;
	pg->linear = 0;
}

int mm_get_page_and_type(struct mm_ctx *c, uint64_t mfn, mm_domid_t d, enum mm_pgt t)
{
	int rc;

	if (!mm_get_page(mfn, d))
		return -XEN_EINVAL;
	rc = mm_get_page_type(c, mfn, t);
	if (rc)
		mm_put_page(c, mfn);
	return rc;
}

void mm_put_page_and_type(struct mm_ctx *c, uint64_t mfn)
{
	mm_put_page_type(c, mfn);
	mm_put_page(c, mfn);
}
