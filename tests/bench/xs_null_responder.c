// SPDX-License-Identifier: GPL-2.0-only
/*
 * The benchmark's floor: a xenstore "daemon" that answers every request at
 * once with a well-formed reply and stores nothing, so the xenstore bench
 * can show what the socket, the scheduler and libxenstore cost on their own.
 *
 *   xs_null_responder SOCKET-PATH
 *
 * Replies, by request type (header echoed: type, req_id, tx_id):
 *   READ                 an empty value
 *   DIRECTORY(_PART)     no children ("0" generation for _PART)
 *   GET_PERMS            "n0" (dom0 owns it, no access for others)
 *   TRANSACTION_START    a fresh transaction id
 *   WATCH                "OK", then the initial WATCH_EVENT for the path
 *   GET_DOMAIN_PATH      /local/domain/<id>
 *   IS_DOMAIN_INTRODUCED "T"
 *   anything else known  "OK"
 *   unknown type         ERROR "EINVAL"
 * The only state kept is each connection's watch list, so that a write
 * outside a transaction fires WATCH_EVENTs on the watches whose path is the
 * written path or one of its ancestors, as xenstored would; the
 * write-to-watch-event latency then has a floor too.
 *
 * A client that sends a header longer than XENSTORE_PAYLOAD_MAX, or lets
 * its unread replies pile up past NULL_OUT_MAX, is dropped. A full table
 * refuses new connections by closing them.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <xen/io/xs_wire.h>

#define NULL_MAX_CONNS 256
#define NULL_MAX_WATCHES 128
#define NULL_OUT_MAX (64 * 1024)
#define NULL_IN_MAX (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)

struct null_watch {
	char *path;
	char *token;
};

struct null_conn {
	int fd;	       /* -1: slot free */
	size_t in_len; /* bytes of in[] filled */
	char in[NULL_IN_MAX];
	size_t out_len; /* bytes of out[] not yet sent */
	char *out;	/* NULL_OUT_MAX bytes */
	bool armed_out; /* epoll also waits for room to write */
	struct null_watch watch[NULL_MAX_WATCHES];
	unsigned int nr_watch;
};

static struct null_conn *null_conns;
static int null_epfd = -1;
static bool null_fired; /* watch events queued on other connections */
static uint32_t null_next_txid = 1;

static void null_conn_close(struct null_conn *c)
{
	unsigned int i;

	for (i = 0; i < c->nr_watch; i++) {
		free(c->watch[i].path);
		free(c->watch[i].token);
	}
	c->nr_watch = 0;
	epoll_ctl(null_epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	c->in_len = 0;
	c->out_len = 0;
	c->armed_out = false;
}

/* Queues one message; -ENOSPC if the client stopped reading its replies. */
static int null_queue(struct null_conn *c, const struct xsd_sockmsg *req, uint32_t type,
		      const void *body, size_t len)
{
	struct xsd_sockmsg hdr;

	if (c->out_len + sizeof(hdr) + len > NULL_OUT_MAX)
		return -ENOSPC;
	hdr.type = type;
	hdr.req_id = req ? req->req_id : 0;
	hdr.tx_id = req ? req->tx_id : 0;
	hdr.len = (uint32_t)len;
	memcpy(c->out + c->out_len, &hdr, sizeof(hdr));
	memcpy(c->out + c->out_len + sizeof(hdr), body, len);
	c->out_len += sizeof(hdr) + len;
	return 0;
}

static int null_queue_str(struct null_conn *c, const struct xsd_sockmsg *req, uint32_t type,
			  const char *s)
{
	return null_queue(c, req, type, s, strlen(s) + 1);
}

/* A watch event "path\0token\0" to c. */
static int null_queue_event(struct null_conn *c, const char *path, const char *token)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t pl = strlen(path) + 1, tl = strlen(token) + 1;

	if (pl + tl > sizeof(buf))
		return -E2BIG;
	memcpy(buf, path, pl);
	memcpy(buf + pl, token, tl);
	return null_queue(c, NULL, XS_WATCH_EVENT, buf, pl + tl);
}

/* True if a watch on w covers a change to path (itself or a descendant). */
static bool null_watch_covers(const char *w, const char *path)
{
	size_t n = strlen(w);

	return strncmp(w, path, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static void null_fire(const char *path)
{
	unsigned int i, j;

	for (i = 0; i < NULL_MAX_CONNS; i++) {
		struct null_conn *c = &null_conns[i];

		if (c->fd < 0)
			continue;
		for (j = 0; j < c->nr_watch; j++) {
			if (!null_watch_covers(c->watch[j].path, path))
				continue;
			(void)null_queue_event(c, path, c->watch[j].token);
			null_fired = true;
		}
	}
}

/*
 * Splits body into two NUL-terminated strings (WATCH: path, token).
 * Returns 0, or -EINVAL when the body does not hold two strings.
 */
static int null_two_strings(const char *body, size_t len, const char **a, const char **b)
{
	const char *end = memchr(body, '\0', len);

	if (end == NULL || memchr(end + 1, '\0', len - (size_t)(end + 1 - body)) == NULL)
		return -EINVAL;
	*a = body;
	*b = end + 1;
	return 0;
}

static int null_watch(struct null_conn *c, const struct xsd_sockmsg *req, const char *body)
{
	const char *path, *token;
	struct null_watch *w;

	if (null_two_strings(body, req->len, &path, &token) != 0)
		return null_queue_str(c, req, XS_ERROR, "EINVAL");
	if (c->nr_watch == NULL_MAX_WATCHES)
		return null_queue_str(c, req, XS_ERROR, "E2BIG");
	w = &c->watch[c->nr_watch];
	w->path = strdup(path);
	w->token = strdup(token);
	if (w->path == NULL || w->token == NULL) {
		free(w->path);
		free(w->token);
		return null_queue_str(c, req, XS_ERROR, "ENOMEM");
	}
	c->nr_watch++;
	if (null_queue_str(c, req, XS_WATCH, "OK") != 0)
		return -ENOSPC;
	return null_queue_event(c, path, token);
}

/* Answers one whole request held in c->in. */
static int null_answer(struct null_conn *c)
{
	struct xsd_sockmsg req;
	const char *body = c->in + sizeof(req);
	char buf[64];

	memcpy(&req, c->in, sizeof(req));
	switch (req.type) {
	case XS_READ:
		return null_queue(c, &req, req.type, "", 0);
	case XS_DIRECTORY:
		return null_queue(c, &req, req.type, "", 0);
	case XS_DIRECTORY_PART:
		return null_queue(c, &req, req.type, "0\0", 3);
	case XS_GET_PERMS:
		return null_queue_str(c, &req, req.type, "n0");
	case XS_TRANSACTION_START:
		snprintf(buf, sizeof(buf), "%u", null_next_txid++);
		return null_queue_str(c, &req, req.type, buf);
	case XS_WATCH:
		return null_watch(c, &req, body);
	case XS_GET_DOMAIN_PATH:
		if (memchr(body, '\0', req.len) == NULL)
			return null_queue_str(c, &req, XS_ERROR, "EINVAL");
		snprintf(buf, sizeof(buf), "/local/domain/%u",
			 (unsigned int)strtoul(body, NULL, 10));
		return null_queue_str(c, &req, req.type, buf);
	case XS_IS_DOMAIN_INTRODUCED:
		return null_queue_str(c, &req, req.type, "T");
	case XS_WRITE:
	case XS_MKDIR:
	case XS_RM:
		if (req.tx_id == 0 && memchr(body, '\0', req.len) != NULL)
			null_fire(body);
		return null_queue_str(c, &req, req.type, "OK");
	case XS_CONTROL:
	case XS_UNWATCH:
	case XS_TRANSACTION_END:
	case XS_INTRODUCE:
	case XS_RELEASE:
	case XS_SET_PERMS:
	case XS_RESUME:
	case XS_SET_TARGET:
	case XS_RESET_WATCHES:
		return null_queue_str(c, &req, req.type, "OK");
	default:
		return null_queue_str(c, &req, XS_ERROR, "EINVAL");
	}
}

/* Reads what is there, answers every complete request; -1 drops c. */
static int null_input(struct null_conn *c)
{
	struct xsd_sockmsg hdr;
	size_t whole;
	ssize_t n;

	n = read(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		return -1;
	if (n < 0)
		return 0;
	c->in_len += (size_t)n;
	while (c->in_len >= sizeof(hdr)) {
		memcpy(&hdr, c->in, sizeof(hdr));
		if (hdr.len > XENSTORE_PAYLOAD_MAX)
			return -1;
		whole = sizeof(hdr) + hdr.len;
		if (c->in_len < whole)
			break;
		if (null_answer(c) == -ENOSPC)
			return -1;
		memmove(c->in, c->in + whole, c->in_len - whole);
		c->in_len -= whole;
	}
	return 0;
}

static int null_output(struct null_conn *c)
{
	ssize_t n;

	n = write(c->fd, c->out, c->out_len);
	if (n < 0)
		return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
	memmove(c->out, c->out + n, c->out_len - (size_t)n);
	c->out_len -= (size_t)n;
	return 0;
}

static int null_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "xs_null_responder: socket path too long\n");
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 64) != 0) {
		perror("xs_null_responder: bind/listen");
		close(fd);
		return -1;
	}
	return fd;
}

/* Watches c for input, and for room to write while replies are pending. */
static int null_arm(struct null_conn *c, int op)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 0 };

	ev.data.u32 = (uint32_t)(c - null_conns) + 1;
	c->armed_out = c->out_len != 0;
	if (c->armed_out)
		ev.events |= EPOLLOUT;
	return epoll_ctl(null_epfd, op, c->fd, &ev);
}

/* Accepts every pending connection; those beyond the table are closed. */
static void null_accept(int lfd)
{
	unsigned int i;
	int fd;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		for (i = 0; i < NULL_MAX_CONNS; i++)
			if (null_conns[i].fd < 0)
				break;
		if (i == NULL_MAX_CONNS) {
			close(fd);
			continue;
		}
		null_conns[i].fd = fd;
		if (null_arm(&null_conns[i], EPOLL_CTL_ADD) != 0)
			null_conn_close(&null_conns[i]);
	}
}

/* Sends what c has pending; -1 drops c. Re-arms EPOLLOUT as needed. */
static int null_flush(struct null_conn *c)
{
	if (c->out_len && null_output(c) != 0)
		return -1;
	if (c->armed_out != (c->out_len != 0))
		return null_arm(c, EPOLL_CTL_MOD) ? -1 : 0;
	return 0;
}

/* The loop: epoll over the listener (tag 0) and the connections (slot+1). */
static int null_serve(int lfd)
{
	struct epoll_event evs[64], ev = { .events = EPOLLIN, .data.u32 = 0 };
	unsigned int i;
	int n, k;

	null_epfd = epoll_create1(EPOLL_CLOEXEC);
	if (null_epfd < 0 || epoll_ctl(null_epfd, EPOLL_CTL_ADD, lfd, &ev))
		return -1;
	for (;;) {
		n = epoll_wait(null_epfd, evs, 64, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (k = 0; k < n; k++) {
			struct null_conn *c;

			if (evs[k].data.u32 == 0) {
				null_accept(lfd);
				continue;
			}
			if (evs[k].data.u32 > NULL_MAX_CONNS)
				continue;
			c = &null_conns[evs[k].data.u32 - 1];
			if (c->fd < 0)
				continue;
			if ((evs[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) &&
			    null_input(c) != 0) {
				null_conn_close(c);
				continue;
			}
			/* Replies go out at once, not on the next wake-up. */
			if (null_flush(c) != 0)
				null_conn_close(c);
		}
		/* Watch events queued for connections that did not wake. */
		if (!null_fired)
			continue;
		null_fired = false;
		for (i = 0; i < NULL_MAX_CONNS; i++)
			if (null_conns[i].fd >= 0 && null_conns[i].out_len &&
			    null_flush(&null_conns[i]) != 0)
				null_conn_close(&null_conns[i]);
	}
}

int main(int argc, char **argv)
{
	unsigned int i;
	int lfd;

	if (argc != 2) {
		fprintf(stderr, "usage: xs_null_responder SOCKET-PATH\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	null_conns = calloc(NULL_MAX_CONNS, sizeof(*null_conns));
	if (null_conns == NULL)
		return 1;
	for (i = 0; i < NULL_MAX_CONNS; i++) {
		null_conns[i].fd = -1;
		null_conns[i].out = malloc(NULL_OUT_MAX);
		if (null_conns[i].out == NULL)
			return 1;
	}
	lfd = null_listen(argv[1]);
	if (lfd < 0)
		return 1;
	chmod(argv[1], 0600);
	return null_serve(lfd) == 0 ? 0 : 1;
}
