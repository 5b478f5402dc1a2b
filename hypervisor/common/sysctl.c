// SPDX-License-Identifier: GPL-2.0-only
/*
 * do_sysctl: the toolstack's host-wide hypercall, checked as Xen 4.17's
 * xen/common/sysctl.c checks it: the whole struct xen_sysctl copied in
 * (-EFAULT), interface_version 0x15 (-EACCES), the control domain only
 * (-EPERM), then the sub-op; a sub-op that succeeds goes back whole, one that
 * fails goes back not at all (Xen's copyback = -1). Sub-ops:
 *
 *   physinfo           CPUs, memory, the boot CPU's features; PV and grant
 *                      tables v1 and v2 are the capabilities (no HVM, shadow, IOMMU)
 *   sched_id           XEN_SCHEDULER_CREDIT2 (common/sched/'s algorithm)
 *   getdomaininfolist  up to max_domains domains from first_domain on, in
 *                      id order, each as XEN_DOMCTL_getdomaininfo shows it
 *   cputopoinfo        one socket of cores, node 0 (NULL buffer: the count)
 *   numainfo           one node: all RAM, distance 10
 *   cpupool_op         sysctl_cpupool.c
 *   scheduler_op       credit2's pool parameter, the context-switch rate limit
 *   readconsole        sysctl_readconsole.c
 *   anything else      -ENOSYS
 */
#include <lamina/domain.h>
#include <lamina/domctl.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/schedule.h>
#include <lamina/scheduler.h>
#include <xen/errno.h>

#define MAX_NUMNODES 64 /* Xen's CONFIG_NR_NUMA_NODES default: max_node_id 63 */

static uint64_t ram_pages(void)
{
	const struct boot_info *bi = hv_boot_info;
	uint64_t n = 0;

	for (unsigned int i = 0; i < bi->nr_ranges; i++)
		n += (bi->ram[i].end - bi->ram[i].start) >> PAGE_SHIFT;
	return n;
}

static long physinfo(struct xen_sysctl_physinfo *pi)
{
	unsigned int cpus = arch_nr_online_cpus();

	memset(pi, 0, sizeof(*pi));
	pi->threads_per_core = 1; /* one socket of single-thread cores, QEMU's default */
	pi->cores_per_socket = cpus;
	pi->nr_cpus = cpus;
	pi->max_cpu_id = cpus - 1;
	pi->nr_nodes = 1;
	pi->max_node_id = MAX_NUMNODES - 1;
	pi->total_pages = ram_pages();
	pi->free_pages = mm_free_pages();
	pi->max_mfn = mm_max_mfn() - 1;
	pi->capabilities = XEN_SYSCTL_PHYSCAP_gnttab_v1 | XEN_SYSCTL_PHYSCAP_gnttab_v2;
	arch_sysctl_physinfo(pi);
	return 0;
}

static long getdomaininfolist(struct xen_sysctl_getdomaininfolist *l)
{
	uint64_t buf = (uint64_t)l->buffer.p;
	struct xen_domctl_getdomaininfo info;
	uint32_t n = 0;
	domid_t next = l->first_domain;

	for (struct domain *d; n < l->max_domains && (d = domctl_domain_from(next)); n++) {
		domctl_fill_info(d, &info);
		if (copy_to_guest(buf + n * sizeof(info), &info, sizeof(info)))
			return -XEN_EFAULT;
		if (d->id == DOMID_FIRST_RESERVED - 1)
			break;
		next = (domid_t)(d->id + 1);
	}
	l->num_domains = n;
	return 0;
}

/* One socket, one node: CPU i is core i (Xen's cputopoinfo, an entry per CPU). */
static long cputopoinfo(struct xen_sysctl_cputopoinfo *ti)
{
	uint64_t buf = (uint64_t)ti->cputopo.p;
	uint32_t n = arch_nr_online_cpus(), i;

	if (!buf) {
		ti->num_cpus = n;
		return 0;
	}
	for (i = 0; i < n && i < ti->num_cpus; i++) {
		struct xen_sysctl_cputopo t = { .core = i, .socket = 0, .node = 0 };

		if (copy_to_guest(buf + i * sizeof(t), &t, sizeof(t)))
			return -XEN_EFAULT;
	}
	ti->num_cpus = i;
	return 0;
}

/* One node with all RAM, distance 10 to itself (Xen's numainfo without an SRAT). */
static long numainfo(struct xen_sysctl_numainfo *ni)
{
	uint64_t mem = (uint64_t)ni->meminfo.p, dist = (uint64_t)ni->distance.p;
	struct xen_sysctl_meminfo m = { ram_pages() << PAGE_SHIFT, mm_free_pages() << PAGE_SHIFT };
	uint32_t local = 10;

	if ((mem || dist) && ni->num_nodes == 0) {
		ni->num_nodes = 0;
		return 0;
	}
	if (mem && copy_to_guest(mem, &m, sizeof(m)))
		return -XEN_EFAULT;
	if (dist && copy_to_guest(dist, &local, sizeof(local)))
		return -XEN_EFAULT;
	ni->num_nodes = 1;
	return 0;
}

/*
 * Xen's sched_adjust_global with credit2's adjust_global (`xl sched-credit2`
 * without -d, and -s): the command (-EINVAL), the pool (-ESRCH), the pool's
 * scheduler (-EINVAL), then the rate limit. Lamina's
 * credit2 has none (a waking unit preempts at once), so getinfo reports 0,
 * Xen's "rate limiting disabled", and putinfo of 0 keeps it so; a limit in
 * Xen's range [100, 500000] us is -EOPNOTSUPP, one outside -EINVAL as Xen.
 */
/*
 * Credit1's csched_sys_cntl (`xl sched-credit -s`): putinfo checks
 * tslice_ms in [1, 1000], a rate limit of 0 or in [100, 500000] us and not
 * above the timeslice, a migration delay up to 100 ms (-EINVAL), sets them,
 * and both commands report them. Lamina's credit1 uses the timeslice; the
 * rate limit and the migration delay are kept and reported only.
 */
static long credit1_scheduler_op(struct xen_sysctl_scheduler_op *s)
{
	struct xen_sysctl_credit_schedule *c = &s->u.sched_credit;
	bool put = s->cmd == XEN_SYSCTL_SCHEDOP_putinfo;

	if (put && (c->tslice_ms > XEN_SYSCTL_CSCHED_TSLICE_MAX ||
		    c->tslice_ms < XEN_SYSCTL_CSCHED_TSLICE_MIN ||
		    (c->ratelimit_us && (c->ratelimit_us > XEN_SYSCTL_SCHED_RATELIMIT_MAX ||
					 c->ratelimit_us < XEN_SYSCTL_SCHED_RATELIMIT_MIN)) ||
		    (uint64_t)c->ratelimit_us > (uint64_t)c->tslice_ms * 1000 ||
		    c->vcpu_migr_delay_us > XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US))
		return -XEN_EINVAL;
	return sched_cpupool_credit1_params(s->cpupool_id, put, &c->tslice_ms, &c->ratelimit_us,
					    &c->vcpu_migr_delay_us);
}

static long scheduler_op(struct xen_sysctl_scheduler_op *s)
{
	uint32_t rl = s->u.sched_credit2.ratelimit_us;
	const struct sched_ops *ops;

	if (s->cmd != XEN_SYSCTL_SCHEDOP_putinfo && s->cmd != XEN_SYSCTL_SCHEDOP_getinfo)
		return -XEN_EINVAL;
	if (sched_cpupool_ops(s->cpupool_id, &ops))
		return -XEN_ESRCH;
	if (ops == &sched_credit1_ops && s->sched_id == XEN_SCHEDULER_CREDIT)
		return credit1_scheduler_op(s);
	if (ops != &sched_credit2_ops || s->sched_id != XEN_SCHEDULER_CREDIT2)
		return -XEN_EINVAL;
	if (s->cmd == XEN_SYSCTL_SCHEDOP_putinfo && rl &&
	    (rl > XEN_SYSCTL_SCHED_RATELIMIT_MAX || rl < XEN_SYSCTL_SCHED_RATELIMIT_MIN))
		return -XEN_EINVAL;
	if (s->cmd == XEN_SYSCTL_SCHEDOP_putinfo && rl)
		return -XEN_EOPNOTSUPP;
	s->u.sched_credit2.ratelimit_us = 0;
	return 0;
}

long do_sysctl(const uint64_t a[HYPERCALL_NR_ARGS])
{
	struct xen_sysctl op;
	long rc;

	if (copy_from_guest(&op, a[0], sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
		return -XEN_EACCES;
	if (!current_vcpu()->domain->is_privileged)
		return -XEN_EPERM;
	switch (op.cmd) {
	case XEN_SYSCTL_physinfo:
		rc = physinfo(&op.u.physinfo);
		break;
	case XEN_SYSCTL_sched_id:
		op.u.sched_id.sched_id = XEN_SCHEDULER_CREDIT2;
		rc = 0;
		break;
	case XEN_SYSCTL_getdomaininfolist:
		rc = getdomaininfolist(&op.u.getdomaininfolist);
		break;
	case XEN_SYSCTL_cpupool_op:
		rc = sysctl_cpupool_op(&op.u.cpupool_op);
		break;
	case XEN_SYSCTL_scheduler_op:
		rc = scheduler_op(&op.u.scheduler_op);
		break;
	case XEN_SYSCTL_cputopoinfo:
		rc = cputopoinfo(&op.u.cputopoinfo);
		break;
	case XEN_SYSCTL_numainfo:
		rc = numainfo(&op.u.numainfo);
		break;
	case XEN_SYSCTL_readconsole:
		rc = sysctl_readconsole(&op.u.readconsole);
		break;
	case XEN_SYSCTL_get_cpu_policy:
		rc = arch_sysctl_get_cpu_policy(&op.u.cpu_policy);
		break;
	case XEN_SYSCTL_get_cpu_featureset: {
		bool count;

		rc = arch_sysctl_get_cpu_featureset(&op.u.cpu_featureset, &count);
		/* Xen tells the count even when the buffer was short (-ENOBUFS). */
		if (rc == -XEN_ENOBUFS && count && copy_to_guest(a[0], &op, sizeof(op)))
			rc = -XEN_EFAULT;
		break;
	}
	default:
		return -XEN_ENOSYS;
	}
	if (rc == -HYPERCALL_ERESTART) /* RMCPU waits for its CPU to leave */
		return hypercall_create_continuation(__HYPERVISOR_sysctl, a);
	if (!rc && copy_to_guest(a[0], &op, sizeof(op)))
		rc = -XEN_EFAULT;
	return rc;
}
