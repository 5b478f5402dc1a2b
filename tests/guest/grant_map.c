// SPDX-License-Identifier: MIT
/*
 * Grant maps within one domain, as Xen 4.17 answers them: the domain
 * grants pages to itself (by its own id: map_grant_ref takes no
 * DOMID_SELF) and maps them at a linear address, through a PTE address
 * (GNTMAP_contains_pte), read-only, and as device maps; it reads and
 * writes through the maps, watches GTF_reading / GTF_writing in its own
 * entries, unmaps, and unmaps-and-replaces. Then the hostile side: a grant
 * never given, one to another domain, out-of-range references, unknown
 * domains, bad flags and addresses, unmapping twice, bad and stale
 * handles, a grant revoked while mapped, pin counters at their limit,
 * more than 4,096 maptrack entries, bad pointers and counts, and a read-only
 * map that must not hold a writable reference (the page is pinned as a
 * page table while it is mapped).
 */
#include <gpv/gpv.h>
#include <gpv/gnttab.h>
#include <gpv/hypercalls.h>
#include <gpv/mm.h>
#include <gpv/page.h>
#include <gpv/probe.h>
#include <gpv/test.h>

#define BAD_PTR ((void *)0x00007f0000000000UL)
#define PTE_ADDR 0x000ffffffffff000UL
#define MANY_GRANTS 40
#define PINS_PER_GRANT 128 /* an 8-bit pin counter refuses the 129th */
#define BATCH 128

static domid_t self;

static long gop(unsigned int cmd, void *op, unsigned int count)
{
	return gpv_grant_table_op(cmd, op, count);
}

/* One map op; its status (or the hypercall's error), the op filled in. */
static long map1(struct gnttab_map_grant_ref *op, domid_t dom, grant_ref_t ref, uint64_t addr,
		 uint32_t flags)
{
	long rc;

	*op = (struct gnttab_map_grant_ref){
		.host_addr = addr, .flags = flags, .ref = ref, .dom = dom
	};
	rc = gop(GNTTABOP_map_grant_ref, op, 1);
	return rc ? rc : op->status;
}

static long unmap1(grant_handle_t h, uint64_t host_addr, uint64_t dev_bus_addr)
{
	struct gnttab_unmap_grant_ref op = { .host_addr = host_addr,
					     .dev_bus_addr = dev_bus_addr,
					     .handle = h };
	long rc = gop(GNTTABOP_unmap_grant_ref, &op, 1);

	return rc ? rc : op.status;
}

/* Empties va's PTE (maps go over an empty entry, as Linux's do). */
static void clear_va(void *va)
{
	gpv_update_va_mapping((unsigned long)va, 0, UVMF_INVLPG);
}

/* Maps va's own frame back at va. */
static void restore_va(void *va)
{
	gpv_update_va_mapping((unsigned long)va, ((uint64_t)gpv_virt_to_mfn(va) << 12) | 7,
			      UVMF_INVLPG);
}

static uint64_t pte_of(void *va)
{
	uint64_t e[4];

	gpv_pt_walk((unsigned long)va, e);
	return e[3];
}

/* The machine address of va's L1 entry. */
static uint64_t pte_maddr(void *va)
{
	uint64_t e[4];

	gpv_pt_walk((unsigned long)va, e);
	return (e[2] & PTE_ADDR) + (((unsigned long)va >> 12) & 511) * 8;
}

static uint16_t flags_of(long ref)
{
	return __atomic_load_n(&gpv_gnttab_entry((grant_ref_t)ref)->flags, __ATOMIC_SEQ_CST);
}

static void check_host_map(void)
{
	uint8_t *a = gpv_page_alloc(), *win = gpv_page_alloc(), *other = gpv_page_alloc();
	unsigned long ma = gpv_virt_to_mfn(a);
	struct gnttab_map_grant_ref op;
	long ref = gpv_gnttab_grant(self, ma, false);
	uint64_t v = 0;

	gpv_test_area("gnttab map: host map at a linear address");
	for (unsigned int i = 0; i < 4096; i++)
		a[i] = (uint8_t)(i * 3 + 5);
	clear_va(win);
	gpv_test_eq(map1(&op, self, (grant_ref_t)ref, (unsigned long)win, GNTMAP_host_map),
		    GNTST_okay, "map the domain's own grant");
	gpv_test_eq((long)op.dev_bus_addr, (long)(ma << 12), "dev_bus_addr is the frame's address");
	gpv_test_eq((long)((pte_of(win) & PTE_ADDR) >> 12), (long)ma, "the PTE maps the frame");
	gpv_test_check(pte_of(win) & 2, "writable");
	gpv_test_eq(win[77], a[77], "reads through the map see the page");
	win[78] = 0xee;
	gpv_test_eq(a[78], 0xee, "writes through the map reach the page");
	gpv_test_eq(flags_of(ref), GTF_permit_access | GTF_reading | GTF_writing,
		    "the entry shows GTF_reading | GTF_writing");
	gpv_test_eq(gpv_gnttab_end((grant_ref_t)ref), -XEN_EBUSY,
		    "the grant cannot be ended while mapped");
	gpv_test_eq(unmap1(op.handle, (unsigned long)other, 0), GNTST_general_error,
		    "unmap at an address that does not map it = general_error");
	gpv_test_eq(unmap1(op.handle, (unsigned long)win, 0), GNTST_okay, "unmap");
	gpv_test_eq((long)pte_of(win), 0, "the PTE is empty");
	gpv_test_eq(flags_of(ref), GTF_permit_access, "the entry is no longer reading or writing");
	gpv_test_eq(unmap1(op.handle, (unsigned long)win, 0), GNTST_bad_handle,
		    "unmapping twice = bad_handle");
	gpv_test_eq(unmap1(0xffffffffU, (unsigned long)win, 0), GNTST_bad_handle,
		    "handle 2^32-1 = bad_handle");
	restore_va(win);
	gpv_test_check(gpv_probe_read((unsigned long)win, &v), "the window has its own page back");

	gpv_test_area("gnttab map: contains_pte");
	clear_va(win);
	gpv_test_eq(map1(&op, self, (grant_ref_t)ref, pte_maddr(win),
			 GNTMAP_host_map | GNTMAP_contains_pte),
		    GNTST_okay, "map through the PTE's machine address");
	gpv_test_eq(win[77], a[77], "reads through it see the page");
	gpv_test_eq(unmap1(op.handle, pte_maddr(win), 0), GNTST_okay, "unmap through the PTE");
	gpv_test_eq(map1(&op, self, (grant_ref_t)ref, pte_maddr(win) + 4,
			 GNTMAP_host_map | GNTMAP_contains_pte),
		    GNTST_general_error, "a misaligned PTE = general_error");
	gpv_test_eq(map1(&op, self, (grant_ref_t)ref, (uint64_t)ma << 12,
			 GNTMAP_host_map | GNTMAP_contains_pte),
		    GNTST_general_error,
		    "a PTE address in a page that is no L1 table = general_error");
	gpv_test_eq(flags_of(ref), GTF_permit_access, "failed maps leave no flag behind");
	restore_va(win);
	gpv_gnttab_end((grant_ref_t)ref);
}

static void check_readonly(void)
{
	uint8_t *a = gpv_page_alloc(), *win = gpv_page_alloc();
	unsigned long ma = gpv_virt_to_mfn(a);
	unsigned long l4 = gpv_virt_to_mfn((void *)gpv_start_info->pt_base);
	struct gnttab_map_grant_ref op, op2;
	long ref = gpv_gnttab_grant(self, ma, false), rro = gpv_gnttab_grant(self, ma, true);
	long rl4 = gpv_gnttab_grant(self, l4, false);
	struct mmuext_op pin = { .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = ma };
	struct mmuext_op unpin = { .cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = ma };
	uint64_t v;

	gpv_test_area("gnttab map: read-only");
	memset(a, 0, 4096);
	clear_va(win);
	gpv_test_eq(map1(&op, self, (grant_ref_t)ref, (unsigned long)win,
			 GNTMAP_host_map | GNTMAP_readonly),
		    GNTST_okay, "a read-only map");
	gpv_test_check(!(pte_of(win) & 2), "its PTE is not writable");
	gpv_test_check(!gpv_probe_write((unsigned long)win, 1), "a write through it faults");
	gpv_test_eq(flags_of(ref), GTF_permit_access | GTF_reading,
		    "the entry shows GTF_reading only");
	/* No writable reference: with its own mapping read-only, the page can become an L1. */
	gpv_update_va_mapping((unsigned long)a, ((uint64_t)ma << 12) | 5, UVMF_INVLPG);
	gpv_test_eq(gpv_mmuext_op(&pin, 1, NULL, DOMID_SELF), 0,
		    "the read-only mapped page can be pinned as a page table");
	gpv_test_eq(map1(&op2, self, (grant_ref_t)ref, (unsigned long)win, GNTMAP_device_map),
		    GNTST_general_error, "a writable map of a page table = general_error");
	gpv_test_eq(gpv_mmuext_op(&unpin, 1, NULL, DOMID_SELF), 0, "unpin it");
	gpv_update_va_mapping((unsigned long)a, ((uint64_t)ma << 12) | 7, UVMF_INVLPG);
	gpv_test_eq(unmap1(op.handle, (unsigned long)win, 0), GNTST_okay,
		    "unmap the read-only map");
	gpv_test_eq(flags_of(ref), GTF_permit_access, "the entry is clear again");
	gpv_test_eq(map1(&op, self, (grant_ref_t)rro, (unsigned long)win, GNTMAP_host_map),
		    GNTST_general_error, "a writable map of a GTF_readonly grant = general_error");
	gpv_test_eq(flags_of(rro), GTF_permit_access | GTF_readonly, "and leaves it untouched");
	gpv_test_eq(map1(&op, self, (grant_ref_t)rl4, (unsigned long)win, GNTMAP_host_map),
		    GNTST_general_error, "a writable map of the domain's L4 = general_error");
	gpv_test_eq(map1(&op, self, (grant_ref_t)rl4, (unsigned long)win,
			 GNTMAP_host_map | GNTMAP_readonly),
		    GNTST_okay, "a read-only map of the L4 is fine");
	gpv_test_check(gpv_probe_read((unsigned long)win, &v), "and readable");
	gpv_test_eq(unmap1(op.handle, (unsigned long)win, 0), GNTST_okay, "unmap it");
	restore_va(win);
	gpv_gnttab_end((grant_ref_t)ref);
	gpv_gnttab_end((grant_ref_t)rro);
	gpv_gnttab_end((grant_ref_t)rl4);
}

static void check_device_and_replace(void)
{
	uint8_t *a = gpv_page_alloc(), *win = gpv_page_alloc(), *spare = gpv_page_alloc();
	unsigned long ma = gpv_virt_to_mfn(a), ms = gpv_virt_to_mfn(spare);
	struct gnttab_map_grant_ref op;
	struct gnttab_unmap_and_replace ur;
	long ref = gpv_gnttab_grant(self, ma, false);

	gpv_test_area("gnttab map: device maps, unmap_and_replace");
	gpv_test_eq(map1(&op, self, (grant_ref_t)ref, 0, GNTMAP_device_map), GNTST_okay,
		    "a device map");
	gpv_test_eq((long)op.dev_bus_addr, (long)(ma << 12), "returns the bus address");
	gpv_test_eq(flags_of(ref), GTF_permit_access | GTF_reading | GTF_writing,
		    "the entry shows reading | writing");
	gpv_test_eq(unmap1(op.handle, 0, (ma << 12) + 4096), GNTST_bad_dev_addr,
		    "unmap with another bus address = bad_dev_addr");
	gpv_test_eq(unmap1(op.handle, 0, 0), GNTST_okay, "unmap naming nothing does nothing");
	gpv_test_eq(flags_of(ref), GTF_permit_access | GTF_reading | GTF_writing,
		    "the map is still there");
	gpv_test_eq(unmap1(op.handle, 0, ma << 12), GNTST_okay, "unmap with its bus address");
	gpv_test_eq(flags_of(ref), GTF_permit_access, "the entry is clear");

	spare[5] = 0x42;
	a[5] = 0x17;
	clear_va(win);
	map1(&op, self, (grant_ref_t)ref, (unsigned long)win, GNTMAP_host_map);
	ur = (struct gnttab_unmap_and_replace){ .host_addr = (unsigned long)win,
						.new_addr = (unsigned long)spare,
						.handle = op.handle };
	gpv_test_eq(gop(GNTTABOP_unmap_and_replace, &ur, 1), 0, "unmap_and_replace");
	gpv_test_eq(ur.status, GNTST_okay, "with status okay");
	gpv_test_eq((long)((pte_of(win) & PTE_ADDR) >> 12), (long)ms,
		    "the window now maps new_addr's frame");
	gpv_test_eq(win[5], 0x42, "and reads it");
	gpv_test_eq((long)pte_of(spare), 0, "new_addr's own PTE is gone");
	gpv_test_eq(flags_of(ref), GTF_permit_access, "the grant is released");
	restore_va(spare);
	restore_va(win);
	gpv_gnttab_end((grant_ref_t)ref);
}

static void check_refusals(void)
{
	uint8_t *a = gpv_page_alloc(), *win = gpv_page_alloc();
	unsigned long ma = gpv_virt_to_mfn(a);
	struct gnttab_map_grant_ref op;
	long ref = gpv_gnttab_grant(self, ma, false), r5 = gpv_gnttab_grant(5, ma, false);
	long rbad = gpv_gnttab_grant(self, 1UL << 30, false);
	grant_ref_t never = (grant_ref_t)gpv_gnttab_nr_entries() - 1;
	unsigned long va = (unsigned long)win;

	gpv_test_area("gnttab map: refusals");
	clear_va(win);
	gpv_test_eq(map1(&op, self, never, va, GNTMAP_host_map), GNTST_general_error,
		    "a reference never granted = general_error");
	gpv_test_eq(map1(&op, self, (grant_ref_t)r5, va, GNTMAP_host_map), GNTST_general_error,
		    "a grant to domain 5 = general_error");
	gpv_test_eq(map1(&op, self, 1U << 30, va, GNTMAP_host_map), GNTST_bad_gntref,
		    "reference 2^30 = bad_gntref");
	gpv_test_eq(map1(&op, self, gpv_gnttab_nr_entries() + 512, va, GNTMAP_host_map),
		    GNTST_bad_gntref, "a reference beyond the table = bad_gntref");
	gpv_test_eq(map1(&op, 7, (grant_ref_t)ref, va, GNTMAP_host_map), GNTST_bad_domain,
		    "domain 7 = bad_domain");
	gpv_test_eq(map1(&op, DOMID_SELF, (grant_ref_t)ref, va, GNTMAP_host_map), GNTST_bad_domain,
		    "DOMID_SELF = bad_domain (a map names the granter by id)");
	gpv_test_eq(map1(&op, self, (grant_ref_t)ref, va, 0), GNTST_bad_gntref,
		    "neither host nor device map = bad_gntref");
	gpv_test_eq(map1(&op, self, (grant_ref_t)ref, 0xffff800000000000UL, GNTMAP_host_map),
		    GNTST_general_error, "a hypervisor address = general_error");
	gpv_test_eq(map1(&op, self, (grant_ref_t)ref, 0x0000700000000000UL, GNTMAP_host_map),
		    GNTST_general_error, "an address without page tables = general_error");
	gpv_test_eq(map1(&op, self, (grant_ref_t)rbad, va, GNTMAP_host_map), GNTST_bad_page,
		    "a grant of a frame that is not the granter's = bad_page");
	gpv_test_eq(flags_of(ref), GTF_permit_access, "no refused map left a flag behind");
	gpv_test_eq(flags_of(rbad), GTF_permit_access, "not even the bad_page one");
	gpv_test_eq(gop(GNTTABOP_map_grant_ref, BAD_PTR, 1), -XEN_EFAULT,
		    "an unmapped op array = -EFAULT");
	gpv_test_eq(gop(GNTTABOP_unmap_grant_ref, BAD_PTR, 1), -XEN_EFAULT,
		    "an unmapped unmap array = -EFAULT");
	gpv_test_eq(gop(GNTTABOP_map_grant_ref, &op, 0x80000000U), -XEN_EINVAL,
		    "count 2^31 = -EINVAL");
	gpv_test_eq(gop(GNTTABOP_map_grant_ref, BAD_PTR, 0x7fffffffU), -XEN_EFAULT,
		    "count 2^31-1 at a bad pointer = -EFAULT");
	gpv_test_eq(gop(GNTTABOP_unmap_and_replace, BAD_PTR, 0x7fffffffU), -XEN_EFAULT,
		    "unmap_and_replace, the same = -EFAULT");
	gpv_test_eq(gop(GNTTABOP_map_grant_ref, &op, 0), 0, "no ops = 0");
	gpv_test_eq(gop(GNTTABOP_map_grant_ref | (1U << 12), &op, 1), -XEN_EINVAL,
		    "continuation bits on map = -EINVAL");
	restore_va(win);
	gpv_gnttab_end((grant_ref_t)ref);
	gpv_gnttab_end((grant_ref_t)r5);
	gpv_gnttab_end((grant_ref_t)rbad);
}

static void check_revoked_and_stale(void)
{
	uint8_t *a = gpv_page_alloc(), *win = gpv_page_alloc();
	unsigned long ma = gpv_virt_to_mfn(a);
	struct gnttab_map_grant_ref op, op2;
	long ref = gpv_gnttab_grant(self, ma, false);
	grant_entry_v1_t *e = gpv_gnttab_entry((grant_ref_t)ref);

	gpv_test_area("gnttab map: revoked while mapped, stale handles");
	a[9] = 0x99;
	clear_va(win);
	map1(&op, self, (grant_ref_t)ref, (unsigned long)win, GNTMAP_host_map);
	/* A hostile granter overwrites its entry instead of ending the grant. */
	__atomic_store_n(&e->flags, 0, __ATOMIC_SEQ_CST);
	e->frame = 0;
	gpv_test_eq(win[9], 0x99, "the revoked page stays mapped and alive");
	win[10] = 0x11;
	gpv_test_eq(a[10], 0x11, "and writable through the map");
	gpv_test_eq(unmap1(op.handle, (unsigned long)win, 0), GNTST_okay, "it unmaps");
	gpv_test_eq(flags_of(ref), 0, "the entry is left empty");
	gpv_test_eq(map1(&op2, self, (grant_ref_t)ref, (unsigned long)win, GNTMAP_host_map),
		    GNTST_general_error, "the revoked grant cannot be mapped again");

	ref = gpv_gnttab_grant(self, ma, false);
	map1(&op, self, (grant_ref_t)ref, (unsigned long)win, GNTMAP_host_map);
	/* Ending it properly (as Linux's gnttab_end_foreign_access) sees the flags. */
	gpv_test_eq(gpv_gnttab_end((grant_ref_t)ref), -XEN_EBUSY, "a proper revoke must wait");
	gpv_test_eq(unmap1(op.handle, (unsigned long)win, 0), GNTST_okay, "unmap");
	map1(&op2, self, (grant_ref_t)ref, 0, GNTMAP_device_map | GNTMAP_readonly);
	gpv_test_check(op2.status == GNTST_okay && op2.handle != op.handle,
		       "the next map gets another handle");
	gpv_test_eq(unmap1(op.handle, (unsigned long)win, 0), GNTST_bad_handle,
		    "the stale handle = bad_handle");
	gpv_test_eq(flags_of(ref), GTF_permit_access | GTF_reading, "the live map is untouched");
	gpv_test_eq(unmap1(op2.handle, 0, ma << 12), GNTST_okay, "unmap the live one");
	restore_va(win);
	gpv_test_eq(gpv_gnttab_end((grant_ref_t)ref), 0, "then the grant ends");
}

/* Maps refs[0..n) PINS_PER_GRANT times each (device, read-only) in batches. */
static unsigned int map_many(const long *refs, unsigned int n, grant_handle_t *h,
			     struct gnttab_map_grant_ref *ops)
{
	unsigned int ok = 0, total = n * PINS_PER_GRANT;

	for (unsigned int i = 0; i < total; i += BATCH) {
		for (unsigned int j = 0; j < BATCH; j++)
			ops[j] = (struct gnttab_map_grant_ref){
				.flags = GNTMAP_device_map | GNTMAP_readonly,
				.ref = (grant_ref_t)refs[(i + j) / PINS_PER_GRANT],
				.dom = self
			};
		if (gop(GNTTABOP_map_grant_ref, ops, BATCH))
			return ok;
		for (unsigned int j = 0; j < BATCH; j++)
			if (ops[j].status == GNTST_okay)
				h[ok++] = ops[j].handle;
	}
	return ok;
}

static void check_many(void)
{
	static grant_handle_t h[MANY_GRANTS * PINS_PER_GRANT];
	static long refs[MANY_GRANTS];
	struct gnttab_map_grant_ref *ops = gpv_page_alloc(), op;
	struct gnttab_unmap_grant_ref *un = (void *)ops;
	uint8_t *a = gpv_page_alloc();
	unsigned long ma = gpv_virt_to_mfn(a);
	unsigned int n, undone = 0, distinct = 1;

	gpv_test_area("gnttab map: pin limits, 4,096+ maptrack entries");
	for (unsigned int i = 0; i < MANY_GRANTS; i++)
		refs[i] = gpv_gnttab_grant(self, ma, true);
	n = map_many(refs, MANY_GRANTS, h, ops);
	gpv_test_eq(n, MANY_GRANTS * PINS_PER_GRANT, "5,120 device maps of 40 grants");
	for (unsigned int i = 1; i < n; i++)
		distinct += h[i] != h[i - 1];
	gpv_test_eq(distinct, n, "each with its own handle");
	gpv_test_eq(map1(&op, self, (grant_ref_t)refs[0], 0, GNTMAP_device_map | GNTMAP_readonly),
		    GNTST_general_error,
		    "a 129th read-only device pin of one grant = general_error");
	gpv_test_eq(map1(&op, self, (grant_ref_t)refs[0], 0, GNTMAP_device_map),
		    GNTST_general_error, "a writable map of a read-only grant = general_error");
	for (unsigned int i = 0; i < n; i += 128) {
		unsigned int m = n - i < 128 ? n - i : 128;

		for (unsigned int j = 0; j < m; j++)
			un[j] = (struct gnttab_unmap_grant_ref){ .dev_bus_addr = ma << 12,
								 .handle = h[i + j] };
		if (gop(GNTTABOP_unmap_grant_ref, un, m))
			break;
		for (unsigned int j = 0; j < m; j++)
			undone += un[j].status == GNTST_okay;
	}
	gpv_test_eq(undone, n, "every one unmaps");
	gpv_test_eq(flags_of(refs[MANY_GRANTS - 1]), GTF_permit_access | GTF_readonly,
		    "the entries are clear again");
	for (unsigned int i = 0; i < MANY_GRANTS; i++)
		gpv_gnttab_end((grant_ref_t)refs[i]);
}

int gpv_main(void)
{
	self = gpv_is_dom0() ? 0 : (domid_t)DOMID_SELF;
	if (!gpv_test_eq(gpv_gnttab_init(GPV_GNTTAB_MAX_FRAMES), 0, "grant table set up"))
		return gpv_test_finish();
	check_host_map();
	check_readonly();
	check_device_and_replace();
	check_refusals();
	check_revoked_and_stale();
	check_many();
	return gpv_test_finish();
}
