/* SPDX-License-Identifier: MIT */
/*
 * The toolstack side shared by the dom0 kernels that create domUs with
 * domctl (tests/guest/domctl*.c, tests/bench/interdomain-kernel.c): the
 * hypercalls with their request set up, and a scratch page of dom0's whose
 * L1 entry a foreign mmu_update points at a domU's frame, so dom0 can write
 * the domU's memory before it runs and read it after.
 */
#ifndef DOMCTL_LIB_H
#define DOMCTL_LIB_H

#define __XEN_TOOLS__ 1
#include <gpv/gpv.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>

#define DC_P 1UL
#define DC_RW 2UL
#define DC_US 4UL
#define DC_AD 0x60UL
#define DC_ADDR(e) ((e)&0x000ffffffffff000UL)

extern char dc_scratch[4096];

long dc_domctl(struct xen_domctl *op);
long dc_sysctl(struct xen_sysctl *op);
/* A zeroed request for cmd on dom (domctl) / cmd (sysctl), interface version 0x15. */
void dc_dinit(struct xen_domctl *op, uint32_t cmd, domid_t dom);
void dc_sinit(struct xen_sysctl *op, uint32_t cmd);
/* A domctl that carries nothing but cmd and dom: its answer. */
long dc_simple(uint32_t cmd, domid_t dom);
/* getdomaininfo of dom: the answer, *out what came back. */
long dc_info(domid_t dom, struct xen_domctl_getdomaininfo *out);
/* A createdomain request for want (0: the hypervisor picks): 1 vCPU, grant v1. */
void dc_cfg(struct xen_domctl *op, domid_t want);
/*
 * A domU from dc_cfg with max_vcpus 1, max_mem 8 pages and nr frames
 * populated for it (mfn[] in: its gpfns 0..nr-1; out: their frames), each
 * step a check: its id, or -1 when createdomain failed.
 */
long dc_make_small_domu(xen_pfn_t *mfn, unsigned int nr);
/*
 * The small domU's pages (pfn = its virtual page): 0 L4, 1 L3, 2 L2, 3 L1
 * (read-only), 4 code, 5 stack, 6 and 7 data. Writes the tables, calls
 * fill(pfn, page) for each page (zeroed first) through a foreign mapping,
 * pins the L4 (each a check): 0, or -1. Needs dc_scratch_init first.
 */
int dc_fill_small_domu(domid_t id, const xen_pfn_t *mfn, void (*fill)(unsigned int, char *));
/* A first context for it: kernel mode at DC_CODE, stack below DC_STACK_TOP, L4 mfn0. */
void dc_small_ctx(struct vcpu_guest_context *c, xen_pfn_t mfn0);
/* Unpauses id and waits (yielding, at most secs) until it has shut down: its flags. */
uint32_t dc_run_until_shutdown(domid_t id, unsigned int secs);
#define DC_NR_PAGES 8
#define DC_CODE 0x4000UL
#define DC_STACK_TOP 0x6000UL

/* Finds the scratch page's L1 entry: 0, or -1. */
int dc_scratch_init(void);
/* Maps frame mfn of dom at dc_scratch (foreign mmu_update): its answer. */
long dc_map_foreign(unsigned long mfn, domid_t dom);
/* Maps dc_scratch's own frame back. */
void dc_unmap_foreign(void);
/* The free pages physinfo reports, or 0. */
uint64_t dc_free_pages(void);
/* XEN_DOMCTL_scheduler_op for credit2's weight and cap, both in and out: its answer. */
long dc_schedop(domid_t dom, uint32_t sched_id, uint32_t cmd, uint16_t *weight, uint16_t *cap);
/* How many domains getdomaininfolist reports (at most 16). */
unsigned int dc_nr_domains(void);

#endif
