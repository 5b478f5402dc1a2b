// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pretend hypervisor (see fake_xen.h). Only what xs_xen.c calls.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xenctrl.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xengnttab.h>

#include "fake_xen.h"

struct xenevtchn_handle {
	int pipe[2];
};

struct fake_dom fake_doms[FAKE_MAX_DOM];
bool fake_bind_fails;
unsigned int fake_notified[FAKE_MAX_PORT];
int fake_bound[FAKE_MAX_PORT];
static xenevtchn_handle *the_xce;
static int next_port;
static int handle_token; /* the other handles only need to be non-NULL */

void fake_reset(void)
{
	int i;

	for (i = 0; i < FAKE_MAX_DOM; i++) {
		free(fake_doms[i].page);
		memset(&fake_doms[i], 0, sizeof(fake_doms[i]));
		fake_doms[i].page = calloc(1, 4096);
		fake_doms[i].exists = true;
	}
	for (i = 0; i < FAKE_MAX_PORT; i++) {
		fake_bound[i] = -1;
		fake_notified[i] = 0;
	}
	fake_bind_fails = false;
	next_port = FAKE_VIRQ_PORT + 1;
}

void fake_raise(int port)
{
	uint32_t p = port;

	if (the_xce && write(the_xce->pipe[1], &p, sizeof(p)) != sizeof(p))
		abort();
}

int fake_port_of(unsigned int domid)
{
	int i;

	for (i = 0; i < FAKE_MAX_PORT; i++)
		if (fake_bound[i] == (int)domid)
			return i;
	return -1;
}

xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger, unsigned int flags)
{
	xenevtchn_handle *h = calloc(1, sizeof(*h));

	(void)logger;
	(void)flags;
	if (!h || pipe(h->pipe)) {
		free(h);
		return NULL;
	}
	the_xce = h;
	return h;
}

int xenevtchn_close(xenevtchn_handle *xce)
{
	close(xce->pipe[0]);
	close(xce->pipe[1]);
	free(xce);
	the_xce = NULL;
	return 0;
}

int xenevtchn_fd(xenevtchn_handle *xce)
{
	return xce->pipe[0];
}

int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
	(void)xce;
	if (port < FAKE_MAX_PORT)
		fake_notified[port]++;
	return 0;
}

xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
						     evtchn_port_t remote_port)
{
	(void)xce;
	(void)remote_port;
	if (fake_bind_fails || next_port >= FAKE_MAX_PORT) {
		errno = EINVAL;
		return -1;
	}
	fake_bound[next_port] = domid;
	return next_port++;
}

xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce, unsigned int virq)
{
	(void)xce;
	(void)virq;
	return FAKE_VIRQ_PORT;
}

int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
	(void)xce;
	if (port < FAKE_MAX_PORT)
		fake_bound[port] = -1;
	return 0;
}

xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce)
{
	uint32_t p;

	if (read(xce->pipe[0], &p, sizeof(p)) != sizeof(p))
		return -1;
	return p;
}

int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
	(void)xce;
	(void)port;
	return 0;
}

xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger, unsigned open_flags)
{
	(void)logger;
	(void)open_flags;
	return (xengnttab_handle *)&handle_token;
}

int xengnttab_close(xengnttab_handle *xgt)
{
	(void)xgt;
	return 0;
}

static struct fake_dom *dom_of_page(void *addr)
{
	int i;

	for (i = 0; i < FAKE_MAX_DOM; i++)
		if (fake_doms[i].page == addr)
			return &fake_doms[i];
	return NULL;
}

void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid, uint32_t ref, int prot)
{
	(void)xgt;
	(void)prot;
	if (domid >= FAKE_MAX_DOM || ref != 1 || fake_doms[domid].grant_fails) {
		errno = EINVAL;
		return NULL;
	}
	fake_doms[domid].mapped++;
	return fake_doms[domid].page;
}

int xengnttab_unmap(xengnttab_handle *xgt, void *start_address, uint32_t count)
{
	struct fake_dom *d = dom_of_page(start_address);

	(void)xgt;
	if (!d || count != 1)
		return -1;
	d->mapped--;
	return 0;
}

xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *logger,
					       unsigned open_flags)
{
	(void)logger;
	(void)open_flags;
	return (xenforeignmemory_handle *)&handle_token;
}

int xenforeignmemory_close(xenforeignmemory_handle *fmem)
{
	(void)fmem;
	return 0;
}

void *xenforeignmemory_map(xenforeignmemory_handle *fmem, uint32_t dom, int prot, size_t pages,
			   const xen_pfn_t arr[], int err[])
{
	(void)fmem;
	(void)prot;
	(void)arr;
	(void)err;
	if (dom >= FAKE_MAX_DOM || pages != 1 || fake_doms[dom].foreign_fails) {
		errno = EINVAL;
		return NULL;
	}
	fake_doms[dom].mapped++;
	return fake_doms[dom].page;
}

int xenforeignmemory_unmap(xenforeignmemory_handle *fmem, void *addr, size_t pages)
{
	struct fake_dom *d = dom_of_page(addr);

	(void)fmem;
	if (!d || pages != 1)
		return -1;
	d->mapped--;
	return 0;
}

xc_interface *xc_interface_open(xentoollog_logger *logger, xentoollog_logger *dombuild_logger,
				unsigned open_flags)
{
	(void)logger;
	(void)dombuild_logger;
	(void)open_flags;
	return (xc_interface *)&handle_token;
}

int xc_interface_close(xc_interface *xch)
{
	(void)xch;
	return 0;
}

/* Like Xen: the first existing domain at or after @first_domid. */
int xc_domain_getinfo(xc_interface *xch, uint32_t first_domid, unsigned int max_doms,
		      xc_dominfo_t *info)
{
	uint32_t id;

	(void)xch;
	if (!max_doms)
		return 0;
	for (id = first_domid; id < FAKE_MAX_DOM; id++)
		if (fake_doms[id].exists) {
			memset(info, 0, sizeof(*info));
			info->domid = id;
			info->dying = fake_doms[id].dying;
			info->shutdown = fake_doms[id].shutdown;
			return 1;
		}
	return 0;
}
