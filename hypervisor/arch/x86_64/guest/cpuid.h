/* SPDX-License-Identifier: GPL-2.0-only */
/* The PV guest's CPUID view (see cpuid.c). */
#ifndef LAMINA_GUEST_CPUID_H
#define LAMINA_GUEST_CPUID_H

#include <lamina/types.h>
#include <pv/cpuid_policy.h>

/* The policy's context for the hardware domain on this host. */
void pv_guest_cpuid_ctx(struct pv_cpuid_ctx *ctx);
/* CPUID leaf/sub-leaf as the (hardware-domain) PV guest sees it. */
void pv_guest_cpuid(uint32_t leaf, uint32_t sub, struct pv_cpuid_leaf *r);

#endif
