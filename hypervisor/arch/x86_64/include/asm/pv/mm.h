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
long pv_mm_continuation(unsigned int nr, const uint64_t a[HYPERCALL_NR_ARGS], uint64_t list,
			uint64_t left);
/* Releases v's base pointers and GDT frames (the refs they hold). */
void pv_mm_vcpu_release(struct vcpu *v);

#endif
