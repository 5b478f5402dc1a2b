// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PTEs of grant host mappings for PV guests (xen/arch/x86/pv/grant_table.c
 * create_grant_pv_mapping, replace_grant_pv_mapping, steal_linear_address).
 *
 *   addr    a linear address, whose L1 entry is found through the vCPU's
 *           kernel tables (validated tables only), or with
 *           GNTMAP_contains_pte the 8-aligned machine address of an entry
 *           in a page of the caller's that is an L1 table
 *   entry   frame | P A D NX, RW unless GNTMAP_readonly, US with
 *           GNTMAP_application_map (else Xen's guest-kernel bit), the
 *           GNTMAP_guest_avail bits in AVAIL; written with an exchange
 *
 * Both hooks run under mm_lock, in the grant op's mm_ctx. Unmaps flush this
 * CPU's translations of the changed addresses, and the whole TLB of every
 * other CPU the domain is loaded on (mm_flush_cpus); when there is no other
 * (arch_gnttab_flush_local), the invlpg is all, done under the locks.
 *
 * The grant code holds the new entry's references; a replaced entry's own
 * references are dropped (create), or handed over to the grant entry's
 * slot (replace with new_addr, whose entry is taken away).
 */
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/x86.h>
#include <lamina/domain.h>
#include <lamina/grant_table.h>
#include <lamina/mm.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include <asm/pv/mm.h>

#define GRANT_AVAIL_SHIFT 9 /* PTE bits 9-11 */

static uint64_t grant_pte(uint64_t mfn, unsigned int flags)
{
	uint64_t e = (mfn << PAGE_SHIFT) | PTE_P | PTE_A | PTE_D | PTE_NX;

	if (!(flags & GNTMAP_readonly))
		e |= PTE_RW;
	e |= (uint64_t)((flags >> _GNTMAP_guest_avail0) & 7) << GRANT_AVAIL_SHIFT;
	/* Xen's adjust_guest_l1e for a 64-bit PV guest. */
	if (flags & GNTMAP_application_map)
		e |= PTE_US | PTE_G;
	else
		e |= PTE_US | MM_PTE_GUEST_KERNEL;
	return e;
}

/* The L1 table and slot addr names (see above), under mm_lock: 0 or -EINVAL. */
static int find_l1e(uint64_t addr, unsigned int flags, uint64_t *l1, unsigned int *slot)
{
	struct vcpu *v = this_vcpu();
	const struct page_info *pg;

	if (flags & GNTMAP_contains_pte) {
		if (addr & 7)
			return -XEN_EINVAL; /* "misaligned PTE address" */
		*l1 = addr >> PAGE_SHIFT;
		*slot = (unsigned int)((addr & (PAGE_SIZE - 1)) / 8);
	} else if (pv_mm_l1_of(v, addr, l1, slot)) {
		return -XEN_EINVAL; /* "could not find L1 PTE for linear address" */
	}
	pg = mm_frame_info(*l1);
	if (!pg || pg->owner != v->domain->id || pg->type != MM_PGT_L1 ||
	    !(pg->flags & MM_PGF_VALIDATED) || !pg->type_count)
		return -XEN_EINVAL;
	return 0;
}

int16_t arch_gnttab_create_host_mapping(struct mm_ctx *c, uint64_t addr, uint64_t mfn,
					unsigned int flags)
{
	unsigned int slot;
	uint64_t l1;

	if (find_l1e(addr, flags, &l1, &slot))
		return GNTST_general_error;
	mm_l1e_put(c, __atomic_exchange_n(&mm_env_map(l1)[slot], grant_pte(mfn, flags),
					  __ATOMIC_SEQ_CST));
	return GNTST_okay;
}

/* Takes the entry mapping linear address va away (Xen's steal_linear_address). */
static int steal(uint64_t va, uint64_t *out)
{
	unsigned int slot;
	uint64_t l1;

	if (find_l1e(va, 0, &l1, &slot))
		return -XEN_EINVAL;
	*out = __atomic_exchange_n(&mm_env_map(l1)[slot], 0, __ATOMIC_SEQ_CST);
	return 0;
}

int16_t arch_gnttab_replace_host_mapping(struct mm_ctx *c, uint64_t addr, uint64_t mfn,
					 uint64_t new_addr, unsigned int flags)
{
	uint64_t l1, *p, old, want = grant_pte(mfn, flags), repl = 0;
	int16_t st = GNTST_general_error;
	unsigned int slot;

	/* Replacing is not offered with a PTE address. */
	if (new_addr && ((flags & GNTMAP_contains_pte) || steal(new_addr, &repl)))
		goto out;
	if (find_l1e(addr, flags, &l1, &slot))
		goto out;
	p = &mm_env_map(l1)[slot];
	old = __atomic_load_n(p, __ATOMIC_SEQ_CST);
	/* It must still map the frame, present and with the grant's rights (the
	 * hardware may set A/D under us: then look again). */
	do {
		if ((old ^ want) & (PTE_ADDR_MASK | PTE_P | PTE_RW))
			goto out;
	} while (!__atomic_compare_exchange_n(p, &old, repl, false, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	st = GNTST_okay;
out:
	/* A stolen entry that found no home: its references are ours to drop. */
	if (st != GNTST_okay)
		mm_l1e_put(c, repl);
	return st;
}

bool arch_gnttab_flush_local(const uint64_t *va, unsigned int n)
{
	const struct percpu *cpu = this_cpu();

	if (mm_tlb_mask(cpu->curr->domain) & ~(1ULL << cpu->id))
		return false;
	for (unsigned int i = 0; i < n; i++)
		if (va[i])
			invlpg(va[i]);
	return true;
}

void arch_gnttab_flush_tlb(const uint64_t *va, unsigned int n)
{
	const struct domain *d = this_vcpu()->domain;
	uint64_t others = mm_tlb_mask(d) & ~(1ULL << this_cpu()->id);

	if (!va) {
		mm_flush_domain(d);
		return;
	}
	for (unsigned int i = 0; i < n; i++)
		invlpg(va[i]);
	/* The domain's other CPUs (its other vCPUs) flush all, as Xen's flush_tlb_mask. */
	if (others)
		mm_flush_cpus(others);
}

void arch_gnttab_cache_clean(const void *va, unsigned int len)
{
	for (uintptr_t p = (uintptr_t)va & ~63UL; p < (uintptr_t)va + len; p += 64)
		asm volatile("clflush (%0)" : : "r"(p) : "memory");
}
