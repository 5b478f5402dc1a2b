// SPDX-License-Identifier: GPL-2.0-only
/*
 * Page-table entries of PV guests, checked as Xen's get_page_from_lNe,
 * promote_lN_table and mod_lN_entry check them (xen/arch/x86/mm.c):
 *
 *   L1 entry  flags in MM_PTE_ALLOWED (+G; +PWT/PCD/PAT with I/O rights);
 *             a frame beyond RAM or owned by DOMID_IO only with I/O rights
 *             (-EPERM; the hardware domain's read-only and refused ranges,
 *             mm_ctx.io_ranges), no refs, installed uncacheable
 *             (mm_l1e_io_fix); else a general ref on a page of pg_owner
 *             and, if RW, a writable type ref (-EBUSY when refused); a
 *             xen-heap page (shared_info) only write-back (-EACCES)
 *   Ln entry  flags in MM_PTE_ALLOWED (no PSE, no G); the target is the
 *             pt owner's and gets a type ref of level n-1; failing that a
 *             read-only "linear" entry to a validated table of level n (or
 *             to itself) is accepted; otherwise -EINVAL
 *   L4        slots 256-271 are the hypervisor's: skipped by validation,
 *             filled from its own L4 afterwards, never written (-EINVAL)
 *
 * Present entries get _PAGE_USER (the guest kernel runs in ring 3). The
 * refs of an entry are taken before it is installed and the old entry's are
 * dropped after; the entry is swapped with a compare-exchange that lets only
 * the hardware's A/D bits change under it, so what was checked is what is
 * installed. Contracts in asm/page_info.h.
 */
#include <asm/page_info.h>
#include <stddef.h>
#include <xen/errno.h>
#include <xen/xen.h>

static uint64_t entry_mfn(uint64_t e)
{
	return (e & MM_PTE_ADDR) >> 12;
}

uint64_t mm_entry_adjust(unsigned int level, uint64_t e)
{
	if (!(e & MM_PTE_P))
		return e;
	if (level > 1)
		return e | MM_PTE_US;
	if (!(e & MM_PTE_US))
		e |= MM_PTE_GUEST_KERNEL | MM_PTE_US;
	if (!(e & MM_PTE_GUEST_KERNEL))
		e |= MM_PTE_GLOBAL;
	return e;
}

static bool is_io(uint64_t mfn)
{
	const struct page_info *pg = mm_env_page(mfn);

	return !pg || pg->owner == DOMID_IO;
}

#define PTE_PWT 0x008ULL
#define PTE_PCD 0x010ULL
#define PTE_PAT 0x080ULL

/* The hardware domain's read-only or refused range holding mfn, or NULL. */
static const struct mm_io_range *io_range(const struct mm_ctx *c, uint64_t mfn)
{
	for (unsigned int i = 0; i < c->nr_io_ranges; i++)
		if (mfn >= c->io_ranges[i].first && mfn <= c->io_ranges[i].last)
			return &c->io_ranges[i];
	return NULL;
}

/* Xen's iomem_access_permitted for the hardware domain. */
static bool io_permitted(const struct mm_ctx *c, uint64_t mfn)
{
	const struct mm_io_range *r = io_range(c, mfn);

	return mfn < c->io_end && (!r || r->ro);
}

__attribute__((noinline)) uint64_t mm_l1e_io_fix(const struct mm_ctx *c, uint64_t e)
{
	uint64_t cache = e & MM_PTE_CACHE;
	const struct mm_io_range *r;

	if (!(e & MM_PTE_P) || !is_io(entry_mfn(e)))
		return e;
	r = io_range(c, entry_mfn(e));
	if (r && r->ro)
		e &= ~MM_PTE_RW;
	if (cache == 0) /* WB */
		return e ^ (PTE_PWT | PTE_PCD);
	if (cache == PTE_PWT || cache == (PTE_PWT | PTE_PAT)) /* WT, WP */
		return e ^ (PTE_PCD | (cache & PTE_PAT));
	return e;
}

/* An I/O frame's entry (no refs): 0, -EPERM, or -EINVAL for the highest frame (Xen's test). */
static __attribute__((noinline)) int l1e_get_io(struct mm_ctx *c, uint64_t mfn)
{
	if (io_permitted(c, mfn)) {
		c->l1e_io = true;
		return 0;
	}
	return mfn == MM_PTE_ADDR >> 12 ? -XEN_EINVAL : -XEN_EPERM;
}

/* A xen-heap page (shared_info) keeps write-back (Xen: is_special_page): -EACCES, refs dropped. */
static __attribute__((noinline)) int l1e_cache_refused(struct mm_ctx *c, uint64_t mfn, uint64_t e)
{
	if (e & MM_PTE_RW)
		mm_put_page_type(c, mfn);
	mm_put_page(c, mfn);
	return -XEN_EACCES;
}

int mm_l1e_get(struct mm_ctx *c, uint64_t e)
{
	uint64_t allowed = MM_PTE_ALLOWED | MM_PTE_GLOBAL | (c->io_end ? MM_PTE_CACHE : 0);
	uint64_t mfn = entry_mfn(e);

	if (e & ~(allowed | MM_PTE_ADDR))
		return -XEN_EINVAL;
	if (is_io(mfn))
		return l1e_get_io(c, mfn);
	if (!mm_get_page(mfn, c->pg_owner == DOMID_IO ? c->pt_owner : c->pg_owner))
		return -XEN_EBUSY;
	if ((e & MM_PTE_RW) && mm_get_page_type(c, mfn, MM_PGT_WRITABLE)) {
		mm_put_page(c, mfn);
		return -XEN_EBUSY;
	}
	if ((e & MM_PTE_CACHE) && (mm_env_page(mfn)->flags & MM_PGF_XEN_HEAP))
		return l1e_cache_refused(c, mfn, e);
	return 0;
}

void mm_l1e_put(struct mm_ctx *c, uint64_t e)
{
	uint64_t mfn = entry_mfn(e);

	if (!(e & MM_PTE_P) || is_io(mfn))
		return;
	if (e & MM_PTE_RW)
		mm_put_page_type(c, mfn);
	mm_put_page(c, mfn);
}

/*
 * A read-only entry of table (level n) to another validated level-n table
 * of the same domain (Xen's get_lN_linear_pagetable), or to itself: true
 * with the refs taken. One level deep: a table with linear entries cannot
 * be a linear target, and a linear target cannot hold linear entries.
 */
static bool linear_get(struct mm_ctx *c, uint64_t table, unsigned int level, uint64_t e)
{
	uint64_t mfn = entry_mfn(e);
	struct page_info *pt = mm_env_page(table), *tg;
	enum mm_pgt t = (enum mm_pgt)(MM_PGT_L1 + level - 1);

	if (e & MM_PTE_RW)
		return false;
	if (mfn == table)
		return true;
	tg = mm_env_page(mfn);
	if (!tg || pt->linear < 0 || tg->linear > 0 || pt->linear == INT32_MAX ||
	    tg->linear == INT32_MIN)
		return false;
	if (tg->type != t || !(tg->flags & MM_PGF_VALIDATED) || !tg->type_count)
		return false;
	if (!mm_get_page(mfn, c->pt_owner))
		return false;
	if (mm_get_page_type(c, mfn, t)) {
		mm_put_page(c, mfn);
		return false;
	}
	pt->linear++;
	tg->linear--;
	return true;
}

static bool is_linear(uint64_t table, unsigned int level, uint64_t e)
{
	const struct page_info *tg = mm_env_page(entry_mfn(e));

	return tg && tg->type == MM_PGT_L1 + level - 1 && entry_mfn(e) != table;
}

/* The refs for present entry e of table (level 2-4). */
static int upper_get(struct mm_ctx *c, uint64_t table, unsigned int level, uint64_t e)
{
	int rc;

	if (e & ~(MM_PTE_ALLOWED | MM_PTE_ADDR))
		return -XEN_EINVAL;
	rc = mm_get_page_and_type(c, entry_mfn(e), c->pt_owner,
				  (enum mm_pgt)(MM_PGT_L1 + level - 2));
	if (rc == -XEN_EINVAL && !c->left_partial && linear_get(c, table, level, e))
		rc = 0;
	return rc;
}

/* Drops a linear entry's counts (before its type ref goes). */
static void linear_put(uint64_t table, unsigned int level, uint64_t e)
{
	if (is_linear(table, level, e)) {
		struct page_info *pt = mm_env_page(table), *tg = mm_env_page(entry_mfn(e));

		pt->linear--;
		tg->linear++;
	}
}

int mm_entry_get(struct mm_ctx *c, uint64_t table, unsigned int level, uint64_t e)
{
	if (!(e & MM_PTE_P))
		return 0;
	return level == 1 ? mm_l1e_get(c, e) : upper_get(c, table, level, e);
}

int mm_entry_put_tree(struct mm_ctx *c, uint64_t table, unsigned int level, uint64_t e,
		      bool partial)
{
	uint64_t mfn = entry_mfn(e);
	int rc;

	if (level == 1) {
		mm_l1e_put(c, e);
		return 0;
	}
	if (!(e & MM_PTE_P) || mfn == table)
		return 0;
	if (partial) {
		rc = mm_put_type_partial(c, mfn);
	} else {
		linear_put(table, level, e);
		rc = mm_put_page_type_preemptible(c, mfn);
	}
	if (!rc)
		mm_put_page(c, mfn);
	return rc;
}

void mm_entry_put(struct mm_ctx *c, uint64_t table, unsigned int level, uint64_t e)
{
	bool preemptible = c->preemptible;

	c->preemptible = false;
	(void)mm_entry_put_tree(c, table, level, e, false);
	c->preemptible = preemptible;
}

/* After mm_entry_get refused val (out of the hot path): rc. */
static __attribute__((noinline)) int entry_get_failed(struct mm_ctx *c, uint64_t val, int rc)
{
	if (rc == -MM_ERESTART)
		mm_put_page(c, entry_mfn(val)); /* its token stays with the half-validated child */
	else if (c->left_partial)
		c->deferred = entry_mfn(val); /* the caller finishes its teardown */
	return rc;
}

/* An accepted I/O entry as it is installed (out of the hot path). */
static __attribute__((noinline)) uint64_t l1e_io_fixed(struct mm_ctx *c, uint64_t val)
{
	c->l1e_io = false;
	return mm_l1e_io_fix(c, val);
}

/* The bits a fast-path update may change (Xen's FASTPATH_FLAG_WHITELIST). */
#define PTE_FASTPATH_SAME                                                                   \
	((1ULL << 63) | (0x7ffULL << 52) | 0xe00ULL | MM_PTE_GLOBAL | MM_PTE_D | MM_PTE_A | \
	 MM_PTE_US)

/* Swaps *p from old to val; only A/D may change under us. The final old. */
static uint64_t swap_entry(uint64_t *p, uint64_t old, uint64_t val, bool preserve_ad)
{
	for (;;) {
		uint64_t want = preserve_ad ? val | (old & (MM_PTE_A | MM_PTE_D)) : val;
		uint64_t seen = old;

		if (__atomic_compare_exchange_n(p, &seen, want, false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return old;
		old = seen;
	}
}

int mm_mod_entry(struct mm_ctx *c, uint64_t mfn, unsigned int slot, uint64_t val, bool preserve_ad)
{
	struct page_info *pg = mm_env_page(mfn);
	uint64_t *p, old;
	unsigned int level;
	int rc;

	if (!pg || slot >= 512 || pg->type < MM_PGT_L1 || pg->type > MM_PGT_L4 ||
	    !(pg->flags & MM_PGF_VALIDATED) || pg->owner != c->pt_owner)
		return -XEN_EINVAL;
	level = (unsigned int)(pg->type - MM_PGT_L1 + 1);
	if (mm_is_xen_slot(level, slot))
		return -XEN_EINVAL;
	if (level > 1 && c->pg_owner != c->pt_owner)
		return -XEN_EINVAL;
	p = &mm_env_map(mfn)[slot];
	old = __atomic_load_n(p, __ATOMIC_RELAXED);
	val = mm_entry_adjust(level, val);
	/*
	 * Xen's fast path: allowed flags, and only bits of FASTPATH_FLAG_WHITELIST
	 * differ from the old present entry (frame, P, RW, caching the same):
	 * nothing to take or drop.
	 */
	if ((val & MM_PTE_P) && (old & MM_PTE_P) && !((val ^ old) & ~PTE_FASTPATH_SAME) &&
	    !(val & ~(MM_PTE_ALLOWED | MM_PTE_ADDR |
		      (level == 1 ? MM_PTE_GLOBAL | (c->io_end ? MM_PTE_CACHE : 0) : 0)))) {
		swap_entry(p, old, val, preserve_ad);
		return 0;
	}
	rc = mm_entry_get(c, mfn, level, val);
	if (rc)
		return entry_get_failed(c, val, rc);
	if (c->l1e_io)
		val = l1e_io_fixed(c, val);
	old = swap_entry(p, old, val, preserve_ad);
	/* An old subtree goes preemptibly; a stopped one is the caller's to finish. */
	if (level == 1)
		mm_l1e_put(c, old);
	else if (mm_entry_put_tree(c, mfn, level, old, false) == -MM_ERESTART)
		c->deferred = entry_mfn(old);
	return 0;
}
