/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * domctl and sysctl, the toolstack's hypercalls (after xen/common/domctl.c,
 * xen/common/sysctl.c, xen/arch/x86/domctl.c), with Debian's 4.17 headers'
 * interface versions (XEN_DOMCTL_INTERFACE_VERSION and
 * XEN_SYSCTL_INTERFACE_VERSION, 0x15). Every request is copied in whole,
 * checked in Xen's order (interface version -EACCES, the domain -ESRCH, the
 * caller's privilege -EPERM, then the sub-op's own checks) and copied back
 * only where Xen copies back. Sub-ops Lamina does not have answer -ENOSYS
 * (docs/abi.md lists every one).
 *
 *   common/domctl.c         dispatch, the checks, the table of sub-ops
 *   common/domctl_domain.c  the generic sub-ops: create, pause, destroy, ...
 *   common/domctl_info.c    getdomaininfo, shared with sysctl
 *   common/domctl_sched.c   vCPU and node affinity, scheduler_op
 *   common/sysctl.c         physinfo, sched_id, getdomaininfolist
 *   common/sysctl_cpupool.c cpupool_op
 *   common/sysctl_readconsole.c  the console ring, readconsole
 *   arch/x86_64/domctl.c    vCPU contexts
 *   arch/x86_64/domctl_frames.c  page frame types, address size, physinfo's x86 part
 *   arch/x86_64/domctl_tsc.c     settscinfo, gettscinfo
 *   arch/x86_64/cpu_policy.c     CPUID policies and featuresets (domctl and sysctl)
 */
#ifndef LAMINA_DOMCTL_H
#define LAMINA_DOMCTL_H

#include <lamina/hypercall.h>
#include <lamina/types.h>
#include <xen/xen.h>
#include <xen/domctl.h>
#include <xen/sysctl.h>

struct domain;
struct vcpu;

hypercall_fn do_domctl, do_sysctl;

/*
 * A sub-op: op is the hypervisor's copy of the request, d the domain it
 * names (NULL for createdomain and for a getdomaininfo of no live domain),
 * uop the guest's address of the request. Returns 0 or -Exxx and sets
 * *copyback when op goes back to the guest whole.
 */
typedef long domctl_fn(struct xen_domctl *op, struct domain *d, uint64_t uop, bool *copyback);

/* The generic sub-ops (common/domctl_domain.c). */
domctl_fn domctl_createdomain, domctl_max_vcpus, domctl_max_mem, domctl_pausedomain,
	domctl_unpausedomain, domctl_destroydomain, domctl_setdomainhandle, domctl_settimeoffset,
	domctl_getvcpuinfo, domctl_getdomaininfo;

/* The scheduling sub-ops (common/domctl_sched.c): affinities, weight and cap. */
domctl_fn domctl_getvcpuaffinity, domctl_setvcpuaffinity, domctl_setnodeaffinity,
	domctl_getnodeaffinity, domctl_scheduler_op;

/* The arch's sub-ops (arch/x86_64/domctl.c). */
domctl_fn arch_domctl_setvcpucontext, arch_domctl_getvcpucontext, arch_domctl_getpageframeinfo3,
	arch_domctl_set_address_size, arch_domctl_get_address_size, arch_domctl_hypercall_init;
/* The TSC mode (arch/x86_64/domctl_tsc.c). */
domctl_fn arch_domctl_settscinfo, arch_domctl_gettscinfo;
/* CPUID policies (arch/x86_64/cpu_policy.c). */
domctl_fn arch_domctl_get_cpu_policy, arch_domctl_set_cpu_policy;
/* XEN_SYSCTL_get_cpu_policy: 0 or -Exxx, *p's counts updated (copied back on success). */
long arch_sysctl_get_cpu_policy(struct xen_sysctl_cpu_policy *p);
/*
 * XEN_SYSCTL_get_cpu_featureset: 0 or -Exxx (-ENOBUFS: the caller's buffer
 * was short); *copy_count when nr_features goes back even on -ENOBUFS.
 */
long arch_sysctl_get_cpu_featureset(struct xen_sysctl_cpu_featureset *f, bool *copy_count);

/* Fills info as XEN_DOMCTL_getdomaininfo reports d (common/domctl_info.c). */
void domctl_fill_info(const struct domain *d, struct xen_domctl_getdomaininfo *info);
/* The live domain with the lowest id >= first, or NULL (Xen's list is in id order). */
struct domain *domctl_domain_from(domid_t first);

/* XEN_SYSCTL_cpupool_op (common/sysctl_cpupool.c): 0 or -Exxx, *op updated. */
long sysctl_cpupool_op(struct xen_sysctl_cpupool_op *op);
/*
 * Xen's bitmap_to_xenctl_bitmap for a CPU map: as many bytes as the guest's
 * nr_bits holds, the bits past nr_bits cleared, the rest of its buffer
 * zeroed. 0 or -EFAULT.
 */
int sysctl_put_cpumap(struct xenctl_bitmap *b, uint64_t map);
/*
 * Xen's xenctl_bitmap_to_bitmap for a map of nbits (at most 64): the
 * guest's bytes up to nbits' (its bits past its nr_bits cleared), the rest
 * 0. 0 or -EFAULT.
 */
int sysctl_get_cpumap(const struct xenctl_bitmap *b, unsigned int nbits, uint64_t *map);
/* The online CPUs as a map (bit n: CPU n). */
uint64_t sysctl_online_cpus(void);

/* XEN_SYSCTL_readconsole from the console ring (common/sysctl_readconsole.c). */
long sysctl_readconsole(struct xen_sysctl_readconsole *op);

/* The CPUs up, and the arch's part of physinfo (arch/x86_64/domctl_frames.c). */
unsigned int arch_nr_online_cpus(void);
void arch_sysctl_physinfo(struct xen_sysctl_physinfo *pi);

/* A vCPU's state as getdomaininfo and getvcpuinfo show it (arch/x86_64/domctl.c). */
bool arch_vcpu_is_online(const struct vcpu *v);
bool arch_vcpu_is_running(const struct vcpu *v);

#endif
