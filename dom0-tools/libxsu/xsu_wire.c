// SPDX-License-Identifier: GPL-2.0-only
/*
 * A batch's transaction spoken to xenstored directly (xs_wire.h), with the
 * requests pipelined: libxenstore waits for each reply before it sends the
 * next request, so a guest's tree (60-90 WRITEs and SET_PERMS) cost as many
 * round trips, 90-450 ms in the rig's dom0 under TCG (docs/lxl.md). Here up
 * to XSU_WIRE_WINDOW requests are in flight on a connection of lxl's own (the
 * socket, else the xenbus device, found as libxenstore finds them); replies
 * are matched by req_id. Any error or a reply that is not well formed closes
 * the connection, which makes xenstored discard the transaction.
 *
 * Watches too get a connection of their own here: the libxenstore.a that a
 * static lxl links has no reader thread, so a watch event arriving while
 * that handle waits for a reply fails the request and closes the handle.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <xen/io/xs_wire.h>

#include "xsu_int.h"

/* Below Xen's xenstored's default of 20 outstanding requests per connection. */
#define XSU_WIRE_WINDOW 16
#define XSU_WIRE_TIMEOUT_MS 30000

/* A connection of lxl's own; each request goes in one write() (the xenbus device wants that). */
struct wire {
	int fd;
	uint32_t next_id, done_id;
};

static int connect_path(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;

	if (stat(path, &st))
		return -1;
	if (!S_ISSOCK(st.st_mode))
		return open(path, O_RDWR | O_CLOEXEC);
	if (strlen(path) >= sizeof(a.sun_path))
		return -1;
	strcpy(a.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* libxenstore's order: XENSTORED_PATH, else the daemon's socket, else the device. */
static int wire_open(struct wire *w)
{
	const char *env = getenv("XENSTORED_PATH"), *rundir = getenv("XENSTORED_RUNDIR");
	char sock[108];

	memset(w, 0, sizeof(*w));
	if (env) {
		w->fd = connect_path(env);
		return w->fd < 0 ? -1 : 0;
	}
	snprintf(sock, sizeof(sock), "%s/socket", rundir ? rundir : "/var/run/xenstored");
	w->fd = connect_path(sock);
	if (w->fd < 0)
		w->fd = connect_path("/dev/xen/xenbus");
	return w->fd < 0 ? -1 : 0;
}

/* A daemon that hung up must not kill lxl with SIGPIPE: send() where it is a socket. */
static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);

		if (k < 0 && errno == ENOTSOCK)
			k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -EIO;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t n)
{
	char *p = buf;

	while (n) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t k;

		if (poll(&pfd, 1, XSU_WIRE_TIMEOUT_MS) == 0)
			return -ETIMEDOUT;
		k = read(fd, p, n);
		if (k < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (k <= 0)
			return -EIO;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* The errno of an XS_ERROR reply's text ("ENOENT", ...). */
static int wire_errno(const char *s, uint32_t len)
{
	for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++) {
		size_t l = strlen(xsd_errors[i].errstring);

		if (len >= l && !memcmp(s, xsd_errors[i].errstring, l))
			return xsd_errors[i].errnum;
	}
	return EIO;
}

/* Read one message whole; its payload NUL-terminated in @body. */
static int wire_read(int fd, struct xsd_sockmsg *h, char body[XENSTORE_PAYLOAD_MAX + 1])
{
	int rc = read_all(fd, h, sizeof(*h));

	if (!rc && h->len > XENSTORE_PAYLOAD_MAX)
		rc = -EIO;
	if (!rc)
		rc = read_all(fd, body, h->len);
	if (!rc)
		body[h->len] = '\0';
	return rc;
}

/*
 * Read one reply: it must answer the oldest request in flight (watch events
 * are skipped). The payload (NUL-terminated) goes to @out when given.
 */
static int wire_reply(struct wire *w, char out[XENSTORE_PAYLOAD_MAX + 1])
{
	struct xsd_sockmsg h;
	char body[XENSTORE_PAYLOAD_MAX + 1];
	int rc;

	do
		rc = wire_read(w->fd, &h, body);
	while (!rc && h.type == XS_WATCH_EVENT);
	if (rc)
		return rc;
	if (h.req_id != w->done_id)
		return -EIO;
	w->done_id++;
	if (h.type == XS_ERROR)
		return xsu_err(wire_errno(body, h.len));
	if (out)
		memcpy(out, body, h.len + 1);
	return 0;
}

/* Send one request (@np NUL-terminated parts); wait while the window is full. */
static int wire_send(struct wire *w, uint32_t type, uint32_t tx, const char *const *parts,
		     unsigned int np)
{
	char msg[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg h = { .type = type, .req_id = w->next_id, .tx_id = tx };
	size_t len = 0;

	for (unsigned int i = 0; i < np; i++) {
		size_t l = strlen(parts[i]) + (i + 1 < np || type != XS_WRITE);

		if (len + l > XENSTORE_PAYLOAD_MAX)
			return -E2BIG;
		memcpy(msg + sizeof(h) + len, parts[i], l);
		len += l;
	}
	h.len = (uint32_t)len;
	memcpy(msg, &h, sizeof(h));
	while (w->next_id - w->done_id >= XSU_WIRE_WINDOW) {
		int rc = wire_reply(w, NULL);

		if (rc)
			return rc;
	}
	w->next_id++;
	return write_all(w->fd, msg, sizeof(h) + len);
}

static int send_node(struct wire *w, uint32_t tx, const struct xsu_batch *b, unsigned int i)
{
	const struct xsu_node *n = &b->nodes[i];
	const char *wr[2] = { n->path, n->value ? n->value : "" };
	char owner[16], reader[16];
	const char *perms[3] = { n->path, owner, reader };
	int rc = wire_send(w, XS_WRITE, tx, wr, 2);

	if (rc || xsu_inherits(b, i))
		return rc;
	snprintf(owner, sizeof(owner), "n%u", n->perm == XSU_PERM_OWNER ? b->domid : 0);
	snprintf(reader, sizeof(reader), "r%u", b->domid);
	return wire_send(w, XS_SET_PERMS, tx, perms, n->perm == XSU_PERM_READ ? 3 : 2);
}

/* One attempt: 0, -EAGAIN when the commit must be retried, or -Exxx. */
static int wire_attempt(struct wire *w, const struct xsu_batch *b)
{
	const char *empty[1] = { "" }, *commit[1] = { "T" };
	char reply[XENSTORE_PAYLOAD_MAX + 1];
	unsigned long tx;
	int rc = wire_send(w, XS_TRANSACTION_START, 0, empty, 1);

	if (!rc)
		rc = wire_reply(w, reply);
	if (rc)
		return rc;
	tx = strtoul(reply, NULL, 10);
	if (!tx || tx > UINT32_MAX)
		return -EIO;
	for (unsigned int i = 0; !rc && i < b->count; i++)
		rc = send_node(w, (uint32_t)tx, b, i);
	while (!rc && w->done_id != w->next_id)
		rc = wire_reply(w, NULL);
	/* Only the commit's EAGAIN means "again": other replies may still be in flight. */
	if (rc == -EAGAIN)
		return -EIO;
	if (!rc)
		rc = wire_send(w, XS_TRANSACTION_END, (uint32_t)tx, commit, 1);
	if (!rc)
		rc = wire_reply(w, NULL);
	return rc;
}

int xsu_wire_commit(const struct xsu_batch *b)
{
	struct wire w;
	int rc = -EAGAIN;

	if (wire_open(&w))
		return -ENOTCONN;
	for (int tries = 0; rc == -EAGAIN && tries < 20; tries++)
		rc = wire_attempt(&w, b);
	close(w.fd);
	return rc;
}

int xsu_watch_open(const char *path, const char *token)
{
	const char *parts[2] = { path, token };
	struct wire w;
	int rc;

	if (wire_open(&w))
		return -ENOTCONN;
	rc = wire_send(&w, XS_WATCH, 0, parts, 2);
	if (!rc)
		rc = wire_reply(&w, NULL);
	if (rc) {
		close(w.fd);
		return rc;
	}
	return w.fd;
}

int xsu_watch_drain(int fd)
{
	struct xsd_sockmsg h;
	char body[XENSTORE_PAYLOAD_MAX + 1];

	return wire_read(fd, &h, body);
}

void xsu_watch_close(int fd)
{
	if (fd >= 0)
		close(fd);
}
