// SPDX-License-Identifier: GPL-2.0-only
/*
 * The memory_op sub-ops that change a domain's memory, with Xen 4.17's
 * semantics for a PV (not translated) domain (xen/common/memory.c):
 *
 *   increase_reservation  new extents of 2^order frames for the domain, their
 *                         MFNs written to extent_start (if given)
 *   populate_physmap      the same, extent_start holding the guest frame
 *                         numbers on entry; the M2P is set, the MFNs returned
 *   decrease_reservation  extent_start lists MFNs the domain gives back
 *                         (Xen's guest_remove_page); a page still mapped is
 *                         freed when its last mapping goes
 *   exchange              common/memory_exchange.c
 *   add_to_physmap        -EACCES for a PV domain, after Xen's argument checks
 *
 * mem_flags as Xen reads them (resv_flags: address bits, NUMA node, PoD).
 * Each of the first three returns how many extents it did (the start extent
 * of a continuation included); a bad argument ends it early, as Xen does
 * (nothing is an error there: the caller compares the count). The domain is
 * DOMID_SELF or one the caller is privileged over.
 */
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/memory.h>
#include <lamina/mm.h>
#include <xen/errno.h>
#include <xen/memory.h>

#define MEMOP_EXTENT_SHIFT 6
#define MAX_ORDER_DOMU 9    /* CONFIG_DOMU_MAX_ORDER */
#define MAX_ORDER_CTLDOM 18 /* CONFIG_CTLDOM_MAX_ORDER: 2 * PAGETABLE_ORDER */
#define MAX_ORDER_POD 20    /* CONFIG_PAGEALLOC_MAX_ORDER, a PoD extent's bound */
#define MAX_NUMNODES 64	    /* CONFIG_NR_NUMA_NODES */
#define NO_NODE 0xffU

/* What mem_flags ask of the allocations (Xen's memop_args.memflags). */
struct resv_flags {
	uint64_t limit; /* every frame below this MFN (address bits) */
	bool no_node;	/* an exact NUMA node other than node 0: nothing can be had */
	bool pod;	/* populate_on_demand */
};

int memory_target(domid_t id, struct domain **out)
{
	struct domain *cur = current_vcpu()->domain;

	if (id == DOMID_SELF || id == cur->id) {
		*out = cur;
		return 0;
	}
	*out = domain_find(id);
	if (!*out)
		return -XEN_ESRCH;
	return cur->is_privileged ? 0 : -XEN_EPERM;
}

/* One extent of 2^order frames for d: its first MFN, or INVALID_MFN_RAW. */
static uint64_t new_extent(struct domain *d, unsigned int order, const struct resv_flags *m)
{
	uint64_t n = 1ULL << order, first;

	if (d->tot_pages + n > d->max_pages || m->no_node)
		return INVALID_MFN_RAW;
	first = mfn_x(mm_alloc_contig_below(n, m->limit));
	if (first == INVALID_MFN_RAW)
		return first;
	memset(mfn_to_virt(_mfn(first)), 0, n << PAGE_SHIFT);
	for (uint64_t i = 0; i < n; i++)
		mm_assign_page(_mfn(first + i), d->id);
	d->tot_pages += n;
	return first;
}

/* The smallest order whose 2^order frames cover n (Xen's get_order_from_pages). */
static unsigned int order_of(uint64_t n)
{
	unsigned int o = 0;

	while ((1ULL << o) < n)
		o++;
	return o;
}

/*
 * As Xen's construct_memop_from_reservation: address bits below the
 * machine's width limit the frames (12 or fewer: refused); no domain has
 * a virtual NUMA layout, so XENMEMF_vnode asks nothing; otherwise a node
 * (Xen's propagate_node) is for the hardware or control domain below
 * MAX_NUMNODES, and an exact one other than node 0 (the only one) finds no
 * memory; another domain's exact node request is refused. -EINVAL or 0.
 */
static int resv_flags(uint32_t f, const struct domain *cur, struct resv_flags *m)
{
	unsigned int bits = XENMEMF_get_address_bits(f), node = XENMEMF_get_node(f);

	*m = (struct resv_flags){ .limit = ~0ULL, .pod = f & XENMEMF_populate_on_demand };
	if (bits && bits < order_of(mm_max_mfn()) + PAGE_SHIFT) {
		if (bits <= PAGE_SHIFT)
			return -XEN_EINVAL;
		m->limit = 1ULL << (bits - PAGE_SHIFT);
	}
	if ((f & XENMEMF_vnode) || node == NO_NODE)
		return 0;
	if (cur->is_privileged) {
		if (node >= MAX_NUMNODES)
			return -XEN_EINVAL;
		m->no_node = node != 0 && (f & XENMEMF_exact_node_request);
		return 0;
	}
	return f & XENMEMF_exact_node_request ? -XEN_EINVAL : 0;
}

enum resv_op { RESV_INCREASE, RESV_POPULATE, RESV_DECREASE };

/* Gives back the extent of 2^order frames at mfn: false at the first refusal. */
static bool drop_extent(struct domain *d, uint64_t mfn, unsigned int order)
{
	for (uint64_t i = 0; i < (1ULL << order); i++)
		if (mm_remove_page(d, _mfn(mfn + i)))
			return false;
	return true;
}

static bool one_extent(struct domain *d, enum resv_op op, uint64_t list, uint64_t i,
		       unsigned int order, const struct resv_flags *m)
{
	uint64_t slot = list + i * sizeof(xen_pfn_t), gpfn = 0, mfn;

	if (op != RESV_INCREASE && copy_from_guest(&gpfn, slot, sizeof(gpfn)))
		return false;
	if (op == RESV_DECREASE)
		return drop_extent(d, gpfn, order);
	/* PoD: never on oneself; for a PV domain nothing is marked (Xen: HVM only). */
	if (op == RESV_POPULATE && m->pod)
		return d != current_vcpu()->domain;
	mfn = new_extent(d, order, m);
	if (mfn == INVALID_MFN_RAW)
		return false;
	for (uint64_t j = 0; op == RESV_POPULATE && j < (1ULL << order); j++)
		mm_m2p_set(_mfn(mfn + j), gpfn + j);
	/* Inform the domain of the new frames' machine address. */
	return !list || !copy_to_guest(slot, &mfn, sizeof(mfn));
}

long memory_reservation(unsigned int op, uint64_t start, uint64_t arg)
{
	struct xen_memory_reservation r;
	struct domain *d, *cur = current_vcpu()->domain;
	enum resv_op kind = op == XENMEM_increase_reservation ? RESV_INCREASE
			    : op == XENMEM_populate_physmap   ? RESV_POPULATE
							      : RESV_DECREASE;
	struct resv_flags m;
	uint64_t list, i;

	if (copy_from_guest(&r, arg, sizeof(r)))
		return (long)start;
	list = (uint64_t)r.extent_start.p;
	if (r.nr_extents > (UINT32_MAX >> MEMOP_EXTENT_SHIFT) || start >= r.nr_extents ||
	    memory_target(r.domid, &d) || resv_flags(r.mem_flags, cur, &m))
		return (long)start;
	/* Only populate_physmap reads the PoD flag. */
	m.pod = m.pod && kind == RESV_POPULATE;
	if (r.extent_order > (m.pod		   ? MAX_ORDER_POD
			      : cur->is_privileged ? MAX_ORDER_CTLDOM
						   : MAX_ORDER_DOMU))
		return (long)start;
	/* The list must be there (but increase_reservation may pass none). */
	if ((list || kind != RESV_INCREASE) &&
	    !guest_range_ok(list + start * sizeof(xen_pfn_t),
			    (r.nr_extents - start) * sizeof(xen_pfn_t)))
		return (long)start;
	for (i = start; i < r.nr_extents; i++)
		if (!one_extent(d, kind, list, i, r.extent_order, &m))
			break;
	return (long)i;
}

long memory_add_to_physmap(uint64_t start, uint64_t arg)
{
	struct xen_add_to_physmap x;
	struct domain *d;

	if (start != (uint16_t)start)
		return -XEN_EDOM;
	if (copy_from_guest(&x, arg, sizeof(x)))
		return -XEN_EFAULT;
	if (x.space == XENMAPSPACE_gmfn_foreign)
		return -XEN_ENOSYS;
	d = x.domid == DOMID_SELF ? current_vcpu()->domain : domain_find(x.domid);
	/* A PV domain is not translated: nothing to add (Xen's xatp_permission_check). */
	return d ? -XEN_EACCES : -XEN_ESRCH;
}
