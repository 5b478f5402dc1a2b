// SPDX-License-Identifier: GPL-2.0-only
/*
 * XENMEM_exchange for a PV (not translated) domain, with Xen 4.17's
 * semantics and errors (xen/common/memory.c memory_exchange):
 *
 *   in   nr_extents extents of 2^in.extent_order frames the domain gives
 *        up, listed by MFN (a PV domain's frame numbers are machine ones)
 *   out  as many frames in extents of 2^out.extent_order, the guest frame
 *        number each starts at on entry (the M2P is set to it), the MFN
 *        written back in its place
 *
 * The work goes in chunks: one output extent for several input ones, or
 * the reverse. A chunk is checked whole (every input page is the domain's
 * and referenced by nothing but its allocation, as Xen's steal_page wants;
 * the output frames are allocated below the address-bits limit), then
 * done in a step that cannot fail; nr_exchanged counts the input extents
 * of the chunks done, and is written back on success, on failure and
 * before a continuation between chunks. The domain's page count does not
 * change (Xen's MEMF_no_refcount both ways).
 */
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/memory.h>
#include <lamina/mm.h>
#include <xen/errno.h>
#include <xen/memory.h>

#define MAX_ORDER_DOMU 9    /* CONFIG_DOMU_MAX_ORDER, as memory_reservation.c */
#define MAX_ORDER_CTLDOM 18 /* CONFIG_CTLDOM_MAX_ORDER */
#define MAX_NUMNODES 64	    /* CONFIG_NR_NUMA_NODES */
#define NO_NODE 0xffU

struct chunk {
	uint64_t in_order, out_order; /* extent orders */
	uint64_t in_per, out_per;     /* extents per chunk (one side is 1) */
	uint64_t pages;		      /* frames per chunk */
	uint64_t limit;		      /* output MFNs below this (address bits) */
	struct domain *d;
	uint64_t *in_mfn, *out_gpfn; /* the chunk's list entries, read once */
};

/* Writes nr_exchanged back: rc, or -EFAULT when that fails. */
static long finish(uint64_t arg, const struct xen_memory_exchange *x, long rc)
{
	uint64_t off = __builtin_offsetof(struct xen_memory_exchange, nr_exchanged);

	if (copy_to_guest(arg + off, &x->nr_exchanged, sizeof(x->nr_exchanged)))
		return -XEN_EFAULT;
	return rc;
}

/* Reads entries [first, first + n) of an extent list into buf: 0 or -EFAULT. */
static int list_read(const struct xen_memory_reservation *r, uint64_t first, uint64_t n,
		     uint64_t *buf)
{
	uint64_t va = (uint64_t)r->extent_start.p + first * sizeof(xen_pfn_t);

	return copy_from_guest(buf, va, n * sizeof(xen_pfn_t)) ? -XEN_EFAULT : 0;
}

/* Xen's first checks, in its order: 0, -EPERM (order too big), -EINVAL. */
static int check_args(const struct xen_memory_exchange *x, const struct domain *cur)
{
	uint64_t in = x->in.extent_order, out = x->out.extent_order;

	if ((in > out ? in : out) > (cur->is_privileged ? MAX_ORDER_CTLDOM : MAX_ORDER_DOMU))
		return -XEN_EPERM;
	if (x->nr_exchanged > x->in.nr_extents || x->in.domid != x->out.domid ||
	    (~0UL >> in) < x->in.nr_extents || (~0UL >> out) < x->out.nr_extents ||
	    (x->in.nr_extents << in) != (x->out.nr_extents << out))
		return -XEN_EINVAL;
	return 0;
}

/* Xen's propagate_node: a NUMA node that cannot be honoured is refused. */
static bool node_ok(uint32_t mem_flags, const struct domain *cur)
{
	unsigned int node = XENMEMF_get_node(mem_flags);

	if (node == NO_NODE)
		return true;
	if (cur->is_privileged)
		return node < MAX_NUMNODES;
	return !(mem_flags & XENMEMF_exact_node_request);
}

/* The chunk's output frames, contiguous, zeroed, below the limit: the first or INVALID. */
static uint64_t alloc_out(const struct chunk *k)
{
	uint64_t first = mfn_x(mm_alloc_contig(k->pages));

	if (first == INVALID_MFN_RAW)
		return first;
	if (first + k->pages > k->limit) {
		for (uint64_t i = 0; i < k->pages; i++)
			mm_free_page(_mfn(first + i));
		return INVALID_MFN_RAW;
	}
	memset(mfn_to_virt(_mfn(first)), 0, k->pages << PAGE_SHIFT);
	return first;
}

/* Whether every input frame of the chunk may be stolen (under mm_lock). */
static int check_in(const struct chunk *k)
{
	for (uint64_t j = 0; j < k->in_per; j++)
		for (uint64_t i = 0; i < (1ULL << k->in_order); i++)
			if (mm_steal_check(k->d, _mfn(k->in_mfn[j] + i)))
				return -XEN_EINVAL;
	return 0;
}

/* The step that cannot fail: inputs freed, outputs the domain's, M2P set. */
static void commit(const struct chunk *k, uint64_t out)
{
	for (uint64_t j = 0; j < k->in_per; j++)
		for (uint64_t i = 0; i < (1ULL << k->in_order); i++)
			mm_steal_commit(k->d, _mfn(k->in_mfn[j] + i));
	for (uint64_t i = 0; i < k->pages; i++) {
		uint64_t j = i >> k->out_order;

		mm_assign_page(_mfn(out + i), k->d->id);
		mm_m2p_set(_mfn(out + i), k->out_gpfn[j] + (i & ((1ULL << k->out_order) - 1)));
	}
	k->d->tot_pages += k->pages;
}

/* Exchanges chunk c: 0, -EFAULT, -EINVAL (an input page), -ENOMEM. */
static int one_chunk(const struct chunk *k, const struct xen_memory_exchange *x, uint64_t c)
{
	uint64_t out;
	int rc = list_read(&x->in, c * k->in_per, k->in_per, k->in_mfn);

	if (!rc)
		rc = list_read(&x->out, c * k->out_per, k->out_per, k->out_gpfn);
	if (rc)
		return rc;
	out = alloc_out(k);
	if (out == INVALID_MFN_RAW)
		return -XEN_ENOMEM;
	spin_lock(&mm_lock);
	rc = check_in(k);
	if (!rc)
		commit(k, out);
	spin_unlock(&mm_lock);
	if (rc) {
		for (uint64_t i = 0; i < k->pages; i++)
			mm_free_page(_mfn(out + i));
		return rc;
	}
	/* A PV domain learns its new frames' MFNs (Xen: -EFAULT, the chunk stays done). */
	for (uint64_t j = 0; j < k->out_per; j++) {
		xen_pfn_t m = out + (j << k->out_order);

		if (copy_to_guest((uint64_t)x->out.extent_start.p +
					  (c * k->out_per + j) * sizeof(m),
				  &m, sizeof(m)))
			rc = -XEN_EFAULT;
	}
	return rc;
}

/* Runs the chunks from nr_exchanged on: 0, a chunk's error, or a continuation. */
static long run(struct chunk *k, struct xen_memory_exchange *x, uint64_t arg)
{
	uint64_t first = x->nr_exchanged / k->in_per, c;
	long rc = 0;

	for (c = first; c < x->in.nr_extents / k->in_per; c++) {
		if (c != first && hypercall_preempt_check()) {
			const uint64_t again[HYPERCALL_NR_ARGS] = { XENMEM_exchange, arg };

			x->nr_exchanged = c * k->in_per;
			rc = finish(arg, x, 0);
			return rc ? rc
				  : hypercall_create_continuation(__HYPERVISOR_memory_op, again);
		}
		rc = one_chunk(k, x, c);
		if (rc)
			break;
	}
	x->nr_exchanged = rc ? c * k->in_per : x->in.nr_extents;
	return finish(arg, x, rc);
}

long memory_exchange(uint64_t arg)
{
	struct domain *cur = current_vcpu()->domain;
	struct xen_memory_exchange x;
	struct chunk k = { 0 };
	uint64_t bits, out_first;
	long rc;

	if (copy_from_guest(&x, arg, sizeof(x)))
		return -XEN_EFAULT;
	rc = check_args(&x, cur);
	if (rc)
		return finish(arg, &x, rc);
	if (x.nr_exchanged == x.in.nr_extents)
		return 0;
	k.in_order = x.in.extent_order;
	k.out_order = x.out.extent_order;
	k.in_per = k.in_order <= k.out_order ? 1ULL << (k.out_order - k.in_order) : 1;
	k.out_per = k.in_order > k.out_order ? 1ULL << (k.in_order - k.out_order) : 1;
	k.pages = k.in_per << k.in_order;
	out_first = x.nr_exchanged / k.in_per * k.out_per;
	/* Xen's guest_handle_subrange_okay of both lists, then the node, the domain. */
	if (!guest_range_ok((uint64_t)x.in.extent_start.p + x.nr_exchanged * sizeof(xen_pfn_t),
			    (x.in.nr_extents - x.nr_exchanged) * sizeof(xen_pfn_t)) ||
	    !guest_range_ok((uint64_t)x.out.extent_start.p + out_first * sizeof(xen_pfn_t),
			    (x.out.nr_extents - out_first) * sizeof(xen_pfn_t)))
		return finish(arg, &x, -XEN_EFAULT);
	if (!node_ok(x.out.mem_flags, cur))
		return finish(arg, &x, -XEN_EINVAL);
	rc = memory_target(x.in.domid, &k.d);
	if (rc)
		return finish(arg, &x, rc);
	bits = XENMEMF_get_address_bits(x.out.mem_flags);
	k.limit = !bits || bits >= 64 ? ~0ULL : bits > PAGE_SHIFT ? 1ULL << (bits - PAGE_SHIFT) : 0;
	k.in_mfn = mm_alloc_heap(k.in_per * sizeof(uint64_t));
	k.out_gpfn = mm_alloc_heap(k.out_per * sizeof(uint64_t));
	rc = k.in_mfn && k.out_gpfn ? run(&k, &x, arg) : finish(arg, &x, -XEN_ENOMEM);
	if (k.in_mfn)
		mm_free_heap(k.in_mfn, k.in_per * sizeof(uint64_t));
	if (k.out_gpfn)
		mm_free_heap(k.out_gpfn, k.out_per * sizeof(uint64_t));
	return rc;
}
