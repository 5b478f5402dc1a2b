// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory_op, the read-only sub-ops a PV kernel asks first (as Xen 4.17's
 * common/memory.c and arch/x86/mm.c answer a PV dom0): the reservation and
 * page counts, the M2P's place and its 2 MiB chunks' MFNs, the machine
 * memory map (the RAM ranges the loader reported). A domain's own map
 * (XENMEM_set_memory_map / XENMEM_memory_map) is common/memory_map.c's; the
 * sub-ops that change memory are common/memory_reservation.c's,
 * XENMEM_acquire_resource common/memory_resource.c's.
 */
#include <lamina/boot.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/memory.h>
#include <lamina/mm.h>
#include <xen/errno.h>
#include <xen/memory.h>

#define E820_RAM 1
/* The sub-op is the low 6 bits; the rest is a continuation's start extent. */
#define MEMOP_CMD_MASK 0x3f
#define MEMOP_EXTENT_SHIFT 6
/* Tools-only sub-ops (<xen/memory.h> hides them from guests): 18 and 19. */
#define XENMEM_SHARING_FREED 18
#define XENMEM_SHARING_SHARED 19

/* Xen's e820 entry as the guest reads it: 20 bytes, packed. */
struct e820_entry {
	uint64_t addr, size;
	uint32_t type;
} __attribute__((packed));

/* The domain a domid_t argument names (memory_target): 0, -EFAULT, -ESRCH, -EPERM. */
static int arg_domain(uint64_t arg, struct domain **d)
{
	domid_t id;

	if (copy_from_guest(&id, arg, sizeof(id)))
		return -XEN_EFAULT;
	return memory_target(id, d);
}

static long machine_memory_map(uint64_t arg)
{
	struct xen_memory_map map;
	const struct boot_info *bi = hv_boot_info;
	uint64_t buf;

	if (current_vcpu()->domain->id != 0)
		return -XEN_EPERM;
	if (copy_from_guest(&map, arg, sizeof(map)))
		return -XEN_EFAULT;
	/* As Xen: the buffer must have room for one more entry than it gets. */
	if (bi->nr_ranges + 1 > map.nr_entries)
		return -XEN_EINVAL;
	buf = (uint64_t)map.buffer.p;
	for (unsigned int i = 0; i < bi->nr_ranges; i++) {
		struct e820_entry e = { bi->ram[i].start, bi->ram[i].end - bi->ram[i].start,
					E820_RAM };

		if (copy_to_guest(buf + i * sizeof(e), &e, sizeof(e)))
			return -XEN_EFAULT;
	}
	map.nr_entries = bi->nr_ranges;
	return copy_to_guest(arg, &map, sizeof(map)) ? -XEN_EFAULT : 0;
}

/* The M2P's 2 MiB chunks, as Xen's subarch_memory_op lists its superpages. */
static long machphys_mfn_list(uint64_t arg)
{
	struct xen_machphys_mfn_list l;
	unsigned int i;

	if (copy_from_guest(&l, arg, sizeof(l)))
		return -XEN_EFAULT;
	for (i = 0; i != l.max_extents && mm_m2p_chunk_mfn(i) != INVALID_MFN_RAW; i++) {
		xen_pfn_t m = mm_m2p_chunk_mfn(i);

		if (copy_to_guest((uint64_t)l.extent_start.p + i * sizeof(m), &m, sizeof(m)))
			return -XEN_EFAULT;
	}
	l.nr_extents = i;
	return copy_to_guest(arg, &l, sizeof(l)) ? -XEN_EFAULT : 0;
}

long do_memory_op(const uint64_t a[HYPERCALL_NR_ARGS])
{
	uint64_t cmd = a[0], arg = a[1];
	unsigned int op = cmd & MEMOP_CMD_MASK;
	struct domain *d;
	int rc;

	switch (op) {
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
		return memory_reservation(op, (cmd & 0xffffffffU) >> MEMOP_EXTENT_SHIFT, arg);
	case XENMEM_exchange:
		return memory_exchange(arg);
	case XENMEM_add_to_physmap:
		return memory_add_to_physmap((cmd & 0xffffffffU) >> MEMOP_EXTENT_SHIFT, arg);
	case XENMEM_maximum_ram_page:
		return (long)mm_max_mfn();
	case XENMEM_current_reservation:
		rc = arg_domain(arg, &d);
		return rc ? rc : (long)d->tot_pages;
	case XENMEM_maximum_reservation:
		/* dom0 has no upper bound unless dom0_mem=max: says so: Xen's UINT_MAX. */
		rc = arg_domain(arg, &d);
		return rc ? rc : (long)d->max_pages;
	case XENMEM_maximum_gpfn: {
		/* For PV, Xen reads the guest's own shared_info arch.max_pfn. */
		uint64_t max_pfn;

		rc = arg_domain(arg, &d);
		if (rc)
			return rc;
		max_pfn = d->shared_info->arch.max_pfn;
		return (long)(max_pfn ? max_pfn : 1) - 1;
	}
	case XENMEM_machphys_mapping: {
		struct xen_machphys_mapping m = {
			.v_start = MACH2PHYS_VIRT_START,
			.v_end = MACH2PHYS_VIRT_END,
			.max_mfn = mm_max_mfn() - 1,
		};

		return copy_to_guest(arg, &m, sizeof(m)) ? -XEN_EFAULT : 0;
	}
	case XENMEM_machine_memory_map:
		return machine_memory_map(arg);
	case XENMEM_acquire_resource:
		return memory_acquire_resource((cmd & 0xffffffffU) >> MEMOP_EXTENT_SHIFT, arg);
	case XENMEM_set_memory_map:
		return memory_set_map(arg);
	case XENMEM_memory_map:
		return memory_get_map(arg);
	case XENMEM_machphys_mfn_list:
		return machphys_mfn_list(arg);
	case XENMEM_SHARING_FREED:
	case XENMEM_SHARING_SHARED:
		return 0; /* no memory sharing */
	default:
		return -XEN_ENOSYS;
	}
}
