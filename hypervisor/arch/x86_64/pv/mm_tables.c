// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pins and base pointers, preemptible as Xen 4.17's (xen/arch/x86/mm.c
 * MMUEXT_PIN_Lx / UNPIN_TABLE, new_guest_cr3, put_old_guest_table):
 *
 *   a pin or NEW_BASEPTR of a tree that takes long stops between two
 *   entries (-MM_ERESTART, the table left PARTIAL with a token of its own);
 *   the hypercall continues (pv_mm_continuation) and the re-issued op takes
 *   the token over and goes on from there
 *   a teardown that takes long (the unpin of a tree, the old base pointer,
 *   a validation that failed half-way) stops too; what is still owed, one
 *   general ref on a DEMOTING table, is the vCPU's pending put
 *   (v->arch.mm_pending, Xen's old_guest_table), finished first by the
 *   next mmu_update / mmuext_op (and by the continuation the stopping one
 *   makes, which then returns the op's own result), by vCPU teardown and
 *   by mm_relinquish_tables
 *
 * Everything here runs under mm_lock; the TLB flush the context asks for is
 * sent after it is dropped (mm_ctx_flush: never an IPI under the lock).
 */
#include <asm/paging.h>
#include <asm/x86.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <xen/errno.h>
#include <asm/pv/emul.h>
#include <asm/pv/ldt.h>
#include <asm/pv/mm.h>

/* The pending put, under mm_lock: 0 (done) or -MM_ERESTART. */
static int finish_pending_locked(struct mm_ctx *c, struct vcpu *v)
{
	uint64_t m = v->arch.mm_pending;
	int rc;

	if (!m)
		return 0;
	rc = mm_put_type_partial(c, m);
	if (!rc) {
		mm_put_page(c, m);
		v->arch.mm_pending = 0;
	}
	return rc;
}

int pv_mm_finish_pending(struct vcpu *v, bool preemptible)
{
	struct mm_ctx c;
	int rc;

	if (!v->arch.mm_pending)
		return 0;
	mm_ctx_init(&c, v->domain, v->domain->id);
	c.preemptible = preemptible;
	spin_lock(&mm_lock);
	rc = finish_pending_locked(&c, v);
	spin_unlock(&mm_lock);
	pv_mm_ctx_done(v, &c);
	return rc;
}

void pv_mm_ctx_done(struct vcpu *v, struct mm_ctx *c)
{
	v->arch.mm_stops += c->preempted;
	c->preempted = 0;
	mm_ctx_flush(c);
}

void pv_mm_hypercall_done(struct vcpu *v, const char *what)
{
	if (!v->arch.mm_stops)
		return;
	printk(LOG_DEBUG, "mm: d%u v%u: %s done after %u preemptions", v->domain->id, v->id, what,
	       v->arch.mm_stops);
	mm_note_preemptions(v->arch.mm_stops);
	v->arch.mm_stops = 0;
}

/* A put of a full type ref and its general ref; a stopped one is pending. */
static void put_table(struct mm_ctx *c, struct vcpu *v, uint64_t m)
{
	if (mm_put_page_type_preemptible(c, m) == -MM_ERESTART)
		v->arch.mm_pending = m; /* its general ref goes with it */
	else
		mm_put_page(c, m);
}

/* After a failed or stopped get of a table with a general ref held. */
static int got_not(struct mm_ctx *c, struct vcpu *v, uint64_t m, int rc)
{
	if (rc != -MM_ERESTART && c->left_partial)
		v->arch.mm_pending = m;
	else
		mm_put_page(c, m); /* a stopped validation's token has a ref of its own */
	return rc;
}

int pv_mm_pin(struct vcpu *v, struct mm_ctx *c, uint64_t mfn, enum mm_pgt t)
{
	struct page_info *pg;
	int rc;

	if (!mm_get_page(mfn, c->pg_owner))
		return -XEN_EINVAL;
	rc = mm_get_page_type(c, mfn, t);
	if (rc)
		return got_not(c, v, mfn, rc);
	pg = mm_env_page(mfn);
	if (pg->flags & MM_PGF_PINNED) {
		mm_put_page_and_type(c, mfn); /* not its last type ref */
		return -XEN_EINVAL;
	}
	pg->flags |= MM_PGF_PINNED;
	return 0;
}

int pv_mm_unpin(struct vcpu *v, struct mm_ctx *c, uint64_t mfn)
{
	struct page_info *pg;

	if (!mm_get_page(mfn, c->pg_owner))
		return -XEN_EINVAL;
	pg = mm_env_page(mfn);
	if (!(pg->flags & MM_PGF_PINNED)) {
		mm_put_page(c, mfn);
		return -XEN_EINVAL;
	}
	pg->flags &= (uint8_t)~MM_PGF_PINNED;
	put_table(c, v, mfn);
	mm_put_page(c, mfn);
	return 0;
}

/* Without m2p_strict the kernel L4 gets the RO M2P (Xen's fill_ro_mpt). */
static void ro_mpt(struct domain *d, uint64_t l4, bool kernel)
{
	uint64_t *e = mfn_to_virt(_mfn(l4));
	bool strict = d->vm_assist & (1UL << VMASST_TYPE_m2p_strict);

	if (kernel && !strict)
		e[HV_FIRST_SLOT] = paging_idle_l4()[HV_FIRST_SLOT];
	else if (!kernel && strict)
		e[HV_FIRST_SLOT] = 0;
}

/* The kernel or user L4 of v becomes mfn (0: none, user only); under mm_lock. */
static int set_base(struct mm_ctx *c, struct vcpu *v, uint64_t mfn, bool user)
{
	mfn_t *slot = user ? &v->arch.guest_table_user : &v->arch.guest_table;
	uint64_t old = mfn_x(*slot) == INVALID_MFN_RAW ? 0 : mfn_x(*slot);
	int rc;

	if (mfn && !mm_get_page(mfn, v->domain->id))
		return -XEN_EINVAL;
	if (mfn) {
		rc = mm_get_page_type(c, mfn, MM_PGT_L4);
		if (rc)
			return got_not(c, v, mfn, rc);
	}
	if (!user)
		pv_ldt_destroy_locked(c, v); /* as Xen's new_guest_cr3 */
	if (mfn)
		ro_mpt(v->domain, mfn, !user);
	*slot = _mfn(mfn ? mfn : INVALID_MFN_RAW);
	if (!user && v->arch.kernel_mode)
		write_cr3(mfn << PAGE_SHIFT);
	if (old)
		put_table(c, v, old);
	return 0;
}

int pv_mm_new_base(struct vcpu *v, struct mm_ctx *c, uint64_t mfn, bool user)
{
	uint64_t old = mfn_x(user ? v->arch.guest_table_user : v->arch.guest_table);

	if (old == INVALID_MFN_RAW)
		old = 0;
	if (mfn == old) {
		if (!user && v->arch.kernel_mode)
			write_cr3(old << PAGE_SHIFT);
		return 0;
	}
	if (!user && !mfn)
		return -XEN_EINVAL;
	return set_base(c, v, mfn, user);
}

int pv_new_guest_cr3(struct vcpu *v, mfn_t mfn)
{
	struct mm_ctx c;
	int rc;

	mm_ctx_init(&c, v->domain, v->domain->id);
	spin_lock(&mm_lock);
	rc = pv_mm_new_base(v, &c, mfn_x(mfn), false);
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
	return rc;
}

void pv_mm_vcpu_release(struct vcpu *v)
{
	struct mm_ctx c;
	uint64_t vi = ((uint64_t)v->vcpu_info - HV_DIRECTMAP) >> PAGE_SHIFT;

	mm_ctx_init(&c, v->domain, v->domain->id);
	spin_lock(&mm_lock);
	(void)finish_pending_locked(&c, v); /* not preemptible: it cannot stop */
	if (mfn_x(v->arch.guest_table_user) != INVALID_MFN_RAW)
		mm_put_page_and_type(&c, mfn_x(v->arch.guest_table_user));
	if (mfn_x(v->arch.guest_table) != INVALID_MFN_RAW)
		mm_put_page_and_type(&c, mfn_x(v->arch.guest_table));
	v->arch.guest_table = v->arch.guest_table_user = _mfn(INVALID_MFN_RAW);
	for (unsigned int f = 0; f < v->arch.gdt_nr_frames; f++)
		mm_put_page_and_type(&c, v->arch.gdt_frames[f]);
	pv_ldt_destroy_locked(&c, v);
	v->arch.ldt_ents = 0;
	v->arch.gdt_nr_frames = v->arch.gdt_ents = 0;
	/* A vcpu_info the guest registered holds a writable type ref on its page. */
	if (v->vcpu_info && vi != mfn_x(v->domain->shared_info_mfn))
		mm_put_page_and_type(&c, vi);
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
}

int pv_mm_vcpu_release_tables(struct vcpu *v, bool preemptible)
{
	struct mm_ctx c;
	int rc;

	mm_ctx_init(&c, v->domain, v->domain->id);
	c.preemptible = preemptible;
	spin_lock(&mm_lock);
	rc = finish_pending_locked(&c, v);
	if (!rc && mfn_x(v->arch.guest_table_user) != INVALID_MFN_RAW) {
		put_table(&c, v, mfn_x(v->arch.guest_table_user));
		v->arch.guest_table_user = _mfn(INVALID_MFN_RAW);
		rc = finish_pending_locked(&c, v);
	}
	if (!rc && mfn_x(v->arch.guest_table) != INVALID_MFN_RAW) {
		pv_ldt_destroy_locked(&c, v);
		put_table(&c, v, mfn_x(v->arch.guest_table));
		v->arch.guest_table = _mfn(INVALID_MFN_RAW);
		rc = finish_pending_locked(&c, v);
	}
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
	return rc;
}
