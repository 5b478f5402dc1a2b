// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PV guest's CPUID: the PV-logic policy (asm/cpuid_policy.h, host-tested
 * and compared with Xen 4.17 on QEMU) applied to this CPU's real CPUID, for
 * the hardware domain, with the vCPU's mode and the clock's numbers.
 */
#include <asm/cpuid_policy.h>
#include <asm/pv/cpuid.h>
#include <asm/x86.h>
#include <lamina/arch.h>

#define CR4_OSXSAVE (1UL << 18)

static void host_cpuid(void *arg, uint32_t leaf, uint32_t sub, struct pv_cpuid_leaf *res)
{
	(void)arg;
	cpuid_count(leaf, sub, &res->a, &res->b, &res->c, &res->d);
}

void pv_guest_cpuid_ctx(struct pv_cpuid_ctx *ctx, const struct vcpu *v, bool forced)
{
	struct pv_cpuid_leaf ext;
	uint64_t tsc, ns;
	uint32_t mul;
	int8_t shift;

	arch_time_scale(&tsc, &ns, &mul, &shift);
	*ctx = (struct pv_cpuid_ctx){
		.host = host_cpuid,
		.hardware_domain = v->domain->id == 0,
		.kernel_mode = v->arch.kernel_mode,
		.enlightened = forced && v->arch.kernel_mode,
		.host_osxsave = read_cr4() & CR4_OSXSAVE,
		.host_tsc_safe = true,
		.tsc_khz = (uint32_t)(arch_tsc_hz() / 1000),
		.cpu_khz = (uint32_t)(arch_tsc_hz() / 1000),
		.tsc_to_ns_mul = mul,
		.tsc_to_ns_shift = shift,
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
