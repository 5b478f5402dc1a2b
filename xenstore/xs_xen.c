// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Xen transport: guests' rings and event channels, through Xen's own
 * libraries, as Xen's xenstored uses them.
 *  - dom0's ring is the page Linux exports as /proc/xen/xsd_kva, its port
 *    /proc/xen/xsd_port (bound interdomain to ourselves);
 *  - other domains' rings arrive with INTRODUCE: mapped through the grant
 *    table (GNTTAB_RESERVED_XENSTORE), else through foreign memory by mfn;
 *  - VIRQ_DOM_EXC says some domain died or shut down: xc_domain_getinfo()
 *    tells which, and @releaseDomain fires.
 * Without /dev/xen/evtchn none of this opens and the daemon serves its
 * socket alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xenctrl.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xengnttab.h>
#include <xen/grant_table.h>

#include "xs_daemon.h"
#include "xs_ops.h"
#include "xs_ring.h"

#define XSD_KVA "/proc/xen/xsd_kva"
#define XSD_PORT "/proc/xen/xsd_port"

struct xs_xen {
	xenevtchn_handle *xce;
	xengnttab_handle *xgt;
	xenforeignmemory_handle *xfm;
	xc_interface *xch;
	int virq_port;
	void *kva; /* dom0's own ring page */
};

/* The one daemon per process, for the map/unmap hooks. */
static struct xs_daemon *xen_daemon;

static int xen_map(struct xs_domain *dom)
{
	struct xs_xen *x = xen_daemon->xen;
	struct xenstore_domain_interface *intf = NULL;
	xen_pfn_t mfn = dom->mfn;
	int port;

	if (dom->domid == 0 && x->kva) {
		intf = x->kva;
	} else {
		if (x->xgt)
			intf = xengnttab_map_grant_ref(x->xgt, dom->domid, GNTTAB_RESERVED_XENSTORE,
						       PROT_READ | PROT_WRITE);
		dom->intf_is_grant = intf != NULL;
		if (!intf && x->xfm)
			intf = xenforeignmemory_map(x->xfm, dom->domid, PROT_READ | PROT_WRITE, 1,
						    &mfn, NULL);
		if (!intf)
			return -EINVAL;
	}
	port = xenevtchn_bind_interdomain(x->xce, dom->domid, dom->remote_port);
	if (port < 0) {
		if (intf != x->kva) {
			if (dom->intf_is_grant)
				xengnttab_unmap(x->xgt, intf, 1);
			else
				xenforeignmemory_unmap(x->xfm, intf, 1);
		}
		return -EINVAL;
	}
	dom->intf = intf;
	dom->local_port = port;
	intf->server_features =
		XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR;
	/* dom0's kernel waits for this first event before it probes xenbus. */
	xenevtchn_notify(x->xce, port);
	return 0;
}

static void xen_unmap(struct xs_domain *dom)
{
	struct xs_xen *x = xen_daemon->xen;

	if (dom->local_port >= 0)
		xenevtchn_unbind(x->xce, dom->local_port);
	dom->local_port = -1;
	if (dom->intf && dom->intf != x->kva) {
		if (dom->intf_is_grant)
			xengnttab_unmap(x->xgt, dom->intf, 1);
		else
			xenforeignmemory_unmap(x->xfm, dom->intf, 1);
	}
	dom->intf = NULL;
}

static void xen_notify(struct xs_domain *dom)
{
	if (dom->local_port >= 0)
		xenevtchn_notify(xen_daemon->xen->xce, dom->local_port);
}

static void xen_rebind(struct xs_domain *dom, unsigned int port)
{
	struct xs_xen *x = xen_daemon->xen;
	int local;

	if (dom->local_port >= 0)
		xenevtchn_unbind(x->xce, dom->local_port);
	local = xenevtchn_bind_interdomain(x->xce, dom->domid, port);
	dom->local_port = local < 0 ? -1 : local;
	xen_notify(dom);
}

static bool xen_exists(unsigned int domid)
{
	struct xs_xen *x = xen_daemon->xen;
	xc_dominfo_t info;

	if (!x->xch)
		return true; /* cannot tell: do not refuse */
	return xc_domain_getinfo(x->xch, domid, 1, &info) == 1 && info.domid == domid;
}

static const struct xs_domain_ops xen_dops = {
	.map = xen_map,
	.unmap = xen_unmap,
	.notify = xen_notify,
	.rebind = xen_rebind,
	.exists = xen_exists,
};

int xs_xen_open(struct xs_daemon *d)
{
	if (access("/dev/xen/evtchn", R_OK | W_OK))
		return -ENODEV;
	return xs_xen_attach(d);
}

int xs_xen_attach(struct xs_daemon *d)
{
	struct xs_xen *x;

	x = calloc(1, sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->virq_port = -1;
	x->xce = xenevtchn_open(NULL, 0);
	if (!x->xce) {
		free(x);
		return -ENODEV;
	}
	x->xgt = xengnttab_open(NULL, 0);
	x->xfm = xenforeignmemory_open(NULL, 0);
	x->xch = xc_interface_open(NULL, NULL, 0);
	x->virq_port = xenevtchn_bind_virq(x->xce, VIRQ_DOM_EXC);
	d->xen = x;
	xen_daemon = d;
	d->store.dops = &xen_dops;
	return xs_loop_watch_fd(d, xenevtchn_fd(x->xce), XS_TAG_EVTCHN);
}

void xs_xen_close(struct xs_daemon *d)
{
	struct xs_xen *x = d->xen;

	if (!x)
		return;
	xs_domain_release_all(&d->store);
	d->store.dops = NULL;
	if (x->virq_port >= 0)
		xenevtchn_unbind(x->xce, x->virq_port);
	if (x->kva)
		munmap(x->kva, XC_PAGE_SIZE);
	if (x->xch)
		xc_interface_close(x->xch);
	if (x->xfm)
		xenforeignmemory_close(x->xfm);
	if (x->xgt)
		xengnttab_close(x->xgt);
	xenevtchn_close(x->xce);
	free(x);
	d->xen = NULL;
}

int xs_xen_dom0_init(struct xs_daemon *d, bool introduce)
{
	struct xs_xen *x = d->xen;
	struct xs_domain *dom;
	unsigned int port;
	char buf[32];
	ssize_t n;
	int fd;

	if (!x || x->kva)
		return 0;
	fd = open(XSD_PORT, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EINVAL;
	buf[n] = '\0';
	if (sscanf(buf, "%u", &port) != 1)
		return -EINVAL;
	fd = open(XSD_KVA, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	x->kva = mmap(NULL, XC_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (x->kva == MAP_FAILED) {
		x->kva = NULL;
		return -errno;
	}
	if (!introduce || xs_domain_find(&d->store, 0))
		return 0;
	return xs_domain_introduce(&d->store, 0, 0, port, &dom);
}

/* Some domain died or shut down: find which, as Xen's xenstored does. */
static void check_domains(struct xs_daemon *d)
{
	struct xs_list *l, *next;
	bool notify = false;
	xc_dominfo_t info;

	if (!d->xen->xch)
		return;
	for (l = d->store.domains.next; l != &d->store.domains; l = next) {
		struct xs_domain *dom = xs_container_of(l, struct xs_domain, link);

		next = l->next;
		if (dom->domid == 0)
			continue;
		if (xc_domain_getinfo(d->xen->xch, dom->domid, 1, &info) == 1 &&
		    info.domid == dom->domid) {
			if ((info.crashed || info.shutdown) && !dom->shutdown) {
				dom->shutdown = true;
				notify = true;
			}
			if (!info.dying)
				continue;
		}
		xs_domain_release(&d->store, dom, true);
	}
	if (notify)
		xs_watch_fire_special(&d->store, "@releaseDomain");
}

/* Move queued replies and events into @dom's response ring. */
static void ring_write(struct xs_domain *dom, struct xs_conn *c)
{
	int n;

	if (c->out_end == c->out_start)
		return;
	n = xs_ring_write(dom->intf, c->out + c->out_start, c->out_end - c->out_start);
	if (n < 0) {
		((struct xenstore_domain_interface *)dom->intf)->error = XENSTORE_ERROR_RINGIDX;
		xs_conn_kill(c);
		return;
	}
	if (n > 0) {
		xs_conn_consumed(c, n);
		xen_notify(dom);
	}
}

/* Serve one domain's ring: take requests, put replies, handle reconnects. */
static void ring_service(struct xs_domain *dom)
{
	struct xenstore_domain_interface *intf = dom->intf;
	struct xs_conn *c = dom->conn;
	int n;

	if (!intf || !c || c->dead)
		return;
	if (intf->connection == XENSTORE_RECONNECT) {
		xs_watch_del_all(c);
		xs_txn_abort_all(c);
		c->in_len = 0;
		xs_conn_consumed(c, c->out_end - c->out_start);
		intf->req_cons = intf->req_prod = intf->rsp_cons = intf->rsp_prod = 0;
		intf->error = XENSTORE_ERROR_NONE;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		intf->connection = XENSTORE_CONNECTED;
		xen_notify(dom);
		return;
	}
	ring_write(dom, c);
	/* Requests already taken off the ring may have waited for room. */
	if (c->in_len && xs_conn_process(c))
		intf->error = XENSTORE_ERROR_PROTO;
	ring_write(dom, c);
	while (!c->dead && !xs_conn_blocked(c)) {
		n = xs_ring_read(intf, c->in + c->in_len, XS_MSG_MAX - c->in_len);
		if (n < 0) {
			intf->error = XENSTORE_ERROR_RINGIDX;
			xs_conn_kill(c);
			break;
		}
		if (n == 0)
			break;
		c->in_len += n;
		xen_notify(dom);
		if (xs_conn_process(c)) {
			intf->error = XENSTORE_ERROR_PROTO;
			break;
		}
	}
	ring_write(dom, c);
}

void xs_xen_event(struct xs_daemon *d)
{
	struct xs_list *l;
	int port;

	port = xenevtchn_pending(d->xen->xce);
	if (port < 0)
		return;
	xenevtchn_unmask(d->xen->xce, port);
	if (port == d->xen->virq_port) {
		check_domains(d);
		return;
	}
	for (l = d->store.domains.next; l != &d->store.domains; l = l->next) {
		struct xs_domain *dom = xs_container_of(l, struct xs_domain, link);

		if (dom->local_port == port) {
			ring_service(dom);
			return;
		}
	}
}

/*
 * The loop's flush of a ring connection: serve the ring fully (a guest
 * does not always notify when it makes room, so requests left waiting for
 * room are taken here too).
 */
void xs_xen_flush(struct xs_daemon *d, struct xs_conn *c)
{
	struct xs_domain *dom = c->domain;

	(void)d;
	if (!dom || !dom->intf) {
		/* No ring (no hypervisor): nobody can read it; drop the output. */
		xs_conn_consumed(c, c->out_end - c->out_start);
		return;
	}
	ring_service(dom);
}
