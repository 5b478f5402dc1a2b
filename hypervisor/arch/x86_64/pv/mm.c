// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PV MMU hypercalls for the cases the start-of-day layout needs
 * (update_va_mapping, mmu_update, mmuext_op). At this stage a frame's type
 * only ever goes from ordinary page to page table (the builder's bootstrap
 * tables, and tables the guest pins: checked whole, and only if no L1 maps
 * them writable) and never back, so without reference counts a new entry
 * is safe when it points to a frame of the domain of the right kind:
 *
 *   L1 entry  -> an ordinary page (any rights), a page table (read-only),
 *                or the domain's shared_info; bits 52-62 must be clear
 *   Ln entry  -> a validated table of level n-1, never a superpage
 *   L4 slots 256-271 belong to the hypervisor and are never written
 *
 * Unpinning leaves a table a table (Linux, which frees and reuses them, needs
 * the full MMU); grant mappings are refused until it exists.
 */
#include <asm/paging.h>
#include <asm/pv/dom0_build.h>
#include <asm/pv/emul.h>
#include <asm/pv/hypercalls.h>
#include <asm/x86.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <xen/errno.h>

#define L1_BAD_BITS 0x7ff0000000000000ULL
#define MMU_UPDATE_PREEMPTED 0x80000000U

static bool is_pt(enum frame_type t)
{
	return t >= FT_GUEST_L1 && t <= FT_GUEST_L4;
}

/*
 * Whether val may be written into an entry of a level-level table: 0,
 * -EBUSY for a writable mapping of a page table (Xen 4.17's answer when the
 * type cannot change), -EINVAL otherwise.
 */
static int entry_ok(unsigned int level, uint64_t val)
{
	enum frame_type t;

	if (!(val & PTE_P))
		return 0;
	t = mm_frame_type(_mfn((val & PTE_ADDR_MASK) >> PAGE_SHIFT));
	if (level == 1) {
		if (val & L1_BAD_BITS)
			return -XEN_EINVAL;
		if (t == FT_GUEST_RW || t == FT_SHARED_INFO || t == FT_GUEST_VCPUINFO)
			return 0;
		if (!is_pt(t) && t != FT_GUEST_SEGDESC)
			return -XEN_EINVAL;
		return (val & PTE_RW) ? -XEN_EBUSY : 0;
	}
	if (val & (PTE_PSE | L1_BAD_BITS))
		return -XEN_EINVAL;
	return t == FT_GUEST_L1 + (level - 2) ? 0 : -XEN_EINVAL;
}

/* Writes the entry at machine address pte_ma (in a validated table) if allowed. */
static int write_entry(uint64_t pte_ma, uint64_t val, bool preserve_ad)
{
	mfn_t table = _mfn(pte_ma >> PAGE_SHIFT);
	enum frame_type t = mm_frame_type(table);
	unsigned int level, slot = (pte_ma & (PAGE_SIZE - 1)) / 8;
	uint64_t *e;
	int rc;

	if (!is_pt(t))
		return -XEN_EINVAL;
	level = t - FT_GUEST_L1 + 1;
	if (level == 4 && slot >= HV_FIRST_SLOT && slot <= HV_LAST_SLOT)
		return -XEN_EINVAL;
	if (val & PTE_P)
		val |= PTE_US;
	rc = entry_ok(level, val);
	if (rc)
		return rc;
	e = (uint64_t *)maddr_to_virt(pte_ma & ~7ULL);
	if (preserve_ad)
		val = (val & ~(PTE_A | PTE_D)) | (*e & (PTE_A | PTE_D));
	__atomic_store_n(e, val, __ATOMIC_RELEASE);
	return 0;
}

/* The machine address of va's L1 entry in the kernel tables, or 0. */
static uint64_t l1e_maddr(struct vcpu *v, uint64_t va)
{
	uint64_t table = mfn_x(v->arch.guest_table) << PAGE_SHIFT;

	for (int shift = 39; shift > 12; shift -= 9) {
		uint64_t e = ((uint64_t *)maddr_to_virt(table))[(va >> shift) & 511];

		if (!(e & PTE_P) || (e & PTE_PSE))
			return 0;
		table = e & PTE_ADDR_MASK;
		if (!is_pt(mm_frame_type(_mfn(table >> PAGE_SHIFT))))
			return 0;
	}
	return table + ((va >> 12) & 511) * 8;
}

static void flush(unsigned int type, uint64_t va)
{
	if (type == UVMF_TLB_FLUSH)
		write_cr3(read_cr3());
	else if (type == UVMF_INVLPG)
		invlpg(va);
}

long pv_hc_update_va_mapping(struct cpu_regs *r, const uint64_t a[6])
{
	struct vcpu *v = current_vcpu();
	uint64_t va = a[0], val = a[1], ma;
	unsigned int ftype = a[2] & UVMF_FLUSHTYPE_MASK;
	int rc;

	(void)r;
	if (!pv_canonical(va) || !guest_range_ok(va, 1) || ftype == 3)
		return -XEN_EINVAL;
	ma = l1e_maddr(v, va);
	if (!ma)
		return -XEN_EINVAL;
	rc = write_entry(ma, val, false);
	if (rc)
		return rc;
	flush(ftype, va);
	return 0;
}

static bool own_domain(uint64_t domid)
{
	return (uint16_t)domid == DOMID_SELF || (uint16_t)domid == 0;
}

long pv_hc_mmu_update(struct cpu_regs *r, const uint64_t a[6])
{
	uint64_t list = a[0], count = a[1] & ~(uint64_t)MMU_UPDATE_PREEMPTED, i;
	long rc = 0;

	(void)r;
	if (!own_domain(a[3]))
		return -XEN_ESRCH;
	for (i = 0; i < count; i++) {
		mmu_update_t req;

		if (copy_from_guest(&req, list + i * sizeof(req), sizeof(req))) {
			rc = -XEN_EFAULT;
			break;
		}
		/* As Xen: the command is the low 3 bits (an entry is 8 bytes). */
		switch (req.ptr & 7) {
		case MMU_NORMAL_PT_UPDATE:
		case MMU_PT_UPDATE_NO_TRANSLATE:
		case MMU_PT_UPDATE_PRESERVE_AD:
			rc = write_entry(req.ptr & ~7ULL, req.val,
					 (req.ptr & 7) == MMU_PT_UPDATE_PRESERVE_AD);
			break;
		case MMU_MACHPHYS_UPDATE:
			rc = pv_m2p_set(current_vcpu()->domain, req.ptr >> PAGE_SHIFT, req.val);
			break;
		default:
			rc = -XEN_ENOSYS;
			break;
		}
		if (rc)
			break;
	}
	write_cr3(read_cr3());
	if (a[2] && copy_to_guest(a[2], &i, sizeof(uint32_t)))
		return -XEN_EFAULT;
	return rc;
}

bool pv_mapped_writable(struct domain *d, uint64_t mfn)
{
	for (uint64_t pfn = 0; pfn < d->nr_pages; pfn++) {
		const uint64_t *t;

		if (mm_frame_type(_mfn(d->p2m_base + pfn)) != FT_GUEST_L1)
			continue;
		t = mfn_to_virt(_mfn(d->p2m_base + pfn));
		for (unsigned int i = 0; i < 512; i++)
			if ((t[i] & (PTE_P | PTE_RW)) == (PTE_P | PTE_RW) &&
			    ((t[i] & PTE_ADDR_MASK) >> PAGE_SHIFT) == mfn)
				return true;
	}
	return false;
}

/*
 * Pins mfn as a level-level page table: an ordinary page of the domain that
 * nothing maps writable, whose every entry is one entry_ok() accepts (an L1
 * may not map itself writable), becomes a table for good. Its present
 * entries get _PAGE_USER (the guest kernel runs in ring 3) and an L4 gets
 * the hypervisor's slots. A frame already typed at that level is accepted.
 */
static long pin_table(struct vcpu *v, mfn_t mfn, unsigned int level)
{
	enum frame_type t = mm_frame_type(mfn);
	uint64_t *e;
	int rc;

	if (t == FT_GUEST_L1 + (level - 1)) {
		/* Typed already (the builder's tables): pinned at most once. */
		if (mm_frame_pinned(mfn))
			return -XEN_EINVAL;
		mm_set_frame_pinned(mfn, true);
		return 0;
	}
	if (t != FT_GUEST_RW || pv_mapped_writable(v->domain, mfn_x(mfn)))
		return -XEN_EINVAL;
	e = mfn_to_virt(mfn);
	for (unsigned int i = 0; i < 512; i++) {
		if (level == 4 && i >= HV_FIRST_SLOT && i <= HV_LAST_SLOT)
			continue;
		if (!(e[i] & PTE_P))
			continue;
		/* Mapping itself writable: Xen's answer is -EBUSY. */
		if (level == 1 && (e[i] & PTE_RW) &&
		    ((e[i] & PTE_ADDR_MASK) >> PAGE_SHIFT) == mfn_x(mfn))
			return -XEN_EBUSY;
		rc = entry_ok(level, e[i] | PTE_US);
		if (rc)
			return rc;
	}
	for (unsigned int i = 0; i < 512; i++)
		if ((e[i] & PTE_P) && !(level == 4 && i >= HV_FIRST_SLOT && i <= HV_LAST_SLOT))
			e[i] |= PTE_US;
	if (level == 4) {
		/* As Xen's init_xen_l4_slots: the RO M2P only with m2p_strict. */
		memcpy(&e[HV_FIRST_SLOT], &paging_idle_l4()[HV_FIRST_SLOT],
		       (HV_LAST_SLOT - HV_FIRST_SLOT + 1) * sizeof(uint64_t));
		if (!(v->domain->vm_assist & (1UL << VMASST_TYPE_m2p_strict)))
			e[HV_FIRST_SLOT] = 0;
	}
	mm_set_frame_type(mfn, FT_GUEST_L1 + (level - 1));
	mm_set_frame_pinned(mfn, true);
	/* No stale writable TLB entry may outlive the type change. */
	write_cr3(read_cr3());
	return 0;
}

static long mmuext_one(struct vcpu *v, const struct mmuext_op *op)
{
	mfn_t mfn = _mfn(op->arg1.mfn);
	enum frame_type t = mm_frame_type(mfn);

	switch (op->cmd) {
	case MMUEXT_PIN_L1_TABLE:
	case MMUEXT_PIN_L2_TABLE:
	case MMUEXT_PIN_L3_TABLE:
	case MMUEXT_PIN_L4_TABLE:
		return pin_table(v, mfn, op->cmd + 1);
	case MMUEXT_UNPIN_TABLE:
		/* Unpinned, but a table it stays until the full MMU counts references. */
		if (!is_pt(t) || !mm_frame_pinned(mfn))
			return -XEN_EINVAL;
		mm_set_frame_pinned(mfn, false);
		return 0;
	case MMUEXT_NEW_BASEPTR:
		return pv_new_guest_cr3(v, mfn) ? -XEN_EINVAL : 0;
	case MMUEXT_NEW_USER_BASEPTR:
		if (op->arg1.mfn == 0) {
			v->arch.guest_table_user = _mfn(INVALID_MFN_RAW);
			return 0;
		}
		if (t != FT_GUEST_L4)
			return -XEN_EINVAL;
		v->arch.guest_table_user = mfn;
		return 0;
	case MMUEXT_TLB_FLUSH_LOCAL:
	case MMUEXT_TLB_FLUSH_MULTI:
	case MMUEXT_TLB_FLUSH_ALL:
		write_cr3(read_cr3());
		return 0;
	case MMUEXT_INVLPG_LOCAL:
	case MMUEXT_INVLPG_MULTI:
	case MMUEXT_INVLPG_ALL:
		if (!pv_canonical(op->arg1.linear_addr))
			return -XEN_EINVAL;
		invlpg(op->arg1.linear_addr);
		return 0;
	case MMUEXT_FLUSH_CACHE:
	case MMUEXT_FLUSH_CACHE_GLOBAL:
		return 0;
	case MMUEXT_SET_LDT:
		return op->arg2.nr_ents == 0 ? 0 : -XEN_EOPNOTSUPP;
	case MMUEXT_CLEAR_PAGE:
		if (t != FT_GUEST_RW)
			return -XEN_EINVAL;
		memset(mfn_to_virt(mfn), 0, PAGE_SIZE);
		return 0;
	case MMUEXT_COPY_PAGE:
		if (t != FT_GUEST_RW || mm_frame_type(_mfn(op->arg2.src_mfn)) != FT_GUEST_RW)
			return -XEN_EINVAL;
		memcpy(mfn_to_virt(mfn), mfn_to_virt(_mfn(op->arg2.src_mfn)), PAGE_SIZE);
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}

long pv_hc_mmuext_op(struct cpu_regs *r, const uint64_t a[6])
{
	struct vcpu *v = current_vcpu();
	uint64_t list = a[0], count = a[1] & ~(uint64_t)MMU_UPDATE_PREEMPTED, i;
	long rc = 0;

	(void)r;
	if (!own_domain(a[3]))
		return -XEN_ESRCH;
	for (i = 0; i < count; i++) {
		struct mmuext_op op;

		if (copy_from_guest(&op, list + i * sizeof(op), sizeof(op))) {
			rc = -XEN_EFAULT;
			break;
		}
		rc = mmuext_one(v, &op);
		if (rc)
			break;
	}
	if (a[2] && copy_to_guest(a[2], &i, sizeof(uint32_t)))
		return -XEN_EFAULT;
	return rc;
}
