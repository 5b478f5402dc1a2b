// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmu_update and update_va_mapping(_otherdomain), with Xen 4.17's semantics
 * (xen/arch/x86/mm.c do_mmu_update, __do_update_va_mapping): every entry a
 * guest writes goes through the frame table's checks (asm/page_info.h), which
 * take the references the new entry needs before it is installed and drop
 * the old entry's after, all under mm_lock.
 *
 *   foreigndom   (pt_owner + 1) << 16 | pg_owner: the tables' domain (0 =
 *                the caller) and the pages' (DOMID_SELF, DOMID_IO, or a
 *                domain the caller is privileged over; naming itself is
 *                -ESRCH, as Xen; DOMID_XEN maps nothing: the hypervisor
 *                shares no page with its privileged guests)
 *   ptr & 7      the command; MMU_NORMAL_PT_UPDATE / PRESERVE_AD /
 *                NO_TRANSLATE write the entry at machine address ptr of a
 *                table of pt_owner's (of a plain page: a checked store, as
 *                Xen); MMU_MACHPHYS_UPDATE sets the M2P entry of a page of
 *                pg_owner's
 */
#include <asm/canonical.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/x86.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <xen/errno.h>
#include <asm/pv/emul.h>
#include <asm/pv/hypercalls.h>
#include <asm/pv/mm.h>

#define MMU_UPDATE_PREEMPTED 0x80000000U
/* Requests one entry into mmu_update / mmuext_op handles before it continues. */
#define MMU_BATCH_PER_ENTRY 256
/*
 * How often, in requests, it looks for a pending timer or event. The timer
 * check reads the local APIC's IRR, an MMIO read that cost more than the rest
 * of an L1 update (and is an exit to the device model under QEMU), so it is
 * not done for every request as Xen's softirq-word check is.
 */
#define MMU_PREEMPT_CHECK_EVERY 16

bool pv_mm_addr_ok(uint64_t va)
{
	return va < (1ULL << 47) || va >= HV_VIRT_END;
}

bool pv_mm_should_continue(uint64_t i)
{
	if (!i)
		return false;
	if (!(i % MMU_BATCH_PER_ENTRY))
		return true;
	return !(i % MMU_PREEMPT_CHECK_EVERY) && hypercall_preempt_check();
}

struct domain *pv_mm_domain(domid_t id)
{
	struct domain *cur = current_vcpu()->domain;

	if (id == DOMID_SELF || id == cur->id)
		return cur;
	return domain_find(id);
}

bool pv_mm_privileged(const struct domain *d)
{
	return d->is_privileged;
}

int pv_mm_pg_owner(struct domain *cur, uint64_t domid, domid_t *out)
{
	domid_t id = (domid_t)domid;

	if (id == DOMID_SELF) {
		*out = cur->id;
		return 0;
	}
	if (id == cur->id)
		return -XEN_ESRCH; /* "cannot specify itself as foreign domain" */
	if (id == DOMID_IO) {
		*out = DOMID_IO;
		return 0;
	}
	if (id != DOMID_XEN && !pv_mm_domain(id))
		return -XEN_ESRCH;
	if (!pv_mm_privileged(cur))
		return -XEN_EPERM;
	*out = id;
	return 0;
}

/* A plain page of pt_owner's: the store Xen makes through a writable type ref. */
static int plain_store(struct mm_ctx *c, uint64_t ma, uint64_t val)
{
	uint64_t mfn = ma >> PAGE_SHIFT;

	if (mm_get_page_type(c, mfn, MM_PGT_WRITABLE))
		return -XEN_EINVAL;
	__atomic_store_n((uint64_t *)maddr_to_virt(ma), val, __ATOMIC_RELEASE);
	mm_put_page_type(c, mfn);
	return 0;
}

/* One NORMAL / PRESERVE_AD / NO_TRANSLATE update; *upper when L2-L4 changed. */
static int pt_update(struct mm_ctx *c, uint64_t ma, uint64_t val, bool preserve_ad, bool *upper)
{
	uint64_t mfn = ma >> PAGE_SHIFT;
	const struct page_info *pg;
	int rc;

	if (!mm_get_page(mfn, c->pt_owner))
		return -XEN_EINVAL;
	pg = mm_env_page(mfn);
	if (pg->type >= MM_PGT_L1 && pg->type <= MM_PGT_L4 && (pg->flags & MM_PGF_VALIDATED)) {
		rc = mm_mod_entry(c, mfn, (unsigned int)((ma & (PAGE_SIZE - 1)) / 8), val,
				  preserve_ad);
		*upper |= !rc && pg->type != MM_PGT_L1;
	} else if (pg->type == MM_PGT_SEG_DESC && pg->type_count) {
		rc = -XEN_EINVAL;
	} else {
		rc = plain_store(c, ma, val);
	}
	mm_put_page(c, mfn);
	return rc;
}

static int one_update(struct mm_ctx *c, struct domain *cur, const mmu_update_t *req, bool *upper)
{
	unsigned int cmd = req->ptr & 7;

	switch (cmd) {
	case MMU_NORMAL_PT_UPDATE:
	case MMU_PT_UPDATE_NO_TRANSLATE:
	case MMU_PT_UPDATE_PRESERVE_AD:
		return pt_update(c, req->ptr & ~7ULL, req->val, cmd == MMU_PT_UPDATE_PRESERVE_AD,
				 upper);
	case MMU_MACHPHYS_UPDATE:
		if (c->pt_owner != cur->id)
			return -XEN_EPERM;
		if (mm_page_owner(_mfn(req->ptr >> PAGE_SHIFT)) != c->pg_owner)
			return -XEN_EINVAL;
		return mm_m2p_set(_mfn(req->ptr >> PAGE_SHIFT), req->val);
	default:
		return -XEN_ENOSYS;
	}
}

/* The tables' domain of foreigndom's upper half: 0 or -ESRCH / -EPERM. */
static int pt_owner_of(struct domain *cur, uint64_t foreigndom, struct domain **pt)
{
	unsigned int pt_dom = (unsigned int)((foreigndom >> 16) & 0xffff);

	*pt = cur;
	if (!pt_dom)
		return 0;
	*pt = pv_mm_domain((domid_t)(pt_dom - 1));
	if (!*pt)
		return -XEN_ESRCH;
	return *pt == cur || pv_mm_privileged(cur) ? 0 : -XEN_EPERM;
}

long do_mmu_update(const uint64_t a[HYPERCALL_NR_ARGS])
{
	struct vcpu *v = this_vcpu();
	struct domain *cur = v->domain, *pt;
	uint64_t list = a[0], count = a[1] & 0xffffffffU, i = 0;
	uint32_t done = 0;
	struct mm_ctx c;
	domid_t pg;
	bool upper = false, preempted = false;
	long rc;

	/* What an earlier request left to tear down comes first (as Xen). */
	if (pv_mm_finish_pending(v, true))
		return hypercall_create_continuation(__HYPERVISOR_mmu_update, a);
	if (count == MMU_UPDATE_PREEMPTED && !list) {
		pv_mm_hypercall_done(v, "mmu_update");
		return (int)a[3]; /* the continuation that finished it: the result */
	}
	if (count & MMU_UPDATE_PREEMPTED) {
		count &= ~(uint64_t)MMU_UPDATE_PREEMPTED;
		if (a[2])
			(void)copy_from_guest(&done, a[2], sizeof(done));
	}
	if (!pv_mm_addr_ok(list))
		return -XEN_EFAULT;
	rc = pt_owner_of(cur, a[3], &pt);
	if (!rc)
		rc = pv_mm_pg_owner(cur, a[3] & 0xffff, &pg);
	if (rc)
		return rc;
	mm_ctx_init(&c, pt, pg);
	c.preemptible = true;
	for (i = 0; i < count; i++) {
		mmu_update_t req;

		if (v->arch.mm_pending || pv_mm_should_continue(i)) {
			preempted = true;
			break;
		}
		if (copy_from_guest(&req, list + i * sizeof(req), sizeof(req))) {
			rc = -XEN_EFAULT;
			break;
		}
		spin_lock(&mm_lock);
		rc = one_update(&c, cur, &req, &upper);
		/* An old subtree's (or a failed new one's) teardown stopped: the vCPU's now. */
		if (c.deferred != MM_NO_MFN)
			v->arch.mm_pending = c.deferred;
		c.deferred = MM_NO_MFN;
		spin_unlock(&mm_lock);
		if (rc == -MM_ERESTART) {
			/* A new entry's table stopped validating: the request is issued again. */
			preempted = true;
			rc = 0;
			break;
		}
		if (rc)
			break;
	}
	/* A changed L2-L4 entry may be cached by the walker: flush, as Xen. */
	c.need_flush |= upper;
	pv_mm_ctx_done(v, &c);
	done += (uint32_t)i;
	if (a[2])
		(void)copy_to_guest(a[2], &done, sizeof(done));
	if (preempted)
		return pv_mm_continuation(__HYPERVISOR_mmu_update, a,
					  list + i * sizeof(mmu_update_t), count - i);
	if (v->arch.mm_pending)
		return pv_mm_final_continuation(__HYPERVISOR_mmu_update, rc);
	pv_mm_hypercall_done(v, "mmu_update");
	return rc;
}

long pv_mm_continuation(unsigned int nr, const uint64_t a[HYPERCALL_NR_ARGS], uint64_t list,
			uint64_t left)
{
	const uint64_t rest[HYPERCALL_NR_ARGS] = { list, left | MMU_UPDATE_PREEMPTED, a[2], a[3] };

	return hypercall_create_continuation(nr, rest);
}

long pv_mm_final_continuation(unsigned int nr, long rc)
{
	const uint64_t rest[HYPERCALL_NR_ARGS] = { 0, MMU_UPDATE_PREEMPTED, 0, (uint32_t)rc };

	return hypercall_create_continuation(nr, rest);
}

/*
 * The L1 entry mapping va in the current (kernel) tables: 0 with *l1 and
 * *slot, or -EINVAL when va is not a guest address or has no L1 table.
 * The walk reads validated tables only: each level's frame is checked.
 */
int pv_mm_l1_of(struct vcpu *v, uint64_t va, uint64_t *l1, unsigned int *slot)
{
	uint64_t table = mfn_x(v->arch.guest_table);

	if (!is_canonical_address(va) || !guest_range_ok(va, 1))
		return -XEN_EINVAL;
	/* The entry at each level names the next table, of the level below. */
	for (unsigned int shift = 39, type = MM_PGT_L3; shift > 12; shift -= 9, type--) {
		uint64_t e = ((uint64_t *)mfn_to_virt(_mfn(table)))[(va >> shift) & 511];
		const struct page_info *pg;

		if (!(e & PTE_P) || (e & PTE_PSE))
			return -XEN_EINVAL;
		table = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
		pg = mm_frame_info(table);
		if (!pg || pg->type != type || !(pg->flags & MM_PGF_VALIDATED))
			return -XEN_EINVAL;
	}
	*l1 = table;
	*slot = (unsigned int)((va >> 12) & 511);
	return 0;
}

/* The flush of update_va_mapping's flags; the mask pointer is copied in. */
static int uvm_flush(uint64_t flags, uint64_t va)
{
	uint64_t which = flags & ~(uint64_t)UVMF_FLUSHTYPE_MASK, mask;

	switch (flags & UVMF_FLUSHTYPE_MASK) {
	case UVMF_TLB_FLUSH:
	case UVMF_INVLPG:
		/* A vCPU mask: one vCPU here, so "flush" is "if vCPU 0 is in it". */
		if (which != UVMF_LOCAL && which != UVMF_ALL) {
			if (copy_from_guest(&mask, which, sizeof(mask)))
				return -XEN_EFAULT;
			if (!(mask & 1))
				return 0;
		}
		if ((flags & UVMF_FLUSHTYPE_MASK) == UVMF_TLB_FLUSH)
			write_cr3(read_cr3());
		else
			invlpg(va);
		/* MULTI / ALL: the domain's other CPUs too (a whole flush there). */
		if (which != UVMF_LOCAL)
			mm_flush_cpus(mm_tlb_mask(current_vcpu()->domain) &
				      ~(1ULL << this_cpu()->id));
		return 0;
	default:
		return 0;
	}
}

static long uvm(uint64_t va, uint64_t val, uint64_t flags, domid_t pg)
{
	struct vcpu *v = this_vcpu();
	unsigned int slot;
	struct mm_ctx c;
	uint64_t l1;
	int rc;

	mm_ctx_init(&c, v->domain, pg);
	spin_lock(&mm_lock);
	rc = pv_mm_l1_of(v, va, &l1, &slot);
	if (!rc)
		rc = mm_mod_entry(&c, l1, slot, val, false);
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
	return rc ? rc : uvm_flush(flags, va);
}

long do_update_va_mapping(const uint64_t a[HYPERCALL_NR_ARGS])
{
	return uvm(a[0], a[1], a[2], this_vcpu()->domain->id);
}

long do_update_va_mapping_otherdomain(const uint64_t a[HYPERCALL_NR_ARGS])
{
	domid_t pg;
	int rc = pv_mm_pg_owner(current_vcpu()->domain, a[3], &pg);

	return rc ? rc : uvm(a[0], a[1], a[2], pg);
}
