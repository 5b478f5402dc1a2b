// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmuext_op and the base pointers, with Xen 4.17's semantics and error codes
 * (xen/arch/x86/mm.c do_mmuext_op, new_guest_cr3):
 *
 *   PIN_Ln_TABLE    a general and a type ref of level n on a page of the
 *                   page owner (validating it, and what it maps, first);
 *                   pinning twice is -EINVAL
 *   UNPIN_TABLE     drops them (a table still in use keeps its type)
 *                   (both preemptible, and NEW_BASEPTR: pv/mm_tables.c)
 *   NEW_BASEPTR     the kernel L4: refs on the new one, then the old one's go
 *   NEW_USER_BASEPTR  the same for the user L4 (0 = none)
 *   TLB_FLUSH_* INVLPG_*   flushes: this CPU's, and for MULTI / ALL the
 *                   other CPUs the domain's vCPUs run on (arch/x86_64/flush.c,
 *                   a whole flush there); a bad vCPU mask pointer is -EINVAL,
 *                   a non-canonical INVLPG does nothing
 *   CLEAR_PAGE COPY_PAGE   on ordinary pages of the page owner (a writable
 *                   type ref for the destination)
 *   SET_LDT         page-aligned guest address, at most 8192 entries (else
 *                   -EINVAL); a change drops the old LDT's pages (pv/ldt.c)
 *   FLUSH_CACHE(_GLOBAL)   for a domain with I/O rights
 *   MARK_SUPER UNMARK_SUPER  -EOPNOTSUPP (Xen 4.17 has no PV superpages)
 * Ops on another domain's memory (foreigndom) are the pins, unpin and the
 * page ops, for a privileged caller; the rest are -EPERM then.
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
#include <asm/pv/ldt.h>
#include <asm/pv/mm.h>

#define MMU_UPDATE_PREEMPTED 0x80000000U
#define LDT_MAX_ENTS 8192

/* Whether a vCPU mask at va names vCPU 0 (the only one): 0/1, -EINVAL. */
static int mask_has_vcpu0(uint64_t va)
{
	uint64_t mask;

	return copy_from_guest(&mask, va, sizeof(mask)) ? -XEN_EINVAL : (int)(mask & 1);
}

static int page_op(struct mm_ctx *c, const struct mmuext_op *op)
{
	uint64_t dst = op->arg1.mfn, src = op->arg2.src_mfn;
	int rc = -XEN_EINVAL;

	if (op->cmd == MMUEXT_COPY_PAGE && !mm_get_page(src, c->pg_owner))
		return -XEN_EINVAL;
	if (mm_get_page_and_type(c, dst, c->pg_owner, MM_PGT_WRITABLE) == 0) {
		if (op->cmd == MMUEXT_COPY_PAGE)
			memcpy(mfn_to_virt(_mfn(dst)), mfn_to_virt(_mfn(src)), PAGE_SIZE);
		else
			memset(mfn_to_virt(_mfn(dst)), 0, PAGE_SIZE);
		mm_put_page_and_type(c, dst);
		rc = 0;
	}
	if (op->cmd == MMUEXT_COPY_PAGE)
		mm_put_page(c, src);
	return rc;
}

static int flush_op(struct vcpu *v, const struct mmuext_op *op)
{
	int rc = 1;

	switch (op->cmd) {
	case MMUEXT_TLB_FLUSH_MULTI:
	case MMUEXT_INVLPG_MULTI:
		rc = mask_has_vcpu0((uint64_t)op->arg2.vcpumask.p);
		if (rc <= 0)
			return rc;
		break;
	case MMUEXT_SET_LDT:
		if (op->arg2.nr_ents > LDT_MAX_ENTS ||
		    (op->arg2.nr_ents && ((op->arg1.linear_addr & (PAGE_SIZE - 1)) ||
					  !pv_mm_addr_ok(op->arg1.linear_addr))))
			return -XEN_EINVAL;
		pv_set_ldt(v, op->arg2.nr_ents ? op->arg1.linear_addr : 0, op->arg2.nr_ents);
		return 0;
	case MMUEXT_FLUSH_CACHE:
	case MMUEXT_FLUSH_CACHE_GLOBAL:
		if (!pv_mm_privileged(v->domain))
			return op->cmd == MMUEXT_FLUSH_CACHE ? -XEN_EACCES : -XEN_EINVAL;
		asm volatile("wbinvd" ::: "memory");
		return 0;
	}
	if (op->cmd == MMUEXT_TLB_FLUSH_LOCAL || op->cmd == MMUEXT_TLB_FLUSH_MULTI ||
	    op->cmd == MMUEXT_TLB_FLUSH_ALL)
		write_cr3(read_cr3());
	else if (op->cmd == MMUEXT_INVLPG_LOCAL ? is_canonical_address(op->arg1.linear_addr)
						: pv_mm_addr_ok(op->arg1.linear_addr))
		invlpg(op->arg1.linear_addr);
	/* MULTI / ALL reach the domain's other CPUs too (a whole flush there). */
	if (op->cmd != MMUEXT_TLB_FLUSH_LOCAL && op->cmd != MMUEXT_INVLPG_LOCAL)
		mm_flush_cpus(mm_tlb_mask(v->domain) & ~(1ULL << this_cpu()->id));
	return 0;
}

static int mmuext_one(struct vcpu *v, struct mm_ctx *c, const struct mmuext_op *op)
{
	bool self = c->pg_owner == v->domain->id;
	int rc;

	c->preemptible = true;

	switch (op->cmd) {
	case MMUEXT_PIN_L1_TABLE:
	case MMUEXT_PIN_L2_TABLE:
	case MMUEXT_PIN_L3_TABLE:
	case MMUEXT_PIN_L4_TABLE:
	case MMUEXT_UNPIN_TABLE:
	case MMUEXT_CLEAR_PAGE:
	case MMUEXT_COPY_PAGE:
		spin_lock(&mm_lock);
		if (op->cmd == MMUEXT_UNPIN_TABLE)
			rc = pv_mm_unpin(v, c, op->arg1.mfn);
		else if (op->cmd >= MMUEXT_CLEAR_PAGE)
			rc = page_op(c, op);
		else
			rc = pv_mm_pin(v, c, op->arg1.mfn, (enum mm_pgt)(MM_PGT_L1 + op->cmd));
		spin_unlock(&mm_lock);
		return rc;
	case MMUEXT_NEW_BASEPTR:
	case MMUEXT_NEW_USER_BASEPTR:
		if (!self)
			return -XEN_EPERM;
		spin_lock(&mm_lock);
		rc = pv_mm_new_base(v, c, op->arg1.mfn, op->cmd == MMUEXT_NEW_USER_BASEPTR);
		spin_unlock(&mm_lock);
		return rc;
	case MMUEXT_TLB_FLUSH_LOCAL:
	case MMUEXT_INVLPG_LOCAL:
	case MMUEXT_TLB_FLUSH_MULTI:
	case MMUEXT_INVLPG_MULTI:
	case MMUEXT_TLB_FLUSH_ALL:
	case MMUEXT_INVLPG_ALL:
	case MMUEXT_FLUSH_CACHE:
	case MMUEXT_FLUSH_CACHE_GLOBAL:
	case MMUEXT_SET_LDT:
		return self ? flush_op(v, op) : -XEN_EPERM;
	case MMUEXT_MARK_SUPER:
	case MMUEXT_UNMARK_SUPER:
		return -XEN_EOPNOTSUPP;
	default:
		return -XEN_ENOSYS;
	}
}

long do_mmuext_op(const uint64_t a[HYPERCALL_NR_ARGS])
{
	struct vcpu *v = current_vcpu();
	uint64_t list = a[0], count = a[1] & 0xffffffffU, i;
	uint32_t done = 0;
	struct mm_ctx c;
	domid_t pg;
	bool preempted = false;
	long rc;

	/* What an earlier op left to tear down comes first (Xen's put_old_guest_table). */
	if (pv_mm_finish_pending(v, true))
		return hypercall_create_continuation(__HYPERVISOR_mmuext_op, a);
	/* The continuation that finished it: the op's own result (as Xen). */
	if (count == MMU_UPDATE_PREEMPTED && !list) {
		pv_mm_hypercall_done(v, "mmuext_op");
		return (int)a[3];
	}
	if (count & MMU_UPDATE_PREEMPTED) {
		count &= ~(uint64_t)MMU_UPDATE_PREEMPTED;
		if (a[2])
			(void)copy_from_guest(&done, a[2], sizeof(done));
	}
	if (!pv_mm_addr_ok(list))
		return -XEN_EFAULT;
	rc = pv_mm_pg_owner(v->domain, a[3], &pg);
	/* As Xen's XSM check: DOMID_IO and DOMID_XEN need privilege here. */
	if (!rc && (pg == DOMID_IO || pg == DOMID_XEN) && !pv_mm_privileged(v->domain))
		rc = -XEN_EPERM;
	if (rc)
		return rc;
	/* Tables of another domain are validated as that domain's. */
	mm_ctx_init(&c, pg == DOMID_IO || pg == DOMID_XEN ? v->domain : pv_mm_domain(pg), pg);
	for (i = 0; i < count; i++) {
		struct mmuext_op op;

		if (v->arch.mm_pending || pv_mm_should_continue(i)) {
			preempted = true;
			break;
		}
		if (copy_from_guest(&op, list + i * sizeof(op), sizeof(op))) {
			rc = -XEN_EFAULT;
			break;
		}
		rc = mmuext_one(v, &c, &op);
		if (rc == -MM_ERESTART) {
			/* A validation stopped half-way: the op is issued again. */
			preempted = true;
			rc = 0;
			break;
		}
		if (rc)
			break;
	}
	pv_mm_ctx_done(v, &c);
	done += (uint32_t)i;
	if (a[2])
		(void)copy_to_guest(a[2], &done, sizeof(done));
	if (preempted)
		return pv_mm_continuation(__HYPERVISOR_mmuext_op, a,
					  list + i * sizeof(struct mmuext_op), count - i);
	if (v->arch.mm_pending)
		return pv_mm_final_continuation(__HYPERVISOR_mmuext_op, rc);
	pv_mm_hypercall_done(v, "mmuext_op");
	return rc;
}
