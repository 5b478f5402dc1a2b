// SPDX-License-Identifier: GPL-2.0-only
/*
 * XENMEM_acquire_resource (after Xen 4.17's common/memory.c): a privileged
 * caller asks for the MFNs of another domain's resource frames and maps
 * them itself (libxenguest's xc_dom_gnttab_seed, through Linux's
 * IOCTL_PRIVCMD_MMAP_RESOURCE, then a foreign mmu_update). Lamina has one
 * resource, the grant table (shared and v2 status frames); the ioreq
 * server and vmtrace buffers have no frames for a PV domain. Checks, in
 * Xen's order:
 *
 *   pad != 0, frame or frame + nr_frames beyond 32 bits       -EINVAL
 *   the domain: none (DOMID_SELF too) -ESRCH, the caller -EPERM
 *   the caller not the control domain (XSM_DM_PRIV)           -EPERM
 *   the resource has no frames (bad id, ioreq, vmtrace)       -EINVAL
 *   frame_list NULL: a size query (nr_frames and the start must be 0)
 *   an unknown type: the size query answers Xen's (unsigned)-EOPNOTSUPP,
 *   a mapping -EOPNOTSUPP
 *
 * MFNs go out 32 at a time, with a continuation between chunks (the start
 * in cmd's high bits, as XENMEM_populate_physmap's).
 */
#include <lamina/domain.h>
#include <lamina/grant_table.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/memory.h>
#include <xen/errno.h>
#include <xen/memory.h>

#define MEMOP_EXTENT_SHIFT 6
#define CHUNK 32

static unsigned int max_frames(const struct domain *d, unsigned int type, unsigned int id)
{
	switch (type) {
	case XENMEM_resource_grant_table:
		return gnttab_resource_max_frames(d, id);
	case XENMEM_resource_ioreq_server:
	case XENMEM_resource_vmtrace_buf:
		return 0; /* none for a PV domain */
	default:
		return (unsigned int)-XEN_EOPNOTSUPP; /* as Xen's resource_max_frames */
	}
}

/* Xen's rcu_lock_remote_domain_by_id, then xsm_domain_resource_map's check. */
static int remote_domain(domid_t id, struct domain **d)
{
	struct domain *cur = current_vcpu()->domain;

	*d = domain_find(id);
	if (!*d)
		return -XEN_ESRCH;
	if (*d == cur)
		return -XEN_EPERM;
	return cur->is_privileged ? 0 : -XEN_EPERM;
}

/* Frames [x->frame, + x->nr_frames) out to the list from start on. */
static long copy_frames(struct domain *d, struct xen_mem_acquire_resource *x, uint64_t start,
			uint64_t arg)
{
	uint64_t list = (uint64_t)x->frame_list.p, mfns[CHUNK];

	while (start < x->nr_frames) {
		unsigned int todo = x->nr_frames - start > CHUNK ? CHUNK : x->nr_frames - start;
		int rc;

		if (x->type != XENMEM_resource_grant_table)
			return -XEN_EOPNOTSUPP;
		rc = gnttab_resource_frames(d, x->id, (unsigned int)(x->frame + start), todo, mfns);
		if (rc < 0)
			return rc;
		if (copy_to_guest(list + start * sizeof(mfns[0]), mfns, todo * sizeof(mfns[0])))
			return -XEN_EFAULT;
		start += todo;
		if (start < x->nr_frames && hypercall_preempt_check()) {
			uint64_t a[HYPERCALL_NR_ARGS] = {
				XENMEM_acquire_resource | (start << MEMOP_EXTENT_SHIFT), arg
			};

			return hypercall_create_continuation(__HYPERVISOR_memory_op, a);
		}
	}
	return 0;
}

long memory_acquire_resource(uint64_t start, uint64_t arg)
{
	struct xen_mem_acquire_resource x;
	struct domain *d;
	unsigned int max;
	int rc;

	if (copy_from_guest(&x, arg, sizeof(x)))
		return -XEN_EFAULT;
	if (x.pad || (x.frame >> 32) || ((x.frame + x.nr_frames) >> 32))
		return -XEN_EINVAL;
	rc = remote_domain(x.domid, &d);
	if (rc)
		return rc;
	max = max_frames(d, x.type, x.id);
	if (!max)
		return -XEN_EINVAL;
	if (!x.frame_list.p) {
		if (x.nr_frames || start)
			return -XEN_EINVAL;
		x.nr_frames = max;
		return copy_to_guest(arg + offsetof(struct xen_mem_acquire_resource, nr_frames),
				     &x.nr_frames, sizeof(x.nr_frames))
			       ? -XEN_EFAULT
			       : 0;
	}
	if (start >= x.nr_frames || x.nr_frames > (UINT32_MAX >> MEMOP_EXTENT_SHIFT))
		return -XEN_EINVAL;
	return copy_frames(d, &x, start, arg);
}
