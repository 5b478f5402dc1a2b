// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PV guest's CPUID: the PV-logic policy (pv/cpuid_policy.h, host-tested)
 * applied to this CPU's real CPUID, for the hardware domain.
 */
#include <asm/x86.h>
#include <pv/cpuid_policy.h>
#include "cpuid.h"

static void host_cpuid(void *arg, uint32_t leaf, uint32_t sub, struct pv_cpuid_leaf *res)
{
	(void)arg;
	cpuid_count(leaf, sub, &res->a, &res->b, &res->c, &res->d);
}

void pv_guest_cpuid_ctx(struct pv_cpuid_ctx *ctx)
{
	struct pv_cpuid_leaf ext;

	*ctx = (struct pv_cpuid_ctx){
		.host = host_cpuid,
		.hardware_domain = true,
		.host_tsc_safe = true,
	};
	host_cpuid(NULL, 0x80000008, 0, &ext);
	ctx->machine_addr_bits = ext.a & 0xff;
}

void pv_guest_cpuid(uint32_t leaf, uint32_t sub, struct pv_cpuid_leaf *r)
{
	struct pv_cpuid_ctx ctx;

	pv_guest_cpuid_ctx(&ctx);
	pv_cpuid(&ctx, leaf, sub, r);
}
