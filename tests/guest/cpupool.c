// SPDX-License-Identifier: MIT
/*
 * Cpupools, vCPU and node affinity, and credit2's per-domain parameters,
 * from a dom0 on two CPUs (on Xen 4.17 and on Lamina with lamina_smp=on;
 * dom0 has a vCPU per CPU, only vCPU 0 up), every answer Xen's:
 *
 *   cpupool_op  CREATE (PAR_ANY and an id; -EEXIST, -ENOENT for an unknown
 *               scheduler, -ENOSPC past 2 x CPUs pools), DESTROY (-EBUSY
 *               with CPUs or domains, -ENOENT), INFO (the next pool at or
 *               after the id), ADDCPU (PAR_ANY, -ENODEV for a CPU in use,
 *               -EINVAL past the CPUs), RMCPU (CPU 0 of pool 0 -EINVAL, not
 *               in it -EADDRNOTAVAIL, the last CPU of a pool with a domain
 *               -EBUSY), MOVEDOMAIN (self -EPERM, unknown -ESRCH, a pool
 *               without CPUs -ENOENT), FREEINFO; dom0's vCPU leaves the CPU
 *               taken from its pool; a domU moved into a pool of CPU 1 is
 *               placed there, its affinity reset; createdomain's cpupool_id
 *               (-ESRCH no pool, -ENODEV one without CPUs)
 *   affinity    hard and soft, the effective maps written back, an empty
 *               effective hard map -EINVAL with nothing changed, dom0's vCPU
 *               0 running where its hard affinity says; node affinity
 *   credit2     putinfo/getinfo of a domU's weight and cap in another pool
 *   credit      a pool with sched_id 5: XEN_SYSCTL_scheduler_op's tslice,
 *               ratelimit and migration delay (Xen's bounds, -EINVAL each,
 *               -ESRCH no pool, -EINVAL the other scheduler's id), a domU's
 *               weight and cap (no range check; 0 and 0xffff keep), the domU
 *               destroyed in the pool, which can then be emptied and destroyed
 */
#include "domctl-lib.h"
#include <gpv/test.h>
#include <gpv/time.h>

#define ANY XEN_SYSCTL_CPUPOOL_PAR_ANY

static uint8_t map[8];

/* A cpupool_op: its answer; *io in and out. */
static long pool_op(uint32_t cmd, struct xen_sysctl_cpupool_op *io)
{
	struct xen_sysctl op;
	long rc;

	dc_sinit(&op, XEN_SYSCTL_cpupool_op);
	op.u.cpupool_op = *io;
	op.u.cpupool_op.op = cmd;
	memset(map, 0xee, sizeof(map));
	set_xen_guest_handle(op.u.cpupool_op.cpumap.bitmap, map);
	op.u.cpupool_op.cpumap.nr_bits = 8;
	rc = dc_sysctl(&op);
	*io = op.u.cpupool_op;
	return rc;
}

static long pool_simple(uint32_t cmd, uint32_t pool, uint32_t arg)
{
	struct xen_sysctl_cpupool_op io = { .cpupool_id = pool, .cpu = arg, .domid = (domid_t)arg };

	return pool_op(cmd, &io);
}

static long pool_create(uint32_t id, uint32_t sched, uint32_t *out)
{
	struct xen_sysctl_cpupool_op io = { .cpupool_id = id, .sched_id = sched };
	long rc = pool_op(XEN_SYSCTL_CPUPOOL_OP_CREATE, &io);

	*out = io.cpupool_id;
	return rc;
}

/* INFO from id: 0 and the pool found in *io (map[0]: its CPUs), or the error. */
static long pool_info(uint32_t id, struct xen_sysctl_cpupool_op *io)
{
	*io = (struct xen_sysctl_cpupool_op){ .cpupool_id = id };
	return pool_op(XEN_SYSCTL_CPUPOOL_OP_INFO, io);
}

static uint8_t free_cpus(void)
{
	struct xen_sysctl_cpupool_op io = { 0 };

	return pool_op(XEN_SYSCTL_CPUPOOL_OP_FREEINFO, &io) ? 0xff : map[0];
}

/* The CPU getvcpuinfo reports for dom's vCPU, or -1. */
static long vcpu_cpu(domid_t dom, uint32_t vcpu)
{
	struct xen_domctl op;

	dc_dinit(&op, XEN_DOMCTL_getvcpuinfo, dom);
	op.u.getvcpuinfo.vcpu = vcpu;
	return dc_domctl(&op) ? -1 : (long)op.u.getvcpuinfo.cpu;
}

/* set/getvcpuaffinity with one-byte maps (nr_bits 8); they come back in *hard, *soft. */
static long affinity(uint32_t cmd, domid_t dom, uint32_t vcpu, uint32_t flags, uint8_t *hard,
		     uint8_t *soft)
{
	struct xen_domctl op;

	dc_dinit(&op, cmd, dom);
	op.u.vcpuaffinity.vcpu = vcpu;
	op.u.vcpuaffinity.flags = flags;
	set_xen_guest_handle(op.u.vcpuaffinity.cpumap_hard.bitmap, hard);
	set_xen_guest_handle(op.u.vcpuaffinity.cpumap_soft.bitmap, soft);
	op.u.vcpuaffinity.cpumap_hard.nr_bits = op.u.vcpuaffinity.cpumap_soft.nr_bits = 8;
	return dc_domctl(&op);
}

static long set_hard(domid_t dom, uint32_t vcpu, uint8_t *hard)
{
	uint8_t soft = 0;

	return affinity(XEN_DOMCTL_setvcpuaffinity, dom, vcpu, XEN_VCPUAFFINITY_HARD, hard, &soft);
}

/* getvcpuaffinity: hard in the low byte, soft in the next; -1 on an error. */
static long get_both(domid_t dom, uint32_t vcpu)
{
	uint8_t h = 0xee, s = 0xee;

	if (affinity(XEN_DOMCTL_getvcpuaffinity, dom, vcpu,
		     XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT, &h, &s))
		return -1;
	return h | (long)s << 8;
}

/* dom0's vCPU 0 stays on @cpu while it yields @n times. */
static bool stays_on(long cpu, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		gpv_sched_op(SCHEDOP_yield, NULL);
		if (vcpu_cpu(0, 0) != cpu)
			return false;
	}
	return true;
}

/* Requests refused (or done) without a change, each with Xen's answer. */
struct pool_case {
	uint32_t cmd, pool, arg;
	long want;
	const char *name;
};

static void check_table(const struct pool_case *t, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		gpv_test_eq(pool_simple(t[i].cmd, t[i].pool, t[i].arg), t[i].want, t[i].name);
}

/* Pool 1, no CPU yet: what it refuses. */
static const struct pool_case empty_pool[] = {
	{ XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 1, 1, -XEN_ENODEV, "ADDCPU of CPU 1 (in pool 0): -ENODEV" },
	{ XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 1, ANY, -XEN_ENODEV,
	  "ADDCPU PAR_ANY with no CPU free: -ENODEV" },
	{ XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 1, 64, -XEN_EINVAL, "ADDCPU of CPU 64: -EINVAL" },
	{ XEN_SYSCTL_CPUPOOL_OP_RMCPU, 1, 1, -XEN_EADDRNOTAVAIL,
	  "RMCPU of a CPU not in the pool: -EADDRNOTAVAIL" },
	{ XEN_SYSCTL_CPUPOOL_OP_RMCPU, 1, ANY, -XEN_EINVAL,
	  "RMCPU PAR_ANY from an empty pool: -EINVAL" },
};

static void check_pool_errors(void)
{
	static const struct pool_case bad[] = {
		{ XEN_SYSCTL_CPUPOOL_OP_DESTROY, 0, 0, -XEN_EBUSY, "DESTROY of pool 0: -EBUSY" },
		{ XEN_SYSCTL_CPUPOOL_OP_DESTROY, 9, 0, -XEN_ENOENT, "DESTROY of no pool: -ENOENT" },
		{ XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 9, 1, -XEN_ENOENT, "ADDCPU to no pool: -ENOENT" },
		{ XEN_SYSCTL_CPUPOOL_OP_RMCPU, 9, 1, -XEN_ENOENT, "RMCPU from no pool: -ENOENT" },
		{ XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0, 0, -XEN_EINVAL,
		  "RMCPU of CPU 0 from pool 0: -EINVAL" },
		{ XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0, 5, -XEN_EINVAL,
		  "RMCPU of CPU 5 (no such CPU): -EINVAL" },
		{ XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 0, 0, -XEN_EPERM,
		  "MOVEDOMAIN of the caller itself: -EPERM" },
		{ XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 0, 0x7000, -XEN_ESRCH,
		  "MOVEDOMAIN of an unknown domain: -ESRCH" },
		{ 77, 0, 0, -XEN_ENOSYS, "unknown cpupool op: -ENOSYS" },
	};
	struct xen_sysctl_cpupool_op io;
	uint32_t id = 0;

	gpv_test_area("cpupool_op: errors");
	gpv_test_eq(pool_info(0, &io), 0, "INFO of pool 0");
	gpv_test_check(io.cpupool_id == 0 && io.sched_id == XEN_SCHEDULER_CREDIT2 &&
			       io.n_dom == 1 && map[0] == 0x03 && map[1] == 0xee,
		       "pool 0: credit2, dom0, CPUs 0-1, one byte written");
	gpv_test_eq(free_cpus(), 0, "FREEINFO: no free CPU");
	gpv_test_eq(pool_info(1, &io), -XEN_ENOENT, "INFO after the last pool: -ENOENT");
	gpv_test_eq(pool_create(ANY, 99, &id), -XEN_ENOENT,
		    "CREATE with an unknown scheduler: -ENOENT");
	gpv_test_eq(pool_create(0, XEN_SCHEDULER_CREDIT2, &id), -XEN_EEXIST,
		    "CREATE of pool 0 again: -EEXIST");
	check_table(bad, sizeof(bad) / sizeof(bad[0]));
}

/* Pools 1 (PAR_ANY) and 5 made, the limit of 2 x CPUs reached, a pool destroyed. */
static void check_create_destroy(void)
{
	struct xen_sysctl_cpupool_op io;
	uint32_t id = 0, id2 = 0;

	gpv_test_area("cpupool_op: create, destroy, info");
	gpv_test_eq(pool_create(ANY, XEN_SCHEDULER_CREDIT2, &id), 0, "CREATE with PAR_ANY");
	gpv_test_eq(id, 1, "PAR_ANY: pool 1");
	gpv_test_eq(pool_create(1, XEN_SCHEDULER_CREDIT2, &id), -XEN_EEXIST,
		    "CREATE of pool 1 again: -EEXIST");
	gpv_test_eq(pool_create(5, XEN_SCHEDULER_CREDIT2, &id), 0, "CREATE of pool 5");
	gpv_test_eq(id, 5, "pool 5 has the id asked for");
	gpv_test_eq(pool_info(2, &io), 0, "INFO from 2");
	gpv_test_check(io.cpupool_id == 5 && io.n_dom == 0 && map[0] == 0,
		       "INFO from 2: pool 5, empty");
	gpv_test_eq(pool_create(ANY, XEN_SCHEDULER_CREDIT2, &id2), 0, "CREATE a fourth pool");
	gpv_test_eq(id2, 6, "PAR_ANY after 5: pool 6");
	gpv_test_eq(pool_create(ANY, XEN_SCHEDULER_CREDIT2, &id), -XEN_ENOSPC,
		    "a fifth pool on two CPUs: -ENOSPC");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 6, 0), 0, "DESTROY pool 6");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 6, 0), -XEN_ENOENT,
		    "DESTROY pool 6 again: -ENOENT");
	check_table(empty_pool, sizeof(empty_pool) / sizeof(empty_pool[0]));
}

/* CPU 1 from pool 0 to pool 1, dom0's vCPU 0 pinned to it first. */
static void check_cpu_moves(void)
{
	struct xen_sysctl_cpupool_op io;
	uint8_t h = 0x02;

	gpv_test_area("cpupool_op: CPUs move");
	gpv_test_eq(set_hard(0, 0, &h), 0, "dom0 vCPU 0 pinned to CPU 1");
	gpv_test_check(stays_on(1, 20), "dom0 vCPU 0 runs on CPU 1");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0, 1), 0, "RMCPU CPU 1 from pool 0");
	gpv_test_check(stays_on(0, 20), "dom0 vCPU 0 left CPU 1 for CPU 0");
	gpv_test_eq(get_both(0, 0), 0x0303, "its affinity broken: hard and soft every CPU");
	gpv_test_eq(free_cpus(), 0x02, "FREEINFO: CPU 1");
	gpv_test_eq(pool_info(0, &io), 0, "INFO of pool 0");
	gpv_test_check(map[0] == 0x01 && io.n_dom == 1, "pool 0: CPU 0 only, dom0");
	h = 0x02;
	gpv_test_eq(set_hard(0, 0, &h), -XEN_EINVAL,
		    "dom0 vCPU 0 pinned to CPU 1 outside its pool: -EINVAL");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 1, ANY), 0,
		    "ADDCPU PAR_ANY to pool 1");
	gpv_test_eq(pool_info(1, &io), 0, "INFO of pool 1");
	gpv_test_check(io.cpupool_id == 1 && map[0] == 0x02 && io.n_dom == 0,
		       "pool 1: CPU 1, no domain");
	gpv_test_eq(free_cpus(), 0, "FREEINFO: none");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 1, 0), -XEN_EBUSY,
		    "DESTROY of a pool with a CPU: -EBUSY");
	gpv_test_check(stays_on(0, 5), "dom0 vCPU 0 stays on CPU 0");
}

/* createdomain's cpupool_id: no such pool, a pool without CPUs, pool 1. */
static void check_create_in_pool(void)
{
	struct xen_domctl_getdomaininfo di;
	struct xen_sysctl_cpupool_op io;
	struct xen_domctl op;
	domid_t id;

	gpv_test_area("createdomain into a cpupool");
	dc_cfg(&op, 0);
	op.u.createdomain.cpupool_id = 9;
	gpv_test_eq(dc_domctl(&op), -XEN_ESRCH, "cpupool_id of no pool: -ESRCH");
	dc_cfg(&op, 0);
	op.u.createdomain.cpupool_id = 5;
	gpv_test_eq(dc_domctl(&op), -XEN_ENODEV, "cpupool_id of a pool without CPUs: -ENODEV");
	dc_cfg(&op, 0);
	op.u.createdomain.cpupool_id = 1;
	if (!gpv_test_eq(dc_domctl(&op), 0, "createdomain into pool 1"))
		return;
	id = op.domain;
	gpv_test_eq(dc_info(id, &di), 0, "getdomaininfo");
	gpv_test_eq(di.cpupool, 1, "the new domain is in cpupool 1");
	gpv_test_eq(pool_info(1, &io), 0, "INFO of pool 1");
	gpv_test_eq(io.n_dom, 1, "pool 1: one domain");
	/* No move back first: a dying domain leaves its pool (Xen's domain_kill). */
	gpv_test_eq(dc_simple(XEN_DOMCTL_destroydomain, id), 0, "destroydomain in pool 1");
	gpv_test_eq(pool_info(1, &io), 0, "INFO of pool 1");
	gpv_test_eq(io.n_dom, 0, "pool 1: the dead domain left it");
}

/* A domU into pool 1 (CPU 1) and back; its weight and cap there. */
static void check_domain_moves(void)
{
	struct xen_domctl_getdomaininfo di;
	struct xen_sysctl_cpupool_op io;
	xen_pfn_t mfn[2];
	uint16_t w, c;
	uint8_t h;
	long id;

	gpv_test_area("cpupool_op: a domain moves");
	id = dc_make_small_domu(mfn, 2);
	if (id < 0)
		return;
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 5, (uint32_t)id), -XEN_ENOENT,
		    "MOVEDOMAIN to a pool without CPUs: -ENOENT");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 0, (uint32_t)id), 0,
		    "MOVEDOMAIN to its own pool: 0");
	h = 0x01;
	gpv_test_eq(set_hard((domid_t)id, 0, &h), 0, "the domU's vCPU pinned to CPU 0");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 1, (uint32_t)id), 0,
		    "MOVEDOMAIN of the domU to pool 1");
	gpv_test_eq(dc_info((domid_t)id, &di), 0, "getdomaininfo of the domU");
	gpv_test_eq(di.cpupool, 1, "the domU is in cpupool 1");
	gpv_test_eq(vcpu_cpu((domid_t)id, 0), 1, "its vCPU is placed on CPU 1");
	gpv_test_eq(get_both((domid_t)id, 0), 0x0303, "its affinity reset: every CPU");
	gpv_test_eq(pool_info(1, &io), 0, "INFO of pool 1");
	gpv_test_eq(io.n_dom, 1, "pool 1: one domain");
	gpv_test_eq(pool_info(0, &io), 0, "INFO of pool 0");
	gpv_test_eq(io.n_dom, 1, "pool 0: one domain");
	h = 0x01;
	gpv_test_eq(set_hard((domid_t)id, 0, &h), -XEN_EINVAL,
		    "pinned to CPU 0, outside pool 1: -EINVAL");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 1, 1), -XEN_EBUSY,
		    "RMCPU of the last CPU of a pool with a domain: -EBUSY");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 1, 0), -XEN_EBUSY,
		    "DESTROY of a pool with a domain: -EBUSY");
	w = 512, c = 50;
	gpv_test_eq(
		dc_schedop((domid_t)id, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c),
		0, "putinfo weight 512, cap 50 in pool 1");
	w = c = 0;
	gpv_test_eq(
		dc_schedop((domid_t)id, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c),
		0, "getinfo");
	gpv_test_check(w == 512 && c == 50, "weight 512, cap 50");
	w = 300, c = 101;
	gpv_test_eq(
		dc_schedop((domid_t)id, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c),
		-XEN_EINVAL, "a cap of 101 for one vCPU: -EINVAL");
	w = c = 0;
	dc_schedop((domid_t)id, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c);
	gpv_test_check(w == 300 && c == 50, "the weight was set first, the cap kept (as Xen)");
	w = 0, c = 0;
	gpv_test_eq(
		dc_schedop((domid_t)id, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c),
		0, "putinfo weight 0, cap 0");
	dc_schedop((domid_t)id, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c);
	gpv_test_check(w == 300 && c == 0, "weight kept, cap removed");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 0, (uint32_t)id), 0,
		    "MOVEDOMAIN back to pool 0");
	gpv_test_eq(pool_info(1, &io), 0, "INFO of pool 1");
	gpv_test_eq(io.n_dom, 0, "pool 1: no domain");
	gpv_test_eq(dc_simple(XEN_DOMCTL_destroydomain, (domid_t)id), 0, "destroydomain");
}

/* Pools emptied and destroyed; CPU 1 back in pool 0; sysctl scheduler_op per pool. */
static void check_teardown(void)
{
	struct xen_sysctl op;
	struct xen_sysctl_cpupool_op io;

	gpv_test_area("cpupool_op: teardown");
	dc_sinit(&op, XEN_SYSCTL_scheduler_op);
	op.u.scheduler_op.cpupool_id = 5;
	op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT2;
	op.u.scheduler_op.cmd = XEN_SYSCTL_SCHEDOP_getinfo;
	gpv_test_eq(dc_sysctl(&op), 0, "sysctl scheduler_op of pool 5");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 1, ANY), 0,
		    "RMCPU PAR_ANY from pool 1");
	gpv_test_eq(free_cpus(), 0x02, "FREEINFO: CPU 1");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 0, 1), 0, "ADDCPU CPU 1 to pool 0");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 1, 0), 0, "DESTROY pool 1");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 5, 0), 0, "DESTROY pool 5");
	gpv_test_eq(dc_sysctl(&op), -XEN_ESRCH, "sysctl scheduler_op of a destroyed pool: -ESRCH");
	gpv_test_eq(pool_info(1, &io), -XEN_ENOENT, "INFO from 1: -ENOENT");
	gpv_test_eq(pool_info(0, &io), 0, "INFO of pool 0");
	gpv_test_check(map[0] == 0x03, "pool 0: CPUs 0-1 again");
}

/* XEN_SYSCTL_scheduler_op of pool with sched and cmd; *c in and out. */
static long credit_sysctl(uint32_t pool, uint32_t sched, uint32_t cmd,
			  struct xen_sysctl_credit_schedule *c)
{
	struct xen_sysctl op;
	long rc;

	dc_sinit(&op, XEN_SYSCTL_scheduler_op);
	op.u.scheduler_op.cpupool_id = pool;
	op.u.scheduler_op.sched_id = sched;
	op.u.scheduler_op.cmd = cmd;
	op.u.scheduler_op.u.sched_credit = *c;
	rc = dc_sysctl(&op);
	*c = op.u.scheduler_op.u.sched_credit;
	return rc;
}

/* putinfo of tslice, ratelimit, migration delay in pool: its answer. */
static long credit_put(uint32_t pool, uint32_t tslice, uint32_t rl, uint32_t migr)
{
	struct xen_sysctl_credit_schedule c = { tslice, rl, migr };

	return credit_sysctl(pool, XEN_SCHEDULER_CREDIT, XEN_SYSCTL_SCHEDOP_putinfo, &c);
}

/* getinfo of pool's credit parameters: whether they are tslice, rl, migr. */
static bool credit_is(uint32_t pool, uint32_t tslice, uint32_t rl, uint32_t migr)
{
	struct xen_sysctl_credit_schedule c = { 0xeeee, 0xeeee, 0xeeee };

	return credit_sysctl(pool, XEN_SCHEDULER_CREDIT, XEN_SYSCTL_SCHEDOP_getinfo, &c) == 0 &&
	       c.tslice_ms == tslice && c.ratelimit_us == rl && c.vcpu_migr_delay_us == migr;
}

/* A credit pool's parameters (csched_sys_cntl's bounds, each refused with -EINVAL). */
static void check_credit_params(uint32_t pool)
{
	static const struct {
		uint32_t tslice, rl, migr;
		const char *name;
	} bad[] = {
		{ 0, 1000, 0, "tslice 0 ms: -EINVAL" },
		{ 1001, 1000, 0, "tslice 1001 ms: -EINVAL" },
		{ 30, 99, 0, "ratelimit 99 us: -EINVAL" },
		{ 1000, 500001, 0, "ratelimit 500001 us: -EINVAL" },
		{ 1, 1001, 0, "ratelimit 1001 us above a tslice of 1 ms: -EINVAL" },
		{ 30, 1000, 100001, "migration delay 100001 us: -EINVAL" },
	};
	struct xen_sysctl_credit_schedule c = { 30, 1000, 0 };

	gpv_test_area("credit: XEN_SYSCTL_scheduler_op");
	gpv_test_check(credit_is(pool, 30, 1000, 0),
		       "getinfo: tslice 30 ms, ratelimit 1000 us, no migration delay");
	gpv_test_eq(credit_sysctl(pool, XEN_SCHEDULER_CREDIT, 2, &c), -XEN_EINVAL,
		    "cmd 2: -EINVAL");
	gpv_test_eq(credit_sysctl(9, XEN_SCHEDULER_CREDIT, XEN_SYSCTL_SCHEDOP_getinfo, &c),
		    -XEN_ESRCH, "no such pool: -ESRCH");
	gpv_test_eq(credit_sysctl(pool, XEN_SCHEDULER_CREDIT2, XEN_SYSCTL_SCHEDOP_getinfo, &c),
		    -XEN_EINVAL, "sched_id credit2 for a credit pool: -EINVAL");
	gpv_test_eq(credit_sysctl(0, XEN_SCHEDULER_CREDIT, XEN_SYSCTL_SCHEDOP_getinfo, &c),
		    -XEN_EINVAL, "sched_id credit for pool 0 (credit2): -EINVAL");
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		gpv_test_eq(credit_put(pool, bad[i].tslice, bad[i].rl, bad[i].migr), -XEN_EINVAL,
			    bad[i].name);
	gpv_test_check(credit_is(pool, 30, 1000, 0), "nothing changed");
	c = (struct xen_sysctl_credit_schedule){ 10, 0, 500 };
	gpv_test_eq(credit_sysctl(pool, XEN_SCHEDULER_CREDIT, XEN_SYSCTL_SCHEDOP_putinfo, &c), 0,
		    "putinfo tslice 10, ratelimit 0 (off), delay 500");
	gpv_test_check(c.tslice_ms == 10 && c.ratelimit_us == 0 && c.vcpu_migr_delay_us == 500,
		       "putinfo writes the values back");
	gpv_test_check(credit_is(pool, 10, 0, 500), "getinfo: 10 ms, 0, 500 us");
	gpv_test_eq(credit_put(pool, 1000, 500000, 100000), 0,
		    "the upper bounds: tslice 1000, ratelimit 500000, delay 100000");
	gpv_test_eq(credit_put(pool, 1, 1000, 0), 0, "ratelimit 1000 us with a tslice of 1 ms");
	gpv_test_eq(credit_put(pool, 1, 100, 0), 0, "the lower bounds: tslice 1, ratelimit 100");
	gpv_test_check(credit_is(pool, 1, 100, 0), "getinfo: 1 ms, 100 us");
	gpv_test_eq(credit_put(pool, 30, 1000, 0), 0, "back to 30 ms, 1000 us");
}

/* credit's putinfo for a domain: no range check, weight 0 and cap 0xffff keep the old value. */
static void check_credit_domain(domid_t id)
{
	static const struct {
		uint16_t w, c, want_w, want_c;
		const char *name;
	} put[] = {
		{ 512, 50, 512, 50, "putinfo weight 512, cap 50" },
		{ 0, 0xffff, 512, 50, "putinfo weight 0, cap 0xffff: both kept" },
		{ 65535, 250, 65535, 250, "weight 65535, cap 250 for one vCPU: no range check" },
		{ 1, 0, 1, 0, "weight 1, cap 0 (none)" },
	};
	uint16_t w = 0, c = 0;

	gpv_test_area("credit: XEN_DOMCTL_scheduler_op");
	gpv_test_eq(dc_schedop(id, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c), 0,
		    "getinfo");
	gpv_test_check(w == 256 && c == 0, "weight 256, no cap (the defaults)");
	gpv_test_eq(dc_schedop(id, XEN_SCHEDULER_CREDIT2, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c),
		    -XEN_EINVAL, "sched_id credit2 in a credit pool: -EINVAL");
	gpv_test_eq(dc_schedop(id, XEN_SCHEDULER_CREDIT, 2, &w, &c), -XEN_EINVAL, "cmd 2: -EINVAL");
	for (unsigned int i = 0; i < sizeof(put) / sizeof(put[0]); i++) {
		w = put[i].w, c = put[i].c;
		gpv_test_eq(
			dc_schedop(id, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_putinfo, &w, &c), 0,
			put[i].name);
		w = c = 0xeeee;
		dc_schedop(id, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, &w, &c);
		gpv_test_checkf(w == put[i].want_w && c == put[i].want_c, "getinfo after it",
				"weight %u, cap %u", w, c);
	}
}

/* Whether getdomaininfo still finds @id (it answers the next domain up when @id is gone). */
static bool domain_listed(domid_t id)
{
	struct xen_domctl_getdomaininfo di;

	return !dc_info(id, &di) && di.domain == id;
}

/*
 * A credit pool on CPU 1 with a domU; the domU dies there and the pool is
 * destroyed after it (Xen's domain_kill moves a dying domain to pool 0).
 */
static void check_credit_pool(void)
{
	struct xen_domctl_getdomaininfo di;
	struct xen_sysctl_cpupool_op io;
	xen_pfn_t mfn[2];
	uint32_t pool = 0;
	long id;

	gpv_test_area("credit: a cpupool");
	if (!gpv_test_eq(pool_create(ANY, XEN_SCHEDULER_CREDIT, &pool), 0, "CREATE with credit"))
		return;
	gpv_test_eq(pool_info(pool, &io), 0, "INFO of the credit pool");
	gpv_test_check(io.cpupool_id == pool && io.sched_id == XEN_SCHEDULER_CREDIT &&
			       io.n_dom == 0 && map[0] == 0,
		       "sched_id credit (5), empty");
	check_credit_params(pool);
	gpv_test_area("credit: a domain in a credit pool");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0, 1), 0, "RMCPU CPU 1 from pool 0");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, pool, 1), 0,
		    "ADDCPU CPU 1 to the credit pool");
	id = dc_make_small_domu(mfn, 2);
	if (id < 0)
		return;
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, pool, (uint32_t)id), 0,
		    "MOVEDOMAIN of a domU to the credit pool");
	gpv_test_eq(dc_info((domid_t)id, &di), 0, "getdomaininfo");
	gpv_test_eq(di.cpupool, pool, "the domU is in the credit pool");
	gpv_test_eq(vcpu_cpu((domid_t)id, 0), 1, "its vCPU is placed on CPU 1");
	check_credit_domain((domid_t)id);
	gpv_test_area("credit: the domain dies in its pool");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_DESTROY, pool, 0), -XEN_EBUSY,
		    "DESTROY of the pool with a domain and a CPU: -EBUSY");
	gpv_test_eq(dc_simple(XEN_DOMCTL_destroydomain, (domid_t)id), 0,
		    "destroydomain of the domU in the credit pool");
	gpv_test_eq(pool_info(pool, &io), 0, "INFO of the credit pool");
	gpv_test_eq(io.n_dom, 0, "no domain left in it");
	/*
	 * Take the CPU out only once the dead domain is freed: Xen 4.17 hung
	 * (rehearsal 10, 2 Dec) in RMCPU of a credit pool's last CPU issued
	 * while the destroyed domain still waited for its RCU free, as xl
	 * cpupool-destroy hung after paused domains (docs/lxl.md). A toolstack
	 * waits for the domain to go first; Lamina frees it at once.
	 */
	for (uint64_t end = gpv_time_now() + 10000000000ULL;
	     domain_listed((domid_t)id) && gpv_time_now() < end;)
		gpv_sched_op(SCHEDOP_yield, NULL);
	gpv_test_check(!domain_listed((domid_t)id), "the dead domain is freed");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_RMCPU, pool, 1), 0, "RMCPU of its last CPU");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 0, 1), 0, "ADDCPU CPU 1 to pool 0");
	gpv_test_eq(pool_simple(XEN_SYSCTL_CPUPOOL_OP_DESTROY, pool, 0), 0,
		    "DESTROY of the credit pool");
	gpv_test_eq(pool_info(0, &io), 0, "INFO of pool 0");
	/*
	 * Xen counts a dead domain in pool 0 until its RCU callback frees it
	 * (a yield later, or up to seconds on a loaded host); Lamina at once.
	 */
	for (uint64_t end = gpv_time_now() + 5000000000ULL; io.n_dom > 1 && gpv_time_now() < end;) {
		gpv_sched_op(SCHEDOP_yield, NULL);
		pool_info(0, &io);
	}
	gpv_test_checkf(map[0] == 0x03 && io.n_dom == 1, "pool 0: CPUs 0-1, dom0 alone",
			"CPUs %#x, %u domains", map[0], io.n_dom);
}

static void check_vcpu_affinity(void)
{
	uint8_t h, s;

	gpv_test_area("vCPU affinity");
	gpv_test_eq(get_both(0, 0), 0x0303, "dom0 vCPU 0: hard and soft every CPU");
	h = 0x02;
	gpv_test_eq(set_hard(0, 0, &h), 0, "hard affinity CPU 1");
	gpv_test_eq(h, 0x02, "written back: CPU 1");
	gpv_test_check(stays_on(1, 20), "vCPU 0 runs on CPU 1 only");
	h = 0x01;
	gpv_test_eq(set_hard(0, 0, &h), 0, "hard affinity CPU 0");
	gpv_test_check(stays_on(0, 20), "vCPU 0 runs on CPU 0 only");
	h = 0x04;
	gpv_test_eq(set_hard(0, 0, &h), -XEN_EINVAL, "hard affinity CPU 2 (none): -EINVAL");
	gpv_test_eq(get_both(0, 0), 0x0301, "nothing changed: hard CPU 0");
	h = 0xff;
	gpv_test_eq(set_hard(0, 0, &h), 0, "hard affinity 0xff");
	gpv_test_eq(h, 0x03, "written back: the CPUs there are");
	h = 0xee, s = 0x02;
	gpv_test_eq(affinity(XEN_DOMCTL_setvcpuaffinity, 0, 0, XEN_VCPUAFFINITY_SOFT, &h, &s), 0,
		    "soft affinity CPU 1");
	gpv_test_check(s == 0x02 && h == 0xee, "written back: soft CPU 1, the hard map untouched");
	h = 0x01, s = 0x02;
	gpv_test_eq(affinity(XEN_DOMCTL_setvcpuaffinity, 0, 0,
			     XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT, &h, &s),
		    0, "hard CPU 0 and soft CPU 1");
	gpv_test_check(h == 0x01 && s == 0, "written back: hard CPU 0, effective soft none");
	gpv_test_eq(get_both(0, 0), 0x0201, "getvcpuaffinity: the maps as set");
	h = 0x04, s = 0x01;
	gpv_test_eq(affinity(XEN_DOMCTL_setvcpuaffinity, 0, 0,
			     XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT, &h, &s),
		    -XEN_EINVAL, "both, with an empty hard map: -EINVAL");
	gpv_test_eq(get_both(0, 0), 0x0201, "nothing changed");
	gpv_test_eq(affinity(XEN_DOMCTL_setvcpuaffinity, 0, 0, 0, &h, &s), -XEN_EINVAL,
		    "no flag: -EINVAL");
	gpv_test_eq(affinity(XEN_DOMCTL_setvcpuaffinity, 0, 0, XEN_VCPUAFFINITY_HARD, NULL, &s),
		    -XEN_EINVAL, "a null hard map: -EINVAL");
	gpv_test_eq(affinity(XEN_DOMCTL_setvcpuaffinity, 0, 4096, XEN_VCPUAFFINITY_HARD, &h, &s),
		    -XEN_EINVAL, "vCPU 4096: -EINVAL");
	gpv_test_eq(affinity(XEN_DOMCTL_setvcpuaffinity, 0, 0, XEN_VCPUAFFINITY_HARD,
			     (uint8_t *)0x00007f0000000000UL, &s),
		    -XEN_EFAULT, "an unmapped hard map: -EFAULT");
	h = 0x02;
	gpv_test_eq(set_hard(0, 1, &h), 0, "vCPU 1 (down) pinned to CPU 1");
	gpv_test_eq(get_both(0, 1), 0x0302, "vCPU 1: hard CPU 1");
	h = 0xff, s = 0xff;
	gpv_test_eq(affinity(XEN_DOMCTL_setvcpuaffinity, 0, 0,
			     XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT, &h, &s),
		    0, "vCPU 0 back to every CPU");
	h = 0xff;
	gpv_test_eq(set_hard(0, 1, &h), 0, "vCPU 1 back to every CPU");
}

static long node_op(uint32_t cmd, uint8_t *nodes, uint32_t nr_bits)
{
	struct xen_domctl op;

	dc_dinit(&op, cmd, 0);
	set_xen_guest_handle(op.u.nodeaffinity.nodemap.bitmap, nodes);
	op.u.nodeaffinity.nodemap.nr_bits = nr_bits;
	return dc_domctl(&op);
}

static void check_node_affinity(void)
{
	uint8_t n[8];

	gpv_test_area("node affinity");
	memset(n, 0xee, sizeof(n));
	gpv_test_eq(node_op(XEN_DOMCTL_getnodeaffinity, n, 64), 0, "getnodeaffinity of dom0");
	gpv_test_check(n[0] == 0x01 && n[1] == 0 && n[7] == 0, "node 0 (automatic)");
	n[0] = 0x02;
	gpv_test_eq(node_op(XEN_DOMCTL_setnodeaffinity, n, 8), -XEN_EINVAL,
		    "node 1 only (not online): -EINVAL");
	gpv_test_eq(node_op(XEN_DOMCTL_setnodeaffinity, n, 0), -XEN_EINVAL, "no node: -EINVAL");
	n[0] = 0x03;
	gpv_test_eq(node_op(XEN_DOMCTL_setnodeaffinity, n, 8), 0, "nodes 0-1");
	memset(n, 0xee, sizeof(n));
	gpv_test_eq(node_op(XEN_DOMCTL_getnodeaffinity, n, 64), 0, "getnodeaffinity");
	gpv_test_check(n[0] == 0x03 && n[1] == 0, "nodes 0-1 as set");
	memset(n, 0xff, sizeof(n));
	gpv_test_eq(node_op(XEN_DOMCTL_setnodeaffinity, n, 64), 0, "every node: automatic again");
	memset(n, 0xee, sizeof(n));
	gpv_test_eq(node_op(XEN_DOMCTL_getnodeaffinity, n, 64), 0, "getnodeaffinity");
	gpv_test_check(n[0] == 0x01 && n[1] == 0, "node 0 (automatic)");
	gpv_test_eq(node_op(XEN_DOMCTL_setnodeaffinity, (uint8_t *)0x00007f0000000000UL, 8),
		    -XEN_EFAULT, "an unmapped node map: -EFAULT");
}

int gpv_main(void)
{
	gpv_test_area("cpupool");
	if (!gpv_test_eq(vcpu_cpu(0, 1) >= 0, 1, "dom0 has a second vCPU (two CPUs)"))
		return gpv_test_finish();
	check_pool_errors();
	check_vcpu_affinity();
	check_node_affinity();
	check_create_destroy();
	check_cpu_moves();
	check_domain_moves();
	check_create_in_pool();
	check_teardown();
	check_credit_pool();
	return gpv_test_finish();
}
