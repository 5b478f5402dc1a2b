// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scheduling domctls (Xen 4.17's vcpu_affinity_domctl and sched_adjust
 * in common/sched/core.c, the node affinity cases of common/domctl.c):
 *
 *   setvcpuaffinity  hard and/or soft (XEN_VCPUAFFINITY_HARD / _SOFT); each
 *                    map read as Xen's xenctl_bitmap_to_bitmap (the bytes
 *                    of the host's CPUs), a hard one without a CPU of the
 *                    domain's pool -EINVAL (nothing changed); the effective
 *                    maps written back into the caller's buffers: hard and
 *                    the pool, soft and hard and the pool
 *   getvcpuaffinity  the maps as set (cut to the host's CPUs)
 *   setnodeaffinity  a node map meeting the online nodes (node 0: Lamina
 *                    sees one NUMA node), else -EINVAL; every node = "auto"
 *   getnodeaffinity  the map as set, or auto's: the nodes of the CPUs
 *   scheduler_op     credit2's weight and cap (getinfo, putinfo)
 *
 * Common checks of both vCPU cases: vCPU >= max_vcpus -EINVAL, no such
 * vCPU -ESRCH, no flag or a flagged map with a null buffer -EINVAL.
 */
#include <lamina/domain.h>
#include <lamina/domctl.h>
#include <lamina/lib.h>
#include <lamina/schedule.h>
#include <lamina/scheduler.h>
#include <xen/errno.h>

#define NODE_BITS 64	  /* Xen's MAX_NUMNODES on x86 */
#define ONLINE_NODES 1ULL /* node 0 */
#define ALL_NODES (~0ULL) /* Xen's nodes_full: back to automatic */

static unsigned int cpu_bits(void)
{
	return arch_nr_online_cpus();
}

/* getvcpuaffinity: the maps as set, cut to the host's CPUs. */
static long get_affinity(struct vcpu *v, struct xen_domctl_vcpuaffinity *a)
{
	uint64_t hard, soft, pool, cut = sysctl_online_cpus();
	long rc = 0;

	sched_vcpu_get_affinity(v, &hard, &soft, &pool);
	if (a->flags & XEN_VCPUAFFINITY_HARD)
		rc = sysctl_put_cpumap(&a->cpumap_hard, hard & cut);
	if (!rc && (a->flags & XEN_VCPUAFFINITY_SOFT))
		rc = sysctl_put_cpumap(&a->cpumap_soft, soft & cut);
	return rc;
}

/*
 * setvcpuaffinity: both maps are read before anything changes (Xen reads
 * the soft one after setting hard, and undoes hard when soft fails: the
 * same outcome), then the effective maps are written back.
 */
static long set_affinity(struct vcpu *v, struct xen_domctl_vcpuaffinity *a)
{
	bool set_hard = a->flags & XEN_VCPUAFFINITY_HARD,
	     set_soft = a->flags & XEN_VCPUAFFINITY_SOFT;
	uint64_t hard = 0, soft = 0, pool;
	long rc;

	if (set_hard && sysctl_get_cpumap(&a->cpumap_hard, cpu_bits(), &hard))
		return -XEN_EFAULT;
	if (set_soft && sysctl_get_cpumap(&a->cpumap_soft, cpu_bits(), &soft))
		return -XEN_EFAULT;
	rc = sched_vcpu_set_affinity(v, set_hard ? &hard : NULL, set_soft ? &soft : NULL);
	if (rc)
		return rc;
	sched_vcpu_get_affinity(v, &hard, &soft, &pool);
	if (set_hard)
		rc = sysctl_put_cpumap(&a->cpumap_hard, hard & pool);
	if (!rc && set_soft)
		rc = sysctl_put_cpumap(&a->cpumap_soft, soft & hard & pool);
	return rc;
}

/* Xen's vcpu_affinity_domctl: the common checks, then get or set. */
static long vcpu_affinity(struct domain *d, struct xen_domctl_vcpuaffinity *a, bool set)
{
	struct vcpu *v;

	if (a->vcpu >= d->max_vcpus)
		return -XEN_EINVAL;
	v = d->vcpus_hidden ? NULL : d->vcpu[a->vcpu];
	if (!v)
		return -XEN_ESRCH;
	if (!(a->flags & (XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT)) ||
	    ((a->flags & XEN_VCPUAFFINITY_HARD) && !a->cpumap_hard.bitmap.p) ||
	    ((a->flags & XEN_VCPUAFFINITY_SOFT) && !a->cpumap_soft.bitmap.p))
		return -XEN_EINVAL;
	return set ? set_affinity(v, a) : get_affinity(v, a);
}

long domctl_getvcpuaffinity(struct xen_domctl *op, struct domain *d, uint64_t uop, bool *copyback)
{
	(void)uop;
	(void)copyback;
	return vcpu_affinity(d, &op->u.vcpuaffinity, false);
}

long domctl_setvcpuaffinity(struct xen_domctl *op, struct domain *d, uint64_t uop, bool *copyback)
{
	(void)uop;
	(void)copyback;
	return vcpu_affinity(d, &op->u.vcpuaffinity, true);
}

long domctl_setnodeaffinity(struct xen_domctl *op, struct domain *d, uint64_t uop, bool *copyback)
{
	uint64_t nodes;

	(void)uop;
	(void)copyback;
	if (sysctl_get_cpumap(&op->u.nodeaffinity.nodemap, NODE_BITS, &nodes))
		return -XEN_EFAULT;
	if (!(nodes & ONLINE_NODES))
		return -XEN_EINVAL;
	d->sched.nodes = nodes == ALL_NODES ? 0 : nodes;
	return 0;
}

long domctl_getnodeaffinity(struct xen_domctl *op, struct domain *d, uint64_t uop, bool *copyback)
{
	(void)uop;
	(void)copyback;
	return sysctl_put_cpumap(&op->u.nodeaffinity.nodemap,
				 d->sched.nodes ? d->sched.nodes : ONLINE_NODES);
}

/*
 * Xen's sched_adjust for credit2: the domain's weight and cap. Another
 * scheduler's id or another command -EINVAL; putinfo: a weight of 0 leaves
 * it, a cap over 100 per vCPU -EINVAL (the weight is set first, as Xen). Xen copies
 * the request back in every case.
 */
/*
 * Credit1's csched_dom_cntl: getinfo the weight and cap; putinfo a weight
 * of 0 and a cap of 0xffff leave them, anything else is set (no range
 * check: the fields are 16 bits and a cap over 100 per vCPU never binds).
 */
static long credit1_op(struct xen_domctl_scheduler_op *s, struct domain *d)
{
	unsigned int weight, cap;

	if (s->sched_id != XEN_SCHEDULER_CREDIT)
		return -XEN_EINVAL;
	switch (s->cmd) {
	case XEN_DOMCTL_SCHEDOP_getinfo:
		sched_get_params(d, &weight, &cap);
		s->u.credit.weight = (uint16_t)weight;
		s->u.credit.cap = (uint16_t)cap;
		return 0;
	case XEN_DOMCTL_SCHEDOP_putinfo:
		sched_set_params_credit1(d, s->u.credit.weight, s->u.credit.cap);
		return 0;
	default:
		return -XEN_EINVAL;
	}
}

long domctl_scheduler_op(struct xen_domctl *op, struct domain *d, uint64_t uop, bool *copyback)
{
	struct xen_domctl_scheduler_op *s = &op->u.scheduler_op;
	unsigned int weight, cap;

	(void)uop;
	*copyback = true;
	if (sched_domain_ops(d) == &sched_credit1_ops)
		return credit1_op(s, d);
	if (s->sched_id != XEN_SCHEDULER_CREDIT2)
		return -XEN_EINVAL;
	switch (s->cmd) {
	case XEN_DOMCTL_SCHEDOP_getinfo:
		sched_get_params(d, &weight, &cap);
		s->u.credit2.weight = (uint16_t)weight;
		s->u.credit2.cap = (uint16_t)cap;
		return 0;
	case XEN_DOMCTL_SCHEDOP_putinfo:
		return sched_set_params(d, s->u.credit2.weight, s->u.credit2.cap);
	default:
		return -XEN_EINVAL;
	}
}
