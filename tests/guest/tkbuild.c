// SPDX-License-Identifier: MIT
/*
 * tkbuild: the calls libxenguest's PV builder makes beyond domctl.c's, as
 * a dom0 toolstack makes them for a new domU (xc_domain_set_memmap_limit,
 * setup_hypercall_page, xc_dom_gnttab_seed), and their Xen 4.17 answers:
 *   XEN_DOMCTL_hypercall_init   the hypercall page written into a frame of
 *                               the domU's; a frame not its own -EINVAL, a
 *                               pinned page table -EPERM
 *   XENMEM_set_memory_map       a domU's map (and dom0's own), read back
 *                               with XENMEM_memory_map; too many entries
 *                               -EINVAL, a bad buffer -EFAULT
 *   XENMEM_acquire_resource     the domU's grant-table frames: the size
 *                               query, the MFNs (those setup_table names),
 *                               mapped with a foreign mmu_update; every
 *                               argument error Xen has
 */
#include "domctl-lib.h" /* first: the domctl ABI (__XEN_TOOLS__) */
#include <gpv/gpv.h>
#include <gpv/hypercall.h>
#include <gpv/mm.h>
#include <gpv/page.h>
#include <gpv/test.h>
#include <xen/grant_table.h>

#define P 1UL
#define RW 2UL
#define US 4UL
#define NR 4
#define E820MAX 1024
#define BAD_PTR 0xffff800000000000UL

struct e820 {
	uint64_t addr, size;
	uint32_t type;
} __attribute__((packed));

/* Maps frame mfn of dom at va (a page of dom0's) with a foreign mmu_update. */
static long map_foreign(void *va, unsigned long mfn, domid_t dom)
{
	return gpv_update_va_mapping_otherdomain((unsigned long)va, (mfn << 12) | P | RW | US,
						 UVMF_INVLPG, dom);
}

static void unmap_foreign(void *va)
{
	gpv_update_va_mapping((unsigned long)va, (gpv_virt_to_mfn(va) << 12) | P | RW | US,
			      UVMF_INVLPG);
}

static long hcall_init(domid_t id, uint64_t gmfn)
{
	struct xen_domctl op;

	dc_dinit(&op, XEN_DOMCTL_hypercall_init, id);
	op.u.hypercall_init.gmfn = gmfn;
	return dc_domctl(&op);
}

/* Xen's 64-bit stub n: push %rcx; push %r11; mov $n, %eax; syscall. */
static bool stub_ok(const uint8_t *page, unsigned int n)
{
	const uint8_t *s = page + n * 32;

	return s[0] == 0x51 && s[1] == 0x41 && s[2] == 0x53 && s[3] == 0xb8 && s[4] == n &&
	       s[8] == 0x0f && s[9] == 0x05;
}

static void check_hypercall_init(domid_t id, const xen_pfn_t *mfn)
{
	struct mmuext_op pin = { .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = mfn[2] };
	uint8_t *va = gpv_page_alloc();

	gpv_test_area("tkbuild: XEN_DOMCTL_hypercall_init");
	gpv_test_eq(hcall_init(id, mfn[1]), 0, "into a frame of the domU's");
	if (gpv_test_eq(map_foreign(va, mfn[1], id), 0, "the frame mapped (foreign)")) {
		gpv_test_check(stub_ok(va, 0) && stub_ok(va, 1) && stub_ok(va, 29),
			       "Xen's stubs for hypercalls 0, 1 and 29");
		gpv_test_check(va[23 * 32 + 3] == 0x50 && va[23 * 32 + 5] == 23,
			       "iret's stub (23) pushes %rax first");
		unmap_foreign(va);
	}
	gpv_test_eq(hcall_init(id, gpv_virt_to_mfn(va)), -XEN_EINVAL, "a frame of dom0's: -EINVAL");
	gpv_test_eq(hcall_init(id, 1UL << 40), -XEN_EINVAL, "a frame beyond RAM: -EINVAL");
	gpv_test_eq(gpv_mmuext_op(&pin, 1, NULL, id), 0, "a domU frame pinned as an L1 table");
	gpv_test_eq(hcall_init(id, mfn[2]), -XEN_EPERM, "into that page table: -EPERM");
	pin.cmd = MMUEXT_UNPIN_TABLE;
	gpv_test_eq(gpv_mmuext_op(&pin, 1, NULL, id), 0, "unpinned");
	gpv_test_eq(hcall_init(DOMID_FIRST_RESERVED - 1, mfn[1]), -XEN_ESRCH,
		    "no such domain: -ESRCH");
}

static long set_map(domid_t dom, void *buf, unsigned int n)
{
	struct xen_foreign_memory_map f = { .domid = dom, .map.nr_entries = n };

	set_xen_guest_handle(f.map.buffer, buf);
	return gpv_memory_op(XENMEM_set_memory_map, &f);
}

static long get_map(struct e820 *buf, unsigned int *n)
{
	struct xen_memory_map m = { .nr_entries = *n };
	long rc;

	set_xen_guest_handle(m.buffer, buf);
	rc = gpv_memory_op(XENMEM_memory_map, &m);
	*n = m.nr_entries;
	return rc;
}

static void check_memory_map(domid_t id)
{
	static struct e820 two[2] = { { 0, 0x800000, 1 }, { 0x800000, 0x1000, 2 } };
	struct e820 got[4];
	unsigned int n = 4;

	gpv_test_area("tkbuild: XENMEM_set_memory_map, XENMEM_memory_map");
	gpv_test_eq(get_map(got, &n), -XEN_ENOSYS, "dom0 was given no map: -ENOSYS");
	gpv_test_eq(set_map(id, two, 1), 0, "the domU's map, one RAM entry (libxc's memmap limit)");
	gpv_test_eq(set_map(id, two, E820MAX + 1), -XEN_EINVAL, "more than 1024 entries: -EINVAL");
	gpv_test_eq(set_map(id, (void *)BAD_PTR, 2), -XEN_EFAULT, "a bad buffer: -EFAULT");
	gpv_test_eq(set_map(DOMID_FIRST_RESERVED - 1, two, 1), -XEN_ESRCH,
		    "no such domain: -ESRCH");
	gpv_test_eq(set_map(DOMID_SELF, two, 2), 0, "dom0's own map, two entries");
	n = 4;
	gpv_test_eq(get_map(got, &n), 0, "read back");
	gpv_test_eq(n, 2, "two entries");
	gpv_test_check(!memcmp(got, two, sizeof(two)), "as set");
	n = 1;
	gpv_test_eq(get_map(got, &n), 0, "read back into room for one");
	gpv_test_eq(n, 1, "one entry");
	n = 4;
	gpv_test_eq(get_map((void *)BAD_PTR, &n), -XEN_EFAULT, "into a bad buffer: -EFAULT");
}

static long acquire(domid_t dom, unsigned int type, unsigned int rid, uint64_t frame,
		    unsigned int nr, xen_pfn_t *list, uint32_t *nr_out)
{
	struct xen_mem_acquire_resource x = {
		.domid = dom, .type = (uint16_t)type, .id = rid, .nr_frames = nr, .frame = frame
	};
	long rc;

	set_xen_guest_handle(x.frame_list, list);
	rc = gpv_memory_op(XENMEM_acquire_resource, &x);
	if (nr_out)
		*nr_out = x.nr_frames;
	return rc;
}

static void check_resource_errors(domid_t id)
{
	struct xen_mem_acquire_resource x = { .domid = id, .type = XENMEM_resource_grant_table };
	xen_pfn_t list[4];
	uint32_t n = 0;

	gpv_test_eq(acquire(id, XENMEM_resource_grant_table, 0, 0, 0, NULL, &n), 0,
		    "size query of the shared frames");
	gpv_test_eq(n, 4, "4 frames: its max_grant_frames");
	gpv_test_eq(acquire(id, XENMEM_resource_grant_table, 1, 0, 0, NULL, &n), 0,
		    "size query of the status frames");
	gpv_test_eq(n, 1, "1 status frame for 4 grant frames");
	gpv_test_eq(acquire(id, XENMEM_resource_grant_table, 0, 0, 1, NULL, NULL), -XEN_EINVAL,
		    "size query with nr_frames: -EINVAL");
	gpv_test_eq(acquire(id, XENMEM_resource_grant_table, 5, 0, 0, NULL, NULL), -XEN_EINVAL,
		    "an unknown grant table id: -EINVAL");
	gpv_test_eq(acquire(id, XENMEM_resource_ioreq_server, 0, 0, 0, NULL, NULL), -XEN_EINVAL,
		    "ioreq server of a PV domain: -EINVAL");
	gpv_test_eq(acquire(id, XENMEM_resource_vmtrace_buf, 0, 0, 0, NULL, NULL), -XEN_EINVAL,
		    "vmtrace buffer, none configured: -EINVAL");
	gpv_test_eq(acquire(id, 9, 0, 0, 1, list, NULL), -XEN_EOPNOTSUPP,
		    "an unknown type: -EOPNOTSUPP");
	gpv_test_eq(acquire(0, XENMEM_resource_grant_table, 0, 0, 1, list, NULL), -XEN_EPERM,
		    "dom0's own: -EPERM");
	gpv_test_eq(acquire(DOMID_SELF, XENMEM_resource_grant_table, 0, 0, 1, list, NULL),
		    -XEN_ESRCH, "DOMID_SELF: -ESRCH");
	gpv_test_eq(
		acquire(DOMID_FIRST_RESERVED - 1, XENMEM_resource_grant_table, 0, 0, 1, list, NULL),
		-XEN_ESRCH, "no such domain: -ESRCH");
	gpv_test_eq(acquire(id, XENMEM_resource_grant_table, 0, 1UL << 32, 1, list, NULL),
		    -XEN_EINVAL, "frame beyond 32 bits: -EINVAL");
	gpv_test_eq(acquire(id, XENMEM_resource_grant_table, 0, 0, 0, list, NULL), -XEN_EINVAL,
		    "no frames asked: -EINVAL");
	gpv_test_eq(acquire(id, XENMEM_resource_grant_table, 0, 3, 2, list, NULL), -XEN_EINVAL,
		    "frames beyond its maximum: -EINVAL");
	gpv_test_eq(acquire(id, XENMEM_resource_grant_table, 1, 0, 1, list, NULL), -XEN_EINVAL,
		    "status frames of a v1 table: -EINVAL");
	gpv_test_eq(acquire(id, XENMEM_resource_grant_table, 0, 0, 1, (void *)BAD_PTR, NULL),
		    -XEN_EFAULT, "a bad frame list: -EFAULT");
	x.pad = 1;
	set_xen_guest_handle(x.frame_list, list);
	x.nr_frames = 1;
	gpv_test_eq(gpv_memory_op(XENMEM_acquire_resource, &x), -XEN_EINVAL, "pad set: -EINVAL");
}

static void check_acquire(domid_t id)
{
	struct gnttab_setup_table st = { .dom = id, .nr_frames = 1 };
	struct gnttab_query_size qs = { .dom = id };
	xen_pfn_t list[4] = { 0 }, setup[1] = { 0 };
	grant_entry_v1_t *va = gpv_page_alloc();

	gpv_test_area("tkbuild: XENMEM_acquire_resource");
	check_resource_errors(id);
	gpv_test_eq(acquire(id, XENMEM_resource_grant_table, 0, 0, 1, list, NULL), 0,
		    "grant frame 0 of the domU");
	set_xen_guest_handle(st.frame_list, setup);
	gpv_test_eq(gpv_grant_table_op(GNTTABOP_setup_table, &st, 1), 0, "setup_table of it");
	gpv_test_eq(st.status, GNTST_okay, "setup_table: okay");
	gpv_test_eq(list[0], setup[0], "the frame setup_table names");
	if (gpv_test_eq(map_foreign(va, list[0], id), 0, "mapped with a foreign mmu_update")) {
		va[1].frame = 0x1234; /* what xc_dom_gnttab_seed writes: a reserved entry */
		gpv_test_eq(va[1].frame, 0x1234, "writable: the domU's reserved entry 1 written");
		unmap_foreign(va);
	}
	gpv_test_eq(acquire(id, XENMEM_resource_grant_table, 0, 0, 4, list, NULL), 0,
		    "all 4 frames (the table grows)");
	gpv_test_eq(gpv_grant_table_op(GNTTABOP_query_size, &qs, 1), 0, "query_size");
	gpv_test_eq(qs.nr_frames, 4, "the domU's table has 4 frames now");
	gpv_test_check(list[1] && list[1] != list[0] && list[3] != list[2], "4 distinct frames");
}

int gpv_main(void)
{
	xen_pfn_t mfn[NR];
	struct xen_domctl op;
	long id = dc_make_small_domu(mfn, NR);

	if (id > 0) {
		check_hypercall_init((domid_t)id, mfn);
		check_memory_map((domid_t)id);
		check_acquire((domid_t)id);
		dc_dinit(&op, XEN_DOMCTL_destroydomain, (domid_t)id);
		gpv_test_eq(dc_domctl(&op), 0, "destroydomain");
		gpv_test_eq(acquire((domid_t)id, XENMEM_resource_grant_table, 0, 0, 0, NULL, NULL),
			    -XEN_ESRCH, "acquire_resource after destroy: -ESRCH");
	}
	return gpv_test_finish();
}
