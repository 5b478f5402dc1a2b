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
 *   a preemptible context: L2-L4 validation and teardown may stop half-way
 *       (-ERESTART, the page PARTIAL: the token, asm/page_info.h) and go on
 *       when the token's holder calls again (Xen's PGT_partial)
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

static unsigned int level_of(const struct page_info *pg)
{
	return (unsigned int)(pg->type - MM_PGT_L1 + 1);
}

/* Whether a half-done validation or teardown still holds entries' refs. */
static bool holds_entries(const struct page_info *pg)
{
	return pg->nr_done || (pg->flags & MM_PGF_PARTIAL_ENTRY);
}

/* Leaves pg PARTIAL; took_over: the token's general ref is there already. */
static void make_partial(struct page_info *pg, bool took_over, uint8_t demoting)
{
	if (!took_over)
		pg->count++;
	pg->flags |= (uint8_t)(MM_PGF_PARTIAL | demoting);
}

/* Its last type ref and every entry's ref are gone. */
static void make_untyped(struct mm_ctx *c, uint64_t mfn, struct page_info *pg, bool took_over)
{
	pg->type_count = 0;
	pg->tlb_stamp = mm_env_tlb_clock();
	pg->linear = 0;
	pg->nr_done = 0;
	pg->flags &= (uint8_t) ~(MM_PGF_PARTIAL_ENTRY | MM_PGF_DEMOTING | MM_PGF_VALIDATED);
	if (took_over)
		mm_put_page(c, mfn);
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

/* Tears down what a half-done run holds, without stopping. */
static void demote_now(struct mm_ctx *c, uint64_t mfn, struct page_info *pg)
{
	bool preemptible = c->preemptible;

	c->preemptible = false;
	(void)mm_demote_table(c, mfn, level_of(pg));
	c->preemptible = preemptible;
}

/* Validation of pg (type_count 1, ours) from where it is; see mm_get_page_type. */
static int run_validate(struct mm_ctx *c, uint64_t mfn, struct page_info *pg, bool took_over)
{
	int rc = validate(c, mfn, (enum mm_pgt)pg->type);

	c->left_partial = false;
	if (!rc) {
		pg->flags |= MM_PGF_VALIDATED;
		if (took_over)
			mm_put_page(c, mfn);
		return 0;
	}
	if (rc == -MM_ERESTART) {
		make_partial(pg, took_over, 0);
		return rc;
	}
	if (is_table((enum mm_pgt)pg->type) && holds_entries(pg)) {
		if (c->preemptible) {
			make_partial(pg, took_over, MM_PGF_DEMOTING);
			c->left_partial = true;
			return rc;
		}
		demote_now(c, mfn, pg);
	}
	pg->type = MM_PGT_NONE;
	make_untyped(c, mfn, pg, took_over);
	return rc;
}

/*
 * A page changing type (from one in use before): 0 once no TLB can hold a
 * stale translation through it, or -MM_ERESTART with the CPUs to flush
 * first (see asm/page_info.h). A page becoming writable again is flushed
 * at the end of the operation (c->need_flush), as before.
 */
static int flush_first(struct mm_ctx *c, const struct page_info *pg, enum mm_pgt t)
{
	uint64_t stale;

	if (t == MM_PGT_WRITABLE) {
		c->need_flush = true;
		return 0;
	}
	stale = mm_env_tlb_stale(pg->owner, pg->tlb_stamp);
	if (!stale)
		return 0;
	if (c->preemptible) {
		c->flush_mask |= stale;
		return -MM_ERESTART;
	}
	c->need_flush = true;
	return 0;
}

int mm_get_page_type(struct mm_ctx *c, uint64_t mfn, enum mm_pgt t)
{
	int rc;

	struct page_info *pg = mm_env_page(mfn);

	c->left_partial = false;
	if (!pg || pg->count == 0 || t == MM_PGT_NONE)
		return -XEN_EINVAL;
	if (pg->type_count == UINT32_MAX)
		return -XEN_EINVAL;
	if (pg->type_count) {
		if (pg->type != t)
			return -XEN_EINVAL;
		if (pg->flags & MM_PGF_VALIDATED) {
			pg->type_count++;
			return 0;
		}
		/* Being validated right now (a self-reference), or on its way down. */
		if ((pg->flags & (MM_PGF_PARTIAL | MM_PGF_DEMOTING)) != MM_PGF_PARTIAL)
			return -XEN_EINVAL;
		/* A half-validated table: take its token over and go on. */
		pg->flags &= (uint8_t)~MM_PGF_PARTIAL;
		return run_validate(c, mfn, pg, true);
	}
	if (pg->type != t) {
		rc = pg->type != MM_PGT_NONE ? flush_first(c, pg, t) : 0;
		if (rc)
			return rc;
		pg->type = (uint8_t)t;
		pg->flags &= (uint8_t)~MM_PGF_VALIDATED;
	}
	if (pg->flags & MM_PGF_VALIDATED) {
		pg->type_count = 1;
		return 0;
	}
	/* Held during validation: a self-reference sees the page busy. */
	pg->type_count = 1;
	pg->nr_done = 0;
	pg->linear = 0;
	pg->flags &= (uint8_t) ~(MM_PGF_PARTIAL_ENTRY | MM_PGF_DEMOTING);
	return run_validate(c, mfn, pg, false);
}

/* Tears pg (type_count 1, ours) down from where it is. */
static int run_demote(struct mm_ctx *c, uint64_t mfn, struct page_info *pg, bool took_over)
{
	int rc = mm_demote_table(c, mfn, level_of(pg));

	if (rc == -MM_ERESTART) {
		make_partial(pg, took_over, MM_PGF_DEMOTING);
		return rc;
	}
	make_untyped(c, mfn, pg, took_over);
	return 0;
}

/*
 * Last ref of a validated table: it stops being trusted first (a reference
 * back to it during demotion sees it unvalidated), then its entries' refs
 * go, from the last one down; the type stays for a cheap re-use.
 */
static int put_last(struct mm_ctx *c, uint64_t mfn, struct page_info *pg)
{
	pg->flags &= (uint8_t) ~(MM_PGF_VALIDATED | MM_PGF_PARTIAL_ENTRY);
	pg->nr_done = 512;
	return run_demote(c, mfn, pg, false);
}

/* A ref that tears nothing down goes; the last one stamps the page (its uses are gone). */
static void put_plain(struct page_info *pg)
{
	if (--pg->type_count == 0)
		pg->tlb_stamp = mm_env_tlb_clock();
}

static bool is_last_table_ref(const struct page_info *pg)
{
	return pg->type_count == 1 && is_table((enum mm_pgt)pg->type) &&
	       (pg->flags & MM_PGF_VALIDATED);
}

void mm_put_page_type(struct mm_ctx *c, uint64_t mfn)
{
	struct page_info *pg = mm_env_page(mfn);
	bool preemptible;

	if (!pg || pg->type_count == 0)
		return; /* a broken invariant: refuse to underflow */
	if (!is_last_table_ref(pg)) {
		put_plain(pg);
		return;
	}
	preemptible = c->preemptible;
	c->preemptible = false;
	(void)put_last(c, mfn, pg);
	c->preemptible = preemptible;
}

int mm_put_page_type_preemptible(struct mm_ctx *c, uint64_t mfn)
{
	struct page_info *pg = mm_env_page(mfn);

	if (!pg || pg->type_count == 0)
		return 0; /* a broken invariant: refuse to underflow */
	if (!is_last_table_ref(pg)) {
		put_plain(pg);
		return 0;
	}
	return put_last(c, mfn, pg);
}

int mm_put_type_partial(struct mm_ctx *c, uint64_t mfn)
{
	struct page_info *pg = mm_env_page(mfn);

	if (!pg || !(pg->flags & MM_PGF_PARTIAL) || pg->type_count != 1)
		return 0;
	pg->flags &= (uint8_t) ~(MM_PGF_PARTIAL | MM_PGF_DEMOTING);
	return run_demote(c, mfn, pg, true);
}

int mm_get_page_and_type(struct mm_ctx *c, uint64_t mfn, mm_domid_t d, enum mm_pgt t)
{
	int rc;

	if (!mm_get_page(mfn, d))
		return -XEN_EINVAL;
	rc = mm_get_page_type(c, mfn, t);
	/* A stopped or half-failed validation keeps the caller's ref (see the header). */
	if (rc && rc != -MM_ERESTART && !c->left_partial)
		mm_put_page(c, mfn);
	return rc;
}

void mm_put_page_and_type(struct mm_ctx *c, uint64_t mfn)
{
	mm_put_page_type(c, mfn);
	mm_put_page(c, mfn);
}
