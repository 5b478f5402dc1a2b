// SPDX-License-Identifier: MIT
/*
 * mmu_mem: XENMEM_exchange and XENMEM_machphys_mfn_list as Xen 4.17 runs
 * them for a PV dom0. Exchange: Xen's argument errors in Xen's order
 * (order too big -EPERM; nr_exchanged, domain ids, sizes -EINVAL; nothing
 * left 0; bad lists -EFAULT; a NUMA node -EINVAL; no such domain -ESRCH),
 * a page still mapped refused (-EINVAL, nothing exchanged), one frame for
 * one frame, two frames for one 2-frame extent, and a batch that fails
 * half-way with nr_exchanged at the chunk that failed; the M2P follows and
 * the reservation does not change. machphys_mfn_list: one MFN per 2 MiB of
 * the M2P, bounded by max_extents, bad pointers -EFAULT; those frames are
 * the hypervisor's: mapping one is -EBUSY. Reservations: mem_flags as Xen
 * reads them (address bits, NUMA nodes, populate on demand).
 */
#include <gpv/gpv.h>
#include <gpv/hypercall.h>
#include <gpv/mm.h>
#include <gpv/page.h>
#include <gpv/test.h>

#define P 1UL
#define RW 2UL
#define US 4UL
#define UNMAPPED 0x00007f0000000000UL
#define XENRANGE 0xffff830000000000UL

static long exchange(struct xen_memory_exchange *x)
{
	return gpv_memory_op(XENMEM_exchange, x);
}

static void setup(struct xen_memory_exchange *x, xen_pfn_t *in, unsigned long nin, unsigned int oin,
		  xen_pfn_t *out, unsigned long nout, unsigned int oout)
{
	*x = (struct xen_memory_exchange){ 0 };
	x->in.nr_extents = nin;
	x->in.extent_order = oin;
	x->in.domid = DOMID_SELF;
	x->out.nr_extents = nout;
	x->out.extent_order = oout;
	x->out.domid = DOMID_SELF;
	set_xen_guest_handle(x->in.extent_start, in);
	set_xen_guest_handle(x->out.extent_start, out);
}

static long reservation(void)
{
	domid_t self = DOMID_SELF;

	return gpv_memory_op(XENMEM_current_reservation, &self);
}

/* A page of ours taken out of the kernel's mapping (so it can be given away): its MFN. */
static unsigned long unmapped_page(void **va)
{
	void *p = gpv_page_alloc();
	unsigned long mfn;

	*va = p;
	if (!p)
		return 0;
	mfn = gpv_virt_to_mfn(p);
	return gpv_update_va_mapping((unsigned long)p, 0, UVMF_INVLPG) ? 0 : mfn;
}

static long remap(void *va, unsigned long mfn)
{
	return gpv_update_va_mapping((unsigned long)va, (mfn << 12) | P | RW | US, UVMF_INVLPG);
}

static void check_errors(void)
{
	struct xen_memory_exchange x;
	xen_pfn_t in[2] = { 0, 0 }, out[2] = { 0, 0 };
	void *mapped = gpv_page_alloc();

	gpv_test_area("mmu_mem: exchange errors");
	setup(&x, in, 1, 19, out, 1, 19);
	gpv_test_eq(exchange(&x), -XEN_EPERM, "order 19 = -EPERM");
	setup(&x, in, 1, 0, out, 1, 0);
	x.nr_exchanged = 2;
	gpv_test_eq(exchange(&x), -XEN_EINVAL, "nr_exchanged past the end = -EINVAL");
	setup(&x, in, 1, 0, out, 1, 0);
	x.out.domid = 0x7ff0;
	gpv_test_eq(exchange(&x), -XEN_EINVAL, "in and out domains differ = -EINVAL");
	setup(&x, in, 2, 0, out, 1, 0);
	gpv_test_eq(exchange(&x), -XEN_EINVAL, "2 frames for 1 = -EINVAL");
	setup(&x, in, 1UL << 62, 4, out, 1UL << 62, 4);
	gpv_test_eq(exchange(&x), -XEN_EINVAL, "a size that overflows = -EINVAL");
	setup(&x, in, 1, 0, out, 1, 0);
	x.nr_exchanged = 1;
	gpv_test_eq(exchange(&x), 0, "nothing left to exchange = 0");
	setup(&x, (xen_pfn_t *)XENRANGE, 1, 0, out, 1, 0);
	gpv_test_eq(exchange(&x), -XEN_EFAULT, "an input list in the hypervisor = -EFAULT");
	setup(&x, in, 1, 0, (xen_pfn_t *)XENRANGE, 1, 0);
	gpv_test_eq(exchange(&x), -XEN_EFAULT, "an output list in the hypervisor = -EFAULT");
	setup(&x, in, 1, 0, out, 1, 0);
	x.out.mem_flags = XENMEMF_node(70);
	gpv_test_eq(exchange(&x), -XEN_EINVAL, "NUMA node 70 = -EINVAL");
	setup(&x, in, 1, 0, out, 1, 0);
	x.in.domid = x.out.domid = 4321;
	gpv_test_eq(exchange(&x), -XEN_ESRCH, "no such domain = -ESRCH");
	gpv_test_eq(exchange((struct xen_memory_exchange *)UNMAPPED), -XEN_EFAULT,
		    "a bad argument pointer = -EFAULT");
	if (!gpv_test_check(mapped != NULL, "a page"))
		return;
	in[0] = gpv_virt_to_mfn(mapped);
	out[0] = (unsigned long)mapped >> 12;
	setup(&x, in, 1, 0, out, 1, 0);
	gpv_test_eq(exchange(&x), -XEN_EINVAL, "a page still mapped = -EINVAL");
	gpv_test_eq(x.nr_exchanged, 0, "nothing exchanged");
	gpv_test_eq((long)out[0], (long)((unsigned long)mapped >> 12), "the out list untouched");
	in[0] = 0xa0;
	gpv_test_eq(exchange(&x), -XEN_EINVAL, "an I/O frame = -EINVAL");
}

static void check_exchange(void)
{
	struct xen_memory_exchange x;
	xen_pfn_t in[2], out[2];
	void *va[2];
	long base = reservation();

	gpv_test_area("mmu_mem: exchange");
	in[0] = unmapped_page(&va[0]);
	if (!gpv_test_check(in[0] != 0, "a page out of the kernel's mapping"))
		return;
	out[0] = (unsigned long)va[0] >> 12;
	setup(&x, in, 1, 0, out, 1, 0);
	gpv_test_eq(exchange(&x), 0, "one frame for one");
	gpv_test_eq(x.nr_exchanged, 1, "nr_exchanged 1");
	gpv_test_check(out[0] != in[0] && out[0] != (unsigned long)va[0] >> 12,
		       "a new MFN in the out list");
	gpv_test_eq((long)gpv_mfn_to_pfn(out[0]), (long)((unsigned long)va[0] >> 12),
		    "the M2P maps it to the gpfn asked for");
	gpv_test_check(gpv_mfn_to_pfn(in[0]) == GPV_INVALID, "the M2P forgot the old frame");
	gpv_test_eq(remap(va[0], out[0]), 0, "the new frame is ours (mapped writable)");
	gpv_test_eq(remap(va[0], in[0]), -XEN_EBUSY, "the old one is not");
	gpv_test_eq(remap(va[0], out[0]), 0, "mapped back");
	gpv_test_eq(reservation(), base, "the reservation did not change");

	in[0] = unmapped_page(&va[0]);
	in[1] = unmapped_page(&va[1]);
	if (!gpv_test_check(in[0] && in[1], "two pages out of the mapping"))
		return;
	out[0] = 0x77000;
	setup(&x, in, 2, 0, out, 1, 1);
	gpv_test_eq(exchange(&x), 0, "two frames for one extent of two");
	gpv_test_eq(x.nr_exchanged, 2, "nr_exchanged 2");
	gpv_test_eq((long)gpv_mfn_to_pfn(out[0] + 1), 0x77001, "the M2P of its second frame");
	gpv_test_eq(remap(va[0], out[0]), 0, "its first frame is ours");
	gpv_test_eq(remap(va[1], out[0] + 1), 0, "and its second");
	gpv_test_eq(reservation(), base, "the reservation did not change");

	in[0] = unmapped_page(&va[0]);
	va[1] = gpv_page_alloc();
	if (!gpv_test_check(in[0] && va[1], "one page out of the mapping, one in it"))
		return;
	in[1] = gpv_virt_to_mfn(va[1]); /* still mapped */
	out[0] = (unsigned long)va[0] >> 12;
	out[1] = 0x78000;
	setup(&x, in, 2, 0, out, 2, 0);
	gpv_test_eq(exchange(&x), -XEN_EINVAL, "a batch whose second frame is mapped = -EINVAL");
	gpv_test_eq(x.nr_exchanged, 1, "nr_exchanged 1: the first chunk was done");
	gpv_test_eq(remap(va[0], out[0]), 0, "and its frame is ours");
	gpv_test_eq(reservation(), base, "the reservation did not change");
}

static void check_mfn_list(void)
{
	struct xen_machphys_mfn_list l = { .max_extents = 16 };
	xen_pfn_t m[16];
	long max = gpv_memory_op(XENMEM_maximum_ram_page, NULL);
	unsigned long want = ((unsigned long)max * 8 + (2UL << 20) - 1) >> 21;
	unsigned int nonzero = 0;

	gpv_test_area("mmu_mem: machphys_mfn_list");
	set_xen_guest_handle(l.extent_start, m);
	gpv_test_eq(gpv_memory_op(XENMEM_machphys_mfn_list, &l), 0, "machphys_mfn_list");
	gpv_test_eq(l.nr_extents, (long)(want < 16 ? want : 16),
		    "one MFN per 2 MiB of the M2P (maximum_ram_page * 8)");
	for (unsigned int i = 0; i < l.nr_extents && i < 16; i++)
		nonzero += m[i] != 0;
	gpv_test_eq(nonzero, l.nr_extents, "every one set");
	gpv_test_info("maximum_ram_page %#lx, %u M2P chunk(s), first at mfn %#lx", max,
		      l.nr_extents, (unsigned long)m[0]);
	if (l.nr_extents) {
		void *va = gpv_page_alloc();
		unsigned long own = va ? gpv_virt_to_mfn(va) : 0;

		gpv_test_eq(gpv_update_va_mapping((unsigned long)va, (m[0] << 12) | P | US,
						  UVMF_INVLPG),
			    -XEN_EBUSY, "mapping an M2P frame (the hypervisor's) = -EBUSY");
		gpv_test_eq(gpv_update_va_mapping((unsigned long)va, (m[0] << 12) | P | RW | US,
						  UVMF_INVLPG),
			    -XEN_EBUSY, "writable too = -EBUSY");
		gpv_test_eq(remap(va, own), 0, "the page maps its own frame again");
	}
	l.max_extents = 0;
	gpv_test_eq(gpv_memory_op(XENMEM_machphys_mfn_list, &l), 0, "max_extents 0");
	gpv_test_eq(l.nr_extents, 0, "lists none");
	l.max_extents = 1;
	set_xen_guest_handle(l.extent_start, (xen_pfn_t *)XENRANGE);
	gpv_test_eq(gpv_memory_op(XENMEM_machphys_mfn_list, &l), -XEN_EFAULT,
		    "a list in the hypervisor = -EFAULT");
	gpv_test_eq(gpv_memory_op(XENMEM_machphys_mfn_list, (void *)UNMAPPED), -XEN_EFAULT,
		    "a bad argument pointer = -EFAULT");
}

/*
 * One extent of 2^order frames asked of increase_reservation or
 * populate_physmap with mem_flags flags: the count done; a frame given is
 * given back at once (*mfn: where it was).
 */
static long grow(unsigned int op, unsigned int order, uint32_t flags, unsigned long *mfn)
{
	static xen_pfn_t ext[1];
	struct xen_memory_reservation r = {
		.nr_extents = 1, .extent_order = order, .mem_flags = flags, .domid = DOMID_SELF
	};
	long rc;

	ext[0] = 0x3f000;
	set_xen_guest_handle(r.extent_start, ext);
	rc = gpv_memory_op(op, &r);
	*mfn = ext[0];
	if (rc == 1 && op != XENMEM_populate_physmap) {
		r.mem_flags = 0;
		if (gpv_memory_op(XENMEM_decrease_reservation, &r) != 1)
			rc = -1000;
	}
	return rc;
}

/* mem_flags as Xen's construct_memop_from_reservation reads them (a count of 0: refused). */
static void check_mem_flags(void)
{
	const unsigned int inc = XENMEM_increase_reservation, pop = XENMEM_populate_physmap;
	long base = reservation();
	unsigned long mfn;

	gpv_test_area("mmu_mem: reservation mem_flags");
	gpv_test_eq(grow(inc, 0, 0, &mfn), 1, "no flags: one frame");
	gpv_test_eq(grow(inc, 0, XENMEMF_address_bits(12), &mfn), 0,
		    "address bits 12 (a page or less) refused");
	gpv_test_eq(grow(inc, 0, XENMEMF_address_bits(13), &mfn), 0,
		    "address bits 13: no frame below 8 KiB to give");
	gpv_test_eq(grow(inc, 0, XENMEMF_address_bits(27), &mfn), 1, "address bits 27: one frame");
	gpv_test_checkf(mfn < 0x8000, "below 128 MiB", "mfn %#lx", mfn);
	gpv_test_eq(grow(inc, 4, XENMEMF_address_bits(27), &mfn), 1, "and 16 frames");
	gpv_test_checkf(mfn + 16 <= 0x8000, "below 128 MiB too", "mfn %#lx", mfn);
	gpv_test_eq(grow(inc, 0, XENMEMF_address_bits(200), &mfn), 1,
		    "address bits beyond the machine's: no limit");
	gpv_test_eq(grow(inc, 0, XENMEMF_node(9), &mfn), 1, "node 9 (not exact): any node");
	gpv_test_eq(grow(inc, 0, XENMEMF_exact_node(9), &mfn), 0,
		    "exactly node 9 (there is only node 0): none");
	gpv_test_eq(grow(inc, 0, XENMEMF_exact_node(0), &mfn), 1, "exactly node 0: one frame");
	gpv_test_eq(grow(inc, 0, XENMEMF_node(64), &mfn), 0, "node 64 (MAX_NUMNODES) refused");
	gpv_test_eq(grow(inc, 0, XENMEMF_exact_node(200) | XENMEMF_vnode, &mfn), 1,
		    "a virtual node without a vNUMA layout: nothing asked");
	gpv_test_eq(grow(pop, 0, XENMEMF_populate_on_demand, &mfn), 0,
		    "populate on demand of oneself: none");
	gpv_test_eq(grow(inc, 0, XENMEMF_populate_on_demand, &mfn), 1,
		    "increase_reservation ignores the PoD flag");
	gpv_test_eq(reservation(), base, "the reservation is back");
}

int gpv_main(void)
{
	check_errors();
	check_exchange();
	check_mfn_list();
	check_mem_flags();
	gpv_test_eq(gpv_xen_version(XENVER_pagesize, NULL), 4096, "the domain still runs");
	return gpv_test_finish();
}
