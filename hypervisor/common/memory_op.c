// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory_op, the read-only sub-ops a PV kernel asks first (as Xen 4.17's
 * common/memory.c and arch/x86/mm.c answer a PV dom0): the reservation and
 * page counts, the M2P's place and its 2 MiB chunks' MFNs, the machine
 * memory map (the loader's, with the I/O memory dom0 may not map). A domain's own map
 * (XENMEM_set_memory_map / XENMEM_memory_map) is common/memory_map.c's; the
 * sub-ops that change memory are common/memory_reservation.c's,
 * XENMEM_acquire_resource common/memory_resource.c's.
 */
#include <lamina/arch.h>
#include <lamina/boot.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/memory.h>
#include <lamina/mm.h>
#include <xen/errno.h>
#include <xen/memory.h>

#define E820_RESERVED 2
#define MAX_IO_RANGES 16
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

/* Where the machine memory map goes, and how far it got (Xen's memory_map_context). */
struct mmap_out {
	uint64_t buf;	  /* the guest's array, 0: only count */
	unsigned int max; /* its nr_entries */
	unsigned int n;	  /* entries so far */
	uint64_t s;	  /* the first frame not described yet */
	uint64_t io_end;  /* frames from here on are beyond the CPU's width */
};

/*
 * The hardware domain may map [s, e]: what lies between the last frame
 * described and s, I/O memory it may not map, is a reserved entry (Xen's
 * _handle_iomem_range); the map goes on after e.
 */
static int mapped_from(struct mmap_out *o, uint64_t s, uint64_t e)
{
	if (s > o->s && s < o->io_end) {
		struct e820_entry ent = { o->s << PAGE_SHIFT, (s - o->s) << PAGE_SHIFT,
					  E820_RESERVED };

		if (o->buf && o->n + 1 >= o->max)
			return -XEN_EINVAL;
		if (o->buf && copy_to_guest(o->buf + o->n * sizeof(ent), &ent, sizeof(ent)))
			return -XEN_EFAULT;
		o->n++;
	}
	o->s = e + 1;
	return 0;
}

/*
 * The frames of [s, e] the hardware domain may map, range by range, in
 * order; an I/O APIC page is a hole whatever its rights (Xen's
 * handle_iomem_range).
 */
static int mappable(struct mmap_out *o, const struct arch_io_range *io, unsigned int nr, uint64_t s,
		    uint64_t e)
{
	int rc = 0;

	if (e >= o->io_end)
		e = o->io_end - 1;
	for (unsigned int i = 0; i < nr && s <= e && !rc; i++) {
		if (io[i].kind == ARCH_IO_RO || io[i].last < s || io[i].first > e)
			continue;
		if (io[i].first > s)
			rc = mapped_from(o, s, io[i].first - 1);
		s = io[i].last + 1;
	}
	return !rc && s <= e ? mapped_from(o, s, e) : rc;
}

/*
 * Xen's XENMEM_machine_memory_map: the loader's map, every type, with the
 * I/O memory between its entries that the hardware domain may not map
 * (arch_io_ranges) as reserved entries; the buffer needs a spare entry.
 */
static long machine_memory_map(uint64_t arg)
{
	const struct boot_info *bi = hv_boot_info;
	struct arch_io_range io[MAX_IO_RANGES];
	struct xen_memory_map map;
	struct mmap_out o = { 0 };
	unsigned int nd, i;
	int rc;

	if (!current_vcpu()->domain->is_privileged)
		return -XEN_EPERM;
	if (copy_from_guest(&map, arg, sizeof(map)))
		return -XEN_EFAULT;
	o.buf = (uint64_t)map.buffer.p;
	o.max = map.nr_entries;
	if (o.buf && o.max < bi->nr_map + 1)
		return -XEN_EINVAL;
	if (o.buf && !guest_range_ok(o.buf, (uint64_t)o.max * sizeof(struct e820_entry)))
		return -XEN_EFAULT;
	nd = arch_io_ranges(io, MAX_IO_RANGES, &o.io_end);
	for (i = 0; i < bi->nr_map; i++, o.n++) {
		const struct boot_map_entry *m = &bi->map[i];
		struct e820_entry e = { m->start, m->end - m->start, m->type };
		uint64_t s = m->start >> PAGE_SHIFT;

		rc = s > o.s ? mappable(&o, io, nd, o.s, s - 1) : 0;
		if (!rc && s > o.s)
			rc = mapped_from(&o, s, s);
		if (!rc && o.buf && o.max <= o.n + (bi->nr_map - i))
			rc = -XEN_EINVAL;
		if (!rc && o.buf && copy_to_guest(o.buf + o.n * sizeof(e), &e, sizeof(e)))
			rc = -XEN_EFAULT;
		if (rc)
			return rc;
		o.s = (m->end + PAGE_SIZE - 1) >> PAGE_SHIFT;
	}
	if (o.s) {
		rc = mappable(&o, io, nd, o.s, ~0ULL);
		if (!rc && o.s)
			rc = mapped_from(&o, ~0ULL, ~0ULL);
		if (rc)
			return rc;
	}
	map.nr_entries = o.n;
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

/* The sub-ops Xen's common do_memory_op answers; a start extent is -EINVAL where it means nothing. */
static long common_op(unsigned int op, uint64_t start, uint64_t arg)
{
	struct domain *d;
	int rc;

	switch (op) {
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
		return memory_reservation(op, start, arg);
	case XENMEM_add_to_physmap:
		return memory_add_to_physmap(start, arg);
	case XENMEM_acquire_resource:
		return memory_acquire_resource(start, arg);
	}
	if (start)
		return -XEN_EINVAL;
	if (op == XENMEM_exchange)
		return memory_exchange(arg);
	if (op == XENMEM_maximum_ram_page)
		return (long)mm_max_mfn();
	rc = arg_domain(arg, &d);
	if (rc)
		return rc;
	if (op == XENMEM_current_reservation)
		return (long)d->tot_pages;
	/* dom0 has no upper bound unless dom0_mem=max: says so: Xen's UINT_MAX. */
	if (op == XENMEM_maximum_reservation)
		return (long)d->max_pages;
	/* XENMEM_maximum_gpfn: for PV, Xen reads the guest's own shared_info arch.max_pfn. */
	return (long)(d->shared_info->arch.max_pfn ? d->shared_info->arch.max_pfn : 1) - 1;
}

/* Xen's arch_memory_op / subarch_memory_op: they switch on the whole cmd (a start extent: -ENOSYS). */
static long arch_op(uint64_t cmd, uint64_t arg)
{
	switch (cmd) {
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

long do_memory_op(const uint64_t a[HYPERCALL_NR_ARGS])
{
	uint64_t cmd = a[0], arg = a[1];
	unsigned int op = cmd & MEMOP_CMD_MASK;

	switch (op) {
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
	case XENMEM_add_to_physmap:
	case XENMEM_acquire_resource:
	case XENMEM_exchange:
	case XENMEM_maximum_ram_page:
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn:
		return common_op(op, cmd >> MEMOP_EXTENT_SHIFT, arg);
	default:
		return arch_op(cmd, arg);
	}
}
