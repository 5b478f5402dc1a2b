// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PV CPUID policy (see asm/cpuid_policy.h): host leaves filtered through
 * per-word masks built from the list of features a PV guest may see, plus
 * Xen's hypervisor leaves.
 */
#include <asm/cpuid_policy.h>

#include <stddef.h>

#include <xen/arch-x86/cpuid.h>

#define XEN_MAJOR 4
#define XEN_MINOR 17
#define BASIC_MAX 0xdu
#define EXTD_MAX_INTEL 0x80000008u
#define EXTD_MAX_AMD 0x80000021u
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
	/* 0x80000021 EAX */
	PV_FEAT_LFENCE_DISPATCH,
	PV_FEAT_VERW_CLEAR,
	PV_FEAT_NSCB,
	PV_FEAT_SBPB,
	PV_FEAT_IBPB_BRTYPE,
	PV_FEAT_SRSO_NO,
	PV_FEAT_SRSO_US_NO,
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

/*
 * Features that need the AVX (YMM) and AVX-512 (opmask, ZMM) register state:
 * hidden with it, as Xen's feature dependencies (gen-cpuid.py) hide them.
 */
static const uint16_t avx_deps[] = {
	PV_FEAT_AVX,  PV_FEAT_FMA,  PV_FEAT_F16C,	PV_FEAT_FMA4,	  PV_FEAT_XOP,
	PV_FEAT_AVX2, PV_FEAT_VAES, PV_FEAT_VPCLMULQDQ, PV_FEAT_AVX_VNNI,
};

static const uint16_t avx512_deps[] = {
	PV_FEAT_AVX512F,       PV_FEAT_AVX512DQ,     PV_FEAT_AVX512_IFMA,
	PV_FEAT_AVX512PF,      PV_FEAT_AVX512ER,     PV_FEAT_AVX512CD,
	PV_FEAT_AVX512BW,      PV_FEAT_AVX512VL,     PV_FEAT_AVX512_4VNNIW,
	PV_FEAT_AVX512_4FMAPS, PV_FEAT_AVX512_VNNI,  PV_FEAT_AVX512_VPOPCNTDQ,
	PV_FEAT_AVX512_VBMI,   PV_FEAT_AVX512_VBMI2, PV_FEAT_AVX512_BITALG,
	PV_FEAT_AVX512_BF16,
};

static uint32_t list_mask(const uint16_t *list, size_t n, unsigned int word)
{
	uint32_t m = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] / 32 == word)
			m |= 1u << (list[i] % 32);
	return m;
}

#define XCR0_YMM (1u << 2)
#define XCR0_AVX512 (7u << 5)

/* The bits of feature word @word the policy hides on this host. */
static uint32_t hidden(const struct pv_cpuid_ctx *ctx, unsigned int word)
{
	struct pv_cpuid_leaf l0, l1, d0;
	bool xsave, avx, avx512;

	host(ctx, 0, 0, &l0);
	host(ctx, 1, 0, &l1);
	xsave = (l1.c >> (PV_FEAT_XSAVE % 32)) & 1;
	d0 = (struct pv_cpuid_leaf){ 0 };
	if (xsave && l0.a >= 0xd)
		host(ctx, 0xd, 0, &d0);
	avx = xsave && !ctx->hide_avx && (d0.a & XCR0_YMM);
	avx512 = avx && (d0.a & XCR0_AVX512) == XCR0_AVX512;
	if (!avx)
		return list_mask(avx_deps, sizeof(avx_deps) / sizeof(avx_deps[0]), word) |
		       list_mask(avx512_deps, sizeof(avx512_deps) / sizeof(avx512_deps[0]), word);
	if (!avx512)
		return list_mask(avx512_deps, sizeof(avx512_deps) / sizeof(avx512_deps[0]), word);
	return 0;
}

/* What the guest may see of feature word @word. */
static uint32_t visible(const struct pv_cpuid_ctx *ctx, unsigned int word)
{
	return word_mask(word) & ~hidden(ctx, word);
}

static bool host_is_amd(const struct pv_cpuid_ctx *ctx)
{
	struct pv_cpuid_leaf l;

	host(ctx, 0, 0, &l);
	/* "AuthenticAMD" or "HygonGenuine": EBX "Auth" / "Hygo" */
	return l.b == 0x68747541u || l.b == 0x6f677948u;
}

#define BIT(f) (1u << ((f) % 32))

/* MTRR for the hardware domain's kernel (Xen: Xenolinux dom0s need it). */
static uint32_t dom0_mtrr(const struct pv_cpuid_ctx *ctx, uint32_t host_1d)
{
	if (ctx->hardware_domain && ctx->kernel_mode)
		return host_1d & BIT(PV_FEAT_MTRR);
	return 0;
}

static void leaf1(const struct pv_cpuid_ctx *ctx, struct pv_cpuid_leaf *res, bool amd)
{
	uint32_t dom0_only =
		(ctx->hardware_domain ? BIT(PV_FEAT_APIC) : 0) | dom0_mtrr(ctx, res->d);
	bool xsave;

	res->a &= 0x0fff0fffu; /* processor type and reserved bits */
	res->b &= 0x00ffffffu; /* initial APIC ID 0, as Xen for PV */
	res->c &= visible(ctx, 1);
	res->c |= BIT(PV_FEAT_HYPERVISOR);
	/* Xen's de-facto PV ABI: the enlightened view leaks its own OSXSAVE. */
	xsave = res->c & BIT(PV_FEAT_XSAVE);
	if (xsave && (ctx->guest_osxsave || (ctx->enlightened && ctx->host_osxsave)))
		res->c |= BIT(PV_FEAT_OSXSAVE);
	res->d &= visible(ctx, 0) | dom0_only;
	if (amd)
		res->d &= ~BIT(PV_FEAT_SEP); /* no SYSENTER in long mode */
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

/* Bytes of XSAVE area for the components in @mask (uncompressed format). */
static uint32_t xsave_size(const struct pv_cpuid_ctx *ctx, uint64_t mask)
{
	struct pv_cpuid_leaf comp;
	uint32_t i, size = 576; /* legacy area + header */

	for (i = 2; i < 63; i++) {
		if (!((mask >> i) & 1))
			continue;
		host(ctx, 0xd, i, &comp);
		if (comp.a + comp.b > size)
			size = comp.a + comp.b;
	}
	return size;
}

static void leaf_xsave(const struct pv_cpuid_ctx *ctx, uint32_t subleaf, struct pv_cpuid_leaf *res)
{
	uint64_t allowed = xcr0_allowed(ctx);

	if (!pv_cpuid_has(ctx, PV_FEAT_XSAVE)) {
		*res = (struct pv_cpuid_leaf){ 0 };
		return;
	}
	if (subleaf == 0) {
		res->a &= (uint32_t)allowed;
		res->d &= (uint32_t)(allowed >> 32);
		res->b = xsave_size(ctx, ctx->guest_xcr0 & allowed);
		res->c = xsave_size(ctx, allowed);
	} else if (subleaf == 1) {
		res->a &= visible(ctx, 4);
		res->b = res->c = res->d = 0; /* no XSS states */
	} else if (subleaf >= 64 || !((allowed >> subleaf) & 1)) {
		*res = (struct pv_cpuid_leaf){ 0 };
	}
}

static void leaf7(const struct pv_cpuid_ctx *ctx, uint32_t subleaf, struct pv_cpuid_leaf *res)
{
	if (subleaf == 0) {
		if (res->a > 1)
			res->a = 1;
		res->b &= visible(ctx, 5);
		res->c &= visible(ctx, 6);
		res->d &= visible(ctx, 9);
		if (ctx->arch_caps)
			res->d |= BIT(PV_FEAT_ARCH_CAPS);
	} else if (subleaf == 1) {
		res->a &= visible(ctx, 10);
		res->b = res->c = res->d = 0;
	} else {
		*res = (struct pv_cpuid_leaf){ 0 };
	}
}

static void basic(const struct pv_cpuid_ctx *ctx, uint32_t leaf, uint32_t subleaf,
		  struct pv_cpuid_leaf *res)
{
	bool amd = host_is_amd(ctx);
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
		leaf1(ctx, res, amd);
		break;
	case 2: /* cache descriptors: Intel's, one query */
		if (amd)
			*res = (struct pv_cpuid_leaf){ 0 };
		else
			res->a = (res->a & ~0xffu) | 1;
		break;
	case 4: /* deterministic cache parameters: Intel's */
		if (amd)
			*res = (struct pv_cpuid_leaf){ 0 };
		break;
	case 7:
		leaf7(ctx, subleaf, res);
		break;
	case 0xd:
		leaf_xsave(ctx, subleaf, res);
		break;
	default:
		*res = (struct pv_cpuid_leaf){ 0 }; /* 3, 5, 6, 8-0xc */
	}
}

/* 0x80000001: features, and on AMD the family/model and the leaf-1 repeats. */
static void extd1(const struct pv_cpuid_ctx *ctx, struct pv_cpuid_leaf *res, bool amd)
{
	struct pv_cpuid_leaf l1;

	res->c &= visible(ctx, 3);
	host(ctx, 1, 0, &l1);
	if (!amd) {
		res->a = res->b = 0;
		res->d = (res->d & visible(ctx, 2)) | dom0_mtrr(ctx, l1.d);
		return;
	}
	leaf1(ctx, &l1, amd);
	res->a = l1.a;
	res->b &= 0xff00ffffu;
	res->d &= visible(ctx, 2) | (l1.d & COMMON_1D);
}

/* 0x80000008: address sizes (linear capped at 48: no LA57) and features. */
static void extd8(struct pv_cpuid_leaf *res, bool amd)
{
	uint32_t va = (res->a >> 8) & 0xff;

	res->a = (res->a & 0xff) | (va < 48 ? va : 48) << 8;
	res->b &= word_mask(8);
	res->c = amd ? res->c & 0x0003f0ffu : 0;
	res->d = 0;
}

static void extended(const struct pv_cpuid_ctx *ctx, uint32_t leaf, uint32_t subleaf,
		     struct pv_cpuid_leaf *res)
{
	bool amd = host_is_amd(ctx);
	uint32_t cap = amd ? EXTD_MAX_AMD : EXTD_MAX_INTEL;
	struct pv_cpuid_leaf l0;
	uint32_t max;

	host(ctx, 0x80000000u, 0, &l0);
	max = l0.a < cap ? l0.a : cap;
	if (leaf > max || max < 0x80000000u)
		return;
	host(ctx, leaf, subleaf, res);
	switch (leaf) {
	case 0x80000000u:
		host(ctx, 0, 0, &l0);
		*res = amd ? l0 : (struct pv_cpuid_leaf){ 0 };
		res->a = max;
		break;
	case 0x80000001u:
		extd1(ctx, res, amd);
		break;
	case 0x80000002u: /* brand string */
	case 0x80000003u:
	case 0x80000004u:
		break;
	case 0x80000005u: /* AMD L1 caches */
		if (!amd)
			*res = (struct pv_cpuid_leaf){ 0 };
		break;
	case 0x80000006u: /* L2/L3 caches: Intel shows only ECX */
		if (!amd)
			res->a = res->b = res->d = 0;
		break;
	case 0x80000007u:
		res->a = res->b = res->c = 0;
		res->d &= word_mask(7);
		break;
	case 0x80000008u:
		extd8(res, amd);
		break;
	case 0x80000019u: /* AMD TLB details and performance hints */
	case 0x8000001au:
		break;
	case 0x80000021u:
		res->a &= word_mask(11);
		res->b = res->c = res->d = 0;
		break;
	default: /* SVM, IBS, LWP, topology, SEV, QoS...: hidden */
		*res = (struct pv_cpuid_leaf){ 0 };
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
		{ 0x80000008u, 0, 1 }, { 7, 0, 3 }, { 7, 1, 0 },	   { 0x80000021u, 0, 0 },
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
