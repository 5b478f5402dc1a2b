/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the PV MMU hypercalls (pv/mm.c, pv/mmuext_op.c), ptwr (ro_page_fault.c)
 * and the descriptor-table calls share: the domains an MMU argument names,
 * and the guest walk to an L1 entry.
 */
#ifndef LAMINA_ASM_PV_MM_H
#define LAMINA_ASM_PV_MM_H

#include <asm/regs.h>
#include <lamina/domain.h>
#include <lamina/mm.h>

/* The domain id names (DOMID_SELF included), or NULL. */
struct domain *pv_mm_domain(domid_t id);
/* Whether d may act on other domains' memory (the control domain). */
bool pv_mm_privileged(const struct domain *d);
/*
 * The page owner a foreigndom / domid argument names, as Xen's get_pg_owner
 * plus its XSM check: 0 with *out; -ESRCH (unknown, DOMID_XEN, or the
 * caller's own id), -EPERM (a foreign domain without privilege).
 */
int pv_mm_pg_owner(struct domain *cur, uint64_t domid, domid_t *out);
/* The validated L1 table and slot that map va in v's kernel tables; 0 or -EINVAL. */
int pv_mm_l1_of(struct vcpu *v, uint64_t va, uint64_t *l1, unsigned int *slot);
/*
 * A long mmu_update / mmuext_op batch is preempted as Xen's (the tick is
 * due or the guest has an event to take) and after every 256 requests, so
 * no batch holds the CPU for long; it continues (as Xen) with list and left
 * entries, the count marked MMU_UPDATE_PREEMPTED, pdone and foreigndom kept.
 */
bool pv_mm_should_continue(uint64_t i);
/*
 * As Xen's __addr_ok, what guest_handle_okay checks of an mmu_update /
 * mmuext_op list (its start only, even for a count of 0; each entry is
 * then copied in on its own): a guest address, canonical, not the
 * hypervisor's.
 */
bool pv_mm_addr_ok(uint64_t va);
long pv_mm_continuation(unsigned int nr, const uint64_t a[HYPERCALL_NR_ARGS], uint64_t list,
			uint64_t left);
/*
 * The continuation of an op whose teardown is still pending: it finishes
 * the pending put, then returns rc (Xen's trick: count MMU_UPDATE_PREEMPTED,
 * no list, rc in foreigndom).
 */
long pv_mm_final_continuation(unsigned int nr, long rc);
/* Releases v's base pointers and GDT frames (the refs they hold); cannot stop. */
void pv_mm_vcpu_release(struct vcpu *v);
/*
 * The same for the page tables only, preemptibly (domain destruction, before
 * pv_mm_vcpu_release): v's pending put and base pointers. 0 or -MM_ERESTART.
 */
int pv_mm_vcpu_release_tables(struct vcpu *v, bool preemptible);

/* --- pins and base pointers (pv/mm_tables.c), under mm_lock --- */
/*
 * MMUEXT_PIN_Ln / UNPIN_TABLE / NEW_(USER_)BASEPTR (user: mfn 0 = none):
 * 0, -MM_ERESTART (the validation stopped: issue the op again) or Xen's
 * error; a teardown that stops becomes v->arch.mm_pending.
 */
int pv_mm_pin(struct vcpu *v, struct mm_ctx *c, uint64_t mfn, enum mm_pgt t);
int pv_mm_unpin(struct vcpu *v, struct mm_ctx *c, uint64_t mfn);
int pv_mm_new_base(struct vcpu *v, struct mm_ctx *c, uint64_t mfn, bool user);
/*
 * Finishes v's pending put (without mm_lock): 0, or -MM_ERESTART when it
 * stopped again (preemptible only): the hypercall continues itself.
 */
int pv_mm_finish_pending(struct vcpu *v, bool preemptible);
/* The end of an MMU step: its flush (no lock held) and its preemption count. */
void pv_mm_ctx_done(struct vcpu *v, struct mm_ctx *c);
/* The end of an MMU hypercall: a console line when it was preempted. */
void pv_mm_hypercall_done(struct vcpu *v, const char *what);

#endif
