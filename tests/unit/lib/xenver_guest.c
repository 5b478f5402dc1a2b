// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest-pv kernel that prints what xen_version answers for the sub-ops
 * whose answers do not depend on who built the hypervisor ("XENVER cmd rc
 * bytes..." lines, the bytes in hex), which MSRs RDMSR may read ("MSR idx ok
 * value"), and the CPUID leaves the MSR policy depends on ("HOST ..."), then
 * powers off: booted as dom0 on real Xen 4.17 it records what
 * xenver_vs_xen.sh compares lib/xen_version and x86_64/lib/msr_policy with.
 */
#include <gpv/gpv.h>
#include <gpv/hypercalls.h>
#include <gpv/probe.h>
#include <gpv/test.h>
#include <xen/version.h>

static uint8_t buf[1024];

/* The MSRs whose readability is compared (and PAT's and 0x40000000's value). */
static const uint32_t msrs[] = { 0x10, 0x1b, 0x3a, 0x48, 0x49, 0x8b, 0xce, 0x140, 0x174, 0x1a0,
				 0x277, 0x345, 0x10a, 0xc0000080, 0xc0000081, 0xc0000082,
				 0xc0000084, 0xc0000100, 0xc0000101, 0xc0000102, 0xc0000103,
				 0x40000000, 0x40000001, 0x1234,
				 /* vMCE */
				 0x0, 0x1, 0x179, 0x17a, 0x17b, 0x280, 0x281, 0x282, 0x400, 0x401,
				 0x402, 0x403, 0x404, 0x408, 0x47f, 0x4d0 };
/*
 * WRMSR probes: the MSR and how to derive the value from what RDMSR gave
 * (xor mask; the read value itself when 0). Nothing here could hurt the
 * guest if the hypervisor took it: no EFER, TSC or base changes.
 */
static const struct {
	uint32_t msr;
	uint64_t xor ;
} writes[] = {
	{ 0x277, 0 },
	{ 0x277, 0x0000000700000000ull },
	{ 0x1a0, 0 },
	{ 0x1a0, 1 },
	{ 0x1b, 0 },
	{ 0x3a, 0 },
	{ 0xc0000080, 0 },
	{ 0x140, 0 },
	{ 0x140, 1 },
	{ 0xc0000100, 0 },
	{ 0x40000001, 0 },
	{ 0x1234, 0 },
	{ 0x48, 0 },
	{ 0xc0000080, 1 }, /* EFER.SCE flipped */
	/* vMCE: MCG_STATUS, MCG_CAP, MC0_CTL, MC0_STATUS (0 and not), bank 2, EXT_CTL, P5 */
	{ 0x17a, 0 },
	{ 0x179, 1 },
	{ 0x400, 1 },
	{ 0x401, 0 },
	{ 0x401, 1 },
	{ 0x408, 1 },
	{ 0x4d0, 0 },
	{ 0x0, 0 },
	{ 0x280, 1 },
};

/* The PV view of the leaves the MSR policy reads (it filters them again: no change). */
static const uint32_t leaves[][2] = { { 0, 0 },		 { 1, 0 },	    { 7, 0 },
				      { 0x80000000, 0 }, { 0x80000001, 0 }, { 0x80000008, 0 } };

static void show(unsigned int cmd, long rc, unsigned int n)
{
	gpv_printf("XENVER %u %ld ", cmd, rc);
	for (unsigned int i = 0; i < n; i++)
		gpv_printf("%02x", buf[i]);
	gpv_printf("\n");
}

static void op(unsigned int cmd, unsigned int n, uint32_t submap)
{
	for (unsigned int i = 0; i < sizeof(buf); i++)
		buf[i] = 0xaa;
	((struct xen_feature_info *)buf)->submap_idx = submap;
	show(cmd, gpv_xen_version((int)cmd, buf), n);
}

int gpv_main(void)
{
	gpv_test_area("hv_xenver_guest");
	op(XENVER_version, 0, 0);
	op(XENVER_capabilities, sizeof(xen_capabilities_info_t), 0);
	op(XENVER_platform_parameters, sizeof(struct xen_platform_parameters), 0);
	op(XENVER_get_features, sizeof(struct xen_feature_info), 0);
	op(XENVER_get_features, sizeof(struct xen_feature_info), 1);
	op(XENVER_pagesize, 0, 0);
	show(XENVER_pagesize, gpv_xen_version(XENVER_pagesize, NULL), 0);
	op(XENVER_guest_handle, sizeof(xen_domain_handle_t), 0);
	op(11, 0, 0);
	op(0x7fffffff, 0, 0);
	for (unsigned int i = 0; i < sizeof(msrs) / sizeof(msrs[0]); i++) {
		uint64_t v = 0;
		bool ok = gpv_probe_rdmsr(msrs[i], &v);

		gpv_printf("MSR %08x %d %016llx\n", msrs[i], ok, (unsigned long long)v);
	}
	for (unsigned int i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
		uint64_t v = 0;
		bool ok;

		gpv_probe_rdmsr(writes[i].msr, &v);
		ok = gpv_probe_wrmsr(writes[i].msr, v ^ writes[i].xor);
		gpv_printf("WRMSR %08x %016llx %d\n", writes[i].msr,
			   (unsigned long long)writes[i].xor, ok);
	}
	for (unsigned int i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		uint32_t r[4];

		gpv_cpuid(leaves[i][0], leaves[i][1], r);
		gpv_printf("HOST %08x %08x %08x %08x %08x %08x\n", leaves[i][0], leaves[i][1], r[0],
			   r[1], r[2], r[3]);
	}
	gpv_test_check(true, "asked every sub-op");
	return gpv_test_finish();
}
