// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot-time unprivileged PV domains (after Xen's hyperlaunch design and
 * what libxenguest gives a PV domU), one per domu= option
 * (common/cmdline.c): dom1, dom2, ... built by the same steps as dom0
 * (pv/dom0_build.c), with:
 *   - no SIF_PRIVILEGED | SIF_INITDOMAIN;
 *   - a xenstore ring page (the last pfn of its memory) and a console ring
 *     page (the one before), each with an event channel unbound for dom0,
 *     in start_info (store_mfn/evtchn, console.domU.mfn/evtchn), as the
 *     toolstack sets them up: a backend in dom0 binds them when there is
 *     one (none yet);
 *   - is_console: its console_io writes reach the serial line, each line
 *     prefixed "(dN) " (Xen's guest_console_write; Xen allows a domain with
 *     d->is_console the console, XSM dummy policy xsm_console_io);
 *   - the weight and cap of its option;
 *   - destroyed by the scheduler when it shuts down (no toolstack exists to
 *     do it), which prints the allocator's free pages against those before
 *     it was built.
 * A domU that fails to build is destroyed, said so, and the others go on.
 */
#include <asm/pv/dom0_build.h>
#include <lamina/boot.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/event.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/schedule.h>
#include <xen/errno.h>

#define DOMU_RING_PAGES 2 /* console and xenstore, at the end of its memory */

static struct pv_build domu_build;
static char domu_name[8];

static int check_domu(struct pv_build *b, const struct boot_info *bi, const struct boot_domu *u)
{
	const struct boot_module *m;
	uint64_t nr_pages = u->mem >> PAGE_SHIFT;
	int rc;

	if (u->module >= bi->nr_modules) {
		printk(LOG_ERR, "%s: module %u does not exist (%u modules)", b->name, u->module,
		       bi->nr_modules);
		return -XEN_EINVAL;
	}
	m = &bi->mod[u->module];
	b->kernel = maddr_to_virt(m->start);
	b->kernel_len = m->end - m->start;
	b->cmdline = u->has_cmdline ? u->cmdline : m->cmdline;
	rc = pv_build_check(b, nr_pages);
	if (rc)
		return rc;
	if (pv_build_end_pfn(b) + DOMU_RING_PAGES > nr_pages) {
		printk(LOG_ERR, "%s: %lu pages hold no room for its rings", b->name, nr_pages);
		return -XEN_ENOMEM;
	}
	return 0;
}

/* The rings' pages and ports (dom0 is the backend of both). */
static int setup_rings(struct pv_build *b, struct domain *d)
{
	long store = evtchn_alloc_unbound_port(d, 0);
	long cons = store < 0 ? store : evtchn_alloc_unbound_port(d, 0);

	if (cons < 0)
		return (int)cons;
	b->store_mfn = mfn_x(domain_gfn_to_mfn(d, _gfn(d->nr_pages - 1)));
	b->console_mfn = mfn_x(domain_gfn_to_mfn(d, _gfn(d->nr_pages - 2)));
	b->store_evtchn = (uint32_t)store;
	b->console_evtchn = (uint32_t)cons;
	return 0;
}

static int build_domu(const struct boot_info *bi, const struct boot_domu *u, domid_t id)
{
	struct pv_build *b = &domu_build;
	uint64_t before = mm_free_pages();
	struct domain *d;
	int rc;

	snprintf(domu_name, sizeof(domu_name), "dom%u", id);
	*b = (struct pv_build){ .name = domu_name };
	rc = check_domu(b, bi, u);
	if (rc)
		return rc;
	rc = domain_create(id, u->vcpus, false, &d);
	if (rc)
		return rc;
	d->is_console = true;
	d->destroy_on_shutdown = true;
	d->free_pages_before = before;
	rc = sched_set_params(d, u->weight, u->cap);
	if (!rc)
		rc = domain_alloc_memory(d, u->mem >> PAGE_SHIFT);
	if (!rc)
		rc = setup_rings(b, d);
	if (!rc)
		rc = pv_build_fill(b, d);
	if (rc) {
		domain_destroy(d);
		return rc;
	}
	printk(LOG_INFO, "%s: %u vCPU%s, weight %u, cap %u, cmdline '%s'", b->name, u->vcpus,
	       u->vcpus == 1 ? "" : "s", d->sched.weight, d->sched.cap, b->cmdline);
	pv_build_start(b, d);
	return 0;
}

void domain_build_boot_domus(const struct boot_info *bi)
{
	for (unsigned int i = 0; i < boot_opts.nr_domus; i++) {
		int rc = build_domu(bi, &boot_opts.domu[i], (domid_t)(i + 1));

		if (rc)
			printk(LOG_ERR, "dom%u: build failed (%d); the others go on", i + 1, rc);
	}
}
