/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Between the hypervisor's vCPU and the PV-logic modules' view of it
 * (struct pv_vcpu_mode); the registers go over as struct pv_frame_regs.
 */
#ifndef LAMINA_GUEST_PVREGS_H
#define LAMINA_GUEST_PVREGS_H

#include <asm/regs.h>
#include <lamina/domain.h>
#include <pv/bounce_frame.h>

/* The vCPU state pv_bounce_frame() and pv_iret() depend on. */
void pv_vcpu_mode(const struct vcpu *v, struct pv_vcpu_mode *m);

#endif
