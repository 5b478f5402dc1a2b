// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_SYSCTL_cpupool_op (after xen/common/sched/cpupool.c). Lamina has one
 * pool per scheduler and one scheduler (common/sched/'s credit2-like
 * algorithm), so one pool: pool 0, every online CPU, every domain.
 *
 *   INFO        the first pool with an id >= cpupool_id: pool 0, else -ENOENT
 *   FREEINFO    the CPUs in no pool: none
 *   MOVEDOMAIN  into pool 0: done already (0); any other pool: -ENOENT; the
 *               domain: -ESRCH unknown, -EPERM the caller itself (Xen's
 *               rcu_lock_remote_domain_by_id)
 *   CREATE, DESTROY, ADDCPU, RMCPU   -ENOSYS: a second pool needs a second
 *               scheduler instance, which Lamina does not run
 */
#include <lamina/domain.h>
#include <lamina/domctl.h>
#include <lamina/guest_access.h>
#include <lamina/lib.h>
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

uint64_t sysctl_online_cpus(void)
{
	unsigned int n = arch_nr_online_cpus();

	return n >= 64 ? ~0ULL : (1ULL << n) - 1;
}

static long move_domain(struct xen_sysctl_cpupool_op *op)
{
	struct domain *d = domain_find(op->domid);

	if (!d)
		return -XEN_ESRCH;
	if (d == current_vcpu()->domain)
		return -XEN_EPERM;
	return op->cpupool_id == 0 ? 0 : -XEN_ENOENT;
}

long sysctl_cpupool_op(struct xen_sysctl_cpupool_op *op)
{
	switch (op->op) {
	case XEN_SYSCTL_CPUPOOL_OP_INFO:
		if (op->cpupool_id > 0)
			return -XEN_ENOENT;
		op->cpupool_id = 0;
		op->sched_id = XEN_SCHEDULER_CREDIT2;
		op->n_dom = domain_count();
		return sysctl_put_cpumap(&op->cpumap, sysctl_online_cpus());
	case XEN_SYSCTL_CPUPOOL_OP_FREEINFO:
		return sysctl_put_cpumap(&op->cpumap, 0);
	case XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN:
		return move_domain(op);
	default:
		return -XEN_ENOSYS;
	}
}
