// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PV CPUID policy (see pv/cpuid_policy.h): host leaves filtered through
 * per-word masks built from the list of features a PV guest may see, plus
 * Xen's hypervisor leaves.
 */
#include "pv/cpuid_policy.h"

#include <xen/arch-x86/cpuid.h>

#define XEN_MAJOR 4
#define XEN_MINOR 17
#define BASIC_MAX 0xdu
#define EXTD_MAX 0x80000008u
#define HV_LIMIT XEN_CPUID_MAX_NUM_LEAVES

/*
 * Features a PV guest may see: the 'A' set of Xen 4.17's featureset
 * (default for all guest types), minus ARCH_CAPS, plus the informational
 * '!' bits Xen passes through. APIC, OSXSAVE and HYPERVISOR are decided
 * in leaf1() instead.
 */
static const uint16_t pv_features[] = {
	/* leaf 1 EDX */
	PV_FEAT_FPU,
	PV_FEAT_DE,
	PV_FEAT_TSC,
	PV_FEAT_MSR,
	PV_FEAT_PAE,
	PV_FEAT_MCE,
	PV_FEAT_CX8,
	PV_FEAT_SEP,
	PV_FEAT_MCA,
	PV_FEAT_CMOV,
	PV_FEAT_PAT,
	PV_FEAT_CLFLUSH,
	PV_FEAT_ACPI,
	PV_FEAT_MMX,
	PV_FEAT_FXSR,
	PV_FEAT_SSE,
	PV_FEAT_SSE2,
	PV_FEAT_SS,
	PV_FEAT_HTT,
	/* leaf 1 ECX */
	PV_FEAT_SSE3,
	PV_FEAT_PCLMULQDQ,
	PV_FEAT_SSSE3,
	PV_FEAT_FMA,
	PV_FEAT_CX16,
	PV_FEAT_SSE4_1,
	PV_FEAT_SSE4_2,
	PV_FEAT_MOVBE,
	PV_FEAT_POPCNT,
	PV_FEAT_AESNI,
	PV_FEAT_XSAVE,
	PV_FEAT_AVX,
	PV_FEAT_F16C,
	PV_FEAT_RDRAND,
	/* 0x80000001 EDX */
	PV_FEAT_SYSCALL,
	PV_FEAT_NX,
	PV_FEAT_MMXEXT,
	PV_FEAT_FFXSR,
	PV_FEAT_RDTSCP,
	PV_FEAT_LM,
	PV_FEAT_3DNOWEXT,
	PV_FEAT_3DNOW,
	/* 0x80000001 ECX */
	PV_FEAT_LAHF_LM,
	PV_FEAT_CMP_LEGACY,
	PV_FEAT_ABM,
	PV_FEAT_SSE4A,
	PV_FEAT_MISALIGNSSE,
	PV_FEAT_3DNOWPREFETCH,
	PV_FEAT_XOP,
	PV_FEAT_FMA4,
	PV_FEAT_TBM,
	PV_FEAT_DBEXT,
	/* 0xd.1 EAX */
	PV_FEAT_XSAVEOPT,
	PV_FEAT_XSAVEC,
	PV_FEAT_XGETBV1,
	/* 7.0 EBX */
	PV_FEAT_FSGSBASE,
	PV_FEAT_BMI1,
	PV_FEAT_AVX2,
	PV_FEAT_FDP_EXCP_ONLY,
	PV_FEAT_BMI2,
	PV_FEAT_ERMS,
	PV_FEAT_RTM,
	PV_FEAT_NO_FPU_SEL,
	PV_FEAT_AVX512F,
	PV_FEAT_AVX512DQ,
	PV_FEAT_RDSEED,
	PV_FEAT_ADX,
	PV_FEAT_AVX512_IFMA,
	PV_FEAT_CLFLUSHOPT,
	PV_FEAT_CLWB,
	PV_FEAT_AVX512PF,
	PV_FEAT_AVX512ER,
	PV_FEAT_AVX512CD,
	PV_FEAT_SHA,
	PV_FEAT_AVX512BW,
	PV_FEAT_AVX512VL,
	/* 7.0 ECX */
	PV_FEAT_PREFETCHWT1,
	PV_FEAT_AVX512_VBMI,
	PV_FEAT_AVX512_VBMI2,
	PV_FEAT_GFNI,
	PV_FEAT_VAES,
	PV_FEAT_VPCLMULQDQ,
	PV_FEAT_AVX512_VNNI,
	PV_FEAT_AVX512_BITALG,
	PV_FEAT_AVX512_VPOPCNTDQ,
	PV_FEAT_RDPID,
	PV_FEAT_CLDEMOTE,
	/* 0x80000008 EBX */
	PV_FEAT_CLZERO,
	PV_FEAT_RSTR_FP_ERR_PTRS,
	PV_FEAT_IBPB,
	PV_FEAT_SSB_NO,
	PV_FEAT_BTC_NO,
	PV_FEAT_IBPB_RET,
	/* 7.0 EDX */
	PV_FEAT_AVX512_4VNNIW,
	PV_FEAT_AVX512_4FMAPS,
	PV_FEAT_FSRM,
	PV_FEAT_MD_CLEAR,
	PV_FEAT_RTM_ALWAYS_ABORT,
	PV_FEAT_SERIALIZE,
	PV_FEAT_IBRSB,
	PV_FEAT_STIBP,
	PV_FEAT_SSBD,
	/* 7.1 EAX */
	PV_FEAT_AVX_VNNI,
	PV_FEAT_AVX512_BF16,
	PV_FEAT_FZRM,
	PV_FEAT_FSRS,
	PV_FEAT_FSRCS,
};

/* Leaf 1 EDX bits AMD repeats in 0x80000001 EDX (Xen's CPUID_COMMON_1D_FEATURES). */
#define COMMON_1D 0x0183f3ffu

static uint32_t word_mask(unsigned int word)
{
	uint32_t m = 0;
	unsigned int i;

	for (i = 0; i < sizeof(pv_features) / sizeof(pv_features[0]); i++)
		if (pv_features[i] / 32 == word)
			m |= 1u << (pv_features[i] % 32);
	return m;
}

static void host(const struct pv_cpuid_ctx *ctx, uint32_t leaf, uint32_t subleaf,
		 struct pv_cpuid_leaf *res)
{
	res->a = res->b = res->c = res->d = 0;
	if (ctx->host)
		ctx->host(ctx->host_arg, leaf, subleaf, res);
}

static bool host_is_amd(const struct pv_cpuid_ctx *ctx)
{
	struct pv_cpuid_leaf l;

	host(ctx, 0, 0, &l);
	/* "AuthenticAMD" or "HygonGenuine": EBX "Auth" / "Hygo" */
	return l.b == 0x68747541u || l.b == 0x6f677948u;
}

static void leaf1(const struct pv_cpuid_ctx *ctx, struct pv_cpuid_leaf *res)
{
	uint32_t apic = ctx->hardware_domain ? 1u << (PV_FEAT_APIC % 32) : 0;

	res->b &= 0x00ffffffu; /* initial APIC ID 0, as Xen for PV */
	res->c &= word_mask(1);
	res->c |= 1u << (PV_FEAT_HYPERVISOR % 32);
	if (ctx->guest_osxsave && (res->c & (1u << (PV_FEAT_XSAVE % 32))))
		res->c |= 1u << (PV_FEAT_OSXSAVE % 32);
	res->d &= word_mask(0) | apic;
}

/* The XSAVE components the guest may enable in XCR0. */
static uint64_t xcr0_allowed(const struct pv_cpuid_ctx *ctx)
{
	uint64_t m = 3; /* x87, SSE */

	if (pv_cpuid_has(ctx, PV_FEAT_AVX))
		m |= 1u << 2;
	if (pv_cpuid_has(ctx, PV_FEAT_AVX512F))
		m |= 7u << 5; /* opmask, ZMM_Hi256, Hi16_ZMM */
	return m;
}

static void leaf_xsave(const struct pv_cpuid_ctx *ctx, uint32_t subleaf, struct pv_cpuid_leaf *res)
{
	uint64_t allowed = xcr0_allowed(ctx);
	struct pv_cpuid_leaf comp;
	uint32_t i, max_size = 576; /* legacy area + header */

	if (!pv_cpuid_has(ctx, PV_FEAT_XSAVE)) {
		*res = (struct pv_cpuid_leaf){ 0 };
		return;
	}
	if (subleaf == 0) {
		for (i = 2; i < 32; i++) {
			if (!((allowed >> i) & 1))
				continue;
			host(ctx, 0xd, i, &comp);
			if (comp.a + comp.b > max_size)
				max_size = comp.a + comp.b;
		}
		res->a &= (uint32_t)allowed;
		res->d &= (uint32_t)(allowed >> 32);
		res->c = max_size;
	} else if (subleaf == 1) {
		res->a &= word_mask(4);
		res->b = res->c = res->d = 0; /* no XSS states */
	} else if (subleaf >= 64 || !((allowed >> subleaf) & 1)) {
		*res = (struct pv_cpuid_leaf){ 0 };
	}
}

static void leaf7(const struct pv_cpuid_ctx *ctx, uint32_t subleaf, struct pv_cpuid_leaf *res)
{
	(void)ctx;
	if (subleaf == 0) {
		if (res->a > 1)
			res->a = 1;
		res->b &= word_mask(5);
		res->c &= word_mask(6);
		res->d &= word_mask(9);
	} else if (subleaf == 1) {
		res->a &= word_mask(10);
		res->b = res->c = res->d = 0;
	} else {
		*res = (struct pv_cpuid_leaf){ 0 };
	}
}

static void basic(const struct pv_cpuid_ctx *ctx, uint32_t leaf, uint32_t subleaf,
		  struct pv_cpuid_leaf *res)
{
	struct pv_cpuid_leaf l0;
	uint32_t max;

	host(ctx, 0, 0, &l0);
	max = l0.a < BASIC_MAX ? l0.a : BASIC_MAX;
	if (leaf > max)
		return;
	host(ctx, leaf, subleaf, res);
	switch (leaf) {
	case 0:
		res->a = max;
		break;
	case 1:
		leaf1(ctx, res);
		break;
	case 2:
	case 3:
	case 4:
		break; /* cache and topology descriptors: the host's */
	case 7:
		leaf7(ctx, subleaf, res);
		break;
	case 0xd:
		leaf_xsave(ctx, subleaf, res);
		break;
	default:
		*res = (struct pv_cpuid_leaf){ 0 }; /* 5, 6, 8-0xc */
	}
}

static void extended(const struct pv_cpuid_ctx *ctx, uint32_t leaf, uint32_t subleaf,
		     struct pv_cpuid_leaf *res)
{
	struct pv_cpuid_leaf l0, l1;
	uint32_t max;

	host(ctx, 0x80000000u, 0, &l0);
	max = l0.a < EXTD_MAX ? l0.a : EXTD_MAX;
	if (leaf > max || max < 0x80000000u)
		return;
	host(ctx, leaf, subleaf, res);
	switch (leaf) {
	case 0x80000000u:
		res->a = max;
		break;
	case 0x80000001u:
		res->c &= word_mask(3);
		if (host_is_amd(ctx)) {
			host(ctx, 1, 0, &l1);
			leaf1(ctx, &l1);
			res->d &= word_mask(2) | (l1.d & COMMON_1D);
		} else {
			res->d &= word_mask(2);
		}
		break;
	case 0x80000007u:
		res->a = res->b = res->c = 0;
		res->d &= word_mask(7);
		break;
	case 0x80000008u:
		res->b &= word_mask(8);
		res->c = res->d = 0;
		break;
	default:
		break; /* 0x80000002-6: brand string and caches, the host's */
	}
}

/* Xen's leaves at 0x40000000 (no Viridian: PV). */
static void hypervisor(const struct pv_cpuid_ctx *ctx, uint32_t idx, uint32_t subleaf,
		       struct pv_cpuid_leaf *res)
{
	switch (idx) {
	case 0:
		res->a = XEN_CPUID_FIRST_LEAF + HV_LIMIT;
		res->b = XEN_CPUID_SIGNATURE_EBX;
		res->c = XEN_CPUID_SIGNATURE_ECX;
		res->d = XEN_CPUID_SIGNATURE_EDX;
		break;
	case 1:
		res->a = (XEN_MAJOR << 16) | XEN_MINOR;
		break;
	case 2:
		res->a = 1;		       /* hypercall pages */
		res->b = XEN_CPUID_FIRST_LEAF; /* MSR base */
		res->c = XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD;
		break;
	case 3:
		if (subleaf == 0) {
			res->a = (uint32_t)ctx->vtsc | (uint32_t)ctx->host_tsc_safe << 1 |
				 (uint32_t)pv_cpuid_has(ctx, PV_FEAT_RDTSCP) << 2;
			res->b = ctx->tsc_mode;
			res->c = ctx->tsc_khz;
			res->d = ctx->incarnation;
		} else if (subleaf == 1) {
			uint64_t off = ctx->vtsc ? 0 : ctx->vtsc_offset;

			res->a = (uint32_t)off;
			res->b = (uint32_t)(off >> 32);
			res->c = ctx->tsc_to_ns_mul;
			res->d = (uint32_t)(int32_t)ctx->tsc_to_ns_shift;
		} else if (subleaf == 2) {
			res->a = ctx->cpu_khz;
		}
		break;
	case 5:
		if (subleaf == 0)
			res->b = ctx->machine_addr_bits;
		break;
	default:
		break; /* 4: HVM only */
	}
}

void pv_cpuid(const struct pv_cpuid_ctx *ctx, uint32_t leaf, uint32_t subleaf,
	      struct pv_cpuid_leaf *res)
{
	*res = (struct pv_cpuid_leaf){ 0 };
	if (!ctx)
		return;
	if (leaf < 0x40000000u)
		basic(ctx, leaf, subleaf, res);
	else if (leaf < 0x40000100u && leaf - 0x40000000u <= HV_LIMIT)
		hypervisor(ctx, leaf - 0x40000000u, subleaf, res);
	else if (leaf >= 0x80000000u && leaf < 0x80010000u)
		extended(ctx, leaf, subleaf, res);
}

bool pv_cpuid_has(const struct pv_cpuid_ctx *ctx, unsigned int feat)
{
	static const struct {
		uint32_t leaf, subleaf;
		uint8_t reg; /* 0 a, 1 b, 2 c, 3 d */
	} where[PV_FEAT_NR_WORDS] = {
		{ 1, 0, 3 },	       { 1, 0, 2 }, { 0x80000001u, 0, 3 }, { 0x80000001u, 0, 2 },
		{ 0xd, 1, 0 },	       { 7, 0, 1 }, { 7, 0, 2 },	   { 0x80000007u, 0, 3 },
		{ 0x80000008u, 0, 1 }, { 7, 0, 3 }, { 7, 1, 0 },
	};
	struct pv_cpuid_leaf l;
	uint32_t regs[4];
	unsigned int w = feat / 32;

	if (!ctx || w >= PV_FEAT_NR_WORDS)
		return false;
	if (w == 4) {
		/* Avoid recursion through leaf_xsave(): filter sub-leaf 1 directly. */
		if (!pv_cpuid_has(ctx, PV_FEAT_XSAVE))
			return false;
		host(ctx, 0xd, 1, &l);
		return (l.a & word_mask(4)) >> (feat % 32) & 1;
	}
	pv_cpuid(ctx, where[w].leaf, where[w].subleaf, &l);
	regs[0] = l.a;
	regs[1] = l.b;
	regs[2] = l.c;
	regs[3] = l.d;
	return (regs[where[w].reg] >> (feat % 32)) & 1;
}
