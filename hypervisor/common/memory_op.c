// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory_op, the read-only sub-ops a PV kernel asks first (as Xen 4.17's
 * common/memory.c and arch/x86/mm.c answer a PV dom0): the reservation and
 * page counts, the M2P's place, the machine memory map (the RAM ranges the
 * loader reported). XENMEM_memory_map is -ENOSYS, as Xen answers a domain
 * that was given no map (the guest then uses nr_pages). The sub-ops that
 * change memory wait for the reference-counted MMU: -ENOSYS.
 */
#include <lamina/boot.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/mm.h>
#include <xen/errno.h>
#include <xen/memory.h>

#define E820_RAM 1
/* The sub-op is the low 6 bits; the rest is a continuation's start extent. */
#define MEMOP_CMD_MASK 0x3f
/* Tools-only sub-ops (<xen/memory.h> hides them from guests): 18 and 19. */
#define XENMEM_SHARING_FREED 18
#define XENMEM_SHARING_SHARED 19

/* Xen's e820 entry as the guest reads it: 20 bytes, packed. */
struct e820_entry {
	uint64_t addr, size;
	uint32_t type;
} __attribute__((packed));

/* The domain a domid_t argument names: only the caller itself for now. */
static struct domain *arg_domain(uint64_t arg)
{
	domid_t id;
	struct domain *d = current_vcpu()->domain;

	if (copy_from_guest(&id, arg, sizeof(id)))
		return NULL;
	return (id == DOMID_SELF || id == d->id) ? d : NULL;
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

long do_memory_op(uint64_t cmd, uint64_t arg)
{
	struct domain *d;

	switch (cmd & MEMOP_CMD_MASK) {
	case XENMEM_maximum_ram_page:
		return (long)mm_max_mfn();
	case XENMEM_current_reservation:
		d = arg_domain(arg);
		return d ? (long)d->nr_pages : -XEN_ESRCH;
	case XENMEM_maximum_reservation:
		/* dom0 has no upper bound unless dom0_mem=max: says so: Xen's UINT_MAX. */
		d = arg_domain(arg);
		return d ? (long)UINT32_MAX : -XEN_ESRCH;
	case XENMEM_maximum_gpfn: {
		/* For PV, Xen reads the guest's own shared_info arch.max_pfn. */
		uint64_t max_pfn;

		d = arg_domain(arg);
		if (!d)
			return -XEN_ESRCH;
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
	case XENMEM_SHARING_FREED:
	case XENMEM_SHARING_SHARED:
		return 0; /* no memory sharing */
	default:
		return -XEN_ENOSYS;
	}
}
