/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Between the hypervisor's register frame (struct cpu_regs) and the
 * PV-logic modules' view (Xen's struct cpu_user_regs, struct pv_vcpu_mode).
 */
#ifndef LAMINA_GUEST_PVREGS_H
#define LAMINA_GUEST_PVREGS_H

#include <asm/regs.h>
#include <lamina/domain.h>
#include <pv/bounce_frame.h>

void pv_regs_to_xen(const struct cpu_regs *r, struct cpu_user_regs *x);
void pv_regs_from_xen(const struct cpu_user_regs *x, struct cpu_regs *r);
/* The vCPU state pv_bounce_frame() and pv_iret() depend on. */
void pv_vcpu_mode(const struct vcpu *v, struct pv_vcpu_mode *m);

#endif
