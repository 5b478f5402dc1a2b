// SPDX-License-Identifier: GPL-2.0-only
/*
 * lxl create's work: check the request whole (name free, files readable,
 * memory there), then create the domain, build it with libxenguest, write
 * its xenstore tree, introduce it to xenstored and let it run. Any failure
 * after the domain exists destroys it again, so a failed create leaves
 * nothing behind.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xenstore.h>

#include "tk_int.h"

/* Decision: what a PV guest costs beyond its RAM (page tables, p2m, rings), as an estimate. */
#define TK_OVERHEAD_KB 2048

static int check_file(struct tk *tk, const char *what, const char *path)
{
	if (access(path, R_OK))
		return tk_fail(tk, -errno == -ENOENT ? -ENOENT : -errno, "%s '%s': %s", what, path,
			       strerror(errno));
	return 0;
}

static int check_request(struct tk *tk, const struct cfg_domain *cfg)
{
	struct hyp_host host;
	uint32_t other;
	uint64_t free_kb, ask_kb;
	int rc;

	if (!tk_find_name(tk, cfg->name, &other))
		return tk_fail(tk, -EEXIST, "a domain named '%s' already exists (id %u)", cfg->name,
			       other);
	rc = check_file(tk, "kernel", cfg->kernel);
	if (!rc && cfg->ramdisk)
		rc = check_file(tk, "ramdisk", cfg->ramdisk);
	if (rc)
		return rc;
	rc = hyp_host_physinfo(tk->hyp, &host);
	if (rc)
		return tk_fail(tk, rc, "cannot read the host's memory: %s", strerror(-rc));
	if (cfg->maxvcpus > host.max_cpu_id + 1 && cfg->maxvcpus > 1)
		fprintf(stderr, "lxl: warning: %u vCPUs on a host with %u CPUs\n", cfg->maxvcpus,
			host.nr_cpus);
	free_kb = host.free_pages * 4;
	ask_kb = (uint64_t)cfg->memory_mb * 1024 + TK_OVERHEAD_KB;
	if (ask_kb > free_kb)
		return tk_fail(tk, -ENOMEM,
			       "not enough memory for '%s': %llu MiB free, %lu MiB asked (+%d MiB "
			       "overhead)",
			       cfg->name, (unsigned long long)(free_kb / 1024), cfg->memory_mb,
			       TK_OVERHEAD_KB / 1024);
	return 0;
}

/* A random version-4 UUID (as xl makes one when the file has none). */
static void make_uuid(uint8_t u[16])
{
	FILE *f = fopen("/dev/urandom", "r");

	if (!f || fread(u, 1, 16, f) != 16) {
		for (int i = 0; i < 16; i++)
			u[i] = (uint8_t)rand();
	}
	if (f)
		fclose(f);
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
}

static int apply_affinity(struct tk *tk, uint32_t domid, const struct cfg_domain *cfg)
{
	if (!cfg->cpus_set)
		return 0;
	for (unsigned int v = 0; v < cfg->maxvcpus; v++) {
		int rc = hyp_vcpu_pin(tk->hyp, domid, v, (const uint8_t *)cfg->cpus[v].bits, NULL,
				      CFG_MAX_CPUS);

		if (rc)
			return tk_fail(tk, rc, "cannot pin vCPU %u: %s", v, strerror(-rc));
	}
	return 0;
}

static int build(struct tk *tk, uint32_t domid, const struct cfg_domain *cfg,
		 const struct tk_create_opts *o, const uint8_t uuid[16])
{
	struct hyp_pv_image img = {
		.kernel = cfg->kernel,
		.ramdisk = cfg->ramdisk,
		.cmdline = cfg->cmdline ? cfg->cmdline : "",
		.memory_mb = (unsigned int)cfg->memory_mb,
		.max_vcpus = cfg->maxvcpus,
	};
	int rc;

	rc = apply_affinity(tk, domid, cfg);
	if (rc)
		return rc;
	rc = hyp_build_pv(tk->hyp, domid, &img);
	tk_timing("build");
	if (rc == -ENOEXEC)
		return tk_fail(tk, rc,
			       "kernel '%s'%s%s: not a PV kernel libxenguest can load "
			       "(ELF or bzImage with Xen notes)",
			       cfg->kernel, cfg->ramdisk ? " or ramdisk " : "",
			       cfg->ramdisk ? cfg->ramdisk : "");
	if (rc == -ENOMEM)
		return tk_fail(tk, rc, "not enough memory to build '%s' (%lu MiB asked)", cfg->name,
			       cfg->memory_mb);
	if (rc)
		return tk_fail(tk, rc, "building '%s' failed in %s: %s", cfg->name,
			       img.failed_step ? img.failed_step : "libxenguest", strerror(-rc));
	rc = tk_store_domain(tk, domid, cfg, o, uuid, &img);
	tk_timing("xenstore");
	if (rc == -ENOSPC)
		return tk_fail(tk, rc,
			       "xenstore quota reached while writing '%s' (%u disks, %u "
			       "vifs): raise xenstored's quota or remove domains",
			       cfg->name, cfg->nr_disks, cfg->nr_vifs);
	if (rc)
		return tk_fail(tk, rc, "writing '%s' to xenstore failed: %s", cfg->name,
			       strerror(-rc));
	if (!xs_introduce_domain(tk->xs, domid, img.store_frame, img.store_evtchn_port))
		return tk_fail(tk, xsu_err(errno), "xenstored refused domain %u: %s", domid,
			       strerror(errno));
	tk_timing("introduce");
	return 0;
}

int tk_create(struct tk *tk, const struct cfg_domain *cfg, const struct tk_create_opts *o,
	      uint32_t *domid)
{
	struct hyp_create c = { .max_vcpus = cfg->maxvcpus,
				.target_kb = (uint64_t)cfg->memory_mb * 1024,
				.maxmem_kb = (uint64_t)cfg->maxmem_mb * 1024 };
	uint32_t id;
	int rc;

	rc = check_request(tk, cfg);
	tk_timing("checks");
	if (rc)
		return rc;
	if (cfg->uuid_set)
		memcpy(c.handle, cfg->uuid, 16);
	else
		make_uuid(c.handle);
	rc = hyp_domain_create(tk->hyp, &c, &id);
	tk_timing("domctl");
	if (rc == -ENOMEM)
		return tk_fail(tk, rc, "Xen has not enough memory to create '%s'", cfg->name);
	if (rc)
		return tk_fail(tk, rc, "Xen refused to create '%s': %s", cfg->name, strerror(-rc));
	rc = build(tk, id, cfg, o, c.handle);
	if (!rc && !o->paused) {
		rc = hyp_domain_unpause(tk->hyp, id);
		tk_timing("unpause");
		if (rc)
			tk_fail(tk, rc, "cannot start domain %u: %s", id, strerror(-rc));
	}
	if (rc) {
		char keep[sizeof(tk->msg)];

		memcpy(keep, tk->msg, sizeof(keep));
		tk_destroy(tk, id);
		memcpy(tk->msg, keep, sizeof(keep));
		return rc;
	}
	*domid = id;
	return 0;
}
