// SPDX-License-Identifier: GPL-2.0-only
/*
 * The grant unit's death paths, checked at boot with the domain self-test
 * (lamina_selftest=domains, common/domain_selftest.c), where two domains
 * exist without running: domain A grants a page of its own to domain B,
 * which maps it (a device map, so no page table is needed), and then
 *
 *   the granter dies first   B's map is orphaned: the page stays allocated
 *                            (B's references), and goes back to the
 *                            allocator only when B dies and drops them
 *   the mapper dies first    A's entry loses GTF_reading / GTF_writing and
 *                            A's pins are gone (A may switch versions)
 *
 * and after each the free frames must be back at their baseline.
 */
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/grant_table.h>
#include <lamina/mm.h>
#include <xen/errno.h>
#include <xen/grant_table.h>

#define GRANTER 201
#define MAPPER 202
#define REF 8

struct selftest {
	unsigned int checks, failures;
};

static void check(struct selftest *t, bool ok, const char *what)
{
	t->checks++;
	if (ok)
		return;
	t->failures++;
	printk(LOG_ERR, "selftest domains: FAIL: grants: %s", what);
}

/* A grants its first page to B and B maps it: the frame, or INVALID_MFN_RAW. */
static uint64_t share(struct selftest *t, struct domain *a, struct domain *b)
{
	grant_entry_v1_t *e = (grant_entry_v1_t *)gnttab_header(a->grant_table, REF);
	struct gnttab_map_grant_ref op = { .flags = GNTMAP_device_map, .ref = REF, .dom = a->id };
	uint64_t mfn = mfn_x(a->p2m_base);

	*e = (grant_entry_v1_t){ .flags = GTF_permit_access,
				 .domid = b->id,
				 .frame = (uint32_t)mfn };
	check(t, gnttab_map_one(b, &op) == GNTST_okay, "B maps A's grant");
	check(t, op.dev_bus_addr == mfn << PAGE_SHIFT, "at the frame's bus address");
	check(t, e->flags == (GTF_permit_access | GTF_reading | GTF_writing),
	      "A's entry shows reading | writing");
	return op.status == GNTST_okay ? mfn : INVALID_MFN_RAW;
}

static bool make_pair(struct selftest *t, struct domain **a, struct domain **b)
{
	*a = *b = NULL;
	check(t, domain_create(GRANTER, 1, false, a) == 0 && domain_alloc_memory(*a, 4) == 0,
	      "granter created");
	check(t, domain_create(MAPPER, 1, false, b) == 0, "mapper created");
	return *a && *b && (*a)->nr_pages;
}

static void granter_dies_first(struct selftest *t, uint64_t base_free)
{
	struct domain *a, *b;
	uint64_t mfn;

	if (!make_pair(t, &a, &b))
		goto out;
	mfn = share(t, a, b);
	domain_destroy(a);
	a = NULL;
	check(t, mfn != INVALID_MFN_RAW && mm_page_owner(_mfn(mfn)) == MM_DOMID_ORPHAN,
	      "the dead granter's mapped page lives on");
	check(t, mm_free_pages() < base_free, "so not every frame is back");
out:
	if (a)
		domain_destroy(a);
	if (b)
		domain_destroy(b);
	check(t, mm_free_pages() == base_free, "granter first: every frame back");
}

static void mapper_dies_first(struct selftest *t, uint64_t base_free)
{
	struct domain *a, *b;

	if (!make_pair(t, &a, &b))
		goto out;
	share(t, a, b);
	domain_destroy(b);
	b = NULL;
	check(t, gnttab_header(a->grant_table, REF)->flags == GTF_permit_access,
	      "the dead mapper's pin is gone from A's entry");
	check(t, !gnttab_active(a->grant_table, REF)->pin, "and from A's active entry");
out:
	if (a)
		domain_destroy(a);
	if (b)
		domain_destroy(b);
	check(t, mm_free_pages() == base_free, "mapper first: every frame back");
}

void gnttab_selftest(unsigned int *checks, unsigned int *failures)
{
	struct selftest t = { 0 };
	uint64_t base_free = mm_free_pages();

	granter_dies_first(&t, base_free);
	mapper_dies_first(&t, base_free);
	*checks += t.checks;
	*failures += t.failures;
}
