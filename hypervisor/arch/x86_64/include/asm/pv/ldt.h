/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's LDT (pv/ldt.c, after Xen's MMUEXT_SET_LDT and
 * pv_map_ldt_shadow_page): the vCPU names ldt_ents descriptors at ldt_base,
 * its pages are mapped into this CPU's LDT area on the first descriptor
 * load that touches them, each holding a descriptor-page type ref.
 */
#ifndef LAMINA_ASM_PV_LDT_H
#define LAMINA_ASM_PV_LDT_H

#include <asm/page_info.h>
#include <asm/regs.h>
#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* Creates the LDT areas' page tables (before the first guest L4); 0 or -ENOMEM. */
int pv_ldt_init(void);
/* MMUEXT_SET_LDT on the running vCPU v (arguments checked): a change drops the old LDT. */
void pv_set_ldt(struct vcpu *v, uint64_t base, unsigned int ents);
/* Loads v's LDT on this CPU (its area and LDTR): v is about to run here. */
void pv_ldt_load(struct vcpu *v);
/*
 * Drops v's shadow LDT mappings and their refs (Xen's pv_destroy_ldt); the
 * LDT stays set and is mapped again on the next fault. mm_lock held. True
 * when something was mapped (c->need_flush is then set).
 */
bool pv_ldt_destroy_locked(struct mm_ctx *c, struct vcpu *v);
/* The same, taking mm_lock. */
void pv_ldt_destroy(struct vcpu *v);
/*
 * A #PF at cr2 in this CPU's LDT area: maps the guest's LDT page there (a
 * descriptor-page type ref, which validates it). True when it is mapped and
 * the access may be retried; false when cr2 is elsewhere or the page cannot
 * be an LDT page.
 */
bool pv_ldt_map(struct vcpu *v, uint64_t cr2);
/*
 * The guest's #PF from guest mode: true when it was an LDT-area fault,
 * mapped or turned into the guest's #PF (or #GP) at the LDT's address.
 */
bool pv_ldt_page_fault(struct vcpu *v, struct cpu_regs *regs);

#endif
