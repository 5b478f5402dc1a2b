// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_SYSCTL_cpupool_op (after xen/common/sched/cpupool.c's
 * cpupool_do_sysctl): the request decoded, the CPU maps copied in and out
 * as Xen's xenctl_bitmap helpers do, the action done by the scheduler
 * (common/schedule.c's sched_cpupool_*, which holds the checks and their
 * errors: lamina/schedule.h). Each pool has its own instance of the one
 * algorithm Lamina has (credit2-like: XEN_SCHEDULER_CREDIT2).
 *
 *   CREATE      cpupool_id (or PAR_ANY) with sched_id; the id back
 *   DESTROY     an empty pool
 *   INFO        the first pool with an id >= cpupool_id: id, scheduler, domains, CPUs
 *   ADDCPU      a free CPU (PAR_ANY: the first) into the pool
 *   RMCPU       a CPU (PAR_ANY: the pool's last) out of it, its vCPU moved on
 *   MOVEDOMAIN  the domain: -ESRCH unknown, -EPERM the caller itself (Xen's
 *               rcu_lock_remote_domain_by_id); its own pool: 0
 *   FREEINFO    the CPUs in no pool
 */
#include <lamina/domain.h>
#include <lamina/domctl.h>
#include <lamina/guest_access.h>
#include <lamina/lib.h>
#include <lamina/schedule.h>
#include <lamina/scheduler.h>
#include <xen/errno.h>

#define CPUMAP_BYTES 8 /* HV_MAX_CPUS bits and more */

int sysctl_put_cpumap(struct xenctl_bitmap *b, uint64_t map)
{
	uint64_t dst = (uint64_t)b->bitmap.p;
	uint32_t bytes = (b->nr_bits + 7) / 8;
	uint8_t buf[CPUMAP_BYTES];

	for (uint32_t i = 0; i < CPUMAP_BYTES; i++)
		buf[i] = (uint8_t)(map >> (8 * i));
	if (bytes <= CPUMAP_BYTES && (b->nr_bits & 7))
		buf[bytes - 1] &= (uint8_t)((1U << (b->nr_bits & 7)) - 1);
	for (uint32_t i = 0; i < bytes; i++) {
		uint8_t byte = i < CPUMAP_BYTES ? buf[i] : 0;

		if (copy_to_guest(dst + i, &byte, 1))
			return -XEN_EFAULT;
	}
	return 0;
}

int sysctl_get_cpumap(const struct xenctl_bitmap *b, unsigned int nbits, uint64_t *map)
{
	uint32_t guest = (b->nr_bits + 7) / 8, bytes = MIN(guest, MIN((nbits + 7) / 8, 8U));
	uint8_t buf[CPUMAP_BYTES] = { 0 };

	if (bytes && copy_from_guest(buf, (uint64_t)b->bitmap.p, bytes))
		return -XEN_EFAULT;
	if ((b->nr_bits & 7) && guest == bytes)
		buf[bytes - 1] &= (uint8_t)((1U << (b->nr_bits & 7)) - 1);
	*map = 0;
	for (uint32_t i = 0; i < bytes; i++)
		*map |= (uint64_t)buf[i] << (8 * i);
	return 0;
}

uint64_t sysctl_online_cpus(void)
{
	unsigned int n = arch_nr_online_cpus();

	return n >= 64 ? ~0ULL : (1ULL << n) - 1;
}

static const struct sched_ops *sched_by_id(uint32_t id)
{
	if (id == XEN_SCHEDULER_CREDIT)
		return &sched_credit1_ops;
	return id == XEN_SCHEDULER_CREDIT2 ? &sched_credit2_ops : NULL;
}

static long move_domain(struct xen_sysctl_cpupool_op *op)
{
	struct domain *d = domain_find(op->domid);

	if (!d)
		return -XEN_ESRCH;
	if (d == current_vcpu()->domain)
		return -XEN_EPERM;
	return sched_cpupool_move_domain(d, op->cpupool_id);
}

static long info(struct xen_sysctl_cpupool_op *op)
{
	const struct sched_ops *ops;
	uint32_t id = op->cpupool_id, n_dom;
	uint64_t cpus;
	int rc = sched_cpupool_info(&id, &ops, &n_dom, &cpus);

	if (rc)
		return rc;
	op->cpupool_id = id;
	op->sched_id = ops == &sched_credit1_ops ? XEN_SCHEDULER_CREDIT : XEN_SCHEDULER_CREDIT2;
	op->n_dom = n_dom;
	return sysctl_put_cpumap(&op->cpumap, cpus);
}

long sysctl_cpupool_op(struct xen_sysctl_cpupool_op *op)
{
	switch (op->op) {
	case XEN_SYSCTL_CPUPOOL_OP_CREATE:
		return sched_cpupool_create(op->cpupool_id, sched_by_id(op->sched_id),
					    &op->cpupool_id);
	case XEN_SYSCTL_CPUPOOL_OP_DESTROY:
		return sched_cpupool_destroy(op->cpupool_id);
	case XEN_SYSCTL_CPUPOOL_OP_INFO:
		return info(op);
	case XEN_SYSCTL_CPUPOOL_OP_ADDCPU:
		return sched_cpupool_add_cpu(op->cpupool_id, op->cpu);
	case XEN_SYSCTL_CPUPOOL_OP_RMCPU:
		return sched_cpupool_rm_cpu(op->cpupool_id, op->cpu);
	case XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN:
		return move_domain(op);
	case XEN_SYSCTL_CPUPOOL_OP_FREEINFO:
		return sysctl_put_cpumap(&op->cpumap, sched_cpupool_free_cpus());
	default:
		return -XEN_ENOSYS;
	}
}
