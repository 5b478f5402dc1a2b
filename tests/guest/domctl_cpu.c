// SPDX-License-Identifier: MIT
/*
 * domctl_cpu: the CPUID policy calls libxl's create makes (xc_cpuid_apply_
 * policy), as Xen 4.17 answers them:
 *   XEN_SYSCTL_get_cpu_policy      the counts for null buffers (120 leaves,
 *                                  2 MSRs), the PV default policy in Xen's
 *                                  serialised order and bounds, -ENOBUFS
 *                                  for a short buffer, -EINVAL for a
 *                                  reserved field or an unknown index, HVM
 *                                  -EOPNOTSUPP where there is no HVM
 *   XEN_SYSCTL_get_cpu_featureset  the count for a null buffer, -ENOBUFS
 *                                  with the count for a short one, the FPU
 *                                  bit in word 0, -EINVAL for an index
 *   XEN_DOMCTL_get/set_cpu_policy  a new domU's policy read and set back;
 *                                  the caller itself -EINVAL; too many
 *                                  leaves -E2BIG; a leaf or subleaf out of
 *                                  range -ERANGE with err_leaf/err_subleaf;
 *                                  a max leaf over the PV maximum -EINVAL;
 *                                  MSR flags -EINVAL, an unknown MSR
 *                                  -ERANGE, a wide PLATFORM_INFO -EOVERFLOW
 */
#include "domctl-lib.h"
#include <gpv/test.h>

#define MAX_LEAVES 120
#define NO_SUB XEN_CPUID_NO_SUBLEAF
#define NR_FEATURES 19

static xen_cpuid_leaf_t leaves[MAX_LEAVES + 1];
static xen_msr_entry_t msrs[3];

static long sys_policy(uint32_t index, uint32_t *nr_leaves, xen_cpuid_leaf_t *l, uint32_t *nr_msrs,
		       xen_msr_entry_t *m)
{
	struct xen_sysctl op;
	long rc;

	dc_sinit(&op, XEN_SYSCTL_get_cpu_policy);
	op.u.cpu_policy.index = index;
	op.u.cpu_policy.nr_leaves = *nr_leaves;
	op.u.cpu_policy.nr_msrs = *nr_msrs;
	set_xen_guest_handle(op.u.cpu_policy.leaves, l);
	set_xen_guest_handle(op.u.cpu_policy.msrs, m);
	rc = dc_sysctl(&op);
	*nr_leaves = op.u.cpu_policy.nr_leaves;
	*nr_msrs = op.u.cpu_policy.nr_msrs;
	return rc;
}

/* Xen's order: basic leaves up, 0x40000000, 0x40000100, extended up; subleaves up. */
static bool in_order(const xen_cpuid_leaf_t *l, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		uint32_t s0 = l[i - 1].subleaf == NO_SUB ? 0 : l[i - 1].subleaf + 1;
		uint32_t s1 = l[i].subleaf == NO_SUB ? 0 : l[i].subleaf + 1;

		if (l[i].leaf < l[i - 1].leaf || (l[i].leaf == l[i - 1].leaf && s1 <= s0))
			return false;
	}
	return true;
}

static uint32_t find(const xen_cpuid_leaf_t *l, uint32_t n, uint32_t leaf, uint32_t sub)
{
	for (uint32_t i = 0; i < n; i++)
		if (l[i].leaf == leaf && l[i].subleaf == sub)
			return i;
	return n;
}

static void check_sysctl_policy(bool hvm)
{
	struct xen_sysctl op;
	uint32_t nl = 0, nm = 0, i;

	gpv_test_area("get_cpu_policy");
	gpv_test_eq(sys_policy(XEN_SYSCTL_cpu_policy_pv_default, &nl, NULL, &nm, NULL), 0,
		    "null buffers");
	gpv_test_eq(nl, MAX_LEAVES, "the most leaves: 120");
	gpv_test_eq(nm, 2, "the most MSRs: 2");
	nl = MAX_LEAVES, nm = 2;
	gpv_test_eq(sys_policy(XEN_SYSCTL_cpu_policy_pv_default, &nl, leaves, &nm, msrs), 0,
		    "the PV default policy");
	gpv_test_check(nl > 10 && nl <= MAX_LEAVES, "some leaves");
	gpv_test_check(leaves[0].leaf == 0 && leaves[0].subleaf == NO_SUB, "leaf 0 first");
	gpv_test_check(in_order(leaves, nl), "in Xen's order");
	i = find(leaves, nl, 0x40000000, NO_SUB);
	gpv_test_check(i < nl && !leaves[i].a && !leaves[i].b, "0x40000000: limit 0");
	gpv_test_check(find(leaves, nl, 0x40000100, NO_SUB) == i + 1, "then 0x40000100");
	gpv_test_check(find(leaves, nl, 0x80000000, NO_SUB) == i + 2, "then 0x80000000");
	gpv_test_check(find(leaves, nl, 7, 0) < nl && find(leaves, nl, 0xd, 0) < nl &&
			       find(leaves, nl, 0xd, 1) < nl,
		       "leaf 7.0, 0xd.0 and 0xd.1 there");
	gpv_test_check(nm == 2 && msrs[0].idx == 0xce && msrs[1].idx == 0x10a && !msrs[0].flags,
		       "MSRs PLATFORM_INFO and ARCH_CAPABILITIES");
	gpv_test_info("PV default: %u leaves, max basic %#x, max extended %#x", nl, leaves[0].a,
		      leaves[find(leaves, nl, 0x80000000, NO_SUB)].a);
	nl = 3, nm = 2;
	gpv_test_eq(sys_policy(XEN_SYSCTL_cpu_policy_pv_default, &nl, leaves, &nm, msrs),
		    -XEN_ENOBUFS, "3 leaves: -ENOBUFS");
	nl = MAX_LEAVES, nm = 1;
	gpv_test_eq(sys_policy(XEN_SYSCTL_cpu_policy_pv_max, &nl, leaves, &nm, msrs), -XEN_ENOBUFS,
		    "pv_max, 1 MSR: -ENOBUFS");
	nl = MAX_LEAVES, nm = 2;
	gpv_test_eq(sys_policy(XEN_SYSCTL_cpu_policy_host, &nl, leaves, &nm, msrs), 0, "host");
	nl = MAX_LEAVES, nm = 2;
	gpv_test_eq(sys_policy(6, &nl, leaves, &nm, msrs), -XEN_EINVAL, "index 6: -EINVAL");
	nl = MAX_LEAVES, nm = 2;
	gpv_test_eq(sys_policy(XEN_SYSCTL_cpu_policy_hvm_default, &nl, leaves, &nm, msrs),
		    hvm ? 0 : -XEN_EOPNOTSUPP, "HVM default: only with HVM (else -EOPNOTSUPP)");
	dc_sinit(&op, XEN_SYSCTL_get_cpu_policy);
	op.u.cpu_policy._rsvd = 1;
	gpv_test_eq(dc_sysctl(&op), -XEN_EINVAL, "reserved field set: -EINVAL");
}

static long featureset(uint32_t index, uint32_t *nr, uint32_t *buf)
{
	struct xen_sysctl op;
	long rc;

	dc_sinit(&op, XEN_SYSCTL_get_cpu_featureset);
	op.u.cpu_featureset.index = index;
	op.u.cpu_featureset.nr_features = *nr;
	set_xen_guest_handle(op.u.cpu_featureset.features, buf);
	rc = dc_sysctl(&op);
	*nr = op.u.cpu_featureset.nr_features;
	return rc;
}

static void check_featureset(void)
{
	uint32_t fs[NR_FEATURES + 4] = { 0 }, nr = 0;

	gpv_test_area("get_cpu_featureset");
	gpv_test_eq(featureset(XEN_SYSCTL_cpu_featureset_host, &nr, NULL), 0, "null buffer");
	gpv_test_eq(nr, NR_FEATURES, "19 words");
	nr = 2;
	gpv_test_eq(featureset(XEN_SYSCTL_cpu_featureset_host, &nr, fs), -XEN_ENOBUFS,
		    "2 words: -ENOBUFS");
	gpv_test_eq(nr, 2, "2 written, and told");
	gpv_test_check(fs[0] & 1, "host word 0 (leaf 1 EDX): the FPU bit");
	nr = NR_FEATURES + 4;
	gpv_test_eq(featureset(XEN_SYSCTL_cpu_featureset_pv, &nr, fs), 0, "PV, a long buffer");
	gpv_test_eq(nr, NR_FEATURES, "19 written");
	nr = NR_FEATURES;
	gpv_test_eq(featureset(6, &nr, fs), -XEN_EINVAL, "index 6: -EINVAL");
}

static long dom_policy(uint32_t cmd, domid_t id, uint32_t nl, uint32_t nm,
		       struct xen_domctl_cpu_policy *out)
{
	struct xen_domctl op;
	long rc;

	dc_dinit(&op, cmd, id);
	op.u.cpu_policy.nr_leaves = nl;
	op.u.cpu_policy.nr_msrs = nm;
	set_xen_guest_handle(op.u.cpu_policy.leaves, leaves);
	set_xen_guest_handle(op.u.cpu_policy.msrs, nm ? msrs : NULL);
	rc = dc_domctl(&op);
	*out = op.u.cpu_policy;
	return rc;
}

static void check_domain(domid_t id)
{
	struct xen_domctl_cpu_policy p;
	uint32_t nl, max0;

	gpv_test_area("domain policy");
	gpv_test_eq(dom_policy(XEN_DOMCTL_get_cpu_policy, id, MAX_LEAVES, 0, &p), 0,
		    "get_cpu_policy of a new domU");
	nl = p.nr_leaves;
	gpv_test_check(nl > 10 && in_order(leaves, nl), "its leaves, in order");
	max0 = leaves[0].a;
	gpv_test_eq(dom_policy(XEN_DOMCTL_set_cpu_policy, id, nl, 0, &p), 0,
		    "set_cpu_policy with them");
	gpv_test_eq(dom_policy(XEN_DOMCTL_set_cpu_policy, 0, nl, 0, &p), -XEN_EINVAL,
		    "of itself: -EINVAL");
	gpv_test_eq(dom_policy(XEN_DOMCTL_set_cpu_policy, id, MAX_LEAVES + 1, 0, &p), -XEN_E2BIG,
		    "121 leaves: -E2BIG");
	leaves[nl] = (xen_cpuid_leaf_t){ 4, 6, 0, 0, 0, 0 };
	gpv_test_eq(dom_policy(XEN_DOMCTL_set_cpu_policy, id, nl + 1, 0, &p), -XEN_ERANGE,
		    "leaf 4 subleaf 6: -ERANGE");
	gpv_test_check(p.err_leaf == 4 && p.err_subleaf == 6, "err_leaf 4, err_subleaf 6");
	leaves[nl] = (xen_cpuid_leaf_t){ 0x20, NO_SUB, 0, 0, 0, 0 };
	gpv_test_eq(dom_policy(XEN_DOMCTL_set_cpu_policy, id, nl + 1, 0, &p), -XEN_ERANGE,
		    "leaf 0x20: -ERANGE");
	leaves[nl] = (xen_cpuid_leaf_t){ 1, 0, 0, 0, 0, 0 };
	gpv_test_eq(dom_policy(XEN_DOMCTL_set_cpu_policy, id, nl + 1, 0, &p), -XEN_ERANGE,
		    "leaf 1 with a subleaf: -ERANGE");
	leaves[0].a = max0 + 1;
	gpv_test_eq(dom_policy(XEN_DOMCTL_set_cpu_policy, id, nl, 0, &p), -XEN_EINVAL,
		    "max basic leaf over the PV maximum: -EINVAL");
	gpv_test_check(p.err_leaf == 0 && p.err_subleaf == NO_SUB, "err_leaf 0");
	leaves[0].a = max0;
	msrs[0] = (xen_msr_entry_t){ 0xce, 1, 0 };
	gpv_test_eq(dom_policy(XEN_DOMCTL_set_cpu_policy, id, nl, 1, &p), -XEN_EINVAL,
		    "an MSR with flags: -EINVAL");
	gpv_test_eq(p.err_msr, 0xce, "err_msr 0xce");
	msrs[0] = (xen_msr_entry_t){ 0x10, 0, 0 };
	gpv_test_eq(dom_policy(XEN_DOMCTL_set_cpu_policy, id, nl, 1, &p), -XEN_ERANGE,
		    "MSR 0x10: -ERANGE");
	msrs[0] = (xen_msr_entry_t){ 0xce, 0, 1ULL << 32 };
	gpv_test_eq(dom_policy(XEN_DOMCTL_set_cpu_policy, id, nl, 1, &p), -XEN_EOVERFLOW,
		    "PLATFORM_INFO over 32 bits: -EOVERFLOW");
	gpv_test_eq(dom_policy(XEN_DOMCTL_set_cpu_policy, id, nl, 3, &p), -XEN_E2BIG,
		    "3 MSRs: -E2BIG");
}

int gpv_main(void)
{
	struct xen_domctl op;
	struct xen_sysctl sop;
	bool hvm;

	dc_sinit(&sop, XEN_SYSCTL_physinfo);
	gpv_test_eq(dc_sysctl(&sop), 0, "physinfo");
	hvm = sop.u.physinfo.capabilities & XEN_SYSCTL_PHYSCAP_hvm;
	check_sysctl_policy(hvm);
	check_featureset();
	gpv_test_area("createdomain");
	dc_cfg(&op, 0);
	if (gpv_test_eq(dc_domctl(&op), 0, "a PV domU")) {
		check_domain(op.domain);
		gpv_test_eq(dc_simple(XEN_DOMCTL_destroydomain, op.domain), 0, "destroydomain");
	}
	return gpv_test_finish();
}
