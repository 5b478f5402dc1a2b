// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host and the schedulers through libxenctrl: physinfo and xen_version
 * (lxl info), vCPU info and pinning, credit2 parameters, cpupools, and Xen's
 * console ring (lxl dmesg).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenctrl.h>

#include "hyp_int.h"

/* physinfo's capabilities in xl info's words and order. */
static void virt_caps_str(uint32_t c, char *out, size_t size)
{
	bool dio = c & XEN_SYSCTL_PHYSCAP_directio;

	snprintf(out, size, "%s%s%s%s%s%s%s%s%s%s%s", c & XEN_SYSCTL_PHYSCAP_pv ? " pv" : "",
		 c & XEN_SYSCTL_PHYSCAP_hvm ? " hvm" : "",
		 dio && (c & XEN_SYSCTL_PHYSCAP_hvm) ? " hvm_directio" : "",
		 dio && (c & XEN_SYSCTL_PHYSCAP_pv) ? " pv_directio" : "",
		 c & XEN_SYSCTL_PHYSCAP_hap ? " hap" : "",
		 c & XEN_SYSCTL_PHYSCAP_shadow ? " shadow" : "",
		 c & XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share ? " iommu_hap_pt_share" : "",
		 c & XEN_SYSCTL_PHYSCAP_vmtrace ? " vmtrace" : "",
		 c & XEN_SYSCTL_PHYSCAP_vpmu ? " vpmu" : "",
		 c & XEN_SYSCTL_PHYSCAP_gnttab_v1 ? " gnttab-v1" : "",
		 c & XEN_SYSCTL_PHYSCAP_gnttab_v2 ? " gnttab-v2" : "");
	/* Without the leading space (lxl prints "key: value"). */
	if (out[0] == ' ')
		memmove(out, out + 1, strlen(out));
}

/* Zero *o, then fill it with what XEN_SYSCTL_physinfo tells (kept in *pi). */
static int read_physinfo(struct hyp *h, struct hyp_host *o, xc_physinfo_t *pi)
{
	memset(o, 0, sizeof(*o));
	memset(pi, 0, sizeof(*pi));
	if (xc_physinfo(h->xch, pi))
		return hyp_errno();
	o->nr_cpus = pi->nr_cpus;
	o->nr_nodes = pi->nr_nodes;
	o->cores_per_socket = pi->cores_per_socket;
	o->threads_per_core = pi->threads_per_core;
	o->cpu_khz = pi->cpu_khz;
	o->total_pages = pi->total_pages;
	o->free_pages = pi->free_pages;
	o->scrub_pages = pi->scrub_pages;
	o->outstanding_pages = pi->outstanding_pages;
	o->max_cpu_id = pi->max_cpu_id;
	memcpy(o->hw_cap, pi->hw_cap, sizeof(o->hw_cap));
	o->capabilities = pi->capabilities;
	return 0;
}

int hyp_host_info(struct hyp *h, struct hyp_host *o)
{
	xc_physinfo_t pi;
	xen_extraversion_t extra;
	xen_changeset_info_t cs;
	xen_commandline_t cmd;
	xen_compile_info_t cc;
	xen_platform_parameters_t pp;
	union {
		xen_build_id_t id;
		unsigned char room[sizeof(xen_build_id_t) + 64];
	} bid;
	xc_cpumap_t free_map;
	int v = read_physinfo(h, o, &pi);

	if (v)
		return v;
	v = xc_version(h->xch, XENVER_version, NULL);
	o->xen_major = v >> 16;
	o->xen_minor = v & 0xffff;
	if (!xc_version(h->xch, XENVER_extraversion, &extra))
		snprintf(o->xen_extra, sizeof(o->xen_extra), "%.*s", (int)sizeof(extra), extra);
	if (xc_version(h->xch, XENVER_capabilities, o->xen_caps))
		o->xen_caps[0] = '\0';
	o->xen_caps[sizeof(o->xen_caps) - 1] = '\0';
	if (!xc_version(h->xch, XENVER_commandline, &cmd))
		snprintf(o->xen_commandline, sizeof(o->xen_commandline), "%.*s", (int)sizeof(cmd),
			 cmd);
	if (!xc_version(h->xch, XENVER_changeset, &cs))
		snprintf(o->xen_changeset, sizeof(o->xen_changeset), "%.*s", (int)sizeof(cs), cs);
	o->pagesize = (unsigned long)xc_version(h->xch, XENVER_pagesize, NULL);
	virt_caps_str(pi.capabilities, o->virt_caps, sizeof(o->virt_caps));
	v = (int)xc_sharing_freed_pages(h->xch);
	o->sharing_freed_pages = v > 0 ? (uint64_t)v : 0;
	v = (int)xc_sharing_used_frames(h->xch);
	o->sharing_used_frames = v > 0 ? (uint64_t)v : 0;
	free_map = xc_cpupool_freeinfo(h->xch);
	if (free_map) {
		for (int c = 0; c < xc_get_max_cpus(h->xch); c++)
			o->free_cpus += xc_cpumap_testcpu(c, free_map) ? 1 : 0;
		free(free_map);
	}
	if (!xc_version(h->xch, XENVER_platform_parameters, &pp))
		o->virt_start = pp.virt_start;
	if (!xc_version(h->xch, XENVER_compile_info, &cc)) {
		snprintf(o->cc_compiler, sizeof(o->cc_compiler), "%.*s", (int)sizeof(cc.compiler),
			 cc.compiler);
		snprintf(o->cc_compile_by, sizeof(o->cc_compile_by), "%.*s",
			 (int)sizeof(cc.compile_by), cc.compile_by);
		snprintf(o->cc_compile_domain, sizeof(o->cc_compile_domain), "%.*s",
			 (int)sizeof(cc.compile_domain), cc.compile_domain);
		snprintf(o->cc_compile_date, sizeof(o->cc_compile_date), "%.*s",
			 (int)sizeof(cc.compile_date), cc.compile_date);
	}
	/* As libxl: the id's bytes in hex, empty when Xen has none. */
	bid.id.len = sizeof(bid) - sizeof(bid.id);
	v = xc_version(h->xch, XENVER_build_id, &bid.id);
	for (int i = 0; i < v && 2 * i + 2 < (int)sizeof(o->build_id); i++)
		snprintf(o->build_id + 2 * i, 3, "%02x", bid.id.buf[i]);
	return 0;
}

int hyp_host_physinfo(struct hyp *h, struct hyp_host *o)
{
	xc_physinfo_t pi;

	return read_physinfo(h, o, &pi);
}

int hyp_cpu_topology(struct hyp *h, struct hyp_cputopo **out)
{
	unsigned int n = 0;
	xc_cputopo_t *t;

	*out = NULL;
	if (xc_cputopoinfo(h->xch, &n, NULL))
		return hyp_errno();
	t = calloc(n ? n : 1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	if (xc_cputopoinfo(h->xch, &n, t)) {
		int rc = hyp_errno();

		free(t);
		return rc;
	}
	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out) {
		free(t);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < n; i++)
		(*out)[i] = (struct hyp_cputopo){ t[i].core, t[i].socket, t[i].node };
	free(t);
	return (int)n;
}

int hyp_numa_info(struct hyp *h, struct hyp_numa_node **out, uint32_t **dist)
{
	unsigned int n = 0;
	xc_meminfo_t *m;
	int rc;

	*out = NULL;
	*dist = NULL;
	if (xc_numainfo(h->xch, &n, NULL, NULL))
		return hyp_errno();
	m = calloc(n ? n : 1, sizeof(*m));
	*dist = calloc(n ? (size_t)n * n : 1, sizeof(**dist));
	*out = calloc(n ? n : 1, sizeof(**out));
	rc = m && *dist && *out ? 0 : -ENOMEM;
	if (!rc && xc_numainfo(h->xch, &n, m, *dist))
		rc = hyp_errno();
	for (unsigned int i = 0; !rc && i < n; i++)
		(*out)[i] = (struct hyp_numa_node){ m[i].memsize, m[i].memfree };
	free(m);
	if (rc) {
		free(*out);
		free(*dist);
		*out = NULL;
		*dist = NULL;
		return rc;
	}
	return (int)n;
}

int hyp_pci_topology(struct hyp *h, const struct hyp_pci_dev *devs, unsigned int n, uint32_t *node)
{
	physdev_pci_device_t *d = calloc(n ? n : 1, sizeof(*d));
	int rc = 0;

	if (!d)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++)
		d[i] = (physdev_pci_device_t){ .seg = devs[i].seg,
					       .bus = devs[i].bus,
					       .devfn = devs[i].devfn };
	if (xc_pcitopoinfo(h->xch, n, d, node))
		rc = hyp_errno();
	free(d);
	return rc;
}

int hyp_vcpu_info(struct hyp *h, uint32_t domid, unsigned int vcpu, struct hyp_vcpu *o)
{
	xc_vcpuinfo_t vi;
	xc_cpumap_t map, soft;

	memset(o, 0, sizeof(*o));
	if (xc_vcpu_getinfo(h->xch, domid, vcpu, &vi))
		return errno == ESRCH || errno == ENOENT || errno == EINVAL ? -ESRCH : hyp_errno();
	o->vcpu = vcpu;
	o->online = vi.online;
	o->blocked = vi.blocked;
	o->running = vi.running;
	o->cpu = (int)vi.cpu;
	o->cpu_time_ns = vi.cpu_time;
	map = xc_cpumap_alloc(h->xch);
	soft = xc_cpumap_alloc(h->xch);
	if (map && soft &&
	    !xc_vcpu_getaffinity(h->xch, domid, (int)vcpu, map, soft,
				 XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT)) {
		for (int c = 0; c < 64 && c < xc_get_max_cpus(h->xch); c++) {
			if (xc_cpumap_testcpu(c, map))
				o->affinity |= 1ULL << c;
			if (xc_cpumap_testcpu(c, soft))
				o->soft_affinity |= 1ULL << c;
		}
	}
	free(map);
	free(soft);
	return 0;
}

static void fill_map(xc_cpumap_t map, const uint8_t *cpus, unsigned int nbits, int max)
{
	for (unsigned int c = 0; c < nbits && (int)c < max; c++)
		if (cpus[c / 8] & (1u << (c % 8)))
			xc_cpumap_setcpu((int)c, map);
}

int hyp_vcpu_pin(struct hyp *h, uint32_t domid, unsigned int vcpu, const uint8_t *hard,
		 const uint8_t *soft, unsigned int nbits)
{
	xc_cpumap_t hmap = xc_cpumap_alloc(h->xch), smap = xc_cpumap_alloc(h->xch);
	int max = xc_get_max_cpus(h->xch), rc = 0;
	uint32_t flags = (hard ? XEN_VCPUAFFINITY_HARD : 0) | (soft ? XEN_VCPUAFFINITY_SOFT : 0);

	if (!hmap || !smap) {
		rc = -ENOMEM;
		goto out;
	}
	if (hard)
		fill_map(hmap, hard, nbits, max);
	if (soft)
		fill_map(smap, soft, nbits, max);
	if (flags && xc_vcpu_setaffinity(h->xch, domid, (int)vcpu, hmap, smap, flags))
		rc = hyp_errno();
out:
	free(hmap);
	free(smap);
	return rc;
}

_Static_assert(HYP_TSLICE_MIN_MS == XEN_SYSCTL_CSCHED_TSLICE_MIN &&
		       HYP_TSLICE_MAX_MS == XEN_SYSCTL_CSCHED_TSLICE_MAX &&
		       HYP_RATELIMIT_MIN_US == XEN_SYSCTL_SCHED_RATELIMIT_MIN &&
		       HYP_RATELIMIT_MAX_US == XEN_SYSCTL_SCHED_RATELIMIT_MAX &&
		       HYP_MIGR_DELAY_MAX_US == XEN_SYSCTL_CSCHED_MGR_DLY_MAX_US,
	       "hyp.h's scheduler bounds are Xen's");

int hyp_sched_dom_get(struct hyp *h, int sched, uint32_t domid, unsigned int *weight,
		      unsigned int *cap)
{
	int rc = -EINVAL;

	if (sched == HYP_SCHED_CREDIT) {
		struct xen_domctl_sched_credit s = { 0 };

		rc = xc_sched_credit_domain_get(h->xch, domid, &s);
		*weight = s.weight;
		*cap = s.cap;
	} else if (sched == HYP_SCHED_CREDIT2) {
		struct xen_domctl_sched_credit2 s = { 0 };

		rc = xc_sched_credit2_domain_get(h->xch, domid, &s);
		*weight = s.weight;
		*cap = s.cap;
	} else {
		errno = EINVAL;
	}
	return rc ? hyp_errno() : 0;
}

int hyp_sched_dom_set(struct hyp *h, int sched, uint32_t domid, unsigned int weight,
		      unsigned int cap)
{
	int rc = -EINVAL;

	if (sched == HYP_SCHED_CREDIT) {
		struct xen_domctl_sched_credit s = { .weight = weight, .cap = (uint16_t)cap };

		rc = xc_sched_credit_domain_set(h->xch, domid, &s);
	} else if (sched == HYP_SCHED_CREDIT2) {
		struct xen_domctl_sched_credit2 s = { .weight = weight, .cap = (uint16_t)cap };

		rc = xc_sched_credit2_domain_set(h->xch, domid, &s);
	} else {
		errno = EINVAL;
	}
	return rc ? hyp_errno() : 0;
}

int hyp_sched_params_get(struct hyp *h, int sched, unsigned int pool, struct hyp_sched_params *p)
{
	int rc = -EINVAL;

	*p = (struct hyp_sched_params){ 0 };
	if (sched == HYP_SCHED_CREDIT) {
		struct xen_sysctl_credit_schedule s = { 0 };

		rc = xc_sched_credit_params_get(h->xch, pool, &s);
		p->tslice_ms = s.tslice_ms;
		p->ratelimit_us = s.ratelimit_us;
		p->migr_delay_us = s.vcpu_migr_delay_us;
	} else if (sched == HYP_SCHED_CREDIT2) {
		struct xen_sysctl_credit2_schedule s = { 0 };

		rc = xc_sched_credit2_params_get(h->xch, pool, &s);
		p->ratelimit_us = s.ratelimit_us;
	} else {
		errno = EINVAL;
	}
	return rc ? hyp_errno() : 0;
}

int hyp_sched_params_set(struct hyp *h, int sched, unsigned int pool,
			 const struct hyp_sched_params *p)
{
	int rc = -EINVAL;

	if (sched == HYP_SCHED_CREDIT) {
		struct xen_sysctl_credit_schedule s = { .tslice_ms = p->tslice_ms,
							.ratelimit_us = p->ratelimit_us,
							.vcpu_migr_delay_us = p->migr_delay_us };

		rc = xc_sched_credit_params_set(h->xch, pool, &s);
	} else if (sched == HYP_SCHED_CREDIT2) {
		struct xen_sysctl_credit2_schedule s = { .ratelimit_us = p->ratelimit_us };

		rc = xc_sched_credit2_params_set(h->xch, pool, &s);
	} else {
		errno = EINVAL;
	}
	return rc ? hyp_errno() : 0;
}

static const char *sched_name(uint32_t id)
{
	switch (id) {
	case XEN_SCHEDULER_CREDIT:
		return "credit";
	case XEN_SCHEDULER_CREDIT2:
		return "credit2";
	case XEN_SCHEDULER_RTDS:
		return "rtds";
	case XEN_SCHEDULER_ARINC653:
		return "arinc653";
	case XEN_SCHEDULER_NULL:
		return "null";
	}
	return "unknown";
}

int hyp_cpupool_next(struct hyp *h, unsigned int pool, struct hyp_pool *o)
{
	xc_cpupoolinfo_t *pi = xc_cpupool_getinfo(h->xch, pool);
	int max;

	if (!pi)
		return errno == ENOENT ? -ENOENT : hyp_errno();
	o->id = pi->cpupool_id;
	o->sched = sched_name(pi->sched_id);
	o->sched_id = (int)pi->sched_id;
	o->nr_domains = pi->n_dom;
	o->nr_cpus = 0;
	o->cpumap = 0;
	max = xc_get_max_cpus(h->xch);
	for (int c = 0; c < max; c++) {
		if (!xc_cpumap_testcpu(c, pi->cpumap))
			continue;
		o->nr_cpus++;
		if (c < 64)
			o->cpumap |= 1ULL << c;
	}
	xc_cpupool_infofree(h->xch, pi);
	return 0;
}

int hyp_sched_name(struct hyp *h, unsigned int pool, const char **name)
{
	struct hyp_pool p;
	int rc = hyp_cpupool_next(h, pool, &p);

	if (!rc)
		*name = p.sched;
	return rc;
}

int hyp_read_console(struct hyp *h, char *buf, unsigned int size, bool clear)
{
	unsigned int n = size - 1;

	if (xc_readconsolering(h->xch, buf, &n, clear, 0, NULL))
		return hyp_errno();
	buf[n] = '\0';
	return (int)n;
}
