// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the CPUID and MSR policies a PV guest sees
 * (hypervisor/arch/x86_64/lib/cpuid_policy.c and msr_policy.c, built for the
 * host). The input gives the context (the host's CPUID answers come from the
 * input too, hardware domain or not, the guest's XCR0 and modes) and then
 * a series of CPUID leaves and MSR reads and writes, as a guest issues them.
 * Checked: no memory error or undefined behaviour; answers are a function
 * of the question (the same leaf twice gives the same answer); a write the
 * policy accepts to FS/GS base and a read of it agree.
 */
#include <stdlib.h>
#include <string.h>

#include <asm/cpuid_policy.h>
#include <asm/msr_policy.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct in {
	const uint8_t *p;
	size_t len, off;
};

static uint64_t take(struct in *in, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n && in->off < in->len; i++)
		v |= (uint64_t)in->p[in->off++] << (8 * i);
	return v;
}

/* The "host" CPUID: a fixed mix of the leaf and the input's seed. */
static void host_cpuid(void *arg, uint32_t leaf, uint32_t subleaf, struct pv_cpuid_leaf *res)
{
	uint64_t seed = *(const uint64_t *)arg;

	res->a = (uint32_t)(seed ^ leaf * 0x9e3779b9u);
	res->b = (uint32_t)((seed >> 16) ^ subleaf * 0x85ebca6bu);
	res->c = (uint32_t)((seed >> 32) + leaf);
	res->d = (uint32_t)((seed >> 40) ^ (leaf << 3) ^ subleaf);
	if (leaf == 0 || leaf == 0x80000000u)
		res->a = leaf + (seed & 0x1f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size, 0 };
	uint64_t seed = take(&in, 8), flags = take(&in, 2), val, back;
	struct pv_cpuid_ctx cc;
	struct pv_msr_ctx mc;
	struct pv_msr_vcpu v;
	struct pv_msr_effect eff;
	struct pv_cpuid_leaf r1, r2;
	uint32_t leaf, sub, msr;

	memset(&cc, 0, sizeof(cc));
	cc.host = host_cpuid;
	cc.host_arg = &seed;
	cc.hardware_domain = flags & 1;
	cc.guest_osxsave = flags & 2;
	cc.kernel_mode = flags & 4;
	cc.enlightened = flags & 8;
	cc.host_osxsave = flags & 16;
	cc.arch_caps = flags & 32;
	cc.hide_avx = flags & 64;
	cc.vtsc = flags & 128;
	cc.guest_xcr0 = take(&in, 8);
	cc.tsc_khz = (uint32_t)take(&in, 4);
	cc.tsc_to_ns_shift = (int8_t)take(&in, 1);
	cc.machine_addr_bits = (uint32_t)take(&in, 1);
	memset(&mc, 0, sizeof(mc));
	mc.cpuid = &cc;
	mc.intel = flags & 256;
	mc.cpuid_faulting = flags & 512;
	mc.arch_caps = take(&in, 8);
	memset(&v, 0, sizeof(v));
	v.kernel_mode = flags & 1024;
	while (in.off < in.len) {
		switch (take(&in, 1) % 3) {
		case 0:
			leaf = (uint32_t)take(&in, 4);
			if (leaf & 0x100)
				leaf &= 0x8000001f; /* mostly leaves that exist */
			sub = (uint32_t)take(&in, 1);
			pv_cpuid(&cc, leaf, sub, &r1);
			pv_cpuid(&cc, leaf, sub, &r2);
			if (memcmp(&r1, &r2, sizeof(r1)))
				abort();
			pv_cpuid_has(&cc, (unsigned int)take(&in, 2));
			break;
		case 1:
			msr = (uint32_t)take(&in, 4);
			pv_msr_read(&mc, &v, msr, &val);
			break;
		default:
			msr = (uint32_t)take(&in, 1) & 1 ? PV_MSR_FS_BASE : (uint32_t)take(&in, 4);
			val = take(&in, 8);
			memset(&eff, 0, sizeof(eff));
			if (!pv_msr_write(&mc, &v, msr, val, &eff) && msr == PV_MSR_FS_BASE &&
			    (pv_msr_read(&mc, &v, msr, &back) || back != val))
				abort();
			break;
		}
	}
	return 0;
}
