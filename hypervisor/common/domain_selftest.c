// SPDX-License-Identifier: GPL-2.0-only
/*
 * The domain lifecycle's boot self-test (lamina_selftest=domains, run by
 * tests/boot/boot.sh before dom0 is built): domains are created, given
 * memory, paused, referenced, shut down, crashed and destroyed in a loop,
 * and every per-domain unit's set-up is made to fail once; after each round
 * the free frames (every structure and every guest frame comes from the page
 * allocator) and the domain count must be back at their baseline. Prints one
 * "selftest domains:" line per failed check and a verdict line; dom0 then
 * boots as usual.
 */
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/grant_table.h>
#include <lamina/mm.h>
#include <xen/errno.h>
#include <xen/sched.h>

#define SELFTEST_ROUNDS 200

static unsigned int checks, failures;

static void check(bool ok, const char *what, unsigned int round)
{
	checks++;
	if (ok)
		return;
	failures++;
	printk(LOG_ERR, "selftest domains: FAIL: %s (round %u)", what, round);
}

/* One domain's whole life; the frames and the count must come back. */
static void one_life(unsigned int round, uint64_t base_free, unsigned int base_count)
{
	domid_t id = (domid_t)(1 + round % 100);
	unsigned int nr_vcpus = 1 + round % DOMAIN_MAX_VCPUS;
	struct domain *d = NULL, *dup;
	int rc;

	rc = domain_create(id, nr_vcpus, false, &d);
	check(rc == 0 && d, "create", round);
	if (rc)
		return;
	check(domain_find(id) == d && domain_count() == base_count + 1, "on the list", round);
	check(domain_create(id, 1, false, &dup) == -XEN_EEXIST, "same id refused", round);
	check(d->max_vcpus == nr_vcpus && d->vcpu[nr_vcpus - 1] &&
		      d->vcpu[nr_vcpus - 1]->domain == d,
	      "vCPUs made", round);
	check(domain_is_paused(d), "created paused", round);
	check(domain_alloc_memory(d, 16 + round % 48) == 0, "memory given", round);
	check(domain_alloc_memory(d, 1) == -XEN_EINVAL, "memory given once", round);
	domain_unpause(d);
	domain_pause(d);
	domain_pause(d);
	domain_unpause(d);
	check(domain_is_paused(d), "pause nests", round);
	domain_unpause(d);
	check(!domain_is_paused(d), "unpaused", round);
	if (round % 2)
		domain_shutdown(d, SHUTDOWN_reboot);
	else
		domain_crash(d, "selftest");
	check(d->state == DOMAIN_SHUTDOWN &&
		      d->shutdown_reason == (round % 2 ? SHUTDOWN_reboot : SHUTDOWN_crash),
	      "shut down with its reason", round);
	domain_shutdown(d, SHUTDOWN_poweroff);
	check(d->shutdown_reason == (round % 2 ? SHUTDOWN_reboot : SHUTDOWN_crash),
	      "the first reason stands", round);
	domain_get(d); /* a holder: the structure outlives destroy */
	check(domain_destroy(d) == 0 && !domain_find(id), "destroyed, off the list", round);
	check(domain_destroy(d) == -XEN_EINVAL, "destroyed once", round);
	check(mm_free_pages() < base_free, "held structure still allocated", round);
	domain_put(d);
	check(mm_free_pages() == base_free, "every frame back", round);
	check(domain_count() == base_count, "domain count back", round);
}

/* Every unit's set-up fails once: nothing may be left behind. */
static void failed_creates(uint64_t base_free, unsigned int base_count)
{
	for (unsigned int u = 1; u <= domain_nr_units(); u++) {
		struct domain *d = NULL;

		domain_inject_failure(u);
		check(domain_create(7, DOMAIN_MAX_VCPUS, false, &d) == -XEN_ENOMEM && !d,
		      "injected failure refused", u);
		domain_inject_failure(0);
		check(mm_free_pages() == base_free, "failed create: every frame back", u);
		check(domain_count() == base_count && !domain_find(7), "failed create: not listed",
		      u);
	}
}

static void bad_arguments(uint64_t base_free)
{
	struct domain *d = NULL;

	check(domain_create(DOMID_SELF, 1, false, &d) == -XEN_EINVAL, "reserved id refused", 0);
	check(domain_create(9, 0, false, &d) == -XEN_EINVAL, "no vCPU refused", 0);
	check(domain_create(9, DOMAIN_MAX_VCPUS + 1, false, &d) == -XEN_EINVAL,
	      "too many vCPUs refused", 0);
	check(domain_create(9, 1, false, &d) == 0, "create for the memory check", 0);
	if (!d)
		return;
	check(domain_alloc_memory(d, mm_free_pages() + 1) == -XEN_ENOMEM,
	      "more memory than free refused", 0);
	domain_destroy(d);
	check(mm_free_pages() == base_free, "bad arguments: every frame back", 0);
}

/*
 * A frame something outside still references when its domain dies must not
 * pass to a new domain given the same id: it is freed with that reference.
 */
static void stale_owner(uint64_t base_free)
{
	struct domain *d = NULL, *again = NULL;
	mfn_t held;

	check(domain_create(11, 1, false, &d) == 0 && d, "owner: create", 0);
	if (!d)
		return;
	check(domain_alloc_memory(d, 4) == 0, "owner: memory", 0);
	held = d->p2m_base;
	check(mm_page_get(held, d) == 0, "owner: an outside reference to a frame", 0);
	domain_destroy(d);
	check(mm_page_owner(held) != 11, "owner: the held frame is no longer domain 11's", 0);
	check(domain_create(11, 1, false, &again) == 0 && again, "owner: a new domain 11", 0);
	check(again && mm_page_get(held, again) == -XEN_EINVAL,
	      "owner: the new domain 11 cannot take the old frame", 0);
	mm_page_put(held);
	if (again)
		domain_destroy(again);
	check(mm_free_pages() == base_free, "owner: every frame back", 0);
}

void domain_selftest(void)
{
	uint64_t base_free = mm_free_pages();
	unsigned int base_count = domain_count();

	for (unsigned int r = 0; r < SELFTEST_ROUNDS; r++)
		one_life(r, base_free, base_count);
	failed_creates(base_free, base_count);
	bad_arguments(base_free);
	stale_owner(base_free);
	gnttab_selftest(&checks, &failures);
	printk(LOG_INFO, "selftest domains: %s: %u checks, %u failed, %u rounds, %lu frames free",
	       failures ? "FAIL" : "PASS", checks, failures, SELFTEST_ROUNDS, mm_free_pages());
}
