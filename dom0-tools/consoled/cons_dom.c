// SPDX-License-Identifier: GPL-2.0-only
/*
 * One domain's console in lamina-consoled. Set-up reads
 * /local/domain/<id>/console/{ring-ref,port,type} (a type other than
 * "xenconsoled" belongs to another backend), maps the ring by the reserved
 * console grant (GNTTAB_RESERVED_CONSOLE, seeded by the domain builder) or
 * else by foreign mapping of ring-ref, binds the event channel, opens a raw
 * pty (holding its slave open so output is kept while nobody reads) and the
 * log file, and publishes console/tty. Teardown undoes it in reverse.
 */
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>

#include <xenstore.h>

#include "cons_int.h"
#include <xen/grant_table.h>
#include "dom0-tools/libxsu/xsu.h"

static bool read_ulong(struct consd *c, uint32_t domid, const char *key, unsigned long *v)
{
	char *s = xsu_readf(c->xs, NULL, "/local/domain/%u/console/%s", domid, key), *end;
	bool ok = s && s[0] >= '0' && s[0] <= '9';

	if (ok) {
		*v = strtoul(s, &end, 10);
		ok = *end == '\0';
	}
	free(s);
	return ok;
}

static int map_ring(struct consd *c, struct cons_dom *d, unsigned long ref)
{
	xen_pfn_t pfn = ref;

	d->ring = xengnttab_map_grant_ref(c->gnttab, d->domid, GNTTAB_RESERVED_CONSOLE,
					  PROT_READ | PROT_WRITE);
	d->ring_granted = d->ring != NULL;
	if (!d->ring)
		d->ring = xenforeignmemory_map(c->fmem, d->domid, PROT_READ | PROT_WRITE, 1, &pfn,
					       NULL);
	return d->ring ? 0 : -errno;
}

static void unmap_ring(struct consd *c, struct cons_dom *d)
{
	if (!d->ring)
		return;
	if (d->ring_granted)
		xengnttab_unmap(c->gnttab, d->ring, 1);
	else
		xenforeignmemory_unmap(c->fmem, d->ring, 1);
	d->ring = NULL;
}

static int open_pty(struct consd *c, struct cons_dom *d)
{
	struct termios t;
	char path[64], *name;

	if (openpty(&d->master, &d->slave, NULL, NULL, NULL))
		return -errno;
	/* Raw: the guest's output must not be echoed back into its input. */
	if (!tcgetattr(d->slave, &t)) {
		cfmakeraw(&t);
		tcsetattr(d->slave, TCSANOW, &t);
	}
	fcntl(d->master, F_SETFL, fcntl(d->master, F_GETFL) | O_NONBLOCK);
	fcntl(d->master, F_SETFD, FD_CLOEXEC);
	fcntl(d->slave, F_SETFD, FD_CLOEXEC);
	name = ptsname(d->master);
	snprintf(path, sizeof(path), "/local/domain/%u/console/tty", d->domid);
	return name ? xsu_write(c->xs, path, name) : -ENOTTY;
}

static void open_log(struct consd *c, struct cons_dom *d)
{
	char path[256];

	if (!c->log_dir)
		return;
	/* xenconsoled's name for it, so tools that read those logs find ours. */
	snprintf(path, sizeof(path), "%s/guest-%s.log", c->log_dir, d->name);
	d->log = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

/* A name that can be part of a file name: [A-Za-z0-9._-], 1-64 bytes, not "." or "..". */
static bool name_safe(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64 || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

struct cons_dom *cons_dom_open(struct consd *c, uint32_t domid)
{
	struct cons_dom *d = calloc(1, sizeof(*d));
	char *name, path[64];

	if (!d)
		return NULL;
	d->domid = domid;
	d->local_port = d->master = d->slave = d->log = -1;
	d->budget = c->lim.rate_bytes / (1000 / CONS_TICK_MS) + 1;
	name = xsu_readf(c->xs, NULL, "/local/domain/%u/name", domid);
	snprintf(d->name, sizeof(d->name), "%s", name && name_safe(name) ? name : "");
	if (!d->name[0])
		snprintf(d->name, sizeof(d->name), "domain-%u", domid);
	free(name);
	/*
	 * Watch the console directory, as xenconsoled does: libxl writes the
	 * console device (ring-ref, port, and tty emptied) only after the
	 * domain is introduced, then waits for the backend to publish the pty.
	 */
	snprintf(path, sizeof(path), "/local/domain/%u/console", domid);
	d->watched = xs_watch(c->xs, path, "console");
	cons_dom_connect(c, d);
	return d;
}

/* Give back what a failed connect got, so that the next try starts clean. */
static void disconnect(struct consd *c, struct cons_dom *d)
{
	if (d->local_port >= 0)
		xenevtchn_unbind(c->evtchn, (evtchn_port_t)d->local_port);
	d->local_port = -1;
	unmap_ring(c, d);
}

void cons_dom_connect(struct consd *c, struct cons_dom *d)
{
	unsigned long ref, port;
	char *type;
	int rc;

	if (d->dead || d->master >= 0)
		return;
	type = xsu_readf(c->xs, NULL, "/local/domain/%u/console/type", d->domid);
	rc = type && strcmp(type, "xenconsoled");
	free(type);
	/* Another backend's console, or its entries not written yet. */
	if (rc || !read_ulong(c, d->domid, "ring-ref", &ref) ||
	    !read_ulong(c, d->domid, "port", &port))
		return;
	rc = map_ring(c, d, ref);
	if (rc)
		goto err;
	d->local_port = xenevtchn_bind_interdomain(c->evtchn, d->domid, (evtchn_port_t)port);
	if (d->local_port < 0) {
		rc = -errno;
		goto err;
	}
	rc = open_pty(c, d);
	if (rc)
		goto err;
	open_log(c, d);
	fprintf(c->msg, "lamina-consoled: domain %u (%s): console on %s\n", d->domid, d->name,
		ptsname(d->master));
	return;
err:
	if (!d->reported)
		fprintf(c->msg, "lamina-consoled: domain %u: no console: %s\n", d->domid,
			strerror(-rc));
	d->reported = true;
	if (d->master >= 0)
		close(d->master);
	if (d->slave >= 0)
		close(d->slave);
	d->master = d->slave = -1;
	disconnect(c, d);
}

void cons_dom_cut(struct consd *c, struct cons_dom *d, const char *why)
{
	fprintf(c->msg, "lamina-consoled: domain %u (%s): %s: console cut off\n", d->domid, d->name,
		why);
	if (d->log >= 0) {
		dprintf(d->log, "\n[lamina-consoled: %s: console cut off]\n", why);
	}
	disconnect(c, d);
	d->dead = true;
}

void cons_dom_republish(struct consd *c, struct cons_dom *d)
{
	char path[64], *tty;
	const char *name;

	if (d->dead || d->master < 0 || !(name = ptsname(d->master)))
		return;
	snprintf(path, sizeof(path), "/local/domain/%u/console/tty", d->domid);
	tty = xsu_readf(c->xs, NULL, "%s", path);
	/* Not when it is gone: a write would bring a destroyed domain's directory back. */
	if (tty && strcmp(tty, name))
		xsu_write(c->xs, path, name);
	free(tty);
}

void cons_dom_close(struct consd *c, struct cons_dom *d)
{
	char path[64];

	if (d->watched) {
		snprintf(path, sizeof(path), "/local/domain/%u/console", d->domid);
		xs_unwatch(c->xs, path, "console");
	}

	if (d->local_port >= 0)
		xenevtchn_unbind(c->evtchn, (evtchn_port_t)d->local_port);
	unmap_ring(c, d);
	if (d->master >= 0) {
		close(d->master);
		snprintf(path, sizeof(path), "/local/domain/%u/console/tty", d->domid);
		xsu_rm(c->xs, path);
	}
	if (d->slave >= 0)
		close(d->slave);
	if (d->log >= 0)
		close(d->log);
	free(d);
}

/* Append to the log, up to the cap (then one note). */
static void log_out(struct consd *c, struct cons_dom *d, const char *buf, size_t n)
{
	if (d->log < 0 || d->logged >= c->lim.log_max)
		return;
	if (d->logged + n > c->lim.log_max) {
		n = c->lim.log_max - d->logged;
		if (write(d->log, buf, n) < 0)
			return;
		dprintf(d->log, "\n[lamina-consoled: log limit of %zu bytes reached]\n",
			c->lim.log_max);
		d->logged = c->lim.log_max;
		return;
	}
	if (write(d->log, buf, n) > 0)
		d->logged += n;
}

/* Write what is pending to the pty; what it cannot take now waits (oldest dropped first). */
static void flush_pty(struct cons_dom *d)
{
	ssize_t w;

	if (!d->npending)
		return;
	w = write(d->master, d->pending, d->npending);
	if (w <= 0)
		return;
	memmove(d->pending, d->pending + w, d->npending - (size_t)w);
	d->npending -= (size_t)w;
}

void cons_dom_service(struct consd *c, struct cons_dom *d)
{
	char buf[2048];
	enum cons_ring_err err;
	size_t n;

	if (d->dead || !d->ring)
		return;
	while (d->budget) {
		n = cons_ring_take(d->ring, buf, d->budget < sizeof(buf) ? d->budget : sizeof(buf),
				   &err);
		if (err) {
			cons_dom_cut(c, d, "bad ring indexes");
			return;
		}
		if (!n)
			break;
		d->budget -= (unsigned int)n;
		log_out(c, d, buf, n);
		if (n > CONS_PENDING - d->npending) {
			size_t drop = n - (CONS_PENDING - d->npending);

			drop = drop > d->npending ? d->npending : drop;
			memmove(d->pending, d->pending + drop, d->npending - drop);
			d->npending -= drop;
		}
		n = n > CONS_PENDING - d->npending ? CONS_PENDING - d->npending : n;
		memcpy(d->pending + d->npending, buf, n);
		d->npending += n;
		xenevtchn_notify(c->evtchn, (evtchn_port_t)d->local_port);
	}
	flush_pty(d);
}

void cons_dom_input(struct consd *c, struct cons_dom *d)
{
	char buf[1024];
	enum cons_ring_err err;
	ssize_t r;

	if (d->dead || !d->ring)
		return;
	/* Only what the in ring has room for: the rest waits in the pty. */
	size_t room = cons_ring_room(d->ring, &err);

	if (err) {
		cons_dom_cut(c, d, "bad ring indexes");
		return;
	}
	if (!room)
		return;
	r = read(d->master, buf, room < sizeof(buf) ? room : sizeof(buf));
	if (r <= 0)
		return;
	cons_ring_put(d->ring, buf, (size_t)r, &err);
	if (err) {
		cons_dom_cut(c, d, "bad ring indexes");
		return;
	}
	xenevtchn_notify(c->evtchn, (evtchn_port_t)d->local_port);
}
