// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's LDT, with Xen 4.17's semantics (xen/arch/x86/mm.c
 * MMUEXT_SET_LDT, pv/descriptor-tables.c pv_destroy_ldt, pv/mm.c
 * pv_map_ldt_shadow_page, traps.c handle_gdt_ldt_mapping_fault):
 *
 *   HV_LDT_VIRT + cpu * 64 KiB   CPU cpu's LDT area, 16 PTEs in one L1 of
 *                                the hypervisor's shared slot 260; the
 *                                LDTR of a vCPU with an LDT points here
 *   v->arch.ldt_shadow[n]        the frame mapped as LDT page n (a general
 *                                and a descriptor-page type ref), or 0
 *   area_owner[cpu]              the vCPU whose shadow that area mirrors
 *
 * SET_LDT only records base and count. The first descriptor load touching
 * LDT page n faults in the area: the guest page at ldt_base + n * 4 KiB (in
 * its kernel tables) gets the descriptor-page type, which validates all its
 * descriptors and keeps any writable mapping away while it is an LDT page,
 * and is mapped there; a page that is not mapped, not the domain's, mapped
 * writable or holding a bad descriptor gives the guest #PF at that address.
 * The mappings and refs go (pv_ldt_destroy) when the LDT changes, at a
 * new base pointer other than the current one and at vCPU teardown; the
 * next load maps them again. As in Xen 4.17 built without PV_LDT_PAGING
 * (Debian's), the guest's unmapping an LDT page does not drop the shadow:
 * it holds refs of its own, so the page stays a descriptor page until then.
 *
 * Locks: mm_lock over the shadow and the areas (frame-table refs).
 */
#include <asm/canonical.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/pv/ldt.h>
#include <asm/pv/mm.h>
#include <asm/traps.h>
#include <asm/x86.h>
#include <lamina/arch.h>
#include <lamina/domain.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <xen/errno.h>

#define LDT_PAGES (HV_LDT_AREA_SIZE / PAGE_SIZE)
#define LDT_PTE (PTE_P | PTE_RW | PTE_A | PTE_D | PTE_NX)

static uint64_t *area_l1; /* the areas' PTEs: CPU c's at area_l1[c * LDT_PAGES] */
static const struct vcpu *area_owner[HV_MAX_CPUS];

static uint64_t area_va(unsigned int cpu)
{
	return HV_LDT_VIRT + (uint64_t)cpu * HV_LDT_AREA_SIZE;
}

int pv_ldt_init(void)
{
	area_l1 = paging_l1e(HV_LDT_VIRT);
	return area_l1 ? 0 : -XEN_ENOMEM;
}

/* Writes v's shadow into CPU cpu's area (v runs there, or nothing does). */
static void area_mirror(unsigned int cpu, const struct vcpu *v)
{
	uint64_t *pte = &area_l1[cpu * LDT_PAGES];

	for (unsigned int n = 0; n < LDT_PAGES; n++) {
		uint64_t mfn = v ? v->arch.ldt_shadow[n] : 0;
		uint64_t e = mfn ? (mfn << PAGE_SHIFT) | LDT_PTE : 0;

		if (pte[n] != e) {
			pte[n] = e;
			if (cpu == this_cpu()->id)
				invlpg(area_va(cpu) + n * PAGE_SIZE);
		}
	}
	area_owner[cpu] = v;
}

void pv_ldt_load(struct vcpu *v)
{
	unsigned int cpu = this_cpu()->id;
	uint64_t *gdt = arch_cpu_gdt(cpu), base = area_va(cpu), lim;

	if (!v->arch.ldt_ents) {
		asm volatile("lldt %w0" : : "r"((uint16_t)0));
		return;
	}
	spin_lock(&mm_lock);
	if (area_owner[cpu] != v)
		area_mirror(cpu, v);
	spin_unlock(&mm_lock);
	lim = v->arch.ldt_ents * 8ULL - 1;
	gdt[HV_LDT_SEL >> 3] = (lim & 0xffff) | ((base & 0xffffff) << 16) | (0x82ULL << 40) |
			       ((lim >> 16) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[(HV_LDT_SEL >> 3) + 1] = base >> 32;
	asm volatile("lldt %w0" : : "r"((uint16_t)HV_LDT_SEL));
}

bool pv_ldt_destroy_locked(struct mm_ctx *c, struct vcpu *v)
{
	bool mapped = false;

	for (unsigned int n = 0; n < LDT_PAGES; n++) {
		if (!v->arch.ldt_shadow[n])
			continue;
		mm_put_page_and_type(c, v->arch.ldt_shadow[n]);
		v->arch.ldt_shadow[n] = 0;
		mapped = true;
	}
	if (!mapped)
		return false;
	/*
	 * Every area mirroring v empties. Another CPU's TLB may still hold
	 * its old entries: that CPU reloads CR3 (and so flushes them) before
	 * it runs a vCPU again; while v itself runs there, the flush of
	 * c->need_flush reaches it (mm_ctx_flush).
	 */
	for (unsigned int cpu = 0; cpu < HV_MAX_CPUS; cpu++)
		if (area_owner[cpu] == v)
			area_mirror(cpu, v);
	c->need_flush = true;
	return true;
}

void pv_ldt_destroy(struct vcpu *v)
{
	struct mm_ctx c;

	mm_ctx_init(&c, v->domain, v->domain->id);
	spin_lock(&mm_lock);
	pv_ldt_destroy_locked(&c, v);
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
}

void pv_set_ldt(struct vcpu *v, uint64_t base, unsigned int ents)
{
	if (v->arch.ldt_base == base && v->arch.ldt_ents == ents)
		return;
	pv_ldt_destroy(v);
	v->arch.ldt_base = base;
	v->arch.ldt_ents = ents;
	pv_ldt_load(v);
}

/* Takes the guest's LDT page n (from its kernel tables) as v's shadow page n. */
static bool map_page(struct vcpu *v, unsigned int n, unsigned int cpu)
{
	struct domain *d = v->domain;
	uint64_t l1, e, mfn;
	unsigned int slot;
	struct mm_ctx c;
	bool ok = false;

	mm_ctx_init(&c, d, d->id);
	spin_lock(&mm_lock);
	if (v->arch.ldt_shadow[n]) {
		ok = true; /* a stale TLB entry of a page mapped since */
	} else if (!pv_mm_l1_of(v, v->arch.ldt_base + n * PAGE_SIZE, &l1, &slot)) {
		e = ((uint64_t *)mfn_to_virt(_mfn(l1)))[slot];
		mfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
		ok = (e & PTE_P) && mm_get_page_and_type(&c, mfn, d->id, MM_PGT_SEG_DESC) == 0;
		if (ok)
			v->arch.ldt_shadow[n] = mfn;
	}
	if (ok && area_owner[cpu] == v)
		area_mirror(cpu, v);
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
	return ok;
}

static bool in_area(uint64_t cr2, uint64_t *off)
{
	uint64_t base = area_va(this_cpu()->id);

	*off = cr2 - base;
	return cr2 >= base && *off < HV_LDT_AREA_SIZE;
}

bool pv_ldt_map(struct vcpu *v, uint64_t cr2)
{
	uint64_t off;

	if (!v || !in_area(cr2, &off))
		return false;
	/* The LDTR's limit keeps loads below ldt_ents; a fault above is not a load. */
	if (off / 8 >= v->arch.ldt_ents || area_owner[this_cpu()->id] != v)
		return false;
	return map_page(v, (unsigned int)(off / PAGE_SIZE), this_cpu()->id);
}

bool pv_ldt_page_fault(struct vcpu *v, struct cpu_regs *regs)
{
	uint64_t cr2 = read_cr2(), off, va;

	if (!in_area(cr2, &off))
		return false;
	if (pv_ldt_map(v, cr2))
		return true;
	/* As Xen: #PF at the LDT's own address, #GP(selector) where that is not canonical. */
	va = v->arch.ldt_base + off;
	if (is_canonical_address(va)) {
		write_cr2(va);
		pv_inject_exception(v, regs, TRAP_PF, (int64_t)regs->error_code);
	} else {
		pv_inject_exception(v, regs, TRAP_GP, (int64_t)((off & ~3ULL) | 4));
	}
	return true;
}
