// SPDX-License-Identifier: GPL-2.0-only
/*
 * A domain as the toolstack sees it (Xen 4.17's getdomaininfo): the
 * struct xen_domctl_getdomaininfo of XEN_DOMCTL_getdomaininfo and of every
 * entry of XEN_SYSCTL_getdomaininfolist.
 *
 *   flags   XEN_DOMINF_running   a vCPU of it is on a CPU
 *           XEN_DOMINF_blocked   every online vCPU blocked (SCHEDOP_block, poll)
 *           (both only when a vCPU is online)
 *           XEN_DOMINF_shutdown  shut down; Xen's shutdown code is always
 *                                in the bits from XEN_DOMINF_shutdownshift on
 *           XEN_DOMINF_paused    the toolstack's pauses, not the domain's own
 *           XEN_DOMINF_xs_domain created with XEN_DOMCTL_CDF_xs_domain
 *           XEN_DOMINF_dying     being destroyed (between two parts of a
 *                                preempted destroydomain)
 *   cpu_time: the ns its vCPUs have run (the scheduler's accounting)
 *   the page counts, the shared_info frame (an MFN: PV is not translated),
 *   its cpupool, ssidref 0 (no XSM policy), the handle, the vCPUs
 */
#include <lamina/domain.h>
#include <lamina/domctl.h>
#include <lamina/lib.h>
#include <lamina/schedule.h>
#include <xen/errno.h>

struct domain *domctl_domain_from(domid_t first)
{
	struct domain *best = NULL;

	for (struct domain *d = domain_next(NULL); d; d = domain_next(d))
		if (d->id >= first && (!best || d->id < best->id))
			best = d;
	for (struct domain *d = domain_next_dying(NULL); d; d = domain_next_dying(d))
		if (d->id >= first && (!best || d->id < best->id))
			best = d;
	return best;
}

/*
 * Xen's d->shutdown_code: the SCHEDOP_shutdown_code, else the reason once
 * shut down, else ~0 (so a live domain's flags carry 0xffff << 16, as Xen's).
 */
static uint32_t shutdown_code(const struct domain *d)
{
	if (d->shutdown_code >= 0)
		return (uint32_t)d->shutdown_code;
	return d->state == DOMAIN_SHUTDOWN ? d->shutdown_reason : ~0U;
}

/* The vCPU part: online count, the highest id, running and blocked. */
static uint32_t vcpu_flags(const struct domain *d, struct xen_domctl_getdomaininfo *info)
{
	uint32_t flags = XEN_DOMINF_blocked;

	info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
	if (d->vcpus_hidden)
		return 0;
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		const struct vcpu *v = d->vcpu[i];

		if (!v)
			continue;
		info->max_vcpu_id = v->id;
		if (!arch_vcpu_is_online(v))
			continue;
		if (!(v->pause_flags & SCHED_VPF_BLOCKED))
			flags &= ~(uint32_t)XEN_DOMINF_blocked;
		if (arch_vcpu_is_running(v))
			flags |= XEN_DOMINF_running;
		info->nr_online_vcpus++;
	}
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		if (d->vcpu[i])
			info->cpu_time += sched_vcpu_runtime(d->vcpu[i]);
	return info->nr_online_vcpus ? flags : 0;
}

void domctl_fill_info(const struct domain *d, struct xen_domctl_getdomaininfo *info)
{
	uint32_t flags;

	memset(info, 0, sizeof(*info));
	info->domain = d->id;
	flags = vcpu_flags(d, info) | shutdown_code(d) << XEN_DOMINF_shutdownshift;
	if (d->state == DOMAIN_SHUTDOWN)
		flags |= XEN_DOMINF_shutdown;
	if (d->controller_pause_count > 0)
		flags |= XEN_DOMINF_paused;
	if (d->cdf & XEN_DOMCTL_CDF_xs_domain)
		flags |= XEN_DOMINF_xs_domain;
	if (d->state == DOMAIN_DYING)
		flags |= XEN_DOMINF_dying;
	info->flags = flags;
	info->tot_pages = d->tot_pages;
	info->max_pages = d->max_pages;
	info->shared_info_frame = mfn_x(d->shared_info_mfn);
	info->ssidref = 0;
	info->cpupool = sched_domain_cpupool(d);
	memcpy(info->handle, d->handle, sizeof(info->handle));
	info->arch_config.emulation_flags = 0;
}

long domctl_getdomaininfo(struct xen_domctl *op, struct domain *d, uint64_t uop, bool *copyback)
{
	(void)uop;
	if (!d) {
		if (op->domain >= DOMID_FIRST_RESERVED)
			return -XEN_EINVAL;
		d = domctl_domain_from(op->domain);
		if (!d)
			return -XEN_ESRCH;
	}
	domctl_fill_info(d, &op->u.getdomaininfo);
	op->domain = op->u.getdomaininfo.domain;
	*copyback = true;
	return 0;
}
