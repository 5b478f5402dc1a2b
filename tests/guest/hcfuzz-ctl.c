// SPDX-License-Identifier: MIT
/*
 * hcfuzz rows: domctl and sysctl, the toolstack's hypercalls dom0 makes.
 * The queries with every kind of argument (domain ids that exist or not,
 * buffers bad, read-only or at the end of the mapping, counts 0 or huge, a
 * wrong interface version, unknown commands): physinfo, sched_id,
 * getdomaininfolist, readconsole (never clearing: the ring is not ours),
 * cputopoinfo, numainfo, getdomaininfo, getvcpuinfo, get_address_size,
 * getpageframeinfo3 of the pool's and the hypervisor's frames. Of the
 * commands that change things only refusable forms: pause, unpause and
 * destroy of ourselves or of domains that do not exist (creating domains
 * would take memory the teardown cannot see).
 */
#define __XEN_TOOLS__ 1
#include "hcfuzz.h"

#include <xen/domctl.h>
#include <xen/sysctl.h>

/* A domain id for a control op: ourselves, ids that do not exist, reserved ones. */
static domid_t ctl_dom(struct hcf_state *s)
{
	static const domid_t ids[] = { 0, 0, 1, 77, 0x7fef, DOMID_SELF, DOMID_IO, DOMID_INVALID };

	return ids[hcf_below(s, GPV_ARRAY_SIZE(ids))];
}

/* The version the op carries: mostly right, sometimes off by one or junk. */
static uint32_t version(struct hcf_state *s, uint32_t right)
{
	switch (hcf_below(s, 12)) {
	case 0:
		return right - 1;
	case 1:
		return (uint32_t)hcf_rand(s);
	default:
		return right;
	}
}

static bool gen_sysctl(struct hcf_state *s, struct hcf_call *c)
{
	static const uint32_t cmds[] = { XEN_SYSCTL_physinfo,
					 XEN_SYSCTL_sched_id,
					 XEN_SYSCTL_getdomaininfolist,
					 XEN_SYSCTL_readconsole,
					 XEN_SYSCTL_cputopoinfo,
					 XEN_SYSCTL_numainfo,
					 99 };
	struct xen_sysctl *op = (void *)c->buf;
	void *out = (void *)hcf_ptr(s, s->edge + 1024);
	uint32_t n = hcf_chance(s, 70) ? 1 + hcf_below(s, 8) : (uint32_t)hcf_count(s, 64);

	op->cmd = cmds[hcf_below(s, GPV_ARRAY_SIZE(cmds))];
	op->interface_version = version(s, XEN_SYSCTL_INTERFACE_VERSION);
	switch (op->cmd) {
	case XEN_SYSCTL_getdomaininfolist:
		op->u.getdomaininfolist.first_domain = ctl_dom(s);
		op->u.getdomaininfolist.max_domains = n;
		set_xen_guest_handle(op->u.getdomaininfolist.buffer, out);
		break;
	case XEN_SYSCTL_readconsole:
		op->u.readconsole.clear = 0;
		op->u.readconsole.incremental = hcf_below(s, 2);
		/*
		 * At most what fits before the hole: more would fault or not by
		 * how much each hypervisor has printed (the ring's fill differs).
		 */
		op->u.readconsole.count = hcf_chance(s, 70) ? 64 * n : n;
		if (op->u.readconsole.count > 3072)
			op->u.readconsole.count = 3072;
		set_xen_guest_handle(op->u.readconsole.buffer, out);
		break;
	case XEN_SYSCTL_cputopoinfo:
		op->u.cputopoinfo.num_cpus = hcf_chance(s, 20) ? 0 : n;
		set_xen_guest_handle(op->u.cputopoinfo.cputopo, hcf_chance(s, 20) ? NULL : out);
		break;
	case XEN_SYSCTL_numainfo:
		op->u.numainfo.num_nodes = hcf_chance(s, 20) ? 0 : n;
		set_xen_guest_handle(op->u.numainfo.meminfo, hcf_chance(s, 20) ? NULL : out);
		set_xen_guest_handle(op->u.numainfo.distance, hcf_chance(s, 20) ? NULL : out);
		break;
	}
	c->nr = __HYPERVISOR_sysctl;
	c->arg[0] = hcf_in_ptr(s, op, sizeof(*op));
	hcf_desc(c, "sysctl cmd %u version %#x n %u out %p", op->cmd, op->interface_version, n,
		 out);
	return true;
}

static bool gen_domctl(struct hcf_state *s, struct hcf_call *c)
{
	static const uint32_t cmds[] = {
		XEN_DOMCTL_getdomaininfo,    XEN_DOMCTL_getvcpuinfo,
		XEN_DOMCTL_get_address_size, XEN_DOMCTL_getpageframeinfo3,
		XEN_DOMCTL_pausedomain,	     XEN_DOMCTL_unpausedomain,
		XEN_DOMCTL_destroydomain,    98,
	};
	struct xen_domctl *op = (void *)c->buf;
	xen_pfn_t *frames = (xen_pfn_t *)(s->edge + 2048);

	op->cmd = cmds[hcf_below(s, GPV_ARRAY_SIZE(cmds))];
	op->interface_version = version(s, XEN_DOMCTL_INTERFACE_VERSION);
	op->domain = ctl_dom(s);
	switch (op->cmd) {
	case XEN_DOMCTL_getvcpuinfo:
		op->u.getvcpuinfo.vcpu = hcf_vcpu(s);
		break;
	case XEN_DOMCTL_getpageframeinfo3:
		op->u.getpageframeinfo3.num =
			hcf_chance(s, 70) ? 1 + hcf_below(s, 8) : (uint64_t)hcf_count(s, 2048);
		for (unsigned int i = 0; i < 8; i++)
			frames[i] = hcf_any_frame(s);
		set_xen_guest_handle(op->u.getpageframeinfo3.array,
				     (xen_pfn_t *)hcf_ptr(s, frames));
		break;
	case XEN_DOMCTL_pausedomain:
	case XEN_DOMCTL_unpausedomain:
	case XEN_DOMCTL_destroydomain:
		/* Ourselves (refused) or no one: never a domain that exists and is not us. */
		if (op->domain == 1 || op->domain == 77 || op->domain == 0x7fef)
			op->domain = 0x7fef;
		break;
	}
	c->nr = __HYPERVISOR_domctl;
	c->arg[0] = hcf_in_ptr(s, op, sizeof(*op));
	hcf_desc(c, "domctl cmd %u version %#x dom %#x", op->cmd, op->interface_version,
		 op->domain);
	return true;
}

const struct hcf_op hcf_ctl_ops[] = {
	{ .name = "sysctl", .weight = 4, .gen = gen_sysctl, .writes_back = true },
	{ .name = "domctl", .weight = 4, .gen = gen_domctl, .writes_back = true },
	{ .name = NULL },
};
