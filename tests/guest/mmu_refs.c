// SPDX-License-Identifier: MIT
/*
 * mmu_refs: the reference-counted PV MMU as Xen 4.17 runs it, from a dom0
 * kernel: page types that follow references (a pinned table cannot be
 * mapped writable; unpinned and unreferenced it can again; a table still
 * referenced by another stays typed), pins, wrong levels, linear (recursive)
 * L4 entries, MACHPHYS, CLEAR/COPY_PAGE, writable page tables (direct mov,
 * xchg and lock and into a pinned L1), and hostile arguments: the
 * hypervisor's range, its L4 slots, non-canonical addresses, huge counts,
 * bad pointers, foreign domain ids; I/O memory (caching made uncacheable,
 * the APICs refused). Every answer is the one real Xen gives.
 */
#include <gpv/gpv.h>
#include <gpv/hypercall.h>
#include <gpv/mm.h>
#include <gpv/page.h>
#include <gpv/probe.h>
#include <gpv/test.h>

#define P 1UL
#define RW 2UL
#define US 4UL
#define ADDR(e) ((e)&0x000ffffffffff000UL)
#define UNMAPPED 0x00007f0000000000UL
#define NONCANON 0x8000000000000000UL
#define XENRANGE 0xffff830000000000UL

static long ext(unsigned int cmd, unsigned long mfn)
{
	struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };

	return gpv_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static long map(const void *va, unsigned long mfn, unsigned long flags)
{
	return gpv_update_va_mapping((unsigned long)va, (mfn << 12) | flags, UVMF_INVLPG);
}

static long mmu1(uint64_t ptr, uint64_t val, unsigned int foreigndom)
{
	mmu_update_t req = { .ptr = ptr, .val = val };

	return gpv_mmu_update(&req, 1, NULL, foreigndom);
}

static unsigned long mfn_of(const void *va)
{
	return gpv_virt_to_mfn(va);
}

/* A fresh page made read-only (a table candidate); NULL when out of pages. */
static uint64_t *ro_page(void)
{
	uint64_t *p = gpv_page_alloc();

	if (p && map(p, mfn_of(p), P | US))
		return NULL;
	return p;
}

static void check_types(void)
{
	uint64_t *l1 = ro_page(), *l2 = ro_page();
	unsigned long m1 = mfn_of(l1), m2 = mfn_of(l2);

	gpv_test_area("mmu_refs: types follow references");
	if (!gpv_test_check(l1 && l2, "two table candidates"))
		return;
	gpv_test_eq(ext(MMUEXT_PIN_L1_TABLE, m1), 0, "pin an empty L1");
	gpv_test_eq(ext(MMUEXT_PIN_L1_TABLE, m1), -XEN_EINVAL, "pin it twice = -EINVAL");
	gpv_test_eq(ext(MMUEXT_PIN_L2_TABLE, m1), -XEN_EINVAL, "pin it as an L2 = -EINVAL");
	gpv_test_eq(map(l1, m1, P | RW | US), -XEN_EBUSY, "map the pinned L1 writable = -EBUSY");
	gpv_test_eq(ext(MMUEXT_UNPIN_TABLE, m1), 0, "unpin it");
	gpv_test_eq(ext(MMUEXT_UNPIN_TABLE, m1), -XEN_EINVAL, "unpin it twice = -EINVAL");
	gpv_test_eq(map(l1, m1, P | RW | US), 0, "unpinned and unreferenced: writable again");
	gpv_test_eq(ext(MMUEXT_PIN_L1_TABLE, m1), -XEN_EINVAL,
		    "pinning a page mapped writable = -EINVAL");
	gpv_test_eq(map(l1, m1, P | US), 0, "read-only again");
	/* An L2 that references the L1 keeps it a table after its unpin. */
	gpv_test_eq(ext(MMUEXT_PIN_L1_TABLE, m1), 0, "pin the L1 again");
	gpv_test_eq(mmu1(((uint64_t)m2 << 12) | MMU_NORMAL_PT_UPDATE, (m1 << 12) | P | RW | US,
			 DOMID_SELF),
		    0, "mmu_update into a read-only plain page (the L2 to be)");
	gpv_test_eq(ext(MMUEXT_PIN_L2_TABLE, m2), 0, "pin the L2 that maps the L1");
	gpv_test_eq(ext(MMUEXT_PIN_L3_TABLE, m2), -XEN_EINVAL,
		    "an L3 whose entry is an L1 (wrong level) = -EINVAL");
	gpv_test_eq(ext(MMUEXT_UNPIN_TABLE, m1), 0, "unpin the L1 (still in use by the L2)");
	gpv_test_eq(map(l1, m1, P | RW | US), -XEN_EBUSY, "an L1 in use stays a table (-EBUSY)");
	gpv_test_eq(ext(MMUEXT_CLEAR_PAGE, m2), -XEN_EINVAL, "CLEAR_PAGE of a table = -EINVAL");
	gpv_test_eq(ext(MMUEXT_UNPIN_TABLE, m2), 0, "unpin the L2");
	gpv_test_eq(map(l1, m1, P | RW | US), 0, "the L1 lost its type with the L2's");
	gpv_test_eq(map(l2, m2, P | RW | US), 0, "and the L2 is a plain page again");
	gpv_test_check(ADDR(l2[0]) >> 12 == m1, "the L2's entry is still there to read");
}

static void check_pse_and_flags(void)
{
	uint64_t *l2 = ro_page(), *data = gpv_page_alloc();
	unsigned long m2 = mfn_of(l2);

	gpv_test_area("mmu_refs: flags");
	if (!gpv_test_check(l2 && data, "pages"))
		return;
	gpv_test_eq(mmu1(((uint64_t)m2 << 12) | MMU_NORMAL_PT_UPDATE,
			 ((uint64_t)mfn_of(data) << 12) | P | US | 0x80, DOMID_SELF),
		    0, "a PSE-looking value into a plain page is just stored");
	gpv_test_eq(ext(MMUEXT_PIN_L2_TABLE, m2), -XEN_EINVAL, "an L2 with a superpage = -EINVAL");
	gpv_test_eq(ext(MMUEXT_MARK_SUPER, m2), -XEN_EOPNOTSUPP, "MARK_SUPER = -EOPNOTSUPP");
	gpv_test_eq(ext(MMUEXT_UNMARK_SUPER, m2), -XEN_EOPNOTSUPP, "UNMARK_SUPER = -EOPNOTSUPP");
	gpv_test_eq(
		gpv_update_va_mapping((unsigned long)data,
				      ((uint64_t)mfn_of(data) << 12) | P | RW | US | (1UL << 52),
				      UVMF_INVLPG),
		0, "an available high bit (52) is the guest's");
	gpv_test_eq(map(data, mfn_of(data), P | RW | US), 0, "and back");
}

/*
 * I/O memory as Xen maps it for dom0 (get_page_from_l1e): a write-back
 * mapping made uncacheable in place (PWT|PCD), other caching kept; the I/O
 * APIC and the HPET read-only; the MSI / local APIC range refused
 * (-EPERM), as frames beyond the CPU's width; the highest frame number
 * -EINVAL; a xen-heap page (shared_info) only write-back (-EACCES).
 */
static void check_io(void)
{
	uint64_t *data = gpv_page_alloc(), e[4];
	unsigned long va = (unsigned long)data;

	gpv_test_area("mmu_refs: I/O memory");
	if (!gpv_test_check(data, "a page"))
		return;
	gpv_test_eq(map(data, 0xa0, P | RW | US), 0, "the VGA frame 0xa0, write-back: mapped");
	gpv_test_checkf(gpv_pt_walk(va, e) == 4 && (e[3] & 0x98) == 0x18,
			"made uncacheable (PWT|PCD) in place", "entry %#lx", (unsigned long)e[3]);
	gpv_test_eq(map(data, 0xa0, P | RW | US | 0x10), 0, "again with PCD only (UC-)");
	gpv_test_checkf(gpv_pt_walk(va, e) == 4 && (e[3] & 0x98) == 0x10, "kept as asked",
			"entry %#lx", (unsigned long)e[3]);
	gpv_test_eq(map(data, 0xfec00, P | RW | US), 0, "the I/O APIC, writable: mapped");
	gpv_test_checkf(gpv_pt_walk(va, e) == 4 && (e[3] & (RW | 0x98)) == 0x18,
			"read-only and uncacheable", "entry %#lx", (unsigned long)e[3]);
	gpv_test_eq(map(data, 0xfee00, P | US), -XEN_EPERM, "the local APIC (MSI range) = -EPERM");
	gpv_test_eq(map(data, 0xfeeff, P | US), -XEN_EPERM, "the MSI range's last frame = -EPERM");
	gpv_test_eq(map(data, 0xfed00, P | RW | US), 0, "the HPET, writable: mapped");
	gpv_test_checkf(gpv_pt_walk(va, e) == 4 && !(e[3] & RW), "read-only (Xen's ro_hpet)",
			"entry %#lx", (unsigned long)e[3]);
	gpv_test_eq(map(data, 0xffffffffffUL, P | US), -XEN_EINVAL, "the highest frame = -EINVAL");
	gpv_test_eq(map(data, 1UL << 39, P | US), -XEN_EPERM, "a frame beyond 2^51 bytes = -EPERM");
	gpv_test_eq(map(data, gpv_start_info->shared_info >> 12, P | US | 0x10), -XEN_EACCES,
		    "shared_info uncached (a xen-heap page) = -EACCES");
	gpv_test_eq(map(data, gpv_start_info->shared_info >> 12, P | US), 0,
		    "shared_info write-back: mapped");
	gpv_test_eq(map(data, mfn_of(data), P | RW | US | 0x10), 0,
		    "its own frame uncached: mapped");
	gpv_test_eq(map(data, mfn_of(data), P | RW | US), 0, "and back to its own frame");
}

/* The L4 this kernel runs on, its machine address, and a free guest slot. */
static void check_l4(void)
{
	const uint64_t *l4 = (const uint64_t *)gpv_start_info->pt_base;
	uint64_t l4m = (uint64_t)mfn_of(l4) << 12;
	unsigned int slot = 300;

	gpv_test_area("mmu_refs: the L4");
	gpv_test_check(l4[slot] == 0, "slot 300 is free");
	gpv_test_eq(mmu1((l4m + 8 * slot) | MMU_NORMAL_PT_UPDATE, l4m | P | RW | US, DOMID_SELF),
		    -XEN_EINVAL, "a writable recursive L4 entry = -EINVAL");
	gpv_test_eq(mmu1((l4m + 8 * slot) | MMU_NORMAL_PT_UPDATE, l4m | P | US, DOMID_SELF), 0,
		    "a read-only recursive L4 entry is allowed");
	gpv_test_eq(mmu1((l4m + 8 * slot) | MMU_NORMAL_PT_UPDATE, 0, DOMID_SELF), 0,
		    "and cleared again");
	gpv_test_eq(mmu1((l4m + 8 * 260) | MMU_NORMAL_PT_UPDATE, 0, DOMID_SELF), -XEN_EINVAL,
		    "writing a hypervisor L4 slot (260) = -EINVAL");
	gpv_test_eq(mmu1((l4m + 8 * 256) | MMU_NORMAL_PT_UPDATE, l4m | P | US, DOMID_SELF),
		    -XEN_EINVAL, "writing the RO M2P slot (256) = -EINVAL");
	gpv_test_eq(map(l4, mfn_of(l4), P | RW | US), -XEN_EBUSY,
		    "mapping the running L4 writable = -EBUSY");
	gpv_test_eq(ext(MMUEXT_UNPIN_TABLE, mfn_of(l4)), 0,
		    "the builder's pinned L4 can be unpinned (it stays the base pointer)");
	gpv_test_eq(map(l4, mfn_of(l4), P | RW | US), -XEN_EBUSY, "still a table while in use");
	gpv_test_eq(ext(MMUEXT_PIN_L4_TABLE, mfn_of(l4)), 0, "and pinned again");
}

static void check_ptwr(void)
{
	uint64_t *l1 = ro_page(), *data = gpv_page_alloc();
	unsigned long m1 = mfn_of(l1);
	uint64_t pte = ((uint64_t)mfn_of(data) << 12) | P | RW | US, old;

	gpv_test_area("mmu_refs: writable page tables");
	if (!gpv_test_check(l1 && data, "pages"))
		return;
	gpv_test_eq(gpv_vm_assist(VMASST_CMD_enable, VMASST_TYPE_writable_pagetables), 0,
		    "VMASST_TYPE_writable_pagetables on");
	gpv_test_eq(ext(MMUEXT_PIN_L1_TABLE, m1), 0, "pin an L1 (mapped read-only)");
	gpv_test_check(gpv_probe_write((unsigned long)&l1[3], pte),
		       "a mov into the pinned L1 is emulated");
	gpv_test_eq((long)(ADDR(l1[3]) >> 12), (long)mfn_of(data), "the entry holds the frame");
	gpv_test_check(l1[3] & RW, "writable, as written");
	gpv_test_eq(map(data, mfn_of(data), P | US), 0,
		    "the data page mapped read-only elsewhere too");
	gpv_test_eq(map(data, mfn_of(data), P | RW | US), 0, "and writable again");
	__atomic_fetch_and(&l1[3], ~RW, __ATOMIC_SEQ_CST); /* lock and */
	gpv_test_check(!(l1[3] & RW), "lock and cleared RW");
	old = __atomic_exchange_n(&l1[3], 0, __ATOMIC_SEQ_CST); /* xchg */
	gpv_test_eq((long)(ADDR(old) >> 12), (long)mfn_of(data), "xchg returned the old entry");
	gpv_test_eq((long)l1[3], 0, "and cleared it");
	gpv_test_check(!gpv_probe_write((unsigned long)&l1[4], ((uint64_t)m1 << 12) | P | RW | US),
		       "a write making the L1 map itself writable faults");
	gpv_test_eq((long)(gpv_last_fault.vector), 14, "as a #PF");
	gpv_test_eq((long)(gpv_last_fault.error & 3), 3, "present, write");
	gpv_test_eq((long)gpv_last_fault.cr2, (long)(unsigned long)&l1[4], "at the entry");
	gpv_test_eq((long)l1[4], 0, "nothing was written");
	gpv_test_eq(ext(MMUEXT_UNPIN_TABLE, m1), 0, "unpin");
	gpv_test_eq(map(data, mfn_of(data), P | RW | US), 0, "the data page unaffected");
}

static void check_page_ops(void)
{
	uint64_t *a = gpv_page_alloc(), *b = gpv_page_alloc();
	struct mmuext_op op = { .cmd = MMUEXT_COPY_PAGE };

	gpv_test_area("mmu_refs: CLEAR_PAGE, COPY_PAGE, MACHPHYS");
	if (!gpv_test_check(a && b, "pages"))
		return;
	a[7] = 0x1234;
	b[9] = 0x5678;
	op.arg1.mfn = mfn_of(b);
	op.arg2.src_mfn = mfn_of(a);
	gpv_test_eq(gpv_mmuext_op(&op, 1, NULL, DOMID_SELF), 0, "COPY_PAGE");
	gpv_test_check(b[7] == 0x1234 && b[9] == 0, "copied");
	gpv_test_eq(ext(MMUEXT_CLEAR_PAGE, mfn_of(a)), 0, "CLEAR_PAGE");
	gpv_test_check(a[7] == 0, "cleared");
	op.arg1.mfn = mfn_of((void *)gpv_start_info->pt_base);
	gpv_test_eq(gpv_mmuext_op(&op, 1, NULL, DOMID_SELF), -XEN_EINVAL,
		    "COPY_PAGE onto the L4 = -EINVAL");
	gpv_test_eq(ext(MMUEXT_CLEAR_PAGE, 1UL << 40), -XEN_EINVAL,
		    "CLEAR_PAGE beyond memory = -EINVAL");
	gpv_test_eq(mmu1(((uint64_t)mfn_of(a) << 12) | MMU_MACHPHYS_UPDATE,
			 gpv_mfn_to_pfn(mfn_of(a)), DOMID_SELF),
		    0, "MACHPHYS_UPDATE of an own frame");
	gpv_test_eq(mmu1((0xa0UL << 12) | MMU_MACHPHYS_UPDATE, 5, DOMID_SELF), -XEN_EINVAL,
		    "MACHPHYS_UPDATE of an I/O frame = -EINVAL");
}

/* As Linux batches them: remap read-only, pin, fill through mmu_update, unpin, remap writable. */
static void check_multicall(void)
{
	uint64_t *l1 = gpv_page_alloc(), *data = gpv_page_alloc();
	unsigned long m1 = mfn_of(l1);
	struct mmuext_op pin = { .cmd = MMUEXT_PIN_L1_TABLE, .arg1.mfn = m1 };
	struct mmuext_op unpin = { .cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = m1 };
	mmu_update_t req = { .ptr = ((uint64_t)m1 << 12) + 8 * 5,
			     .val = ((uint64_t)mfn_of(data) << 12) | P | RW | US };
	multicall_entry_t mc[6] = {
		{ .op = __HYPERVISOR_update_va_mapping,
		  .args = { (unsigned long)l1, ((uint64_t)m1 << 12) | P | US, UVMF_INVLPG } },
		{ .op = __HYPERVISOR_mmuext_op, .args = { (unsigned long)&pin, 1, 0, DOMID_SELF } },
		{ .op = __HYPERVISOR_mmu_update,
		  .args = { (unsigned long)&req, 1, 0, DOMID_SELF } },
		{ .op = __HYPERVISOR_update_va_mapping,
		  .args = { (unsigned long)l1, ((uint64_t)m1 << 12) | P | RW | US, UVMF_INVLPG } },
		{ .op = __HYPERVISOR_mmuext_op,
		  .args = { (unsigned long)&unpin, 1, 0, DOMID_SELF } },
		{ .op = __HYPERVISOR_update_va_mapping,
		  .args = { (unsigned long)l1, ((uint64_t)m1 << 12) | P | RW | US, UVMF_INVLPG } },
	};

	gpv_test_area("mmu_refs: a multicall of MMU ops");
	if (!gpv_test_check(l1 && data, "pages"))
		return;
	gpv_test_eq(gpv_multicall(mc, 6), 0, "the multicall returns 0");
	gpv_test_eq((long)mc[0].result, 0, "update_va_mapping read-only: 0");
	gpv_test_eq((long)mc[1].result, 0, "PIN_L1_TABLE: 0");
	gpv_test_eq((long)mc[2].result, 0, "mmu_update into the pinned L1: 0");
	gpv_test_eq((long)mc[3].result, -XEN_EBUSY, "mapping it writable while pinned: -EBUSY");
	gpv_test_eq((long)mc[4].result, 0, "UNPIN_TABLE: 0");
	gpv_test_eq((long)mc[5].result, 0, "and now writable: 0");
	gpv_test_eq((long)(ADDR(l1[5]) >> 12), (long)mfn_of(data),
		    "the entry written in the batch");
}

/* Long batches: Xen continues them (MMU_UPDATE_PREEMPTED); the guest sees one call. */
static void check_long_batches(void)
{
	static mmu_update_t reqs[1000];
	static struct mmuext_op ops[700];
	uint64_t *l1 = ro_page(), *data = gpv_page_alloc();
	unsigned int done = 0;

	gpv_test_area("mmu_refs: long batches");
	if (!gpv_test_check(l1 && data, "pages"))
		return;
	gpv_test_eq(ext(MMUEXT_PIN_L1_TABLE, mfn_of(l1)), 0, "pin an L1");
	for (unsigned int i = 0; i < 1000; i++) {
		reqs[i].ptr = (((uint64_t)mfn_of(l1) << 12) + 8 * (i % 512)) | MMU_NORMAL_PT_UPDATE;
		reqs[i].val = ((uint64_t)mfn_of(data) << 12) | P | US | (i < 512 ? RW : 0);
	}
	gpv_test_eq(gpv_mmu_update(reqs, 1000, &done, DOMID_SELF), 0, "mmu_update of 1000");
	gpv_test_eq(done, 1000, "all 1000 done");
	gpv_test_check(!(l1[0] & RW) && !(l1[487] & RW) && (l1[500] & RW),
		       "the later updates won over the earlier ones");
	for (unsigned int i = 0; i < 700; i++)
		ops[i] = (struct mmuext_op){ .cmd = MMUEXT_INVLPG_LOCAL,
					     .arg1.linear_addr = (unsigned long)data };
	ops[699] = (struct mmuext_op){ .cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = mfn_of(l1) };
	done = 0;
	gpv_test_eq(gpv_mmuext_op(ops, 700, &done, DOMID_SELF), 0, "mmuext_op of 700");
	gpv_test_eq(done, 700, "all 700 done (the last an unpin)");
	gpv_test_eq(map(l1, mfn_of(l1), P | RW | US), 0, "so the L1 is a plain page again");
}

static void check_hostile(void)
{
	char *page = gpv_page_alloc();
	uint64_t pte = ((uint64_t)mfn_of(page) << 12) | P | RW | US;
	mmu_update_t req = { .ptr = 0, .val = 0 };
	struct mmuext_op op = { .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = NONCANON };
	unsigned int done = 77;

	gpv_test_area("mmu_refs: hostile arguments");
	gpv_test_eq(gpv_update_va_mapping(XENRANGE, pte, UVMF_INVLPG), -XEN_EINVAL,
		    "update_va_mapping in the hypervisor's range = -EINVAL");
	gpv_test_eq(gpv_update_va_mapping(NONCANON, pte, UVMF_INVLPG), -XEN_EINVAL,
		    "update_va_mapping of a non-canonical va = -EINVAL");
	gpv_test_eq(gpv_mmuext_op(&op, 1, NULL, DOMID_SELF), 0,
		    "INVLPG_LOCAL of a non-canonical va does nothing (0)");
	op.cmd = MMUEXT_INVLPG_ALL;
	gpv_test_eq(gpv_mmuext_op(&op, 1, NULL, DOMID_SELF), 0, "INVLPG_ALL likewise");
	op = (struct mmuext_op){ .cmd = MMUEXT_TLB_FLUSH_MULTI };
	op.arg2.vcpumask.p = (void *)UNMAPPED;
	gpv_test_eq(gpv_mmuext_op(&op, 1, NULL, DOMID_SELF), -XEN_EINVAL,
		    "TLB_FLUSH_MULTI with a bad mask pointer = -EINVAL");
	gpv_test_eq(gpv_update_va_mapping((unsigned long)page, pte, UVMF_INVLPG | UNMAPPED),
		    -XEN_EFAULT, "update_va_mapping with a bad mask pointer = -EFAULT");
	gpv_test_eq(gpv_mmu_update((mmu_update_t *)UNMAPPED, 0x7fffffff, &done, DOMID_SELF),
		    -XEN_EFAULT, "mmu_update of 2^31-1 requests at an unmapped address = -EFAULT");
	gpv_test_eq(done, 0, "none done");
	gpv_test_eq(
		gpv_mmu_update((mmu_update_t *)0x00007ffffffff000UL, 0x7fffffff, NULL, DOMID_SELF),
		-XEN_EFAULT, "a request array running out of the guest's half = -EFAULT");
	gpv_test_eq(gpv_mmuext_op((struct mmuext_op *)UNMAPPED, 0x7fffffff, NULL, DOMID_SELF),
		    -XEN_EFAULT, "mmuext_op of 2^31-1 ops at an unmapped address = -EFAULT");
	req.ptr = ((uint64_t)mfn_of(page) << 12) | MMU_NORMAL_PT_UPDATE;
	gpv_test_eq(gpv_mmu_update(&req, 1, (unsigned int *)UNMAPPED, DOMID_SELF), 0,
		    "a bad done pointer is ignored (0)");
	gpv_test_eq(gpv_mmu_update(&req, 1, NULL, 0), -XEN_ESRCH,
		    "foreigndom = its own id = -ESRCH");
	gpv_test_eq(gpv_mmu_update(&req, 1, NULL, 4321), -XEN_ESRCH,
		    "foreigndom = no such domain = -ESRCH");
	gpv_test_eq(
		GPV_HC4(__HYPERVISOR_mmu_update, &req, 1, NULL, (4321UL + 1) << 16 | DOMID_SELF),
		-XEN_ESRCH, "pt owner = no such domain = -ESRCH");
	gpv_test_eq(ext(MMUEXT_PIN_L1_TABLE, 0xa0), -XEN_EINVAL,
		    "pinning an I/O frame (VGA) = -EINVAL");
	op = (struct mmuext_op){ .cmd = MMUEXT_TLB_FLUSH_LOCAL };
	gpv_test_eq(gpv_mmuext_op(&op, 1, NULL, DOMID_IO), -XEN_EPERM,
		    "TLB_FLUSH_LOCAL for DOMID_IO = -EPERM");
	op = (struct mmuext_op){ .cmd = MMUEXT_SET_LDT,
				 .arg1.linear_addr = 0x1001,
				 .arg2.nr_ents = 1 };
	gpv_test_eq(gpv_mmuext_op(&op, 1, NULL, DOMID_SELF), -XEN_EINVAL,
		    "SET_LDT at a misaligned address = -EINVAL");
	op.arg1.linear_addr = 0x1000;
	op.arg2.nr_ents = 8193;
	gpv_test_eq(gpv_mmuext_op(&op, 1, NULL, DOMID_SELF), -XEN_EINVAL,
		    "SET_LDT of 8193 entries = -EINVAL");
	op = (struct mmuext_op){ .cmd = 99 };
	gpv_test_eq(gpv_mmuext_op(&op, 1, NULL, DOMID_SELF), -XEN_ENOSYS,
		    "an unknown mmuext command = -ENOSYS");
	gpv_test_eq(gpv_xen_version(XENVER_version, NULL) > 0, 1, "the hypervisor still answers");
}

static long resv(unsigned int op, xen_pfn_t *list, unsigned long n, unsigned int order, domid_t dom)
{
	struct xen_memory_reservation r = { .nr_extents = n, .extent_order = order, .domid = dom };

	set_xen_guest_handle(r.extent_start, list);
	return gpv_memory_op(op, &r);
}

static long reservation(domid_t dom)
{
	return gpv_memory_op(XENMEM_current_reservation, &dom);
}

static void check_reservation(void)
{
	long base = reservation(DOMID_SELF);
	xen_pfn_t f[2] = { 0, 0 };
	struct xen_memory_exchange x = { .nr_exchanged = 5 };
	struct xen_add_to_physmap a = { .domid = DOMID_SELF, .space = XENMAPSPACE_shared_info };

	gpv_test_area("mmu_refs: memory reservations");
	gpv_test_check(base > 0, "current_reservation");
	gpv_test_eq(resv(XENMEM_increase_reservation, f, 1, 0, DOMID_SELF), 1,
		    "increase_reservation by one frame");
	gpv_test_check(f[0] != 0, "its MFN was written back");
	gpv_test_eq(reservation(DOMID_SELF), base + 1, "the reservation grew by one");
	gpv_test_eq(mmu1(((uint64_t)f[0] << 12) | MMU_MACHPHYS_UPDATE, 0x12345, DOMID_SELF), 0,
		    "the new frame is the domain's (MACHPHYS_UPDATE works)");
	gpv_test_eq((long)gpv_mfn_to_pfn(f[0]), 0x12345, "and the M2P shows it");
	gpv_test_eq(resv(XENMEM_decrease_reservation, f, 1, 0, DOMID_SELF), 1,
		    "decrease_reservation gives it back");
	gpv_test_eq(reservation(DOMID_SELF), base, "the reservation is back");
	gpv_test_check(gpv_mfn_to_pfn(f[0]) == GPV_INVALID, "and the M2P forgot the frame");
	gpv_test_eq(resv(XENMEM_decrease_reservation, f, 1, 0, DOMID_SELF), 0,
		    "giving it back twice does nothing (0 done)");
	f[0] = 0xa0;
	gpv_test_eq(resv(XENMEM_decrease_reservation, f, 1, 0, DOMID_SELF), 0,
		    "an I/O frame cannot be given back (0 done)");
	f[0] = 0x54321;
	gpv_test_eq(resv(XENMEM_populate_physmap, f, 1, 0, DOMID_SELF), 1, "populate_physmap");
	gpv_test_eq((long)gpv_mfn_to_pfn(f[0]), 0x54321, "the M2P maps the new frame to the gpfn");
	gpv_test_eq(resv(XENMEM_decrease_reservation, f, 1, 0, DOMID_SELF), 1, "and back");
	gpv_test_eq(resv(XENMEM_increase_reservation, f, 1, 19, DOMID_SELF), 0,
		    "an extent of order 19 is refused (0 done)");
	gpv_test_eq(resv(XENMEM_increase_reservation, f, 1UL << 27, 0, DOMID_SELF), 0,
		    "2^27 extents cannot be continued: 0 done");
	gpv_test_eq(resv(XENMEM_populate_physmap, (xen_pfn_t *)UNMAPPED, 1, 0, DOMID_SELF), 0,
		    "populate_physmap with a bad list: 0 done");
	gpv_test_eq(resv(XENMEM_increase_reservation, f, 1, 0, 4321), 0,
		    "for no such domain: 0 done");
	gpv_test_eq(reservation(4321), -XEN_ESRCH, "current_reservation of no domain = -ESRCH");
	gpv_test_eq(reservation(DOMID_SELF), base, "nothing leaked");
	x.in.nr_extents = 1;
	gpv_test_eq(gpv_memory_op(XENMEM_exchange, &x), -XEN_EINVAL,
		    "exchange with nr_exchanged past the end = -EINVAL");
	gpv_test_eq(gpv_memory_op(XENMEM_exchange, (void *)UNMAPPED), -XEN_EFAULT,
		    "exchange with a bad pointer = -EFAULT");
	gpv_test_eq(gpv_memory_op(XENMEM_add_to_physmap, &a), -XEN_EACCES,
		    "add_to_physmap for a PV domain = -EACCES");
	a.space = XENMAPSPACE_gmfn_foreign;
	gpv_test_eq(gpv_memory_op(XENMEM_add_to_physmap, &a), -XEN_ENOSYS,
		    "add_to_physmap of a foreign frame = -ENOSYS");
}

int gpv_main(void)
{
	check_types();
	check_pse_and_flags();
	check_l4();
	check_ptwr();
	check_page_ops();
	check_multicall();
	check_long_batches();
	check_hostile();
	check_reservation();
	check_io();
	return gpv_test_finish();
}
