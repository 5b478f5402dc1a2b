// SPDX-License-Identifier: GPL-2.0-only
/*
 * CUnit suites for x86_64/lib/cpuid_policy and x86_64/lib/msr_policy, against two made-up
 * hosts given as CPUID tables: an Intel part with VMX, PCID, SMEP/SMAP,
 * INVPCID, PKU, MPX, x2APIC, AVX-512 and ARCH_CAPS (all of which a PV guest
 * must or must not see), and an AMD part with SVM, 1 GiB pages and the
 * leaf-1 bits AMD repeats in 0x80000001.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>

#include <asm/cpuid_policy.h>
#include <asm/canonical.h>
#include <asm/msr_policy.h>
#include "cunit_run.h"

struct host_row {
	uint32_t leaf, subleaf;
	struct pv_cpuid_leaf r;
};

#define BIT(f) (1u << ((f) % 32))

static const struct host_row intel[] = {
	{ 0, 0, { 0x16, 0x756e6547, 0x6c65746e, 0x49656e69 } }, /* GenuineIntel */
	{ 1,
	  0,
	  { 0x000906ea, 0x05100800,
	    BIT(PV_FEAT_SSE3) | BIT(PV_FEAT_MONITOR) | BIT(PV_FEAT_VMX) | BIT(PV_FEAT_PCID) |
		    BIT(PV_FEAT_X2APIC) | BIT(PV_FEAT_TSC_DEADLINE) | BIT(PV_FEAT_XSAVE) |
		    BIT(PV_FEAT_OSXSAVE) | BIT(PV_FEAT_AVX) | BIT(PV_FEAT_POPCNT),
	    BIT(PV_FEAT_FPU) | BIT(PV_FEAT_VME) | BIT(PV_FEAT_PSE) | BIT(PV_FEAT_TSC) |
		    BIT(PV_FEAT_APIC) | BIT(PV_FEAT_MTRR) | BIT(PV_FEAT_PGE) | BIT(PV_FEAT_SSE2) |
		    BIT(PV_FEAT_DS) | BIT(PV_FEAT_PBE) } },
	{ 4, 0, { 0x1c004121, 0x01c0003f, 0x3f, 0 } },
	{ 5, 0, { 0x40, 0x40, 3, 0x11142120 } },
	{ 6, 0, { 0x77, 2, 9, 0 } },
	{ 7,
	  0,
	  { 2,
	    BIT(PV_FEAT_FSGSBASE) | BIT(PV_FEAT_SMEP) | BIT(PV_FEAT_SMAP) | BIT(PV_FEAT_INVPCID) |
		    BIT(PV_FEAT_AVX2) | BIT(PV_FEAT_MPX) | BIT(PV_FEAT_AVX512F) |
		    BIT(PV_FEAT_TSC_ADJUST),
	    BIT(PV_FEAT_PKU) | BIT(PV_FEAT_OSPKE) | BIT(PV_FEAT_UMIP) | BIT(PV_FEAT_RDPID),
	    BIT(PV_FEAT_ARCH_CAPS) | BIT(PV_FEAT_IBRSB) | BIT(PV_FEAT_STIBP) |
		    BIT(PV_FEAT_MD_CLEAR) | BIT(PV_FEAT_CORE_CAPS) } },
	{ 7, 1, { BIT(PV_FEAT_AVX_VNNI) | (1u << 31), 1, 1, 1 } },
	{ 7, 2, { 5, 5, 5, 5 } },
	{ 0xa, 0, { 0x07300404, 0, 0, 0x603 } },
	{ 0xb, 0, { 1, 2, 0x100, 0 } },
	{ 0xd, 0, { 0x2ff, 0x340, 0xa88, 0 } }, /* x87 SSE AVX MPX(3,4) AVX512(5-7) PKRU(9) */
	{ 0xd,
	  1,
	  { BIT(PV_FEAT_XSAVEOPT) | BIT(PV_FEAT_XSAVEC) | BIT(PV_FEAT_XSAVES), 0x990, 0x100, 0 } },
	{ 0xd, 2, { 256, 576, 0, 0 } },
	{ 0xd, 3, { 64, 960, 0, 0 } },
	{ 0xd, 4, { 64, 1024, 0, 0 } },
	{ 0xd, 5, { 64, 1088, 0, 0 } },
	{ 0xd, 6, { 512, 1152, 0, 0 } },
	{ 0xd, 7, { 1024, 1664, 0, 0 } },
	{ 0xd, 9, { 8, 2688, 0, 0 } },
	{ 0x40000000, 0, { 0x40000001, 1, 2, 3 } }, /* must never leak through */
	{ 0x80000000, 0, { 0x80000008, 0, 0, 0 } },
	{ 0x80000001,
	  0,
	  { 0, 0, BIT(PV_FEAT_LAHF_LM) | BIT(PV_FEAT_ABM),
	    BIT(PV_FEAT_SYSCALL) | BIT(PV_FEAT_NX) | BIT(PV_FEAT_PAGE1GB) | BIT(PV_FEAT_RDTSCP) |
		    BIT(PV_FEAT_LM) } },
	{ 0x80000002, 0, { 0x65746e49, 0x2952286c, 0x726f4320, 0x4d542865 } },
	{ 0x80000007, 0, { 1, 2, 3, BIT(PV_FEAT_ITSC) } },
	{ 0x80000008, 0, { 0x3027, BIT(PV_FEAT_WBNOINVD), 5, 6 } },
};

static const struct host_row amd[] = {
	{ 0, 0, { 0x10, 0x68747541, 0x444d4163, 0x69746e65 } }, /* AuthenticAMD */
	{ 1,
	  0,
	  { 0x00a00f11, 0x00080800, BIT(PV_FEAT_SSE3),
	    BIT(PV_FEAT_FPU) | BIT(PV_FEAT_PSE) | BIT(PV_FEAT_APIC) | BIT(PV_FEAT_CMOV) } },
	{ 0x80000000, 0, { 0x80000021, 0, 0, 0 } },
	{ 0x80000001,
	  0,
	  { 0, 0, BIT(PV_FEAT_SVM) | BIT(PV_FEAT_SSE4A) | BIT(PV_FEAT_CMP_LEGACY),
	    /* FPU, PSE, APIC, CMOV repeated from leaf 1 */
	    (1u << 0) | (1u << 3) | (1u << 9) | (1u << 15) | BIT(PV_FEAT_LM) | BIT(PV_FEAT_NX) |
		    BIT(PV_FEAT_PAGE1GB) } },
	{ 0x80000008, 0, { 0x3030, BIT(PV_FEAT_IBPB) | BIT(PV_FEAT_CLZERO), 0xf, 0 } },
	{ 0x8000000a, 0, { 1, 2, 3, 4 } },
	{ 0x80000021, 0, { 9, 9, 9, 9 } },
};

struct host_table {
	const struct host_row *rows;
	size_t n;
};

static void table_cpuid(void *arg, uint32_t leaf, uint32_t subleaf, struct pv_cpuid_leaf *res)
{
	const struct host_table *t = arg;

	for (size_t i = 0; i < t->n; i++)
		if (t->rows[i].leaf == leaf && t->rows[i].subleaf == subleaf) {
			*res = t->rows[i].r;
			return;
		}
	*res = (struct pv_cpuid_leaf){ 0 };
}

static struct host_table intel_t = { intel, sizeof(intel) / sizeof(intel[0]) };
static struct host_table amd_t = { amd, sizeof(amd) / sizeof(amd[0]) };

static struct pv_cpuid_ctx ctx_for(struct host_table *t)
{
	struct pv_cpuid_ctx c = {
		.host = table_cpuid,
		.host_arg = t,
		.hardware_domain = true,
		.kernel_mode = true,
		.host_tsc_safe = true,
		.tsc_mode = 0,
		.tsc_khz = 2400000,
		.incarnation = 0,
		.vtsc_offset = 0x123456789ull,
		.tsc_to_ns_mul = 0xaaaaaaab,
		.tsc_to_ns_shift = -1,
		.cpu_khz = 2400123,
		.machine_addr_bits = 33,
	};

	return c;
}

static struct pv_cpuid_leaf q(const struct pv_cpuid_ctx *c, uint32_t leaf, uint32_t sub)
{
	struct pv_cpuid_leaf r;

	memset(&r, 0x5a, sizeof(r));
	pv_cpuid(c, leaf, sub, &r);
	return r;
}

static bool zero(struct pv_cpuid_leaf r)
{
	return !r.a && !r.b && !r.c && !r.d;
}

static void test_hypervisor_leaves(void)
{
	struct pv_cpuid_ctx c = ctx_for(&intel_t);
	struct pv_cpuid_leaf r = q(&c, 0x40000000, 0);
	char sig[13];

	CU_ASSERT_EQUAL(r.a, 0x40000005);
	memcpy(sig, &r.b, 4);
	memcpy(sig + 4, &r.c, 4);
	memcpy(sig + 8, &r.d, 4);
	sig[12] = 0;
	CU_ASSERT_STRING_EQUAL(sig, "XenVMMXenVMM");
	r = q(&c, 0x40000001, 0);
	CU_ASSERT_EQUAL(r.a, 0x00040011);
	CU_ASSERT_EQUAL(r.b | r.c | r.d, 0);
	r = q(&c, 0x40000002, 0);
	CU_ASSERT_EQUAL(r.a, 1);
	CU_ASSERT_EQUAL(r.b, 0x40000000);
	CU_ASSERT_EQUAL(r.c, 1); /* MMU_PT_UPDATE_PRESERVE_AD */
	CU_ASSERT_EQUAL(r.d, 0);
	r = q(&c, 0x40000003, 0);
	CU_ASSERT_EQUAL(r.a, 2 | 4); /* tsc safe, rdtscp */
	CU_ASSERT_EQUAL(r.c, 2400000);
	r = q(&c, 0x40000003, 1);
	CU_ASSERT_EQUAL(r.a, 0x23456789);
	CU_ASSERT_EQUAL(r.b, 0x1);
	CU_ASSERT_EQUAL(r.c, 0xaaaaaaab);
	CU_ASSERT_EQUAL(r.d, 0xffffffff);
	CU_ASSERT_EQUAL(q(&c, 0x40000003, 2).a, 2400123);
	CU_ASSERT_TRUE(zero(q(&c, 0x40000003, 3)));
	CU_ASSERT_TRUE(zero(q(&c, 0x40000004, 0))); /* HVM leaf */
	CU_ASSERT_EQUAL(q(&c, 0x40000005, 0).b, 33);
	CU_ASSERT_TRUE(zero(q(&c, 0x40000005, 1)));
	CU_ASSERT_TRUE(zero(q(&c, 0x40000006, 0)));
	CU_ASSERT_TRUE(zero(q(&c, 0x40000100, 0)));
	CU_ASSERT_TRUE(zero(q(&c, 0x400000ff, 0)));
}

static void test_basic_leaves(void)
{
	struct pv_cpuid_ctx c = ctx_for(&intel_t);
	struct pv_cpuid_leaf r = q(&c, 0, 0);

	CU_ASSERT_EQUAL(r.a, 0xd);
	CU_ASSERT_EQUAL(r.b, 0x756e6547);
	r = q(&c, 1, 0);
	CU_ASSERT_EQUAL(r.a, 0x000906ea);
	CU_ASSERT_EQUAL(r.b, 0x00100800); /* APIC ID cleared */
	CU_ASSERT_EQUAL(r.c, BIT(PV_FEAT_SSE3) | BIT(PV_FEAT_XSAVE) | BIT(PV_FEAT_AVX) |
				     BIT(PV_FEAT_POPCNT) | BIT(PV_FEAT_HYPERVISOR));
	/* APIC and MTRR for the hardware domain, as Xen's dom0 sees them */
	CU_ASSERT_EQUAL(r.d, BIT(PV_FEAT_FPU) | BIT(PV_FEAT_TSC) | BIT(PV_FEAT_APIC) |
				     BIT(PV_FEAT_MTRR) | BIT(PV_FEAT_SSE2));
	/* the enlightened view leaks the hypervisor's OSXSAVE, the native one not */
	c.enlightened = true;
	c.host_osxsave = true;
	CU_ASSERT_TRUE(q(&c, 1, 0).c & BIT(PV_FEAT_OSXSAVE));
	c.enlightened = false;
	CU_ASSERT_FALSE(q(&c, 1, 0).c & BIT(PV_FEAT_OSXSAVE));
	c.hardware_domain = false;
	c.guest_osxsave = true;
	r = q(&c, 1, 0);
	CU_ASSERT_FALSE(r.d & (BIT(PV_FEAT_APIC) | BIT(PV_FEAT_MTRR)));
	CU_ASSERT_TRUE(r.c & BIT(PV_FEAT_OSXSAVE));
	CU_ASSERT_TRUE(zero(q(&c, 5, 0))); /* MONITOR hidden */
	CU_ASSERT_TRUE(zero(q(&c, 6, 0)));
	CU_ASSERT_TRUE(zero(q(&c, 0xa, 0)));
	CU_ASSERT_TRUE(zero(q(&c, 0xb, 0)));
	CU_ASSERT_TRUE(zero(q(&c, 0xe, 0))); /* past the max */
	CU_ASSERT_TRUE(zero(q(&c, 0x16, 0)));
	CU_ASSERT_TRUE(zero(q(&c, 0x3fffffff, 0)));
	CU_ASSERT_EQUAL(q(&c, 4, 0).a, 0x1c004121);
	r = q(&c, 7, 0);
	CU_ASSERT_EQUAL(r.a, 1);
	CU_ASSERT_EQUAL(r.b, BIT(PV_FEAT_FSGSBASE) | BIT(PV_FEAT_AVX2) | BIT(PV_FEAT_AVX512F));
	CU_ASSERT_EQUAL(r.c, BIT(PV_FEAT_RDPID));
	CU_ASSERT_EQUAL(r.d, BIT(PV_FEAT_IBRSB) | BIT(PV_FEAT_STIBP) | BIT(PV_FEAT_MD_CLEAR));
	r = q(&c, 7, 1);
	CU_ASSERT_EQUAL(r.a, BIT(PV_FEAT_AVX_VNNI));
	CU_ASSERT_EQUAL(r.b | r.c | r.d, 0);
	CU_ASSERT_TRUE(zero(q(&c, 7, 2)));
}

static void test_xsave_leaf(void)
{
	struct pv_cpuid_ctx c = ctx_for(&intel_t);
	struct pv_cpuid_leaf r = q(&c, 0xd, 0);

	CU_ASSERT_EQUAL(r.a, 0xe7); /* x87 SSE AVX, AVX-512; no MPX, no PKRU */
	CU_ASSERT_EQUAL(r.d, 0);
	CU_ASSERT_EQUAL(r.c, 1664 + 1024);
	r = q(&c, 0xd, 1);
	CU_ASSERT_EQUAL(r.a, BIT(PV_FEAT_XSAVEOPT) | BIT(PV_FEAT_XSAVEC));
	CU_ASSERT_EQUAL(r.b | r.c | r.d, 0);
	CU_ASSERT_EQUAL(q(&c, 0xd, 2).b, 576);
	CU_ASSERT_TRUE(zero(q(&c, 0xd, 3)));
	CU_ASSERT_TRUE(zero(q(&c, 0xd, 4)));
	CU_ASSERT_EQUAL(q(&c, 0xd, 7).a, 1024);
	CU_ASSERT_TRUE(zero(q(&c, 0xd, 9)));
	CU_ASSERT_TRUE(zero(q(&c, 0xd, 63)));
	CU_ASSERT_TRUE(zero(q(&c, 0xd, 0xffffffff)));
	CU_ASSERT_TRUE(pv_cpuid_has(&c, PV_FEAT_XSAVEOPT));
	CU_ASSERT_FALSE(pv_cpuid_has(&c, PV_FEAT_XSAVES));
	/* EBX: the size for the guest's own XCR0 */
	CU_ASSERT_EQUAL(q(&c, 0xd, 0).b, 576);
	c.guest_xcr0 = 7;
	CU_ASSERT_EQUAL(q(&c, 0xd, 0).b, 576 + 256);
	c.guest_xcr0 = 0xe7 | (1ull << 9); /* PKRU is not the guest's to have */
	CU_ASSERT_EQUAL(q(&c, 0xd, 0).b, 1664 + 1024);
	/* AVX kept from guests (Xen's GDS mitigation): all that builds on it goes */
	c.hide_avx = true;
	CU_ASSERT_FALSE(q(&c, 1, 0).c & BIT(PV_FEAT_AVX));
	CU_ASSERT_EQUAL(q(&c, 7, 0).b, BIT(PV_FEAT_FSGSBASE));
	CU_ASSERT_EQUAL(q(&c, 7, 1).a, 0); /* AVX_VNNI */
	CU_ASSERT_EQUAL(q(&c, 0xd, 0).a, 3);
	CU_ASSERT_EQUAL(q(&c, 0xd, 0).c, 576);
	CU_ASSERT_TRUE(zero(q(&c, 0xd, 2)));
	CU_ASSERT_TRUE(q(&c, 1, 0).c & BIT(PV_FEAT_XSAVE)); /* XSAVE itself stays */
}

static void test_extended_leaves(void)
{
	struct pv_cpuid_ctx c = ctx_for(&intel_t);
	struct pv_cpuid_leaf r = q(&c, 0x80000000, 0);

	CU_ASSERT_EQUAL(r.a, 0x80000008);
	r = q(&c, 0x80000001, 0);
	CU_ASSERT_EQUAL(r.c, BIT(PV_FEAT_LAHF_LM) | BIT(PV_FEAT_ABM));
	/* no 1 GiB pages; MTRR repeated for dom0's kernel, as Xen does */
	CU_ASSERT_EQUAL(r.d, BIT(PV_FEAT_SYSCALL) | BIT(PV_FEAT_NX) | BIT(PV_FEAT_RDTSCP) |
				     BIT(PV_FEAT_LM) | BIT(PV_FEAT_MTRR));
	c.kernel_mode = false;
	CU_ASSERT_FALSE(q(&c, 0x80000001, 0).d & BIT(PV_FEAT_MTRR));
	CU_ASSERT_FALSE(q(&c, 1, 0).d & BIT(PV_FEAT_MTRR));
	c.kernel_mode = true;
	CU_ASSERT_EQUAL(q(&c, 0x80000002, 0).a, 0x65746e49);
	CU_ASSERT_TRUE(zero(q(&c, 0x80000007, 0)));
	r = q(&c, 0x80000008, 0);
	CU_ASSERT_EQUAL(r.a, 0x3027);
	CU_ASSERT_EQUAL(r.b | r.c | r.d, 0);
	CU_ASSERT_TRUE(zero(q(&c, 0x80000009, 0)));
	CU_ASSERT_TRUE(zero(q(&c, 0xc0000000, 0)));
	CU_ASSERT_TRUE(zero(q(&c, 0xffffffff, 0)));

	c = ctx_for(&amd_t);
	r = q(&c, 0x80000000, 0);
	CU_ASSERT_EQUAL(r.a, 0x80000021); /* AMD's range goes further */
	CU_ASSERT_EQUAL(r.b, 0x68747541); /* and repeats the vendor */
	r = q(&c, 0x80000001, 0);
	CU_ASSERT_EQUAL(r.c, BIT(PV_FEAT_SSE4A) | BIT(PV_FEAT_CMP_LEGACY)); /* no SVM */
	/* FPU, APIC, CMOV repeated; PSE not (hidden in leaf 1); LM, NX; no 1 GiB */
	CU_ASSERT_EQUAL(r.d,
			(1u << 0) | (1u << 9) | (1u << 15) | BIT(PV_FEAT_LM) | BIT(PV_FEAT_NX));
	c.hardware_domain = false;
	CU_ASSERT_FALSE(q(&c, 0x80000001, 0).d & (1u << 9));
	r = q(&c, 0x80000008, 0);
	CU_ASSERT_EQUAL(r.b, BIT(PV_FEAT_IBPB) | BIT(PV_FEAT_CLZERO));
	CU_ASSERT_TRUE(zero(q(&c, 0x8000000a, 0)));
	CU_ASSERT_TRUE(zero(q(&c, 0x80000021, 0)));
	CU_ASSERT_TRUE(zero(q(&c, 0xd, 0))); /* no XSAVE on this host */
	pv_cpuid(NULL, 0, 0, &r);
	CU_ASSERT_TRUE(zero(r));
	CU_ASSERT_FALSE(pv_cpuid_has(NULL, PV_FEAT_FPU));
	CU_ASSERT_FALSE(pv_cpuid_has(&c, 99 * 32));
}

/*
 * The feature list against its source: read Xen's featureset header (its
 * attribute comments) and check that, on a host with every bit set, exactly
 * the 'A' (default for all guests) features of words 0-10 are visible, apart
 * from the documented exceptions.
 */
/* A host with every bit set; @arg non-NULL makes it AMD. */
static void all_ones(void *arg, uint32_t leaf, uint32_t subleaf, struct pv_cpuid_leaf *res)
{
	(void)subleaf;
	res->a = res->b = res->c = res->d = 0xffffffffu;
	if (leaf == 0) {
		res->a = 0xd;
		res->b = arg ? 0x68747541 : 0x756e6547; /* Auth(enticAMD), Genu(ineIntel) */
	} else if (leaf == 0x80000000u) {
		res->a = 0x80000021u;
	}
}

static bool attr_has(const char *attr, char c)
{
	return strchr(attr, c) != NULL;
}

/* Lamina's documented departures from the plain 'A' rule (Intel host, dom0). */
static int expected(const char *name, const char *attr)
{
	static const char *const also[] = { "HYPERVISOR", "OSXSAVE",	      "FDP_EXCP_ONLY",
					    "NO_FPU_SEL", "RTM_ALWAYS_ABORT", "MTRR" };

	if (!strcmp(name, "ARCH_CAPS"))
		return 0;
	for (size_t i = 0; i < sizeof(also) / sizeof(also[0]); i++)
		if (!strcmp(name, also[i]))
			return 1;
	return attr_has(attr, 'A');
}

static void test_featureset_source(void)
{
	struct pv_cpuid_ctx c = { .host = all_ones,
				  .hardware_domain = true,
				  .kernel_mode = true,
				  .guest_osxsave = true };
	struct pv_cpuid_ctx amdc = c;
	FILE *f = fopen("/usr/include/xen/arch-x86/cpufeatureset.h", "r");
	char line[512];
	unsigned int checked = 0, bad = 0;
	uint32_t listed[PV_FEAT_NR_WORDS] = { 0 };

	amdc.host_arg = &amdc;
	CU_ASSERT_FATAL(f != NULL);
	while (fgets(line, sizeof(line), f)) {
		char name[64], attr[16] = "";
		unsigned int w, b;
		const char *cm;

		if (sscanf(line, "XEN_CPUFEATURE(%63[^,], %u*32+%u)", name, &w, &b) != 3 &&
		    sscanf(line, "XEN_CPUFEATURE(%63[^,], %u*32+ %u)", name, &w, &b) != 3)
			continue;
		if (w >= PV_FEAT_NR_WORDS || b >= 32)
			continue;
		cm = strstr(line, "/*");
		if (cm && cm[2] != ' ')
			sscanf(cm + 2, "%15[^ ]", attr);
		listed[w] |= 1u << b;
		checked++;
		/* word 11 (0x80000021) exists on AMD only */
		if (pv_cpuid_has(w == 11 ? &amdc : &c, w * 32 + b) != (expected(name, attr) != 0)) {
			fprintf(stderr, "  %s (%u*32+%u, '%s'): policy %d\n", name, w, b, attr,
				pv_cpuid_has(w == 11 ? &amdc : &c, w * 32 + b));
			bad++;
		}
	}
	fclose(f);
	CU_ASSERT_TRUE(checked > 150);
	CU_ASSERT_EQUAL(bad, 0);
	/* and nothing the header does not name is shown */
	for (unsigned int w = 0; w < PV_FEAT_NR_WORDS; w++)
		for (unsigned int b = 0; b < 32; b++)
			if (!(listed[w] >> b & 1))
				CU_ASSERT_EQUAL(pv_cpuid_has(w == 11 ? &amdc : &c, w * 32 + b),
						w == 2 && b == 12); /* MTRR's repeat */
	/* ARCH_CAPS when the caller emulates the MSR */
	c.arch_caps = true;
	CU_ASSERT_TRUE(pv_cpuid_has(&c, PV_FEAT_ARCH_CAPS));
	/* AMD: no SYSENTER in long mode, so no SEP */
	CU_ASSERT_TRUE(pv_cpuid_has(&c, PV_FEAT_SEP));
	CU_ASSERT_FALSE(pv_cpuid_has(&amdc, PV_FEAT_SEP));
}

/* ---- MSRs ---- */

static struct pv_cpuid_ctx mc;
static struct pv_msr_ctx m;
static struct pv_msr_vcpu v;

static void msr_setup(struct host_table *t, bool is_intel)
{
	mc = ctx_for(t);
	m = (struct pv_msr_ctx){
		.cpuid = &mc,
		.intel = is_intel,
		.amd = !is_intel,
		.host_efer = 0xd01 | (1ull << 12) /* SVME */,
		.host_has_misc_enable = is_intel,
		.host_misc_enable = 0x850089 | (1ull << 18),
		.host_ucode_rev = 0xf000000000ull,
		.tsc = 123456789,
	};
	v = (struct pv_msr_vcpu){ .kernel_mode = true, .gs_base_kernel = 0xffffffff83044000ull };
}

static void test_msr_bases(void)
{
	struct pv_msr_effect e;
	uint64_t val;

	msr_setup(&intel_t, true);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_GS_BASE, &val), 0);
	CU_ASSERT_EQUAL(val, 0xffffffff83044000ull);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_GS_BASE, 0xffffffff81000000ull, &e), 0);
	CU_ASSERT_TRUE(e.load_gs_base);
	CU_ASSERT_EQUAL(v.gs_base_kernel, 0xffffffff81000000ull);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_SHADOW_GS_BASE, 0x7f0000001000ull, &e), 0);
	CU_ASSERT_TRUE(e.load_shadow_gs_base);
	CU_ASSERT_EQUAL(v.gs_base_user, 0x7f0000001000ull);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_FS_BASE, 0x1000, &e), 0);
	CU_ASSERT_EQUAL(v.fs_base, 0x1000);
	/* non-canonical: #GP and nothing changes */
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_GS_BASE, 0x0000800000000000ull, &e),
			-XEN_EPERM);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_FS_BASE, 0xffff7fffffffffffull, &e),
			-XEN_EPERM);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_SHADOW_GS_BASE, 0x8000000000000000ull, &e),
			-XEN_EPERM);
	CU_ASSERT_EQUAL(v.gs_base_kernel, 0xffffffff81000000ull);
	CU_ASSERT_EQUAL(v.fs_base, 0x1000);
	CU_ASSERT_FALSE(e.load_gs_base || e.load_fs_base || e.load_shadow_gs_base);
	/* in user mode GS_BASE is the user's and the shadow the kernel's */
	v.kernel_mode = false;
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_GS_BASE, &val), 0);
	CU_ASSERT_EQUAL(val, 0x7f0000001000ull);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_SHADOW_GS_BASE, &val), 0);
	CU_ASSERT_EQUAL(val, 0xffffffff81000000ull);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_GS_BASE, 0x2000, &e), 0);
	CU_ASSERT_EQUAL(v.gs_base_user, 0x2000);
	CU_ASSERT_TRUE(is_canonical_address(0xffff800000000000ull));
	CU_ASSERT_FALSE(is_canonical_address(0xfffe800000000000ull));
}

static void test_msr_values(void)
{
	struct pv_msr_effect e;
	uint64_t val;

	msr_setup(&intel_t, true);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_CR_PAT, &val), 0);
	CU_ASSERT_EQUAL(val, 0x0000050100070406ull);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_CR_PAT, val, &e), -XEN_EPERM); /* as Xen */
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_CR_PAT, 0x0007040600070406ull, &e), -XEN_EPERM);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_EFER, &val), 0);
	CU_ASSERT_EQUAL(val, 0xd01); /* SCE LME LMA NXE, SVME hidden */
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_EFER, 0xd01, &e), 0);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_EFER, 0x501, &e), -XEN_EPERM);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_TSC, &val), 0);
	CU_ASSERT_EQUAL(val, 123456789);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_TSC, 0, &e), -XEN_EPERM);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_MISC_ENABLE, &val), 0);
	CU_ASSERT_EQUAL(val, (0x850089ull & ~((1ull << 7) | (1ull << 18))) | (1 << 11) | (1 << 12) |
				     (1 << 23));
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_MISC_ENABLE, val, &e), 0);
	/* any value: accepted and ignored, as Xen */
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_MISC_ENABLE, val | (1ull << 18), &e), 0);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_MISC_ENABLE, &val), 0);
	CU_ASSERT_FALSE(val & (1ull << 18));
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_PLATFORM_INFO, &val), 0);
	CU_ASSERT_EQUAL(val, 0); /* no CPUID faulting offered... */
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_MISC_FEATURES_ENABLES, 1, &e), -XEN_EPERM);
	m.cpuid_faulting = true; /* ...and with it */
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_PLATFORM_INFO, &val), 0);
	CU_ASSERT_EQUAL(val, 1ull << 31);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_MISC_FEATURES_ENABLES, 1, &e), 0);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_MISC_FEATURES_ENABLES, &val), 0);
	CU_ASSERT_EQUAL(val, 1);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_MISC_FEATURES_ENABLES, 2, &e), -XEN_EPERM);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_UCODE_REV, &val), 0);
	CU_ASSERT_EQUAL(val, 0xf000000000ull);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_PERF_CAPABILITIES, &val), 0);
	CU_ASSERT_EQUAL(val, 0);
	/* TSC_AUX: RDTSCP is visible on this host */
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_TSC_AUX, 7, &e), 0);
	CU_ASSERT_TRUE(e.load_tsc_aux);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_TSC_AUX, &val), 0);
	CU_ASSERT_EQUAL(val, 7);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_TSC_AUX, 1ull << 32, &e), -XEN_EPERM);
	/* SPEC_CTRL: IBRS and STIBP visible, SSBD not */
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_SPEC_CTRL, 3, &e), 0);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_SPEC_CTRL, &val), 0);
	CU_ASSERT_EQUAL(val, 3);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_SPEC_CTRL, 4, &e), -XEN_EPERM);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_PRED_CMD, 1, &e), 0);
	CU_ASSERT_TRUE(e.ibpb);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_PRED_CMD, 2, &e), -XEN_EPERM);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_PRED_CMD, &val), -XEN_EPERM);
	/* ARCH_CAPABILITIES: only with ARCH_CAPS shown, the value the caller gives */
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_ARCH_CAPABILITIES, &val), -XEN_EPERM);
	mc.arch_caps = true;
	m.arch_caps = 1ull << 26; /* GDS_NO, as Xen 4.17.7 gives on QEMU's Westmere */
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_ARCH_CAPABILITIES, &val), 0);
	CU_ASSERT_EQUAL(val, 1ull << 26);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_ARCH_CAPABILITIES, val, &e), -XEN_EPERM);
	mc.arch_caps = false;
	/* APIC_BASE: the host's, without x2APIC mode; FEATURE_CONTROL: locked */
	m.apic_base = 0xfee00000ull | (1 << 11) | (1 << 10) | (1 << 8);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_APIC_BASE, &val), 0);
	CU_ASSERT_EQUAL(val, 0xfee00900ull);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_APIC_BASE, val, &e), -XEN_EPERM);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_FEATURE_CONTROL, &val), 0);
	CU_ASSERT_EQUAL(val, 1);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_FEATURE_CONTROL, 1, &e), -XEN_EPERM);
	/* the hypercall page MSR reads as zero */
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_HYPERCALL, &val), 0);
	CU_ASSERT_EQUAL(val, 0);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_HYPERCALL, 0x12345000, &e), 0);
	CU_ASSERT_TRUE(e.hypercall_page);
	CU_ASSERT_EQUAL(e.hypercall_gfn, 0x12345);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_HYPERCALL, 0x12345001, &e), -XEN_EPERM);
	CU_ASSERT_FALSE(e.hypercall_page);
}

static void test_msr_unknown_and_amd(void)
{
	static const uint32_t unknown[] = { 0x1c,	0x3b,	    0x10a,	0x174,
					    0x1d9,	0x200,	    0x2ff,	0x480,
					    0x48f,	0x6e0,	    0x800,	0x40000001,
					    0xc0000081, 0xc0000084, 0xc0010015, 0xffffffff };
	struct pv_msr_effect e;
	uint64_t val = 42;

	msr_setup(&intel_t, true);
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		CU_ASSERT_EQUAL(pv_msr_read(&m, &v, unknown[i], &val), -XEN_EPERM);
		CU_ASSERT_EQUAL(pv_msr_write(&m, &v, unknown[i], 0, &e), -XEN_EPERM);
	}
	CU_ASSERT_EQUAL(val, 42);
	msr_setup(&amd_t, false);
	/* Xen 4.17 checks no vendor for these (XTF's msr test as a domU, QEMU's AMD model) */
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_PLATFORM_INFO, &val), 0);
	CU_ASSERT_EQUAL(val, 0);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_MISC_FEATURES_ENABLES, &val), 0);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_MISC_FEATURES_ENABLES, 0, &e), 0);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_PERF_CAPABILITIES, &val), 0);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_UCODE_REV, &val), 0);
	CU_ASSERT_EQUAL(val, 0xf000000000ull);
	/* a host without MISC_ENABLE (a real AMD CPU): #GP as Xen's rdmsr_safe gives */
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_MISC_ENABLE, &val), -XEN_EPERM);
	m.host_has_misc_enable = true; /* QEMU's AMD models have it */
	m.host_misc_enable = 1;
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_MISC_ENABLE, &val), 0);
	CU_ASSERT_EQUAL(val, 0x801801);
	m.amd = false; /* neither Intel nor AMD: no microcode revision */
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_UCODE_REV, &val), -XEN_EPERM);
	m.amd = true;
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_TSC_AUX, &val), -XEN_EPERM); /* no RDTSCP */
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, PV_MSR_SPEC_CTRL, &val), -XEN_EPERM);
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, PV_MSR_PRED_CMD, 1, &e), 0); /* IBPB visible */
	CU_ASSERT_EQUAL(pv_msr_read(NULL, &v, PV_MSR_TSC, &val), -XEN_EPERM);
	CU_ASSERT_EQUAL(pv_msr_write(&m, NULL, PV_MSR_TSC, 0, &e), -XEN_EPERM);
}

/* vMCE as Xen 4.17's vmce.c: two banks, MCG_STATUS and CTL2 the vCPU's, STATUS only 0. */
static void test_vmce(void)
{
	struct pv_msr_effect e;
	uint64_t val = 42;

	msr_setup(&amd_t, false);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, 0x179, &val), 0);
	CU_ASSERT_EQUAL(val, 2);				   /* MCG_CAP: two banks */
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, 0x179, 0xff, &e), 0); /* ignored */
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, 0x179, &val), 0);
	CU_ASSERT_EQUAL(val, 2);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, 0x17b, &val), 0);
	CU_ASSERT_EQUAL(val, 0); /* MCG_CTL without MCG_CTL_P */
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, 0x17a, 5, &e), 0);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, 0x17a, &val), 0);
	CU_ASSERT_EQUAL(val, 5);				       /* MCG_STATUS kept */
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, 0x4d0, &val), -XEN_EPERM); /* no LMCE */
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, 0x4d0, 0, &e), -XEN_EPERM);
	for (uint32_t b = 0; b < 2; b++) {
		CU_ASSERT_EQUAL(pv_msr_read(&m, &v, 0x400 + 4 * b, &val), 0);
		CU_ASSERT_EQUAL(val, ~0ull); /* MCi_CTL all ones */
		CU_ASSERT_EQUAL(pv_msr_write(&m, &v, 0x400 + 4 * b, 0, &e), 0);
		CU_ASSERT_EQUAL(pv_msr_read(&m, &v, 0x400 + 4 * b, &val), 0);
		CU_ASSERT_EQUAL(val, ~0ull); /* the write was ignored */
		for (uint32_t r = 1; r < 4; r++) {
			CU_ASSERT_EQUAL(pv_msr_read(&m, &v, 0x400 + 4 * b + r, &val), 0);
			CU_ASSERT_EQUAL(val, 0);
			CU_ASSERT_EQUAL(pv_msr_write(&m, &v, 0x400 + 4 * b + r, 0, &e), 0);
			CU_ASSERT_EQUAL(pv_msr_write(&m, &v, 0x400 + 4 * b + r, 1, &e), -XEN_EPERM);
		}
	}
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, 0x408, &val), 0);
	CU_ASSERT_EQUAL(val, 0); /* bank 2 and beyond: 0, writes ignored */
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, 0x409, 7, &e), 0);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, 0x47f, &val), 0);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, 0x0, &val), 0);	       /* P5_MC_ADDR reads 0 ... */
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, 0x0, 0, &e), -XEN_EPERM); /* ... a write #GP */
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, 0x280, 9, &e), 0);	       /* AMD: CTL2 not kept */
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, 0x280, &val), 0);
	CU_ASSERT_EQUAL(val, 0);

	msr_setup(&intel_t, true);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, 0x179, &val), 0);
	CU_ASSERT_EQUAL(val, 2 | (1ull << 10) | (1ull << 11) | (1ull << 24)); /* CMCI, TES, SER */
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, 0x281, 0x40000001ull, &e), 0);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, 0x281, &val), 0);
	CU_ASSERT_EQUAL(val, 0x40000001ull); /* MC1_CTL2 kept on Intel */
	CU_ASSERT_EQUAL(pv_msr_write(&m, &v, 0x282, 3, &e), 0);
	CU_ASSERT_EQUAL(pv_msr_read(&m, &v, 0x282, &val), 0);
	CU_ASSERT_EQUAL(val, 0); /* bank 2: not kept */
}

static const CU_TestInfo cpuid_tests[] = {
	{ "hypervisor leaves", test_hypervisor_leaves },
	{ "basic leaves filtered", test_basic_leaves },
	{ "xsave leaf", test_xsave_leaf },
	{ "extended leaves, AMD", test_extended_leaves },
	{ "feature list = Xen's 'A' set", test_featureset_source },
	CU_TEST_INFO_NULL,
};

static const CU_TestInfo msr_tests[] = {
	{ "FS/GS bases and canonical checks", test_msr_bases },
	{ "emulated values", test_msr_values },
	{ "unknown MSRs #GP, AMD host", test_msr_unknown_and_amd },
	{ "vMCE MSRs", test_vmce },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = {
		{ "cpuid_policy", cpuid_tests },
		{ "msr_policy", msr_tests },
		{ NULL, NULL },
	};

	return cunit_run(suites);
}
