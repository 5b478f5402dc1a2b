// SPDX-License-Identifier: GPL-2.0-only
/*
 * Domains through libxenctrl: create with the limits xl gives a PV guest,
 * info and lists (getdomaininfo), and the simple state changes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xenctrl.h>
#include <xen/sched.h>

#include "hyp_int.h"

struct hyp *hyp_open(void)
{
	struct hyp *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	/* libxenctrl logs its own errors to stderr unless given a quiet logger. */
	h->log = xtl_createlogger_stdiostream(stderr,
					      getenv("LXL_DEBUG") ? XTL_DEBUG : XTL_CRITICAL, 0);
	h->xch = xc_interface_open((xentoollog_logger *)h->log, (xentoollog_logger *)h->log, 0);
	if (!h->xch) {
		int e = errno;

		if (h->log)
			xtl_logger_destroy((xentoollog_logger *)h->log);
		free(h);
		errno = e;
		return NULL;
	}
	return h;
}

void hyp_close(struct hyp *h)
{
	if (!h)
		return;
	xc_interface_close(h->xch);
	if (h->log)
		xtl_logger_destroy((xentoollog_logger *)h->log);
	free(h);
}

int hyp_errno(void)
{
	return errno ? -errno : -EIO;
}

static void fill_info(const xc_dominfo_t *x, struct hyp_dominfo *o)
{
	memset(o, 0, sizeof(*o));
	o->domid = x->domid;
	memcpy(o->handle, x->handle, sizeof(o->handle));
	o->dying = x->dying;
	o->crashed = x->crashed;
	o->shutdown = x->shutdown;
	o->paused = x->paused;
	o->blocked = x->blocked;
	o->running = x->running;
	o->shutdown_reason = x->shutdown_reason;
	/* libxenctrl reports a crash as crashed=1 with shutdown cleared; Xen says shutdown. */
	if (x->crashed) {
		o->shutdown = true;
		o->shutdown_reason = SHUTDOWN_crash;
	}
	o->nr_pages = x->nr_pages;
	o->max_memkb = x->max_memkb;
	o->cpu_time_ns = x->cpu_time;
	o->nr_online_vcpus = x->nr_online_vcpus;
	o->max_vcpu_id = x->max_vcpu_id;
	o->cpupool = x->cpupool;
}

int hyp_domain_info(struct hyp *h, uint32_t domid, struct hyp_dominfo *out)
{
	xc_dominfo_t x;
	int n = xc_domain_getinfo(h->xch, domid, 1, &x);

	if (n < 0)
		return hyp_errno();
	if (n == 0 || x.domid != domid)
		return -ESRCH;
	fill_info(&x, out);
	return 0;
}

int hyp_domain_list(struct hyp *h, struct hyp_dominfo **out)
{
	xc_dominfo_t batch[64];
	struct hyp_dominfo *list = NULL;
	uint32_t next = 0;
	int count = 0;

	for (;;) {
		int n = xc_domain_getinfo(h->xch, next, 64, batch);
		struct hyp_dominfo *grown;

		if (n < 0) {
			free(list);
			return hyp_errno();
		}
		if (n == 0)
			break;
		grown = realloc(list, sizeof(*list) * (size_t)(count + n));
		if (!grown) {
			free(list);
			return -ENOMEM;
		}
		list = grown;
		for (int i = 0; i < n; i++)
			fill_info(&batch[i], &list[count++]);
		next = batch[n - 1].domid + 1;
		if (n < 64 || next >= DOMID_FIRST_RESERVED)
			break;
	}
	*out = list;
	return count;
}

int hyp_domain_create(struct hyp *h, const struct hyp_create *c, uint32_t *domid)
{
	struct xen_domctl_createdomain cd = {
		.flags = 0, /* PV */
		.max_vcpus = c->max_vcpus,
		.max_evtchn_port = (uint32_t)-1,
		.max_grant_frames = -1,
		.max_maptrack_frames = -1,
		.grant_opts = XEN_DOMCTL_GRANT_version(1),
	};
	uint32_t id = 0; /* let Xen choose */
	int rc;

	memcpy(cd.handle, c->handle, sizeof(cd.handle));
	if (xc_domain_create(h->xch, &id, &cd))
		return hyp_errno();
	/*
	 * As libxl__build_pre: allocate the vCPUs (still its own domctl in 4.17),
	 * Xen's max_mem at the target plus libxl's 1 MiB of slack, and the
	 * guest's memory map up to its maximum.
	 */
	if (xc_domain_max_vcpus(h->xch, id, c->max_vcpus) ||
	    xc_domain_setmaxmem(h->xch, id, c->target_kb + 1024) ||
	    xc_domain_set_memmap_limit(h->xch, id, c->maxmem_kb)) {
		rc = hyp_errno();
		xc_domain_destroy(h->xch, id);
		return rc;
	}
	*domid = id;
	return 0;
}

int hyp_domain_destroy(struct hyp *h, uint32_t domid)
{
	/* Xen returns EBUSY while it is still tearing down the domain's memory. */
	for (int i = 0; i < 1000; i++) {
		if (!xc_domain_destroy(h->xch, domid))
			return 0;
		if (errno != EBUSY)
			return hyp_errno();
	}
	return -EBUSY;
}

int hyp_domain_pause(struct hyp *h, uint32_t domid)
{
	return xc_domain_pause(h->xch, domid) ? hyp_errno() : 0;
}

int hyp_domain_unpause(struct hyp *h, uint32_t domid)
{
	return xc_domain_unpause(h->xch, domid) ? hyp_errno() : 0;
}

int hyp_domain_shutdown(struct hyp *h, uint32_t domid, int reason)
{
	return xc_domain_shutdown(h->xch, domid, reason) ? hyp_errno() : 0;
}

int hyp_set_maxmem(struct hyp *h, uint32_t domid, uint64_t kb)
{
	return xc_domain_setmaxmem(h->xch, domid, kb + 1024) ? hyp_errno() : 0;
}
