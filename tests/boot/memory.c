// SPDX-License-Identifier: GPL-2.0-only
/*
 * A dom0 that checks what memory_op tells it against start_info and the
 * read-only M2P: reservations and page counts, the M2P's range (and that it
 * translates its own frames back), the machine memory map (at least its own
 * memory, and the "one more entry" rule), and the refusals.
 */
#include <gpv/gpv.h>
#include <gpv/mm.h>
#include <gpv/test.h>

struct e820 {
	uint64_t addr, size;
	uint32_t type;
} __attribute__((packed));

static struct e820 map[32];

int gpv_main(void)
{
	const start_info_t *si = gpv_start_info;
	domid_t self = DOMID_SELF, other = 5;
	struct xen_machphys_mapping mp;
	struct xen_memory_map mm;
	const unsigned long *m2p = (const unsigned long *)0xffff800000000000UL;
	uint64_t ram = 0;
	bool msi = false, sorted = true;

	gpv_test_area("memory_op");
	gpv_test_eq(gpv_memory_op(XENMEM_current_reservation, &self), (long)si->nr_pages,
		    "current_reservation = nr_pages");
	gpv_test_eq(gpv_memory_op(XENMEM_maximum_reservation, &self), 0xffffffffL,
		    "maximum_reservation = UINT_MAX (dom0_mem gave no max)");
	gpv_test_eq(gpv_memory_op(XENMEM_maximum_gpfn, &self), 0,
		    "maximum_gpfn = 0 while shared_info's max_pfn is unset");
	gpv_shared_info->arch.max_pfn = si->nr_pages;
	gpv_test_eq(gpv_memory_op(XENMEM_maximum_gpfn, &self), (long)si->nr_pages - 1,
		    "maximum_gpfn = max_pfn - 1 once the guest sets it");
	gpv_test_eq(gpv_memory_op(XENMEM_current_reservation, &other), -XEN_ESRCH,
		    "another domain's reservation = -ESRCH");
	gpv_test_check(gpv_memory_op(XENMEM_maximum_ram_page, NULL) > (long)si->nr_pages,
		       "maximum_ram_page is above dom0's size");
	gpv_test_eq(gpv_memory_op(XENMEM_machphys_mapping, &mp), 0, "machphys_mapping");
	gpv_test_eq((long)mp.v_start, (long)0xffff800000000000UL,
		    "the M2P starts at Xen's address");
	gpv_test_check(mp.max_mfn >= gpv_pfn_to_mfn(si->nr_pages - 1), "and covers dom0's frames");
	gpv_test_eq((long)m2p[gpv_pfn_to_mfn(5)], 5, "the M2P maps frame 5 back to pfn 5");
	gpv_test_eq((long)m2p[gpv_pfn_to_mfn(si->nr_pages - 1)], (long)si->nr_pages - 1,
		    "and the last pfn too");
	mm.nr_entries = 32;
	set_xen_guest_handle(mm.buffer, (void *)map);
	gpv_test_eq(gpv_memory_op(XENMEM_machine_memory_map, &mm), 0, "machine_memory_map");
	for (unsigned int i = 0; i < mm.nr_entries && i < 32; i++) {
		gpv_printf("INFO: e820 %u %#lx %#lx %u\n", i, (unsigned long)map[i].addr,
			   (unsigned long)map[i].size, map[i].type);
		if (map[i].type == 1)
			ram += map[i].size;
		msi |= map[i].addr == 0xfee00000UL && map[i].size == 0x100000 && map[i].type == 2;
		sorted &= i == 0 || map[i].addr >= map[i - 1].addr + map[i - 1].size;
	}
	gpv_test_check(msi, "the MSI range (local APIC) is a reserved entry: dom0 may not map it");
	gpv_test_check(sorted, "the entries are in address order and do not overlap");
	gpv_test_checkf(ram >= si->nr_pages * 4096, "the machine has at least dom0's memory",
			"%lu entries, %lu bytes of RAM", (unsigned long)mm.nr_entries, ram);
	/* mm.nr_entries now holds exactly the count: no spare entry. */
	gpv_test_eq(gpv_memory_op(XENMEM_machine_memory_map, &mm), -XEN_EINVAL,
		    "a buffer with no spare entry = -EINVAL (as Xen)");
	gpv_test_eq(gpv_memory_op(XENMEM_machine_memory_map, (void *)0x00007f0000000000UL),
		    -XEN_EFAULT, "machine_memory_map from an unmapped argument = -EFAULT");
	gpv_test_eq(gpv_memory_op(XENMEM_memory_map, &mm), -XEN_ENOSYS,
		    "memory_map = -ENOSYS (no map was set, as Xen)");
	gpv_test_eq(gpv_memory_op(63, NULL), -XEN_ENOSYS, "an unknown sub-op = -ENOSYS");
	gpv_test_eq(gpv_memory_op(XENMEM_current_reservation | (1 << 6), &self), -XEN_EINVAL,
		    "current_reservation with a start extent = -EINVAL (as Xen)");
	gpv_test_eq(gpv_memory_op(XENMEM_maximum_ram_page | (1 << 6), NULL), -XEN_EINVAL,
		    "maximum_ram_page with a start extent = -EINVAL");
	gpv_test_eq(gpv_memory_op(XENMEM_machphys_mapping | (1 << 6), &mp), -XEN_ENOSYS,
		    "machphys_mapping with a start extent = -ENOSYS (Xen's arch sub-ops)");
	return gpv_test_finish();
}
