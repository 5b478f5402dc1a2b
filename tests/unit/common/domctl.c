// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host test of domctl and sysctl's generic part (hypervisor/common/domctl*.c,
 * sysctl*.c): the order of Xen 4.17's checks (version, domain, privilege,
 * sub-op), what an unprivileged caller gets (Lamina runs no domU yet, so
 * this is where a domU's -EPERM is proven for Lamina's code), domid choice
 * with a requested id and the rover's wrap, the toolstack's pause count,
 * getdomaininfo's flags, getdomaininfolist's order and limit, and the cpupool
 * map cut to the caller's bits. The harness stands in for the domain list
 * (a few static domains), the current vCPU, guest memory (a "guest pointer"
 * is a host pointer; HARNESS_BAD_PTR faults) and the arch hooks.
 */
#include <lamina/domain.h>
#include <lamina/domctl.h>
#include <lamina/guest_access.h>
#include <lamina/mm.h>
#include <lamina/schedule.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include "cunit_run.h"
#include "host_harness.h"

#define NDOM 8

static struct domain doms[NDOM];
static bool used[NDOM];
static struct vcpu vcpus[NDOM];
static struct vcpu *cur;
static const struct boot_info boot = { .nr_ranges = 1, .ram = { { 0, 64 << 20 } } };
const struct boot_info *hv_boot_info = &boot;

struct vcpu *arch_current_vcpu(void)
{
	return cur;
}

/* copy_from_guest/copy_to_guest: the shared harness's (host_harness.c). */
int domain_create(domid_t id, unsigned int max_vcpus, bool privileged, struct domain **out)
{
	for (unsigned int i = 0; i < NDOM; i++) {
		if (used[i])
			continue;
		doms[i] = (struct domain){ .id = id,
					   .max_vcpus = max_vcpus,
					   .pause_count = 1,
					   .is_privileged = privileged,
					   .shutdown_code = -1 };
		vcpus[i] = (struct vcpu){ .domain = &doms[i] };
		doms[i].vcpu[0] = &vcpus[i];
		used[i] = true;
		*out = &doms[i];
		return 0;
	}
	return -XEN_ENOMEM;
}

struct domain *domain_find(domid_t id)
{
	for (unsigned int i = 0; i < NDOM; i++)
		if (used[i] && doms[i].id == id)
			return &doms[i];
	return NULL;
}

struct domain *domain_next(struct domain *d)
{
	for (unsigned int i = d ? (unsigned int)(d - doms) + 1 : 0; i < NDOM; i++)
		if (used[i])
			return &doms[i];
	return NULL;
}

unsigned int domain_count(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < NDOM; i++)
		n += used[i];
	return n;
}

void domain_pause(struct domain *d)
{
	d->pause_count++;
}

void domain_unpause(struct domain *d)
{
	d->pause_count--;
}

/* The harness's domains die in one part (no -ERESTART): none is ever dying. */
int domain_kill(struct domain *d)
{
	used[d - doms] = false;
	return 0;
}

struct domain *domain_find_dying(domid_t id)
{
	(void)id;
	return NULL;
}

struct domain *domain_next_dying(struct domain *d)
{
	(void)d;
	return NULL;
}

long hypercall_create_continuation(unsigned int nr, const uint64_t a[HYPERCALL_NR_ARGS])
{
	(void)nr;
	(void)a;
	return HYPERCALL_NO_RETURN_VALUE;
}

/* The scheduler: each vCPU has run 1000 ns; weight and cap as the harness holds them. */
static unsigned int sched_weight = 256, sched_cap;

uint64_t sched_vcpu_runtime(const struct vcpu *v)
{
	(void)v;
	return 1000;
}

void sched_get_params(const struct domain *d, unsigned int *weight, unsigned int *cap)
{
	(void)d;
	*weight = sched_weight;
	*cap = sched_cap;
}

int sched_set_params(struct domain *d, unsigned int weight, unsigned int cap)
{
	(void)d;
	if (weight)
		sched_weight = weight;
	sched_cap = cap;
	return 0;
}

/* Cpupools: pool 0 alone, with every online CPU; one affinity pair for every vCPU. */
static uint64_t aff_hard = ~0ULL, aff_soft = ~0ULL;

int sched_cpupool_create(uint32_t id, const struct sched_ops *ops, uint32_t *out)
{
	(void)id;
	(void)out;
	return ops ? -XEN_ENOSPC : -XEN_ENOENT;
}

int sched_cpupool_destroy(uint32_t id)
{
	return id ? -XEN_ENOENT : -XEN_EBUSY;
}

int sched_cpupool_info(uint32_t *id, const struct sched_ops **ops, uint32_t *n_dom, uint64_t *cpus)
{
	if (*id > 0)
		return -XEN_ENOENT;
	*ops = &sched_credit2_ops;
	*n_dom = 1;
	*cpus = sysctl_online_cpus();
	return 0;
}

int sched_cpupool_add_cpu(uint32_t id, uint32_t cpu)
{
	(void)cpu;
	return id ? -XEN_ENOENT : -XEN_ENODEV;
}

int sched_cpupool_rm_cpu(uint32_t id, uint32_t cpu)
{
	(void)cpu;
	return id ? -XEN_ENOENT : -XEN_EBUSY;
}

int sched_cpupool_move_domain(struct domain *d, uint32_t id)
{
	(void)d;
	return id ? -XEN_ENOENT : 0;
}

uint64_t sched_cpupool_free_cpus(void)
{
	return 0;
}

bool sched_cpupool_exists(uint32_t id)
{
	return id == 0;
}

int sched_cpupool_usable(uint32_t id)
{
	return id ? -XEN_ESRCH : 0;
}

uint32_t sched_domain_cpupool(const struct domain *d)
{
	(void)d;
	return 0;
}

int sched_vcpu_set_affinity(struct vcpu *v, const uint64_t *hard, const uint64_t *soft)
{
	(void)v;
	if (hard && !(*hard & sysctl_online_cpus()))
		return -XEN_EINVAL;
	if (hard)
		aff_hard = *hard;
	if (soft)
		aff_soft = *soft;
	return 0;
}

void sched_vcpu_get_affinity(const struct vcpu *v, uint64_t *hard, uint64_t *soft,
			     uint64_t *pool_cpus)
{
	(void)v;
	*hard = aff_hard;
	*soft = aff_soft;
	*pool_cpus = sysctl_online_cpus();
}

int sched_cpupool_ops(uint32_t id, const struct sched_ops **ops)
{
	*ops = &sched_credit2_ops;
	return id > 0 ? -XEN_ESRCH : 0;
}

int sched_cpupool_credit1_params(uint32_t id, bool put, uint32_t *tslice_ms, uint32_t *ratelimit_us,
				 uint32_t *migr_delay_us)
{
	(void)put;
	(void)tslice_ms;
	(void)ratelimit_us;
	(void)migr_delay_us;
	return id > 0 ? -XEN_ESRCH : -XEN_EINVAL; /* pool 0 runs credit2 */
}

const struct sched_ops *sched_domain_ops(const struct domain *d)
{
	(void)d;
	return &sched_credit2_ops;
}

void sched_set_params_credit1(struct domain *d, unsigned int weight, unsigned int cap)
{
	(void)d;
	(void)weight;
	(void)cap;
	CU_FAIL("credit1 putinfo on a credit2 domain");
}

const struct sched_ops sched_credit2_ops = { .name = "credit2" };
const struct sched_ops sched_credit1_ops = { .name = "credit" };

uint64_t mm_free_pages(void)
{
	return 100;
}

uint64_t mm_max_mfn(void)
{
	return 16384;
}

bool arch_vcpu_is_online(const struct vcpu *v)
{
	return v->arch.initialised;
}

bool arch_vcpu_is_running(const struct vcpu *v)
{
	return v == cur;
}

unsigned int arch_nr_online_cpus(void)
{
	return 2;
}

void arch_sysctl_physinfo(struct xen_sysctl_physinfo *pi)
{
	pi->capabilities |= XEN_SYSCTL_PHYSCAP_pv;
}

#define ARCH_STUB(name)                                                                  \
	long name(struct xen_domctl *op, struct domain *d, uint64_t uop, bool *copyback) \
	{                                                                                \
		(void)op, (void)d, (void)uop, (void)copyback;                            \
		return -XEN_EBADF; /* marks "the arch's row was reached" */              \
	}
ARCH_STUB(arch_domctl_setvcpucontext)
ARCH_STUB(arch_domctl_getvcpucontext)
ARCH_STUB(arch_domctl_getpageframeinfo3)
ARCH_STUB(arch_domctl_set_address_size)
ARCH_STUB(arch_domctl_get_address_size)
ARCH_STUB(arch_domctl_hypercall_init)
ARCH_STUB(arch_domctl_settscinfo)
ARCH_STUB(arch_domctl_gettscinfo)
ARCH_STUB(arch_domctl_get_cpu_policy)
ARCH_STUB(arch_domctl_set_cpu_policy)

long arch_sysctl_get_cpu_policy(struct xen_sysctl_cpu_policy *p)
{
	(void)p;
	return -XEN_EBADF;
}

long arch_sysctl_get_cpu_featureset(struct xen_sysctl_cpu_featureset *f, bool *copy_count)
{
	(void)f;
	*copy_count = false;
	return -XEN_EBADF;
}

static struct domain *dom0;

static void setup(void)
{
	memset(used, 0, sizeof(used));
	domain_create(0, 1, true, &dom0);
	dom0->pause_count = 0;
	dom0->vcpu[0]->arch.initialised = true;
	cur = dom0->vcpu[0];
}

static long dc(struct xen_domctl *op)
{
	const uint64_t a[HYPERCALL_NR_ARGS] = { (uint64_t)op };

	return do_domctl(a);
}

static long sc(struct xen_sysctl *op)
{
	const uint64_t a[HYPERCALL_NR_ARGS] = { (uint64_t)op };

	return do_sysctl(a);
}

static struct xen_domctl op_of(uint32_t cmd, domid_t dom)
{
	return (struct xen_domctl){ .cmd = cmd,
				    .interface_version = XEN_DOMCTL_INTERFACE_VERSION,
				    .domain = dom };
}

static long create(domid_t want, domid_t *got)
{
	struct xen_domctl op = op_of(XEN_DOMCTL_createdomain, want);
	long rc;

	op.u.createdomain.max_vcpus = 1;
	op.u.createdomain.max_grant_frames = -1;
	op.u.createdomain.max_maptrack_frames = -1;
	op.u.createdomain.grant_opts = XEN_DOMCTL_GRANT_version(1);
	rc = dc(&op);
	*got = op.domain;
	return rc;
}

static void become(struct domain *d)
{
	cur = d->vcpu[0];
}

/* Xen's order: version, then the domain, then privilege, then the sub-op. */
static void test_check_order(void)
{
	struct xen_domctl op = op_of(XEN_DOMCTL_pausedomain, 42);
	struct domain *u;
	domid_t id;

	setup();
	CU_ASSERT_EQUAL(dc((void *)HARNESS_BAD_PTR), -XEN_EFAULT);
	op.interface_version = XEN_DOMCTL_INTERFACE_VERSION - 1;
	CU_ASSERT_EQUAL(dc(&op), -XEN_EACCES);
	op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
	CU_ASSERT_EQUAL(dc(&op), -XEN_ESRCH);
	op = op_of(0xfff, 0);
	CU_ASSERT_EQUAL(dc(&op), -XEN_ENOSYS);
	op = op_of(XEN_DOMCTL_setvcpucontext, 0);
	CU_ASSERT_EQUAL(dc(&op), -XEN_EBADF); /* the arch's row */
	CU_ASSERT_EQUAL(create(0, &id), 0);
	u = domain_find(id);
	become(u);
	op = op_of(XEN_DOMCTL_pausedomain, 42);
	CU_ASSERT_EQUAL(dc(&op), -XEN_ESRCH); /* the domain comes before privilege */
	op = op_of(XEN_DOMCTL_pausedomain, 0);
	CU_ASSERT_EQUAL(dc(&op), -XEN_EPERM);
	op = op_of(XEN_DOMCTL_setvcpucontext, 0);
	CU_ASSERT_EQUAL(dc(&op), -XEN_EPERM);
	op = op_of(0xfff, 0);
	CU_ASSERT_EQUAL(dc(&op), -XEN_EPERM);
	op = op_of(XEN_DOMCTL_createdomain, 0);
	CU_ASSERT_EQUAL(dc(&op), -XEN_EPERM);
	CU_ASSERT_EQUAL(domain_count(), 2);
	op = op_of(XEN_DOMCTL_getdomaininfo, 0);
	CU_ASSERT_EQUAL(dc(&op), -XEN_EPERM);
	u->cdf |= XEN_DOMCTL_CDF_xs_domain; /* xenstore may list domains */
	CU_ASSERT_EQUAL(dc(&op), 0);
	CU_ASSERT_EQUAL(op.u.getdomaininfo.domain, 0);
}

static void test_sysctl_privilege(void)
{
	struct xen_sysctl op = { .cmd = XEN_SYSCTL_physinfo,
				 .interface_version = XEN_SYSCTL_INTERFACE_VERSION };
	domid_t id;

	setup();
	CU_ASSERT_EQUAL(sc(&op), 0);
	CU_ASSERT_EQUAL(op.u.physinfo.nr_cpus, 2);
	CU_ASSERT_EQUAL(op.u.physinfo.total_pages, 16384);
	CU_ASSERT_EQUAL(op.u.physinfo.max_mfn, 16383);
	CU_ASSERT(op.u.physinfo.capabilities & XEN_SYSCTL_PHYSCAP_pv);
	create(0, &id);
	become(domain_find(id));
	memset(&op.u, 0x77, sizeof(op.u));
	CU_ASSERT_EQUAL(sc(&op), -XEN_EPERM);
	CU_ASSERT_EQUAL(op.u.physinfo.nr_cpus, 0x77777777); /* nothing copied back */
	op.interface_version = 0;
	CU_ASSERT_EQUAL(sc(&op), -XEN_EACCES);
	become(dom0);
	op = (struct xen_sysctl){ .cmd = 0xfff, .interface_version = XEN_SYSCTL_INTERFACE_VERSION };
	CU_ASSERT_EQUAL(sc(&op), -XEN_ENOSYS);
}

static void test_domid_choice(void)
{
	domid_t a, b, c, d;

	setup();
	CU_ASSERT_EQUAL(create(0, &a), 0);
	CU_ASSERT_EQUAL(create(DOMID_FIRST_RESERVED, &b), 0); /* reserved: chosen */
	CU_ASSERT_EQUAL(b, a + 1);
	CU_ASSERT_EQUAL(create(a, &c), -XEN_EEXIST);
	CU_ASSERT_EQUAL(create(300, &c), 0);
	CU_ASSERT_EQUAL(c, 300);
	CU_ASSERT_EQUAL(create(0, &d), 0); /* a requested id leaves the rover alone */
	CU_ASSERT_EQUAL(d, b + 1);
}

static void test_pause_counting(void)
{
	struct xen_domctl op;
	struct domain *u;
	domid_t id;

	setup();
	create(0, &id);
	u = domain_find(id);
	CU_ASSERT_EQUAL(u->pause_count, 1);
	CU_ASSERT_EQUAL(u->controller_pause_count, 1);
	op = op_of(XEN_DOMCTL_unpausedomain, id);
	CU_ASSERT_EQUAL(dc(&op), 0);
	CU_ASSERT_EQUAL(u->pause_count, 0);
	CU_ASSERT_EQUAL(dc(&op), -XEN_EINVAL);
	CU_ASSERT_EQUAL(u->pause_count, 0);
	u->pause_count = 1; /* a pause of its own (shutdown) is not the toolstack's */
	CU_ASSERT_EQUAL(dc(&op), -XEN_EINVAL);
	op = op_of(XEN_DOMCTL_pausedomain, id);
	for (int i = 0; i < 255; i++)
		CU_ASSERT_EQUAL(dc(&op), 0);
	CU_ASSERT_EQUAL(dc(&op), -XEN_EOVERFLOW);
	CU_ASSERT_EQUAL(u->controller_pause_count, 255);
	op = op_of(XEN_DOMCTL_pausedomain, 0);
	CU_ASSERT_EQUAL(dc(&op), -XEN_EINVAL);
	CU_ASSERT_EQUAL(dom0->pause_count, 0);
}

static void test_domaininfo(void)
{
	struct xen_domctl op;
	struct xen_domctl_getdomaininfo *i = &op.u.getdomaininfo;
	struct domain *u;
	domid_t id;

	setup();
	create(300, &id);
	u = domain_find(id);
	op = op_of(XEN_DOMCTL_getdomaininfo, 5); /* a free id: the next live domain */
	CU_ASSERT_EQUAL(dc(&op), 0);
	CU_ASSERT_EQUAL(op.domain, 300);
	CU_ASSERT_EQUAL(i->flags, XEN_DOMINF_paused | 0xffffU << XEN_DOMINF_shutdownshift);
	CU_ASSERT_EQUAL(i->max_vcpu_id, XEN_INVALID_MAX_VCPU_ID);
	CU_ASSERT_EQUAL(i->nr_online_vcpus, 0);
	u->vcpus_hidden = false;
	u->vcpu[0]->arch.initialised = true;
	u->state = DOMAIN_SHUTDOWN;
	u->shutdown_reason = SHUTDOWN_crash;
	op = op_of(XEN_DOMCTL_getdomaininfo, 300);
	CU_ASSERT_EQUAL(dc(&op), 0);
	CU_ASSERT_EQUAL(i->flags, XEN_DOMINF_paused | XEN_DOMINF_shutdown |
					  SHUTDOWN_crash << XEN_DOMINF_shutdownshift);
	CU_ASSERT_EQUAL(i->max_vcpu_id, 0);
	CU_ASSERT_EQUAL(i->nr_online_vcpus, 1);
	u->shutdown_code = 7; /* SCHEDOP_shutdown_code wins, as Xen */
	CU_ASSERT_EQUAL(dc(&op), 0);
	CU_ASSERT_EQUAL(i->flags >> XEN_DOMINF_shutdownshift, 7);
	op = op_of(XEN_DOMCTL_getdomaininfo, 301);
	CU_ASSERT_EQUAL(dc(&op), -XEN_ESRCH);
	op = op_of(XEN_DOMCTL_getdomaininfo, DOMID_FIRST_RESERVED);
	CU_ASSERT_EQUAL(dc(&op), -XEN_EINVAL);
	op = op_of(XEN_DOMCTL_getdomaininfo, 0);
	CU_ASSERT_EQUAL(dc(&op), 0);
	CU_ASSERT(i->flags & XEN_DOMINF_running);
}

static void test_domaininfolist(void)
{
	struct xen_sysctl op = { .cmd = XEN_SYSCTL_getdomaininfolist,
				 .interface_version = XEN_SYSCTL_INTERFACE_VERSION };
	struct xen_domctl_getdomaininfo list[4];
	domid_t id;

	setup();
	create(9, &id);
	create(4, &id);
	op.u.getdomaininfolist.max_domains = 4;
	set_xen_guest_handle(op.u.getdomaininfolist.buffer, list);
	CU_ASSERT_EQUAL(sc(&op), 0);
	CU_ASSERT_EQUAL(op.u.getdomaininfolist.num_domains, 3);
	CU_ASSERT(list[0].domain == 0 && list[1].domain == 4 && list[2].domain == 9);
	op.u.getdomaininfolist.first_domain = 5;
	CU_ASSERT_EQUAL(sc(&op), 0);
	CU_ASSERT(op.u.getdomaininfolist.num_domains == 1 && list[0].domain == 9);
	op.u.getdomaininfolist.first_domain = 0;
	op.u.getdomaininfolist.max_domains = 2;
	CU_ASSERT_EQUAL(sc(&op), 0);
	CU_ASSERT_EQUAL(op.u.getdomaininfolist.num_domains, 2);
	op.u.getdomaininfolist.num_domains = 55;
	set_xen_guest_handle(op.u.getdomaininfolist.buffer, (void *)HARNESS_BAD_PTR);
	CU_ASSERT_EQUAL(sc(&op), -XEN_EFAULT);
	CU_ASSERT_EQUAL(op.u.getdomaininfolist.num_domains, 55);
}

static void test_cpupool_map(void)
{
	struct xen_sysctl op = { .cmd = XEN_SYSCTL_cpupool_op,
				 .interface_version = XEN_SYSCTL_INTERFACE_VERSION };
	uint8_t map[4];

	setup();
	op.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_INFO;
	set_xen_guest_handle(op.u.cpupool_op.cpumap.bitmap, map);
	memset(map, 0xee, sizeof(map));
	op.u.cpupool_op.cpumap.nr_bits = 1;
	CU_ASSERT_EQUAL(sc(&op), 0);
	CU_ASSERT(map[0] == 0x01 && map[1] == 0xee); /* cut to one bit, nothing past it */
	op.u.cpupool_op.cpumap.nr_bits = 24;
	CU_ASSERT_EQUAL(sc(&op), 0);
	CU_ASSERT(map[0] == 0x03 && map[1] == 0 && map[2] == 0 && map[3] == 0xee);
	CU_ASSERT_EQUAL(op.u.cpupool_op.n_dom, 1);
	op.u.cpupool_op.cpupool_id = 1;
	CU_ASSERT_EQUAL(sc(&op), -XEN_ENOENT);
	op.u.cpupool_op.op = XEN_SYSCTL_CPUPOOL_OP_CREATE;
	op.u.cpupool_op.sched_id = XEN_SCHEDULER_RTDS;
	CU_ASSERT_EQUAL(sc(&op), -XEN_ENOENT); /* not a scheduler Lamina has */
	op.u.cpupool_op.sched_id = XEN_SCHEDULER_CREDIT2;
	CU_ASSERT_EQUAL(sc(&op), -XEN_ENOSPC);
	op.u.cpupool_op.sched_id = XEN_SCHEDULER_CREDIT; /* credit1: passed on to the pools */
	CU_ASSERT_EQUAL(sc(&op), -XEN_ENOSPC);
	op.u.cpupool_op.op = 99;
	CU_ASSERT_EQUAL(sc(&op), -XEN_ENOSYS);
}

/*
 * setvcpuaffinity's maps: read as Xen reads them (the host's CPUs' bytes,
 * bits past nr_bits cleared), the effective maps written back, -EINVAL
 * without a CPU of the pool, a null buffer or no flag; nothing changes then.
 */
static void test_vcpu_affinity_maps(void)
{
	struct xen_domctl op = { .cmd = XEN_DOMCTL_setvcpuaffinity,
				 .interface_version = XEN_DOMCTL_INTERFACE_VERSION,
				 .domain = 0 };
	struct xen_domctl_vcpuaffinity *a = &op.u.vcpuaffinity;
	uint8_t hard[2], soft[2];

	setup();
	set_xen_guest_handle(a->cpumap_hard.bitmap, hard);
	set_xen_guest_handle(a->cpumap_soft.bitmap, soft);
	a->cpumap_hard.nr_bits = a->cpumap_soft.nr_bits = 16;
	a->flags = XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT;
	hard[0] = 0xfe, hard[1] = 0xff, soft[0] = 0x01, soft[1] = 0xff;
	CU_ASSERT_EQUAL(dc(&op), 0);
	CU_ASSERT(hard[0] == 0x02 && hard[1] == 0); /* hard and the pool (CPUs 0-1) */
	CU_ASSERT(soft[0] == 0 && soft[1] == 0);    /* soft and hard and the pool */
	hard[0] = 0x04;
	CU_ASSERT_EQUAL(dc(&op), -XEN_EINVAL); /* no CPU of the pool */
	CU_ASSERT_EQUAL(aff_hard & 0xff, 0xfe);
	a->cpumap_hard.nr_bits = 1;
	hard[0] = 0x02;
	CU_ASSERT_EQUAL(dc(&op), -XEN_EINVAL); /* CPU 1 is past nr_bits */
	a->flags = 0;
	CU_ASSERT_EQUAL(dc(&op), -XEN_EINVAL);
	a->flags = XEN_VCPUAFFINITY_SOFT;
	set_xen_guest_handle(a->cpumap_soft.bitmap, NULL);
	CU_ASSERT_EQUAL(dc(&op), -XEN_EINVAL);
	set_xen_guest_handle(a->cpumap_soft.bitmap, (void *)HARNESS_BAD_PTR);
	CU_ASSERT_EQUAL(dc(&op), -XEN_EFAULT);
	a->vcpu = 1000;
	CU_ASSERT_EQUAL(dc(&op), -XEN_EINVAL);
	aff_hard = aff_soft = ~0ULL;
}

int main(void)
{
	static const CU_TestInfo tests[] = {
		{ "check order: version, domain, privilege, sub-op", test_check_order },
		{ "sysctl: the control domain only", test_sysctl_privilege },
		{ "domid: requested, taken, chosen", test_domid_choice },
		{ "pause: the toolstack's count", test_pause_counting },
		{ "getdomaininfo: flags and the next domain", test_domaininfo },
		{ "getdomaininfolist: id order, limits, bad buffer", test_domaininfolist },
		{ "cpupool: the map cut to the caller's bits", test_cpupool_map },
		{ "vcpu affinity: maps in and out, refusals", test_vcpu_affinity_maps },
		CU_TEST_INFO_NULL,
	};
	static const struct cunit_suite suites[] = { { "domctl", tests }, { NULL, NULL } };

	return cunit_run(suites);
}
