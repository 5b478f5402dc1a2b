// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic domctl sub-ops (Xen 4.17's xen/common/domctl.c and
 * domain.c): create a domain from a struct xen_domctl_createdomain, set its
 * limits, pause and unpause it as the toolstack (its own count, within the
 * domain's), destroy it, and the small setters. Each checks the whole
 * request first, then commits with steps that cannot fail.
 *
 * A domain made here starts as Xen's does: paused once by the toolstack,
 * max_pages 0 (XEN_DOMCTL_max_mem sets it), its vCPUs not yet visible
 * (Lamina allocates them at create; XEN_DOMCTL_max_vcpus with the same count
 * shows them, as Xen creates them there), every vCPU down until
 * XEN_DOMCTL_setvcpucontext gives it a context.
 */
#include <lamina/domain.h>
#include <lamina/domctl.h>
#include <lamina/grant_table.h>
#include <lamina/lib.h>
#include <lamina/schedule.h>
#include <xen/errno.h>

#define GNTTAB_DEFAULT_MAPTRACK 1024 /* Xen's gnttab_max_maptrack_frames default */
#define GNTTAB_MAX_VERSION 2	     /* grant tables v1 and v2 */
#define CONTROLLER_PAUSE_MAX 255     /* Xen's limit on the toolstack's pauses */

#define CDF_KNOWN                                                                   \
	(XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap | XEN_DOMCTL_CDF_s3_integrity |    \
	 XEN_DOMCTL_CDF_oos_off | XEN_DOMCTL_CDF_xs_domain | XEN_DOMCTL_CDF_iommu | \
	 XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu)
/* The x86 emulators a PV domain may ask for: none, or the PIT. */
#define EMU_PV_OK(f) ((f) == 0 || (f) == XEN_X86_EMU_PIT)

/*
 * Xen's sanitise_domain_config and arch_sanitise_domain_config for a
 * machine with PV only (no HVM, IOMMU, vmtrace, vPMU or TBOOT), then the
 * emulation flags (arch_domain_create) and the grant limits
 * (grant_table_init). 0 or -EINVAL / -EOPNOTSUPP, as Xen answers.
 */
static int check_config(const struct xen_domctl_createdomain *c)
{
	unsigned int gv = c->grant_opts & XEN_DOMCTL_GRANT_version_mask;
	int gf = c->max_grant_frames, mf = c->max_maptrack_frames;

	if ((c->flags & ~CDF_KNOWN) || (c->grant_opts & ~XEN_DOMCTL_GRANT_version_mask))
		return -XEN_EINVAL;
	if (c->max_vcpus < 1 || c->max_vcpus > DOMAIN_MAX_VCPUS)
		return -XEN_EINVAL;
	if (c->flags &
	    (XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap | XEN_DOMCTL_CDF_iommu | XEN_DOMCTL_CDF_vpmu |
	     XEN_DOMCTL_CDF_s3_integrity | XEN_DOMCTL_CDF_nested_virt))
		return -XEN_EINVAL;
	if (c->iommu_opts || c->vmtrace_size || (c->arch.misc_flags & ~XEN_X86_MSR_RELAXED))
		return -XEN_EINVAL;
	if (c->arch.emulation_flags & ~XEN_X86_EMU_ALL)
		return -XEN_EINVAL;
	if (!EMU_PV_OK(c->arch.emulation_flags))
		return -XEN_EOPNOTSUPP;
	if (!gv || gv > GNTTAB_MAX_VERSION)
		return -XEN_EINVAL;
	if (gf >= 0 && (gf < 1 || gf > GNTTAB_MAX_FRAMES))
		return -XEN_EINVAL;
	if (mf > GNTTAB_DEFAULT_MAPTRACK)
		return -XEN_EINVAL;
	return 0;
}

/* Not in use: neither live nor still being destroyed (Xen's list holds both). */
static bool domid_free(domid_t id)
{
	return !domain_find(id) && !domain_find_dying(id);
}

/* Xen's domid choice: the one asked for (1 .. reserved-1), else the next free after the last. */
static int pick_domid(domid_t want, domid_t *out)
{
	static domid_t rover;
	domid_t id;

	if (want > 0 && want < DOMID_FIRST_RESERVED) {
		if (!domid_free(want))
			return -XEN_EEXIST;
		*out = want;
		return 0;
	}
	for (id = rover + 1; id != rover; id++) {
		if (id == DOMID_FIRST_RESERVED)
			id = 1;
		if (domid_free(id))
			break;
	}
	if (id == rover)
		return -XEN_ENOMEM;
	rover = id;
	*out = id;
	return 0;
}

long domctl_createdomain(struct xen_domctl *op, struct domain *unused, uint64_t uop, bool *copyback)
{
	struct xen_domctl_createdomain *c = &op->u.createdomain;
	struct domain *d;
	domid_t id;
	int rc;

	(void)unused;
	(void)uop;
	rc = pick_domid(op->domain, &id);
	if (rc)
		return rc;
	rc = check_config(c);
	if (!rc)
		rc = sched_cpupool_usable(c->cpupool_id); /* Xen's sched_init_domain */
	if (rc)
		return rc;
	rc = domain_create(id, c->max_vcpus, false, &d);
	if (rc)
		return rc;
	/* Into its pool while nothing of it runs (pool 0 if that pool went meanwhile). */
	if (c->cpupool_id)
		sched_cpupool_move_domain(d, c->cpupool_id);
	/* Committed: the toolstack's view of a new domain. */
	c->flags |= XEN_DOMCTL_CDF_oos_off; /* as Xen: meaningless for PV, so set */
	d->cdf = c->flags;
	d->max_pages = 0;
	d->controller_pause_count = 1; /* domain_create's pause is the toolstack's */
	d->vcpus_hidden = true;
	d->max_evtchn_port = c->max_evtchn_port;
	d->max_grant_frames = c->max_grant_frames < 0 ? GNTTAB_MAX_FRAMES : c->max_grant_frames;
	d->max_maptrack_frames =
		c->max_maptrack_frames < 0 ? GNTTAB_DEFAULT_MAPTRACK : c->max_maptrack_frames;
	op->domain = id;
	*copyback = true;
	return 0;
}

long domctl_max_vcpus(struct xen_domctl *op, struct domain *d, uint64_t uop, bool *copyback)
{
	(void)uop;
	(void)copyback;
	if (d == current_vcpu()->domain || op->u.max_vcpus.max != d->max_vcpus)
		return -XEN_EINVAL;
	d->vcpus_hidden = false;
	return 0;
}

long domctl_max_mem(struct xen_domctl *op, struct domain *d, uint64_t uop, bool *copyback)
{
	uint64_t pages = op->u.max_mem.max_memkb >> (PAGE_SHIFT - 10);

	(void)uop;
	(void)copyback;
	/* As Xen: no check against tot_pages; above the new limit nothing more is given. */
	d->max_pages = MIN(pages, (uint64_t)UINT32_MAX);
	return 0;
}

long domctl_pausedomain(struct xen_domctl *op, struct domain *d, uint64_t uop, bool *copyback)
{
	(void)op;
	(void)uop;
	(void)copyback;
	if (d == current_vcpu()->domain)
		return -XEN_EINVAL;
	if (d->controller_pause_count >= CONTROLLER_PAUSE_MAX)
		return -XEN_EOVERFLOW;
	d->controller_pause_count++;
	domain_pause(d);
	return 0;
}

long domctl_unpausedomain(struct xen_domctl *op, struct domain *d, uint64_t uop, bool *copyback)
{
	(void)op;
	(void)uop;
	(void)copyback;
	if (d->controller_pause_count <= 0)
		return -XEN_EINVAL;
	d->controller_pause_count--;
	domain_unpause(d);
	return 0;
}

/*
 * Xen's XEN_DOMCTL_destroydomain: domain_kill, which gives the domain's
 * resources back a part at a time; where it stops (-ERESTART) the domctl
 * continues from the same request (Xen's hypercall_create_continuation), so
 * a big domain is destroyed without holding the CPU. Once it is dead
 * nothing finds it: a second destroy is -ESRCH, as on Xen once nothing
 * holds the domain (Lamina's frames still mapped from outside are orphans
 * and do not hold it).
 */
long domctl_destroydomain(struct xen_domctl *op, struct domain *d, uint64_t uop, bool *copyback)
{
	uint64_t a[HYPERCALL_NR_ARGS] = { uop };
	int rc;

	(void)op;
	(void)copyback;
	if (d == current_vcpu()->domain)
		return -XEN_EINVAL;
	rc = domain_kill(d);
	if (rc == -HYPERCALL_ERESTART)
		return hypercall_create_continuation(__HYPERVISOR_domctl, a);
	return rc;
}

long domctl_setdomainhandle(struct xen_domctl *op, struct domain *d, uint64_t uop, bool *copyback)
{
	(void)uop;
	(void)copyback;
	memcpy(d->handle, op->u.setdomainhandle.handle, sizeof(d->handle));
	return 0;
}

/* The domain's wallclock moves by the change of offset (Xen's update_domain_wallclock_time). */
long domctl_settimeoffset(struct xen_domctl *op, struct domain *d, uint64_t uop, bool *copyback)
{
	shared_info_t *s = d->shared_info;
	int64_t delta = op->u.settimeoffset.time_offset_seconds - d->time_offset;
	uint64_t sec = ((uint64_t)s->wc_sec_hi << 32 | s->wc_sec) + (uint64_t)delta;

	(void)uop;
	(void)copyback;
	d->time_offset = op->u.settimeoffset.time_offset_seconds;
	__atomic_add_fetch(&s->wc_version, 1, __ATOMIC_RELEASE);
	s->wc_sec = (uint32_t)sec;
	s->wc_sec_hi = (uint32_t)(sec >> 32);
	__atomic_add_fetch(&s->wc_version, 1, __ATOMIC_RELEASE);
	return 0;
}

long domctl_getvcpuinfo(struct xen_domctl *op, struct domain *d, uint64_t uop, bool *copyback)
{
	struct xen_domctl_getvcpuinfo *i = &op->u.getvcpuinfo;
	const struct vcpu *v;

	(void)uop;
	if (i->vcpu >= d->max_vcpus)
		return -XEN_EINVAL;
	v = d->vcpus_hidden ? NULL : d->vcpu[i->vcpu];
	if (!v)
		return -XEN_ESRCH;
	i->online = arch_vcpu_is_online(v);
	i->blocked = !!(v->pause_flags & SCHED_VPF_BLOCKED);
	i->running = arch_vcpu_is_running(v);
	i->cpu_time = sched_vcpu_runtime(v);
	i->cpu = v->sched.cpu;
	*copyback = true;
	return 0;
}
