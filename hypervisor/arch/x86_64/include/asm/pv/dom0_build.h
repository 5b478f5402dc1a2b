/* SPDX-License-Identifier: GPL-2.0-only */
/* Private to the PV code: the builder's outputs the vCPU start needs. */
#ifndef LAMINA_ASM_PV_DOM0_BUILD_H
#define LAMINA_ASM_PV_DOM0_BUILD_H

#include <asm/regs.h>
#include <lamina/domain.h>

/* The registers dom0's vCPU 0 starts with (Xen's start-of-day values). */
void dom0_initial_regs(struct cpu_regs *r);
/* Fills a hypercall page with the 64-bit PV stubs (syscall-based). */
void pv_write_hypercall_page(void *page);

#endif
