// SPDX-License-Identifier: GPL-2.0-only
/*
 * The toolstack's view of CPUID policies (Xen 4.17's XEN_SYSCTL_get_cpu_
 * featureset, XEN_SYSCTL_get_cpu_policy, XEN_DOMCTL_get_cpu_policy and
 * XEN_DOMCTL_set_cpu_policy, with the serialised form of
 * xen/lib/x86/cpuid.c and msr.c). libxl's create reads the PV default
 * policy and the host featureset and sets the result on the new domain.
 *
 * Lamina keeps no policy object: a PV guest's CPUID is computed from the
 * host by the PV logic (asm/cpuid_policy.h). So a policy here is that
 * logic's answers, walked in Xen's order and within Xen's array bounds:
 *
 *   basic 0..min(max, 0xd)   leaf 4 subleaves to the first null type (at
 *                            most 6), 7 to max_subleaf (at most 3), 0xb to
 *                            the first null type (at most 2), 0xd 0, 1 and
 *                            one per XCR0/XSS bit from bit 2 (at most 63)
 *   0x40000000, 0x40000100   the limits, 0 (the system policies' values)
 *   0x80000000..min(max, 0x80000021)
 *   MSRs                     PLATFORM_INFO and ARCH_CAPABILITIES
 *
 * raw and host are the CPU's own leaves; pv_max and pv_default are the PV
 * guest's view (one policy on Lamina); there is no HVM (-EOPNOTSUPP). A
 * set is decoded and audited as Xen does (-E2BIG, -ERANGE with the leaf,
 * -EINVAL for MSR flags, -EOVERFLOW, the max leaves against pv_max) but
 * not applied: the domain keeps the PV logic's CPUID (docs/abi.md).
 */
#include <asm/cpuid_policy.h>
#include <asm/msr_policy.h>
#include <asm/pv/cpuid.h>
#include <asm/pv/emul.h>
#include <asm/x86.h>
#include <lamina/domain.h>
#include <lamina/domctl.h>
#include <lamina/guest_access.h>
#include <xen/errno.h>

#define NR_BASIC 0xdu
#define NR_CACHE 6u
#define NR_FEAT 3u
#define NR_TOPO 2u
#define NR_XSTATE 63u
#define NR_EXTD 0x22u
#define MAX_LEAVES \
	(NR_BASIC + 1 + NR_FEAT - 1 + NR_CACHE - 1 + NR_TOPO - 1 + NR_XSTATE - 1 + NR_EXTD + 2)
#define MAX_MSRS 2u
#define FSCAPINTS 19u
#define NO_SUB XEN_CPUID_NO_SUBLEAF

/* Where a policy's leaves come from: the CPU itself, or a PV guest's view. */
struct policy_src {
	bool raw;
	struct pv_cpuid_ctx ctx;
};

/* A serialisation under way: the guest's buffer, its room, what went in. */
struct policy_buf {
	uint64_t guest;
	uint32_t room, used;
};

static void leaf_of(const struct policy_src *s, uint32_t leaf, uint32_t sub,
		    struct pv_cpuid_leaf *r)
{
	if (s->raw)
		cpuid_count(leaf, sub == NO_SUB ? 0 : sub, &r->a, &r->b, &r->c, &r->d);
	else
		pv_cpuid(&s->ctx, leaf, sub == NO_SUB ? 0 : sub, r);
}

/* Xen's copy_leaf_to_buffer: -ENOBUFS when full, -EFAULT. */
static int put_leaf(struct policy_buf *b, uint32_t leaf, uint32_t sub,
		    const struct pv_cpuid_leaf *r)
{
	xen_cpuid_leaf_t e = { leaf, sub, r->a, r->b, r->c, r->d };

	if (b->used == b->room)
		return -XEN_ENOBUFS;
	if (copy_to_guest(b->guest + b->used * sizeof(e), &e, sizeof(e)))
		return -XEN_EFAULT;
	b->used++;
	return 0;
}

static int put_src_leaf(struct policy_buf *b, const struct policy_src *s, uint32_t leaf,
			uint32_t sub, struct pv_cpuid_leaf *r)
{
	leaf_of(s, leaf, sub, r);
	return put_leaf(b, leaf, sub, r);
}

/* Subleaves 0.. of leaf up to the first whose type field (ECX or EAX & mask) is 0, included. */
static int put_until_null(struct policy_buf *b, const struct policy_src *s, uint32_t leaf,
			  uint32_t nr, bool in_ecx, uint32_t mask)
{
	struct pv_cpuid_leaf r;
	int rc = 0;

	for (uint32_t sub = 0; !rc && sub < nr; sub++) {
		rc = put_src_leaf(b, s, leaf, sub, &r);
		if (!((in_ecx ? r.c : r.a) & mask))
			break;
	}
	return rc;
}

/* The subleaves of 4, 7, 0xb and 0xd (Xen's x86_cpuid_copy_to_buffer). */
static int put_subleaves(struct policy_buf *b, const struct policy_src *s, uint32_t leaf)
{
	struct pv_cpuid_leaf r, x0, x1;
	uint64_t xstates;
	uint32_t sub, max;
	int rc = 0;

	switch (leaf) {
	case 4: /* cache type in EAX[4:0] */
		return put_until_null(b, s, leaf, NR_CACHE, false, 0x1f);
	case 7:
		leaf_of(s, 7, 0, &r);
		max = r.a < NR_FEAT - 1 ? r.a : NR_FEAT - 1;
		for (sub = 0; !rc && sub <= max; sub++)
			rc = put_src_leaf(b, s, leaf, sub, &r);
		return rc;
	case 0xb: /* level type in ECX[15:8] */
		return put_until_null(b, s, leaf, NR_TOPO, true, 0xff00);
	default: /* 0xd: 0, 1, then one per state component from 2 */
		rc = put_src_leaf(b, s, leaf, 0, &x0);
		if (!rc)
			rc = put_src_leaf(b, s, leaf, 1, &x1);
		xstates = ((uint64_t)x0.d << 32 | x0.a | (uint64_t)x1.d << 32 | x1.c) >> 2;
		for (sub = 2; !rc && xstates && sub < NR_XSTATE; xstates >>= 1, sub++)
			rc = put_src_leaf(b, s, leaf, sub, &r);
		return rc;
	}
}

static int put_policy(struct policy_buf *b, const struct policy_src *s)
{
	const struct pv_cpuid_leaf zero = { 0 };
	struct pv_cpuid_leaf r;
	uint32_t max;
	int rc = 0;

	leaf_of(s, 0, NO_SUB, &r);
	max = r.a < NR_BASIC ? r.a : NR_BASIC;
	for (uint32_t leaf = 0; !rc && leaf <= max; leaf++) {
		if (leaf == 4 || leaf == 7 || leaf == 0xb || leaf == 0xd)
			rc = put_subleaves(b, s, leaf);
		else
			rc = put_src_leaf(b, s, leaf, NO_SUB, &r);
	}
	if (!rc)
		rc = put_leaf(b, 0x40000000, NO_SUB, &zero);
	if (!rc)
		rc = put_leaf(b, 0x40000100, NO_SUB, &zero);
	leaf_of(s, 0x80000000, NO_SUB, &r);
	max = (r.a & 0xffff) < NR_EXTD - 1 ? (r.a & 0xffff) : NR_EXTD - 1;
	for (uint32_t leaf = 0; !rc && leaf <= max && (r.a >> 16) == 0x8000; leaf++)
		rc = put_src_leaf(b, s, 0x80000000 | leaf, NO_SUB, &(struct pv_cpuid_leaf){ 0 });
	return rc;
}

/*
 * An MSR of the policy as the caller's vCPU reads it (0 if it cannot);
 * PLATFORM_INFO in Xen's 32-bit form (cpuid_faulting, MSR bit 32, at bit 31).
 */
static uint64_t policy_msr(uint32_t idx)
{
	uint64_t val;

	if (pv_read_msr(current_vcpu(), idx, &val) != PV_EMUL_OKAY)
		return 0;
	return idx == PV_MSR_PLATFORM_INFO ? (val >> 32 & 1) << 31 : val;
}

/* The two MSRs of a policy. */
static int put_msrs(uint64_t guest, uint32_t *nr)
{
	const uint32_t idx[MAX_MSRS] = { PV_MSR_PLATFORM_INFO, PV_MSR_ARCH_CAPABILITIES };

	if (*nr < MAX_MSRS)
		return -XEN_ENOBUFS;
	for (unsigned int i = 0; i < MAX_MSRS; i++) {
		xen_msr_entry_t e = { idx[i], 0, policy_msr(idx[i]) };

		if (copy_to_guest(guest + i * sizeof(e), &e, sizeof(e)))
			return -XEN_EFAULT;
	}
	*nr = MAX_MSRS;
	return 0;
}

/* A PV guest's view for d (the forced-CPUID view from its kernel: Xen's policy). */
static void pv_src(struct policy_src *s, const struct domain *d)
{
	const struct vcpu *v = d->vcpu[0] ? d->vcpu[0] : current_vcpu();

	s->raw = false;
	pv_guest_cpuid_ctx(&s->ctx, v, true);
	s->ctx.kernel_mode = s->ctx.enlightened = true;
}

/* The leaves and MSRs of s into the caller's buffers (a null one: the maximum count). */
static int copy_policy(const struct policy_src *s, uint64_t leaves, uint32_t *nr_leaves,
		       uint64_t msrs, uint32_t *nr_msrs)
{
	struct policy_buf b = { leaves, *nr_leaves, 0 };
	int rc;

	if (!leaves) {
		*nr_leaves = MAX_LEAVES;
	} else {
		rc = put_policy(&b, s);
		if (rc)
			return rc;
		*nr_leaves = b.used;
	}
	if (!msrs) {
		*nr_msrs = MAX_MSRS;
		return 0;
	}
	return put_msrs(msrs, nr_msrs);
}

long arch_sysctl_get_cpu_policy(struct xen_sysctl_cpu_policy *p)
{
	struct policy_src s = { .raw = true };

	if (p->_rsvd || p->index > XEN_SYSCTL_cpu_policy_hvm_default)
		return -XEN_EINVAL;
	if (p->index == XEN_SYSCTL_cpu_policy_hvm_max ||
	    p->index == XEN_SYSCTL_cpu_policy_hvm_default)
		return -XEN_EOPNOTSUPP; /* no HVM */
	if (p->index == XEN_SYSCTL_cpu_policy_pv_max ||
	    p->index == XEN_SYSCTL_cpu_policy_pv_default)
		pv_src(&s, current_vcpu()->domain);
	if (!s.raw)
		s.ctx.hardware_domain = false;
	return copy_policy(&s, (uint64_t)p->leaves.p, &p->nr_leaves, (uint64_t)p->msrs.p,
			   &p->nr_msrs);
}

/* Xen's featureset words (xen/include/xen/lib/x86/cpu-policy.h FEATURESET_*). */
static void featureset(const struct policy_src *s, uint32_t fs[FSCAPINTS])
{
	static const struct {
		uint32_t leaf, sub;
		uint8_t reg; /* 0 a, 1 b, 2 c, 3 d */
	} words[FSCAPINTS - 2] = {
		{ 1, 0, 3 },	      { 1, 0, 2 }, { 0x80000001, 0, 3 }, { 0x80000001, 0, 2 },
		{ 0xd, 1, 0 },	      { 7, 0, 1 }, { 7, 0, 2 },		 { 0x80000007, 0, 3 },
		{ 0x80000008, 0, 1 }, { 7, 0, 3 }, { 7, 1, 0 },		 { 0x80000021, 0, 0 },
		{ 7, 1, 1 },	      { 7, 2, 3 }, { 7, 1, 2 },		 { 7, 1, 3 },
		{ 0x80000021, 0, 2 },
	};
	struct pv_cpuid_leaf r;
	uint64_t caps = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(words); i++) {
		uint32_t regs[4];

		leaf_of(s, words[i].leaf, words[i].sub, &r);
		regs[0] = r.a, regs[1] = r.b, regs[2] = r.c, regs[3] = r.d;
		fs[i < 16 ? i : 18] = regs[words[i].reg];
	}
	if (!s->raw)
		caps = policy_msr(PV_MSR_ARCH_CAPABILITIES);
	fs[16] = (uint32_t)caps;
	fs[17] = (uint32_t)(caps >> 32);
}

long arch_sysctl_get_cpu_featureset(struct xen_sysctl_cpu_featureset *f, bool *copy_count)
{
	struct policy_src s = { .raw = true };
	uint32_t fs[FSCAPINTS] = { 0 }, nr;

	*copy_count = false;
	if (!f->features.p) {
		f->nr_features = FSCAPINTS;
		*copy_count = true;
		return 0;
	}
	nr = f->nr_features < FSCAPINTS ? f->nr_features : FSCAPINTS;
	if (f->index > XEN_SYSCTL_cpu_featureset_hvm_max)
		return -XEN_EINVAL;
	if (f->index == XEN_SYSCTL_cpu_featureset_hvm ||
	    f->index == XEN_SYSCTL_cpu_featureset_hvm_max)
		return -XEN_EOPNOTSUPP;
	if (f->index == XEN_SYSCTL_cpu_featureset_pv ||
	    f->index == XEN_SYSCTL_cpu_featureset_pv_max) {
		pv_src(&s, current_vcpu()->domain);
		s.ctx.hardware_domain = false;
	}
	featureset(&s, fs);
	if (copy_to_guest((uint64_t)f->features.p, fs, nr * sizeof(uint32_t)))
		return -XEN_EFAULT;
	f->nr_features = nr;
	*copy_count = true;
	return nr < FSCAPINTS ? -XEN_ENOBUFS : 0;
}

long arch_domctl_get_cpu_policy(struct xen_domctl *op, struct domain *d, uint64_t uop,
				bool *copyback)
{
	struct xen_domctl_cpu_policy *p = &op->u.cpu_policy;
	struct policy_src s;
	int rc;

	(void)uop;
	pv_src(&s, d);
	rc = copy_policy(&s, (uint64_t)p->leaves.p, &p->nr_leaves, (uint64_t)p->msrs.p,
			 &p->nr_msrs);
	if (!rc)
		*copyback = true;
	return rc;
}

/* The max leaves a set may name (Xen's x86_cpu_policies_are_compatible against pv_max). */
struct policy_max {
	uint32_t basic, feat, extd;
};

/* Xen's x86_cpuid_copy_from_buffer: each entry in range, else -ERANGE and where. */
static int audit_leaves(struct xen_domctl_cpu_policy *p, struct policy_max *m)
{
	for (uint32_t i = 0; i < p->nr_leaves; i++) {
		xen_cpuid_leaf_t e;
		bool ok;

		if (copy_from_guest(&e, (uint64_t)p->leaves.p + i * sizeof(e), sizeof(e)))
			return -XEN_EFAULT;
		if (e.leaf <= NR_BASIC)
			ok = e.leaf == 4     ? e.subleaf < NR_CACHE
			     : e.leaf == 7   ? e.subleaf < NR_FEAT
			     : e.leaf == 0xb ? e.subleaf < NR_TOPO
			     : e.leaf == 0xd ? e.subleaf < NR_XSTATE
					     : e.subleaf == NO_SUB;
		else
			ok = (e.leaf == 0x40000000 || e.leaf == 0x40000100 ||
			      (e.leaf >= 0x80000000 && e.leaf < 0x80000000 + NR_EXTD)) &&
			     e.subleaf == NO_SUB;
		if (!ok) {
			p->err_leaf = e.leaf;
			p->err_subleaf = e.subleaf;
			return -XEN_ERANGE;
		}
		if (e.leaf == 0)
			m->basic = e.a;
		if (e.leaf == 7 && e.subleaf == 0)
			m->feat = e.a;
		if (e.leaf == 0x80000000)
			m->extd = e.a;
	}
	return 0;
}

/* Xen's x86_msr_copy_from_buffer: flags MBZ, the two MSRs, their widths. */
static int audit_msrs(struct xen_domctl_cpu_policy *p, uint64_t *platform_info)
{
	if (p->nr_msrs > MAX_MSRS)
		return -XEN_E2BIG;
	for (uint32_t i = 0; i < p->nr_msrs; i++) {
		xen_msr_entry_t e;
		int rc = 0;

		if (copy_from_guest(&e, (uint64_t)p->msrs.p + i * sizeof(e), sizeof(e)))
			return -XEN_EFAULT;
		if (e.flags)
			rc = -XEN_EINVAL;
		else if (e.idx == PV_MSR_PLATFORM_INFO && e.val >> 32)
			rc = -XEN_EOVERFLOW;
		else if (e.idx != PV_MSR_PLATFORM_INFO && e.idx != PV_MSR_ARCH_CAPABILITIES)
			rc = -XEN_ERANGE;
		if (rc) {
			p->err_msr = e.idx;
			return rc;
		}
		if (e.idx == PV_MSR_PLATFORM_INFO)
			*platform_info = e.val;
	}
	return 0;
}

long arch_domctl_set_cpu_policy(struct xen_domctl *op, struct domain *d, uint64_t uop,
				bool *copyback)
{
	struct xen_domctl_cpu_policy *p = &op->u.cpu_policy;
	struct pv_cpuid_leaf l0, l7, e0;
	struct policy_src s;
	struct policy_max m;
	uint64_t host_pi = 0, pi = 0;
	int rc;

	(void)uop;
	if (d == current_vcpu()->domain)
		return -XEN_EINVAL;
	pv_src(&s, d);
	leaf_of(&s, 0, NO_SUB, &l0);
	leaf_of(&s, 7, 0, &l7);
	leaf_of(&s, 0x80000000, NO_SUB, &e0);
	m = (struct policy_max){ l0.a, l7.a, e0.a };
	p->err_leaf = p->err_subleaf = p->err_msr = ~0u;
	rc = p->nr_leaves > MAX_LEAVES ? -XEN_E2BIG : audit_leaves(p, &m);
	if (!rc)
		rc = audit_msrs(p, &pi);
	if (!rc)
		host_pi = policy_msr(PV_MSR_PLATFORM_INFO);
	if (!rc && m.basic > l0.a)
		p->err_leaf = 0, p->err_subleaf = NO_SUB, rc = -XEN_EINVAL;
	else if (!rc && m.feat > l7.a)
		p->err_leaf = 7, p->err_subleaf = 0, rc = -XEN_EINVAL;
	else if (!rc && m.extd > e0.a)
		p->err_leaf = 0x80000000, p->err_subleaf = NO_SUB, rc = -XEN_EINVAL;
	else if (!rc && (~host_pi & pi & 0xffffffffULL))
		p->err_msr = PV_MSR_PLATFORM_INFO, rc = -XEN_EINVAL;
	if (rc)
		*copyback = true;
	return rc;
}
