// SPDX-License-Identifier: GPL-2.0-only
/*
 * lamina-consoled's main loop. Domains are found in xenstore: on start and
 * on every @introduceDomain/@releaseDomain the daemon lists /local/domain,
 * sets up consoles it does not have, and drops those whose domain the
 * hypervisor no longer has (or is dying). One poll() waits on xenstore, the
 * event channel device and every pty; a 100 ms tick refills each guest's
 * rate budget, unmasks throttled ones and cuts off floods.
 *
 *   lamina-consoled [--log-dir DIR] [--pid-file FILE] [-N (foreground)]
 *                   [--rate BYTES/S] [--flood-secs N] [--log-max BYTES]
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>

#include "cons_int.h"
#include "dom0-tools/libxsu/xsu.h"

#define CONS_MAX_POLL 1024

static volatile sig_atomic_t cons_stop;

static void on_term(int sig)
{
	(void)sig;
	cons_stop = 1;
}

static struct cons_dom *find(struct consd *c, uint32_t domid)
{
	for (struct cons_dom *d = c->doms; d; d = d->next)
		if (d->domid == domid)
			return d;
	return NULL;
}

/* A tracked domain's console entries changed: connect it, or publish its tty again. */
static void refresh(struct consd *c, struct cons_dom *d)
{
	if (d->master < 0)
		cons_dom_connect(c, d);
	else
		cons_dom_republish(c, d);
}

/* Set up new consoles, drop the ones whose domain is gone. */
static void scan(struct consd *c)
{
	struct cons_dom **pp, *d;
	char **ids;
	int n = xsu_list(c->xs, "/local/domain", &ids);

	for (d = c->doms; d; d = d->next)
		d->seen = false;
	for (int i = 0; i < n; i++) {
		unsigned long id = strtoul(ids[i], NULL, 10);
		struct hyp_dominfo info;

		if (id == 0 || id >= DOMID_FIRST_RESERVED ||
		    hyp_domain_info(c->hyp, (uint32_t)id, &info) || info.dying)
			continue;
		d = find(c, (uint32_t)id);
		if (!d) {
			d = cons_dom_open(c, (uint32_t)id);
			if (!d)
				continue;
			d->next = c->doms;
			c->doms = d;
		} else {
			refresh(c, d);
		}
		d->seen = true;
	}
	if (n > 0)
		free(ids);
	for (pp = &c->doms; *pp;) {
		d = *pp;
		if (d->seen) {
			pp = &d->next;
			continue;
		}
		*pp = d->next;
		fprintf(c->msg, "lamina-consoled: domain %u (%s) gone\n", d->domid, d->name);
		cons_dom_close(c, d);
	}
	fflush(c->msg);
}

static void on_event(struct consd *c)
{
	xenevtchn_port_or_error_t port = xenevtchn_pending(c->evtchn);

	if (port < 0)
		return;
	for (struct cons_dom *d = c->doms; d; d = d->next) {
		if (d->local_port != port)
			continue;
		cons_dom_service(c, d);
		/* Throttled: left masked until the next tick refills the budget. */
		d->masked = !d->budget && !d->dead;
		if (!d->masked && !d->dead)
			xenevtchn_unmask(c->evtchn, (evtchn_port_t)port);
		return;
	}
	xenevtchn_unmask(c->evtchn, (evtchn_port_t)port);
}

static void on_tick(struct consd *c)
{
	for (struct cons_dom *d = c->doms; d; d = d->next) {
		if (d->dead)
			continue;
		if (cons_tick(d, &c->lim)) {
			cons_dom_cut(c, d, "output flood");
			continue;
		}
		/* Also catches output whose event was missed while masked. */
		cons_dom_service(c, d);
		if (d->masked && d->budget) {
			d->masked = false;
			xenevtchn_unmask(c->evtchn, (evtchn_port_t)d->local_port);
		}
	}
	fflush(c->msg);
}

/*
 * A domain's own console/ directory fired: that domain alone, since a guest
 * may write there and must not make the daemon list every domain each time.
 * @introduceDomain and @releaseDomain rescan the list.
 */
static void on_watch(struct consd *c)
{
	unsigned int num, id;
	char **w = xs_read_watch(c->xs, &num);
	struct cons_dom *d;

	if (w && num > XS_WATCH_TOKEN && !strcmp(w[XS_WATCH_TOKEN], "console") &&
	    sscanf(w[XS_WATCH_PATH], "/local/domain/%u/console", &id) == 1) {
		d = find(c, id);
		if (d)
			refresh(c, d);
	} else {
		scan(c);
	}
	free(w);
}

static int loop(struct consd *c)
{
	struct pollfd p[CONS_MAX_POLL];
	struct cons_dom *by_fd[CONS_MAX_POLL];
	struct timespec last, now;

	clock_gettime(CLOCK_MONOTONIC, &last);
	scan(c);
	while (!cons_stop) {
		int n = 2;

		p[0] = (struct pollfd){ .fd = xs_fileno(c->xs), .events = POLLIN };
		p[1] = (struct pollfd){ .fd = xenevtchn_fd(c->evtchn), .events = POLLIN };
		for (struct cons_dom *d = c->doms; d && n < CONS_MAX_POLL; d = d->next) {
			if (d->dead || d->master < 0)
				continue;
			by_fd[n] = d;
			p[n++] = (struct pollfd){ .fd = d->master,
						  .events = POLLIN | (d->npending ? POLLOUT : 0) };
		}
		if (poll(p, (nfds_t)n, CONS_TICK_MS) < 0 && errno != EINTR)
			return -errno;
		if (p[0].revents & POLLIN) {
			on_watch(c);
			continue; /* the list may have changed under by_fd */
		}
		if (p[1].revents & POLLIN)
			on_event(c);
		for (int i = 2; i < n; i++) {
			if (p[i].revents & POLLIN)
				cons_dom_input(c, by_fd[i]);
			if (p[i].revents & POLLOUT)
				cons_dom_service(c, by_fd[i]);
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - last.tv_sec) * 1000 + (now.tv_nsec - last.tv_nsec) / 1000000 >=
		    CONS_TICK_MS) {
			on_tick(c);
			last = now;
		}
	}
	return 0;
}

static int open_all(struct consd *c)
{
	c->xs = xsu_open();
	c->hyp = hyp_open();
	c->evtchn = xenevtchn_open(NULL, 0);
	c->gnttab = xengnttab_open(NULL, 0);
	c->fmem = xenforeignmemory_open(NULL, 0);
	if (!c->xs || !c->hyp || !c->evtchn || !c->fmem) {
		fprintf(stderr, "lamina-consoled: cannot open %s: %s\n",
			!c->xs	  ? "xenstore"
			: !c->hyp ? "the hypervisor"
				  : "the event channel device",
			strerror(errno));
		return -1;
	}
	/* Without a grant device consoles are mapped by ring-ref (foreign mapping). */
	if (!xs_watch(c->xs, "@introduceDomain", "intro") ||
	    !xs_watch(c->xs, "@releaseDomain", "release")) {
		fprintf(stderr, "lamina-consoled: cannot watch xenstore: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static void close_all(struct consd *c)
{
	while (c->doms) {
		struct cons_dom *d = c->doms;

		c->doms = d->next;
		cons_dom_close(c, d);
	}
	if (c->fmem)
		xenforeignmemory_close(c->fmem);
	if (c->gnttab)
		xengnttab_close(c->gnttab);
	if (c->evtchn)
		xenevtchn_close(c->evtchn);
	hyp_close(c->hyp);
	xsu_close(c->xs);
}

static int parse(int argc, char **argv, struct consd *c, bool *fg, const char **pidfile)
{
	static const struct option opts[] = {
		{ "log-dir", 1, 0, 'l' },    { "pid-file", 1, 0, 'p' }, { "rate", 1, 0, 'r' },
		{ "flood-secs", 1, 0, 'f' }, { "log-max", 1, 0, 'm' },	{ 0, 0, 0, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "N", opts, NULL)) != -1) {
		switch (opt) {
		case 'N':
			*fg = true;
			break;
		case 'l':
			c->log_dir = optarg;
			break;
		case 'p':
			*pidfile = optarg;
			break;
		case 'r':
			c->lim.rate_bytes = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'f':
			c->lim.flood_secs = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'm':
			c->lim.log_max = strtoul(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr,
				"usage: lamina-consoled [-N] [--log-dir DIR] [--pid-file F] "
				"[--rate B/s] [--flood-secs N] [--log-max B]\n");
			return -1;
		}
	}
	if (c->lim.rate_bytes < 10)
		c->lim.rate_bytes = 10;
	return 0;
}

int main(int argc, char **argv)
{
	/* Decision: 256 KiB/s per guest, cut off after 10 s above it, 4 MiB of log each. */
	struct consd c = {
		.lim = { .rate_bytes = 256 * 1024, .flood_secs = 10, .log_max = 4 << 20 },
		.msg = stderr
	};
	const char *pidfile = NULL;
	bool fg = false;
	int rc;

	if (parse(argc, argv, &c, &fg, &pidfile))
		return 2;
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	signal(SIGPIPE, SIG_IGN);
	if (c.log_dir)
		mkdir(c.log_dir, 0755);
	/* Fork before opening anything: handles and watches do not survive a fork. */
	if (!fg && daemon(0, 1)) {
		perror("lamina-consoled: daemon");
		return 1;
	}
	if (pidfile) {
		FILE *f = fopen(pidfile, "w");

		if (f) {
			fprintf(f, "%d\n", (int)getpid());
			fclose(f);
		}
	}
	rc = open_all(&c) ? 1 : (loop(&c) ? 1 : 0);
	close_all(&c);
	if (pidfile)
		unlink(pidfile);
	return rc;
}
