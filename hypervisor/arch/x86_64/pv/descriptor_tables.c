// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's GDT (xen/arch/x86/pv/descriptor-tables.c): set_gdt and
 * update_descriptor. A GDT frame must be the guest's own ordinary page and
 * must not be mapped writable anywhere (every L1 the domain has is
 * scanned); it then becomes a descriptor page, which no mapping may make
 * writable. Each descriptor is checked by the PV-logic module
 * asm/descriptor.h (Xen's check_descriptor, compared with Xen 4.17):
 * not-present is harmless, code/data segments get DPL 3, type 0 is allowed,
 * 64-bit call gates to guest code are made to fault, every other system
 * descriptor is refused. Checked descriptors are written back into the frame
 * and copied into the CPU's GDT below Xen's reserved entries.
 */
#include <asm/descriptor.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/pv/emul.h>
#include <asm/pv/hypercalls.h>
#include <asm/x86.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <xen/errno.h>

#define GDT_MAX_FRAMES 14

/* Checks and fixes one descriptor (asm/descriptor.h: Xen's check_descriptor). */
static bool check_descriptor(uint64_t *desc)
{
	return pv_check_descriptor(desc);
}

/* Copies the guest's descriptors into this CPU's GDT. */
static void load_gdt(struct vcpu *v)
{
	uint64_t *gdt = arch_cpu_gdt(this_cpu()->id);

	memset(gdt, 0, HV_GDT_FIRST_RESERVED * sizeof(uint64_t));
	for (unsigned int i = 0; i < v->arch.gdt_ents; i++)
		gdt[i] = ((uint64_t *)mfn_to_virt(_mfn(v->arch.gdt_frames[i / 512])))[i % 512];
}

long pv_hc_set_gdt(struct cpu_regs *r, const uint64_t a[6])
{
	struct vcpu *v = current_vcpu();
	struct domain *d = v->domain;
	uint64_t frames[GDT_MAX_FRAMES], entries = a[1];
	unsigned int nr = (unsigned int)((entries + 511) / 512);

	(void)r;
	if (entries > HV_GDT_FIRST_RESERVED)
		return -XEN_EINVAL;
	if (nr && copy_from_guest(frames, a[0], nr * sizeof(frames[0])))
		return -XEN_EFAULT;
	/* Check everything first. */
	for (unsigned int f = 0; f < nr; f++) {
		enum frame_type t = mm_frame_type(_mfn(frames[f]));
		bool current = false;

		for (unsigned int i = 0; i < v->arch.gdt_nr_frames; i++)
			current |= v->arch.gdt_frames[i] == frames[f];
		if (t != FT_GUEST_RW && !(t == FT_GUEST_SEGDESC && current))
			return -XEN_EINVAL;
		if (t == FT_GUEST_RW && pv_mapped_writable(d, frames[f]))
			return -XEN_EINVAL;
		for (unsigned int i = 0; i < 512 && f * 512 + i < entries; i++) {
			uint64_t desc = ((uint64_t *)mfn_to_virt(_mfn(frames[f])))[i];

			if (!check_descriptor(&desc))
				return -XEN_EINVAL;
		}
	}
	/* Then switch: the old frames become ordinary pages again. */
	for (unsigned int i = 0; i < v->arch.gdt_nr_frames; i++)
		mm_set_frame_type(_mfn(v->arch.gdt_frames[i]), FT_GUEST_RW);
	for (unsigned int f = 0; f < nr; f++) {
		uint64_t *p = mfn_to_virt(_mfn(frames[f]));

		mm_set_frame_type(_mfn(frames[f]), FT_GUEST_SEGDESC);
		for (unsigned int i = 0; i < 512 && f * 512 + i < entries; i++)
			check_descriptor(&p[i]);
		v->arch.gdt_frames[f] = frames[f];
	}
	v->arch.gdt_nr_frames = nr;
	v->arch.gdt_ents = (unsigned int)entries;
	load_gdt(v);
	/* No stale writable TLB entry may outlive the type change. */
	write_cr3(read_cr3());
	return 0;
}

long pv_hc_update_descriptor(struct cpu_regs *r, const uint64_t a[6])
{
	struct vcpu *v = current_vcpu();
	uint64_t pa = a[0], desc = a[1], mfn = pa >> PAGE_SHIFT;
	enum frame_type t = mm_frame_type(_mfn(mfn));

	(void)r;
	if (pa & 7)
		return -XEN_EINVAL;
	if (t != FT_GUEST_RW && t != FT_GUEST_SEGDESC)
		return -XEN_EINVAL;
	if (!check_descriptor(&desc))
		return -XEN_EINVAL;
	*(uint64_t *)maddr_to_virt(pa) = desc;
	if (t == FT_GUEST_SEGDESC) {
		for (unsigned int f = 0; f < v->arch.gdt_nr_frames; f++) {
			unsigned int idx = f * 512 + (unsigned int)((pa & (PAGE_SIZE - 1)) / 8);

			if (v->arch.gdt_frames[f] == mfn && idx < v->arch.gdt_ents)
				arch_cpu_gdt(this_cpu()->id)[idx] = desc;
		}
	}
	return 0;
}
