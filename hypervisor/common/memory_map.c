// SPDX-License-Identifier: GPL-2.0-only
/*
 * A domain's pseudo-physical memory map (after Xen 4.17's arch_memory_op):
 * XENMEM_set_memory_map, which the toolstack sends for a new domain
 * (libxenctrl's xc_domain_set_memmap_limit), and XENMEM_memory_map, which
 * the guest reads at boot. Without a map set, XENMEM_memory_map is -ENOSYS,
 * as Xen answers, and the guest uses nr_pages. The map is kept as given
 * (up to E820MAX entries, not checked: Xen does not), in its own heap
 * pages, freed with the domain (memory_map_free).
 */
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/memory.h>
#include <lamina/mm.h>
#include <xen/errno.h>
#include <xen/memory.h>

#define E820MAX 1024 /* Xen's */
#define E820_ENTRY_SIZE 20

static size_t map_bytes(unsigned int n)
{
	return (size_t)n * E820_ENTRY_SIZE;
}

void memory_map_free(struct domain *d)
{
	if (d->e820)
		mm_free_heap(d->e820, map_bytes(d->nr_e820));
	d->e820 = NULL;
	d->nr_e820 = 0;
}

/*
 * As Xen: the domain (DOMID_SELF, the caller itself, or any for the control
 * domain: Xen's XSM_TARGET), then the entries; the old map goes only once
 * the new one is in.
 */
long memory_set_map(uint64_t arg)
{
	struct xen_foreign_memory_map fmap;
	struct domain *d;
	void *buf = NULL;
	int rc;

	if (copy_from_guest(&fmap, arg, sizeof(fmap)))
		return -XEN_EFAULT;
	if (fmap.map.nr_entries > E820MAX)
		return -XEN_EINVAL;
	rc = memory_target(fmap.domid, &d);
	if (rc)
		return rc;
	if (fmap.map.nr_entries) {
		buf = mm_alloc_heap(map_bytes(fmap.map.nr_entries));
		if (!buf)
			return -XEN_ENOMEM;
		if (copy_from_guest(buf, (uint64_t)fmap.map.buffer.p,
				    map_bytes(fmap.map.nr_entries))) {
			mm_free_heap(buf, map_bytes(fmap.map.nr_entries));
			return -XEN_EFAULT;
		}
	}
	memory_map_free(d);
	d->e820 = buf;
	d->nr_e820 = fmap.map.nr_entries;
	return 0;
}

/* The caller's own map: at most nr_entries of it, and how many were given. */
long memory_get_map(uint64_t arg)
{
	struct domain *d = current_vcpu()->domain;
	struct xen_memory_map map;

	if (copy_from_guest(&map, arg, sizeof(map)))
		return -XEN_EFAULT;
	if (!d->nr_e820)
		return -XEN_ENOSYS;
	if (map.nr_entries > d->nr_e820)
		map.nr_entries = d->nr_e820;
	if (copy_to_guest((uint64_t)map.buffer.p, d->e820, map_bytes(map.nr_entries)) ||
	    copy_to_guest(arg, &map, sizeof(map)))
		return -XEN_EFAULT;
	return 0;
}
