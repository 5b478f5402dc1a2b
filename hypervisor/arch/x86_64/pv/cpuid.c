// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PV guest's CPUID: the PV-logic policy (asm/cpuid_policy.h, host-tested
 * and compared with Xen 4.17 on QEMU) applied to this CPU's real CPUID, for
 * the hardware domain, with the vCPU's mode and the domain's TSC mode.
 */
#include <asm/cpuid_policy.h>
#include <asm/pv/cpuid.h>
#include <asm/tsc.h>
#include <asm/x86.h>
#include <lamina/arch.h>
#include <lamina/domain.h>

#define CR4_OSXSAVE (1UL << 18)

static void host_cpuid(void *arg, uint32_t leaf, uint32_t sub, struct pv_cpuid_leaf *res)
{
	(void)arg;
	cpuid_count(leaf, sub, &res->a, &res->b, &res->c, &res->d);
}

void pv_guest_cpuid_ctx(struct pv_cpuid_ctx *ctx, const struct vcpu *v, bool forced)
{
	const struct domain_tsc *t = &v->domain->arch.tsc;
	struct pv_cpuid_leaf ext;

	*ctx = (struct pv_cpuid_ctx){
		.host = host_cpuid,
		.hardware_domain = v->domain->id == 0,
		.kernel_mode = v->arch.kernel_mode,
		.enlightened = forced && v->arch.kernel_mode,
		.host_osxsave = read_cr4() & CR4_OSXSAVE,
		/* Xen's time leaf: the domain's TSC mode (asm/tsc.h). */
		.vtsc = t->vtsc,
		.host_tsc_safe = tsc_host_is_safe(),
		.tsc_mode = t->mode,
		.tsc_khz = t->khz,
		.incarnation = t->incarnation,
		.vtsc_offset = t->offset_ns,
		.cpu_khz = (uint32_t)(arch_tsc_hz() / 1000),
		.tsc_to_ns_mul = t->to_ns.mul_frac,
		.tsc_to_ns_shift = t->to_ns.shift,
	};
	host_cpuid(NULL, 0x80000008, 0, &ext);
	ctx->machine_addr_bits = ext.a & 0xff;
}

void pv_guest_cpuid(const struct vcpu *v, uint32_t leaf, uint32_t sub, bool forced,
		    struct pv_cpuid_leaf *r)
{
	struct pv_cpuid_ctx ctx;

	pv_guest_cpuid_ctx(&ctx, v, forced);
	pv_cpuid(&ctx, leaf, sub, r);
}
