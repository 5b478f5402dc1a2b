/* SPDX-License-Identifier: GPL-2.0-only */
/* The PV guest's CPUID view (see cpuid.c). */
#ifndef LAMINA_ASM_PV_CPUID_H
#define LAMINA_ASM_PV_CPUID_H

#include <asm/cpuid_policy.h>
#include <lamina/domain.h>

/* The policy's context for v on this host; forced: the forced-emulation CPUID. */
void pv_guest_cpuid_ctx(struct pv_cpuid_ctx *ctx, const struct vcpu *v, bool forced);
/* CPUID leaf/sub-leaf as v sees it. */
void pv_guest_cpuid(const struct vcpu *v, uint32_t leaf, uint32_t sub, bool forced,
		    struct pv_cpuid_leaf *r);

#endif
