// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's GDT (xen/arch/x86/pv/descriptor-tables.c): set_gdt and
 * update_descriptor. A GDT frame must be a page of the guest's own that can
 * take the descriptor-page type (asm/page_info.h: so nothing maps it
 * writable, and nothing can while it is part of the GDT). Each descriptor
 * is checked by the PV-logic module
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

/* How many guest entries each CPU's GDT holds (cleared on the next load). */
static unsigned int gdt_loaded[HV_MAX_CPUS];

/*
 * Copies the guest's descriptors into this CPU's GDT, clearing what the
 * previous load left beyond them (not all 7168 slots: this runs at every
 * vCPU switch).
 */
void pv_load_gdt(struct vcpu *v)
{
	unsigned int cpu = this_cpu()->id;
	uint64_t *gdt = arch_cpu_gdt(cpu);

	if (gdt_loaded[cpu] > v->arch.gdt_ents)
		memset(gdt + v->arch.gdt_ents, 0,
		       (gdt_loaded[cpu] - v->arch.gdt_ents) * sizeof(uint64_t));
	gdt_loaded[cpu] = v->arch.gdt_ents;
	for (unsigned int i = 0; i < v->arch.gdt_ents; i++)
		gdt[i] = ((uint64_t *)mfn_to_virt(_mfn(v->arch.gdt_frames[i / 512])))[i % 512];
}

/* Drops the GDT frames' refs (set_gdt replacing them, vCPU teardown). */
static void release_frames(struct mm_ctx *c, const uint64_t *frames, unsigned int nr)
{
	for (unsigned int f = 0; f < nr; f++)
		mm_put_page_and_type(c, frames[f]);
}

long do_set_gdt(const uint64_t a[HYPERCALL_NR_ARGS])
{
	struct vcpu *v = current_vcpu();
	struct domain *d = v->domain;
	uint64_t frames[GDT_MAX_FRAMES], entries = a[1];
	unsigned int nr = (unsigned int)((entries + 511) / 512), f;
	struct mm_ctx c;
	int rc = 0;

	if (entries > HV_GDT_FIRST_RESERVED)
		return -XEN_EINVAL;
	if (nr && copy_from_guest(frames, a[0], nr * sizeof(frames[0])))
		return -XEN_EFAULT;
	/*
	 * Each frame becomes a descriptor page of the domain's: the type ref
	 * validates all its descriptors and keeps every writable mapping away
	 * for as long as it is part of the GDT. Then the old frames' refs go.
	 */
	mm_ctx_init(&c, d, d->id);
	spin_lock(&mm_lock);
	for (f = 0; f < nr && !rc; f++)
		rc = mm_get_page_and_type(&c, frames[f], d->id, MM_PGT_SEG_DESC);
	if (rc) {
		release_frames(&c, frames, f - 1);
	} else {
		release_frames(&c, v->arch.gdt_frames, v->arch.gdt_nr_frames);
		memcpy(v->arch.gdt_frames, frames, nr * sizeof(frames[0]));
		v->arch.gdt_nr_frames = nr;
		v->arch.gdt_ents = (unsigned int)entries;
		pv_load_gdt(v);
	}
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
	return rc ? -XEN_EINVAL : 0;
}

/*
 * update_descriptor: one checked descriptor into a descriptor page or an
 * ordinary page of the caller's (Xen takes a type ref of the page's kind,
 * so a page table is refused), and into the live GDT when it is part of it.
 */
long do_update_descriptor(const uint64_t a[HYPERCALL_NR_ARGS])
{
	struct vcpu *v = current_vcpu();
	uint64_t pa = a[0], desc = a[1], mfn = pa >> PAGE_SHIFT;
	const struct page_info *pg = mm_env_page(mfn);
	struct mm_ctx c;
	enum mm_pgt t;
	int rc;

	if ((pa & 7) || !check_descriptor(&desc) || !pg)
		return -XEN_EINVAL;
	mm_ctx_init(&c, v->domain, v->domain->id);
	spin_lock(&mm_lock);
	t = pg->type == MM_PGT_SEG_DESC ? MM_PGT_SEG_DESC : MM_PGT_WRITABLE;
	rc = mm_get_page_and_type(&c, mfn, v->domain->id, t);
	if (!rc) {
		*(uint64_t *)maddr_to_virt(pa) = desc;
		for (unsigned int f = 0; t == MM_PGT_SEG_DESC && f < v->arch.gdt_nr_frames; f++) {
			unsigned int idx = f * 512 + (unsigned int)((pa & (PAGE_SIZE - 1)) / 8);

			if (v->arch.gdt_frames[f] == mfn && idx < v->arch.gdt_ents)
				arch_cpu_gdt(this_cpu()->id)[idx] = desc;
		}
		mm_put_page_and_type(&c, mfn);
	}
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
	return rc ? -XEN_EINVAL : 0;
}
