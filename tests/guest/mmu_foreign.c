// SPDX-License-Identifier: MIT
/*
 * mmu_foreign: dom0, privileged, on another domain's memory, as Xen 4.17
 * answers it. A domU is created (domctl createdomain, max_vcpus, max_mem
 * 8 pages) and given 4 frames (populate_physmap for it); then the memory_op
 * sub-ops name it: current/maximum_reservation, maximum_gpfn, increase and
 * decrease_reservation, exchange of one of its frames. dom0's own MMU calls
 * are refused its pages (mapping one as dom0's -EBUSY, pinning one -EINVAL,
 * exchanging one as dom0's -EINVAL) while update_va_mapping_otherdomain maps
 * one; after the domU is destroyed every sub-op on it is -ESRCH.
 */
#include "domctl-lib.h" /* first: the domctl ABI (__XEN_TOOLS__) */
#include <gpv/gpv.h>
#include <gpv/hypercall.h>
#include <gpv/mm.h>
#include <gpv/page.h>
#include <gpv/test.h>
#include <xen/domctl.h>

#define P 1UL
#define RW 2UL
#define US 4UL
#define NR 4

static long memop_dom(unsigned int cmd, domid_t dom)
{
	return gpv_memory_op(cmd, &dom);
}

static long resv(unsigned int op, xen_pfn_t *list, unsigned long n, domid_t dom)
{
	struct xen_memory_reservation r = { .nr_extents = n, .domid = dom };

	set_xen_guest_handle(r.extent_start, list);
	return gpv_memory_op(op, &r);
}

static void check_reservations(domid_t id)
{
	xen_pfn_t f[1] = { 0 };

	gpv_test_area("mmu_foreign: reservations of another domain");
	gpv_test_eq(memop_dom(XENMEM_current_reservation, id), NR, "current_reservation 4");
	gpv_test_eq(memop_dom(XENMEM_maximum_reservation, id), 8, "maximum_reservation 8");
	gpv_test_eq(memop_dom(XENMEM_maximum_gpfn, id), 0, "maximum_gpfn 0 (no max_pfn set yet)");
	gpv_test_eq(resv(XENMEM_increase_reservation, f, 1, id), 1, "increase_reservation by 1");
	gpv_test_eq(memop_dom(XENMEM_current_reservation, id), NR + 1, "current_reservation 5");
	gpv_test_eq(resv(XENMEM_decrease_reservation, f, 1, id), 1, "decrease_reservation of it");
	gpv_test_eq(memop_dom(XENMEM_current_reservation, id), NR, "current_reservation 4 again");
	f[0] = gpv_virt_to_mfn(gpv_page_alloc());
	gpv_test_eq(resv(XENMEM_decrease_reservation, f, 1, id), 0,
		    "decrease_reservation of a dom0 frame for it: 0 done");
}

static void check_frames(domid_t id, xen_pfn_t *mfn)
{
	struct xen_memory_exchange x = { .in = { .nr_extents = 1, .domid = id },
					 .out = { .nr_extents = 1, .domid = id } };
	struct mmuext_op pin = { .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = mfn[1] };
	void *va = gpv_page_alloc();
	unsigned long own = gpv_virt_to_mfn(va);
	xen_pfn_t in[1] = { mfn[1] }, out[1] = { 7 };

	gpv_test_area("mmu_foreign: another domain's frames");
	gpv_test_eq(gpv_update_va_mapping((unsigned long)va, (mfn[0] << 12) | P | US, UVMF_INVLPG),
		    -XEN_EBUSY, "mapping its frame as dom0's = -EBUSY");
	gpv_test_eq(gpv_mmuext_op(&pin, 1, NULL, DOMID_SELF), -XEN_EINVAL,
		    "pinning its frame as dom0's = -EINVAL");
	gpv_test_eq(gpv_update_va_mapping_otherdomain((unsigned long)va, (mfn[0] << 12) | P | US,
						      UVMF_INVLPG, id),
		    0, "update_va_mapping_otherdomain maps it (privileged)");
	gpv_test_eq(
		gpv_update_va_mapping((unsigned long)va, (own << 12) | P | RW | US, UVMF_INVLPG), 0,
		"the page maps its own frame again");
	set_xen_guest_handle(x.in.extent_start, in);
	set_xen_guest_handle(x.out.extent_start, out);
	x.in.domid = x.out.domid = DOMID_SELF;
	gpv_test_eq(gpv_memory_op(XENMEM_exchange, &x), -XEN_EINVAL,
		    "exchanging its frame as dom0's = -EINVAL");
	x.in.domid = x.out.domid = id;
	gpv_test_eq(gpv_memory_op(XENMEM_exchange, &x), 0, "exchanging it for the domU");
	gpv_test_check(out[0] != mfn[1] && out[0] != 7, "a new MFN for it");
	gpv_test_eq((long)gpv_mfn_to_pfn(out[0]), 7, "the M2P maps it to the gpfn asked");
	gpv_test_eq(memop_dom(XENMEM_current_reservation, id), NR, "its reservation unchanged");
}

static void check_gone(domid_t id)
{
	struct xen_domctl op;
	xen_pfn_t f[1] = { 0 };

	gpv_test_area("mmu_foreign: after the domain is destroyed");
	dc_dinit(&op, XEN_DOMCTL_destroydomain, id);
	gpv_test_eq(dc_domctl(&op), 0, "destroydomain");
	gpv_test_eq(memop_dom(XENMEM_current_reservation, id), -XEN_ESRCH,
		    "current_reservation = -ESRCH");
	gpv_test_eq(memop_dom(XENMEM_maximum_reservation, id), -XEN_ESRCH,
		    "maximum_reservation = -ESRCH");
	gpv_test_eq(memop_dom(XENMEM_maximum_gpfn, id), -XEN_ESRCH, "maximum_gpfn = -ESRCH");
	gpv_test_eq(resv(XENMEM_increase_reservation, f, 1, id), 0, "increase_reservation: 0 done");
}

int gpv_main(void)
{
	xen_pfn_t mfn[NR];
	long id;

	gpv_test_area("mmu_foreign: a domU");
	id = dc_make_small_domu(mfn, NR);
	if (id > 0) {
		check_reservations((domid_t)id);
		check_frames((domid_t)id, mfn);
		check_gone((domid_t)id);
	}
	gpv_test_eq(gpv_xen_version(XENVER_pagesize, NULL), 4096, "dom0 still runs");
	return gpv_test_finish();
}
