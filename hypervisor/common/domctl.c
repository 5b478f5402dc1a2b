// SPDX-License-Identifier: GPL-2.0-only
/*
 * do_domctl: the toolstack's per-domain hypercall, checked as Xen 4.17's
 * xen/common/domctl.c and its default XSM policy check it (see
 * lamina/domctl.h):
 *
 *   copy in      the whole struct xen_domctl, else -EFAULT
 *   version      interface_version != 0x15: -EACCES
 *   domain       createdomain names none; getdomaininfo may name a free id
 *                (it then reports the next one); getdomaininfo and
 *                destroydomain also find a domain being destroyed (Xen's
 *                dying domains stay on its list); any other: -ESRCH
 *   privilege    the control domain only (getdomaininfo: also a xenstore
 *                domain), else -EPERM; no domain is "the target" of
 *                another on Lamina (no device models)
 *   sub-op       the table below; not in it: -ENOSYS
 *   copy back    the whole request, only for the sub-ops that ask for it
 *
 * Lamina runs one domctl at a time (Xen's domctl_lock): hypercalls do not
 * interleave while one CPU runs the guests.
 */
#include <lamina/domain.h>
#include <lamina/domctl.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <xen/errno.h>

static const struct {
	uint32_t cmd;
	domctl_fn *fn;
} domctl_table[] = {
	{ XEN_DOMCTL_createdomain, domctl_createdomain },
	{ XEN_DOMCTL_max_vcpus, domctl_max_vcpus },
	{ XEN_DOMCTL_max_mem, domctl_max_mem },
	{ XEN_DOMCTL_getdomaininfo, domctl_getdomaininfo },
	{ XEN_DOMCTL_pausedomain, domctl_pausedomain },
	{ XEN_DOMCTL_unpausedomain, domctl_unpausedomain },
	{ XEN_DOMCTL_destroydomain, domctl_destroydomain },
	{ XEN_DOMCTL_setdomainhandle, domctl_setdomainhandle },
	{ XEN_DOMCTL_settimeoffset, domctl_settimeoffset },
	{ XEN_DOMCTL_getvcpuinfo, domctl_getvcpuinfo },
	{ XEN_DOMCTL_getvcpuaffinity, domctl_getvcpuaffinity },
	{ XEN_DOMCTL_setvcpuaffinity, domctl_setvcpuaffinity },
	{ XEN_DOMCTL_setnodeaffinity, domctl_setnodeaffinity },
	{ XEN_DOMCTL_getnodeaffinity, domctl_getnodeaffinity },
	{ XEN_DOMCTL_scheduler_op, domctl_scheduler_op },
	{ XEN_DOMCTL_setvcpucontext, arch_domctl_setvcpucontext },
	{ XEN_DOMCTL_getvcpucontext, arch_domctl_getvcpucontext },
	{ XEN_DOMCTL_getpageframeinfo3, arch_domctl_getpageframeinfo3 },
	{ XEN_DOMCTL_set_address_size, arch_domctl_set_address_size },
	{ XEN_DOMCTL_get_address_size, arch_domctl_get_address_size },
	{ XEN_DOMCTL_hypercall_init, arch_domctl_hypercall_init },
	{ XEN_DOMCTL_settscinfo, arch_domctl_settscinfo },
	{ XEN_DOMCTL_gettscinfo, arch_domctl_gettscinfo },
	{ XEN_DOMCTL_get_cpu_policy, arch_domctl_get_cpu_policy },
	{ XEN_DOMCTL_set_cpu_policy, arch_domctl_set_cpu_policy },
};

static domctl_fn *domctl_lookup(uint32_t cmd)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(domctl_table); i++)
		if (domctl_table[i].cmd == cmd)
			return domctl_table[i].fn;
	return NULL;
}

/* Xen's xsm_domctl under the default (dummy) policy. */
static int domctl_permitted(const struct domain *cur, uint32_t cmd)
{
	if (cur->is_privileged)
		return 0;
	if (cmd == XEN_DOMCTL_getdomaininfo && (cur->cdf & XEN_DOMCTL_CDF_xs_domain))
		return 0;
	return -XEN_EPERM;
}

long do_domctl(const uint64_t a[HYPERCALL_NR_ARGS])
{
	struct domain *cur = current_vcpu()->domain, *d = NULL;
	struct xen_domctl op;
	bool copyback = false;
	domctl_fn *fn;
	long rc;

	if (copy_from_guest(&op, a[0], sizeof(op)))
		return -XEN_EFAULT;
	if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
		return -XEN_EACCES;
	if (op.cmd != XEN_DOMCTL_createdomain) {
		d = domain_find(op.domain);
		if (!d &&
		    (op.cmd == XEN_DOMCTL_getdomaininfo || op.cmd == XEN_DOMCTL_destroydomain))
			d = domain_find_dying(op.domain);
		if (!d && op.cmd != XEN_DOMCTL_getdomaininfo)
			return -XEN_ESRCH;
	}
	rc = domctl_permitted(cur, op.cmd);
	if (rc)
		return rc;
	fn = domctl_lookup(op.cmd);
	if (!fn)
		return -XEN_ENOSYS;
	rc = fn(&op, d, a[0], &copyback);
	if (rc == HYPERCALL_NO_RETURN_VALUE)
		return rc; /* a continuation: it runs again from the same request */
	if (copyback && copy_to_guest(a[0], &op, sizeof(op)))
		rc = -XEN_EFAULT;
	return rc;
}
