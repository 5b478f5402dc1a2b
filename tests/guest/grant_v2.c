// SPDX-License-Identifier: MIT
/*
 * Grant tables version 2 and the calls beside them, as Xen 4.17 (x86, its
 * default gnttab=max-ver:2) answers them within one domain: set_version
 * and get_version, get_status_frames, the v2 entry layout (flags in the
 * header, GTF_reading / GTF_writing in the status frame), a map and a copy
 * through v2 grants, the refusals to switch (an entry pinned, a status
 * frame still mapped, a reserved entry v1 cannot hold), the toolstack's
 * reserved entries carried across, cache_flush's checks, and
 * XENMEM_add_to_physmap of grant frames (which a PV domain cannot use).
 */
#include <gpv/gpv.h>
#include <gpv/gnttab.h>
#include <gpv/hypercalls.h>
#include <gpv/mm.h>
#include <gpv/page.h>
#include <gpv/probe.h>
#include <gpv/test.h>
#include <xen/memory.h>

#define BAD_PTR ((void *)0x00007f0000000000UL)
#define PTE_ADDR 0x000ffffffffff000UL

static domid_t self;

static long gop(unsigned int cmd, void *op, unsigned int count)
{
	return gpv_grant_table_op(cmd, op, count);
}

static long set_version(uint32_t v, uint32_t *now)
{
	struct gnttab_set_version op = { .version = v };
	long rc = gop(GNTTABOP_set_version, &op, 1);

	*now = op.version;
	return rc;
}

static uint32_t version(void)
{
	struct gnttab_get_version op = { .dom = DOMID_SELF };

	return gop(GNTTABOP_get_version, &op, 1) ? 0 : op.version;
}

static long status_frames(uint32_t n, uint64_t *list, int16_t *st)
{
	struct gnttab_get_status_frames op = { .nr_frames = n, .dom = DOMID_SELF };
	long rc;

	set_xen_guest_handle(op.frame_list, list);
	rc = gop(GNTTABOP_get_status_frames, &op, 1);
	*st = op.status;
	return rc;
}

static grant_entry_v2_t *v2(grant_ref_t ref)
{
	return (grant_entry_v2_t *)gpv_gnttab_entry(0) + ref;
}

static void grant_v2(grant_ref_t ref, unsigned long mfn, bool ro)
{
	v2(ref)->full_page.frame = mfn;
	v2(ref)->hdr.domid = self;
	__atomic_store_n(&v2(ref)->hdr.flags, GTF_permit_access | (ro ? GTF_readonly : 0),
			 __ATOMIC_SEQ_CST);
}

static void check_switch(void)
{
	uint64_t frames[4];
	uint32_t now;
	int16_t st;

	gpv_test_area("gnttab v2: switching");
	gpv_test_eq(version(), 1, "a domain starts with version 1");
	gpv_test_eq(status_frames(1, frames, &st), 0, "get_status_frames in v1 returns 0");
	gpv_test_eq(st, GNTST_general_error, "with general_error (v1 has none)");
	/* A reserved entry v2 keeps: entry 1, as a toolstack would fill it. */
	*gpv_gnttab_entry(1) =
		(grant_entry_v1_t){ .flags = GTF_permit_access, .domid = self, .frame = 0x1234 };
	*gpv_gnttab_entry(20) =
		(grant_entry_v1_t){ .flags = GTF_permit_access, .domid = self, .frame = 0x5678 };
	gpv_test_eq(set_version(2, &now), 0, "set_version(2)");
	gpv_test_eq(now, 2, "reports 2");
	gpv_test_eq(version(), 2, "get_version says 2");
	gpv_test_eq(set_version(2, &now), 0, "set_version(2) again is 0");
	gpv_test_eq(v2(1)->hdr.flags, GTF_permit_access, "reserved entry 1 carried over: flags");
	gpv_test_eq((long)v2(1)->full_page.frame, 0x1234, "and frame");
	gpv_test_eq(v2(20)->hdr.flags, 0, "entry 20 (not reserved) cleared");
	gpv_test_eq(status_frames(1, frames, &st), 0, "get_status_frames(1)");
	gpv_test_eq(st, GNTST_okay, "okay");
	gpv_test_eq(status_frames(GPV_GNTTAB_MAX_FRAMES + 64, frames, &st), 0,
		    "more status frames than there are");
	gpv_test_eq(st, GNTST_general_error, "= general_error");
	gpv_test_eq(status_frames(1, BAD_PTR, &st), 0, "an unmapped frame list");
	gpv_test_eq(st, GNTST_bad_virt_addr, "= bad_virt_addr");
	gpv_test_eq(gop(GNTTABOP_get_status_frames, frames, 2), -XEN_EINVAL, "count 2 = -EINVAL");
}

static void check_v2_use(void)
{
	uint8_t *a = gpv_page_alloc(), *win = gpv_page_alloc(), *b = gpv_page_alloc();
	uint16_t *status = (uint16_t *)gpv_page_alloc();
	unsigned long ma = gpv_virt_to_mfn(a);
	struct gnttab_map_grant_ref op = { 0 };
	struct gnttab_unmap_grant_ref un = { 0 };
	struct gnttab_copy c = { 0 };
	uint64_t frames[1];
	uint32_t now;
	int16_t st;

	gpv_test_area("gnttab v2: entries and status frames");
	status_frames(1, frames, &st);
	gpv_test_eq(
		gpv_update_va_mapping((unsigned long)status, (frames[0] << 12) | 5, UVMF_INVLPG), 0,
		"map the status frame read-only");
	a[3] = 0x33;
	grant_v2(10, ma, false);
	gpv_update_va_mapping((unsigned long)win, 0, UVMF_INVLPG);
	op = (struct gnttab_map_grant_ref){
		.host_addr = (unsigned long)win, .flags = GNTMAP_host_map, .ref = 10, .dom = self
	};
	gpv_test_eq(gop(GNTTABOP_map_grant_ref, &op, 1), 0, "map a v2 grant");
	gpv_test_eq(op.status, GNTST_okay, "okay");
	gpv_test_eq(win[3], 0x33, "reads through it see the page");
	gpv_test_eq(status[10], GTF_reading | GTF_writing,
		    "the status entry shows reading | writing");
	gpv_test_eq(v2(10)->hdr.flags, GTF_permit_access, "the header does not");
	gpv_test_eq(set_version(1, &now), -XEN_EBUSY, "set_version(1) while mapped = -EBUSY");
	gpv_test_eq(now, 2, "still version 2");
	un = (struct gnttab_unmap_grant_ref){ .host_addr = (unsigned long)win,
					      .handle = op.handle };
	gpv_test_eq(gop(GNTTABOP_unmap_grant_ref, &un, 1) ?: un.status, GNTST_okay, "unmap");
	gpv_test_eq(status[10], 0, "the status entry is clear");
	gpv_update_va_mapping((unsigned long)win, ((uint64_t)gpv_virt_to_mfn(win) << 12) | 7,
			      UVMF_INVLPG);
	c.source.domid = self;
	c.source.u.ref = 10;
	c.dest.domid = DOMID_SELF;
	c.dest.u.gmfn = gpv_virt_to_mfn(b);
	c.len = 8;
	c.flags = GNTCOPY_source_gref;
	gpv_test_eq(gop(GNTTABOP_copy, &c, 1) ?: c.status, GNTST_okay, "copy from a v2 grant");
	gpv_test_eq(b[3], 0x33, "the bytes arrived");
	gpv_test_eq(set_version(1, &now), -XEN_EBUSY,
		    "set_version(1) while the status frame is mapped = -EBUSY");
	gpv_update_va_mapping((unsigned long)status, ((uint64_t)gpv_virt_to_mfn(status) << 12) | 7,
			      UVMF_INVLPG);
	v2(2)->full_page.frame = 1UL << 33;
	v2(2)->hdr.flags = GTF_permit_access;
	gpv_test_eq(set_version(1, &now), -XEN_ERANGE,
		    "a reserved entry v1 cannot hold (frame 2^33) = -ERANGE");
	v2(2)->hdr.flags = 0;
	gpv_test_eq(set_version(1, &now), 0, "back to version 1 once nothing is mapped");
	gpv_test_eq(version(), 1, "get_version says 1");
	gpv_test_eq((long)gpv_gnttab_entry(1)->frame, 0x1234, "reserved entry 1 came back");
	gpv_test_eq(gpv_gnttab_entry(10)->flags, 0, "the v2 grant is gone");
	status_frames(1, frames, &st);
	gpv_test_eq(st, GNTST_general_error, "and so are the status frames");
	gpv_gnttab_entry(1)->flags = 0;
}

static void check_cache_flush_and_physmap(void)
{
	uint8_t *a = gpv_page_alloc();
	unsigned long ma = gpv_virt_to_mfn(a);
	struct gnttab_cache_flush f = { .a.dev_bus_addr = ma << 12,
					.length = 64,
					.op = GNTTAB_CACHE_CLEAN };
	struct xen_add_to_physmap x = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = 0, .gpfn = 0x80000
	};

	gpv_test_area("gnttab: cache_flush, add_to_physmap");
	gpv_test_eq(gop(GNTTABOP_cache_flush, &f, 1), 0, "clean a line of an own page");
	f.op = GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_INVAL;
	gpv_test_eq(gop(GNTTABOP_cache_flush, &f, 1), 0, "clean and invalidate");
	f.op = GNTTAB_CACHE_INVAL;
	gpv_test_eq(gop(GNTTABOP_cache_flush, &f, 1), -XEN_EOPNOTSUPP,
		    "invalidate alone = -EOPNOTSUPP (x86)");
	f.op = GNTTAB_CACHE_CLEAN | GNTTAB_CACHE_SOURCE_GREF;
	gpv_test_eq(gop(GNTTABOP_cache_flush, &f, 1), -XEN_EINVAL, "SOURCE_GREF = -EINVAL");
	f.op = GNTTAB_CACHE_CLEAN;
	f.offset = 4090;
	gpv_test_eq(gop(GNTTABOP_cache_flush, &f, 1), -XEN_EINVAL, "beyond the page = -EINVAL");
	f.offset = 0;
	f.length = 0;
	gpv_test_eq(gop(GNTTABOP_cache_flush, &f, 1), 0, "length 0 = 0");
	f.length = 64;
	f.a.dev_bus_addr = 1UL << 50;
	gpv_test_eq(gop(GNTTABOP_cache_flush, &f, 1), -XEN_EINVAL, "a frame beyond RAM = -EINVAL");
	f.a.dev_bus_addr = 0;
	gpv_test_eq(gop(GNTTABOP_cache_flush, &f, 1), -XEN_EPERM,
		    "a frame no domain owns (frame 0) = -EPERM");
	gpv_test_eq(gop(GNTTABOP_cache_flush, BAD_PTR, 1), -XEN_EFAULT, "a bad pointer = -EFAULT");
	gpv_test_eq(gpv_memory_op(XENMEM_add_to_physmap, &x), -XEN_EACCES,
		    "add_to_physmap of a grant frame = -EACCES (a PV domain is not translated)");
	x.idx = XENMAPIDX_grant_table_status;
	gpv_test_eq(gpv_memory_op(XENMEM_add_to_physmap, &x), -XEN_EACCES,
		    "of a status frame, the same");
}

int gpv_main(void)
{
	self = gpv_is_dom0() ? 0 : (domid_t)DOMID_SELF;
	if (!gpv_test_eq(gpv_gnttab_init(2), 0, "grant table set up"))
		return gpv_test_finish();
	check_switch();
	check_v2_use();
	check_cache_flush_and_physmap();
	return gpv_test_finish();
}
