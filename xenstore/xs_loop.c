// SPDX-License-Identifier: GPL-2.0-only
/*
 * The event loop: one epoll set holding the listening Unix socket, every
 * client socket, the event-channel fd (Xen transport) and a signalfd.
 * A readable client gets one read() of whatever is there, every complete
 * message in it is handled, and all queued output is written back with one
 * write() per connection per loop turn. A client that stops reading stops
 * being read (EPOLLIN off) until its queue drains.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "xs_daemon.h"

int xs_loop_watch_fd(struct xs_daemon *d, int fd, uint64_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };

	return epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

static void conn_set_mask(struct xs_daemon *d, struct xs_conn *c)
{
	uint32_t want = 0;
	struct epoll_event ev;

	if (c->fd < 0 || c->dead)
		return;
	if (!xs_conn_blocked(c))
		want |= EPOLLIN;
	if (c->out_end > c->out_start)
		want |= EPOLLOUT;
	if (want == c->io_mask)
		return;
	ev.events = want;
	ev.data.ptr = c;
	if (!epoll_ctl(d->epfd, EPOLL_CTL_MOD, c->fd, &ev))
		c->io_mask = want;
}

int xs_loop_add_socket_conn(struct xs_daemon *d, int fd, struct xs_conn **out)
{
	struct xs_conn *c = xs_conn_new(&d->store, 0, fd);
	struct epoll_event ev = { .events = EPOLLIN };

	if (!c)
		return -ENOMEM;
	ev.data.ptr = c;
	if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		xs_conn_free(c);
		return -errno;
	}
	c->io_mask = EPOLLIN;
	if (out)
		*out = c;
	return 0;
}

static void conn_drop(struct xs_daemon *d, struct xs_conn *c)
{
	if (c->fd >= 0) {
		epoll_ctl(d->epfd, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
		if (d->accept_paused && !xs_loop_watch_fd(d, d->listen_fd, XS_TAG_LISTEN))
			d->accept_paused = false;
	}
	xs_conn_free(c);
}

static void do_accept(struct xs_daemon *d)
{
	int fd, i;

	for (i = 0; i < 256; i++) {
		fd = accept4(d->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE) {
				/* Stop accepting until a client leaves. */
				epoll_ctl(d->epfd, EPOLL_CTL_DEL, d->listen_fd, NULL);
				d->accept_paused = true;
			}
			return;
		}
		if (xs_loop_add_socket_conn(d, fd, NULL))
			close(fd);
	}
}

/* One read() of whatever the client sent; handled later by the caller. */
static void conn_readable(struct xs_conn *c)
{
	ssize_t n;

	if (xs_conn_blocked(c) || c->in_len >= XS_MSG_MAX)
		return;
	n = read(c->fd, c->in + c->in_len, XS_MSG_MAX - c->in_len);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		xs_conn_kill(c);
		return;
	}
	if (n > 0)
		c->in_len += n;
}

/* Is the first message waiting on @c a transaction commit? */
static bool commit_first(const struct xs_conn *c)
{
	struct xsd_sockmsg hdr;

	if (c->in_len < sizeof(hdr))
		return false;
	memcpy(&hdr, c->in, sizeof(hdr));
	return hdr.type == XS_TRANSACTION_END;
}

/*
 * Handle what a batch of ready clients sent. Clients are independent, so
 * any order between them is correct; commits go first so that the reads
 * of the same batch see their results, which spares those transactions a
 * conflict (fewer EAGAIN retries under contention).
 */
static void handle_batch(struct epoll_event *evs, int n)
{
	struct xs_conn *c;
	int i;

	for (i = 0; i < n; i++) {
		c = evs[i].data.ptr;
		if (c && commit_first(c))
			xs_conn_process(c);
	}
	for (i = 0; i < n; i++) {
		c = evs[i].data.ptr;
		if (c && !c->dead)
			xs_conn_process(c);
	}
}

static void conn_flush(struct xs_daemon *d, struct xs_conn *c)
{
	ssize_t n;

	if (c->fd < 0) {
		xs_xen_flush(d, c);
		return;
	}
	while (c->out_end > c->out_start) {
		n = write(c->fd, c->out + c->out_start, c->out_end - c->out_start);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				xs_conn_kill(c);
			break;
		}
		xs_conn_consumed(c, n);
	}
}

/*
 * Write out everything queued, resume clients that were waiting on their
 * output, drop dead clients. Only connections on the dirty list are
 * visited, so idle clients cost nothing per loop turn.
 */
static void flush_all(struct xs_daemon *d)
{
	struct xs_list *l, *next;
	int rounds;

	/* Handling a waiting client can queue events for others: two rounds. */
	for (rounds = 0; rounds < 2 && !xs_list_empty(&d->store.dirty); rounds++)
		for (l = d->store.dirty.next; l != &d->store.dirty; l = next) {
			struct xs_conn *c = xs_container_of(l, struct xs_conn, dirty);

			next = l->next;
			if (c->dead)
				continue;
			conn_flush(d, c);
			if (!c->dead && !xs_conn_blocked(c) &&
			    c->in_len >= sizeof(struct xsd_sockmsg))
				xs_conn_process(c);
			conn_set_mask(d, c);
		}
	for (l = d->store.dirty.next; l != &d->store.dirty; l = next) {
		struct xs_conn *c = xs_container_of(l, struct xs_conn, dirty);

		next = l->next;
		if (c->dead)
			conn_drop(d, c);
	}
}

static int open_socket(struct xs_daemon *d)
{
	const char *path = getenv("XENSTORED_PATH"), *rundir = getenv("XENSTORED_RUNDIR");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (!rundir)
		rundir = "/var/run/xenstored";
	if (path)
		snprintf(d->sock_path, sizeof(d->sock_path), "%s", path);
	else
		snprintf(d->sock_path, sizeof(d->sock_path), "%s/socket", rundir);
	if (strlen(d->sock_path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	if (d->listen_fd >= 0)
		return 0; /* inherited across a live update */
	if (!path)
		mkdir(rundir, 0755);
	strcpy(sa.sun_path, d->sock_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(d->sock_path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(d->sock_path, 0600) ||
	    listen(fd, 1024)) {
		close(fd);
		return -errno;
	}
	d->listen_fd = fd;
	return 0;
}

/*
 * SIGTERM, SIGINT and SIGHUP arrive through a signalfd in the epoll set.
 * Called again after fork(): a signalfd only wakes epoll for the process
 * that created it.
 */
int xs_loop_signals(struct xs_daemon *d)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (d->sig_fd >= 0) {
		epoll_ctl(d->epfd, EPOLL_CTL_DEL, d->sig_fd, NULL);
		close(d->sig_fd);
	}
	d->sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d->sig_fd < 0)
		return -errno;
	return xs_loop_watch_fd(d, d->sig_fd, XS_TAG_SIGNAL);
}

int xs_loop_init(struct xs_daemon *d)
{
	struct rlimit rl;
	int err;

	/* Thousands of clients: take every descriptor we are allowed. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGPIPE, SIG_IGN);
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (d->epfd < 0)
		return -errno;
	err = open_socket(d);
	if (err)
		return err;
	err = xs_loop_watch_fd(d, d->listen_fd, XS_TAG_LISTEN);
	return err ? err : xs_loop_signals(d);
}

static void handle_signal(struct xs_daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sig_fd, &si, sizeof(si)) == sizeof(si))
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
			d->stop = true;
}

int xs_loop_run(struct xs_daemon *d)
{
	struct epoll_event evs[64];
	int n, i;

	while (!d->stop) {
		flush_all(d);
		/* Output still queued (a client not reading) goes into the state. */
		if (d->store.live_update) {
			xs_live_update(d); /* returns only when it failed */
			d->store.live_update = false;
		}
		n = epoll_wait(d->epfd, evs, 64, -1);
		if (n < 0 && errno != EINTR)
			return -errno;
		for (i = 0; i < n; i++) {
			uint64_t tag = evs[i].data.u64;

			if (tag == XS_TAG_LISTEN)
				do_accept(d);
			else if (tag == XS_TAG_EVTCHN)
				xs_xen_event(d);
			else if (tag == XS_TAG_SIGNAL)
				handle_signal(d);
			else if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
				conn_readable(evs[i].data.ptr);
			if (tag <= XS_TAG_SIGNAL ||
			    !(evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
				evs[i].data.ptr = NULL; /* not a client with input */
		}
		handle_batch(evs, n);
	}
	return 0;
}

void xs_loop_fini(struct xs_daemon *d)
{
	struct xs_list *l, *next;

	for (l = d->store.conns.next; l != &d->store.conns; l = next) {
		struct xs_conn *c = xs_container_of(l, struct xs_conn, link);

		next = l->next;
		if (c->fd >= 0)
			close(c->fd);
	}
	if (d->listen_fd >= 0) {
		close(d->listen_fd);
		unlink(d->sock_path);
	}
	if (d->epfd >= 0)
		close(d->epfd);
	if (d->sig_fd >= 0)
		close(d->sig_fd);
}
