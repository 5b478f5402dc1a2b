// SPDX-License-Identifier: GPL-2.0-only
/*
 * libxsu's pipelined transaction (xsu_wire.c) against a fake xenstored on a
 * Unix socket (XENSTORED_PATH): what goes on the wire (every WRITE and the
 * SET_PERMS that do not inherit, requests in flight together but never more
 * than the window), the commit's EAGAIN retried, and a hostile or broken
 * daemon: an error reply, a reply for the wrong request, an over-long
 * payload, a connection closed half-way, no daemon at all.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <xen/io/xs_wire.h>

#include "ut.h"
#include "dom0-tools/libxsu/xsu_int.h"

enum fake_mode { FAKE_OK, FAKE_ENOSPC, FAKE_BAD_ID, FAKE_HUGE, FAKE_CLOSE, FAKE_EAGAIN };

static struct fake {
	enum fake_mode mode;
	int lfd;
	unsigned int writes, perms, starts, ends, max_queued;
	char last_perm[64];
} fk;

static char sock_path[108];

static int fake_read(int fd, struct xsd_sockmsg *h, char *body)
{
	if (read(fd, h, sizeof(*h)) != (ssize_t)sizeof(*h) || h->len > XENSTORE_PAYLOAD_MAX)
		return -1;
	return read(fd, body, h->len) == (ssize_t)h->len ? 0 : -1;
}

static void fake_reply(int fd, const struct xsd_sockmsg *req, uint32_t type, const char *s,
		       size_t len)
{
	struct xsd_sockmsg h = { .type = type, .req_id = req->req_id, .tx_id = req->tx_id };

	h.len = (uint32_t)len;
	if (fk.mode == FAKE_BAD_ID && type == XS_WRITE)
		h.req_id += 5;
	if (fk.mode == FAKE_HUGE && type == XS_WRITE)
		h.len = XENSTORE_PAYLOAD_MAX + 1;
	/* The client may have hung up already (it does after an error): no SIGPIPE. */
	if (send(fd, &h, sizeof(h), MSG_NOSIGNAL) < 0 || send(fd, s, len, MSG_NOSIGNAL) < 0)
		return;
}

/* Answer one request the way fk.mode says; false to close the connection. */
static bool fake_answer(int fd, const struct xsd_sockmsg *h, const char *body)
{
	switch (h->type) {
	case XS_TRANSACTION_START:
		fk.starts++;
		fake_reply(fd, h, h->type, "7", 2);
		return true;
	case XS_TRANSACTION_END:
		fk.ends++;
		if (fk.mode == FAKE_EAGAIN && fk.ends < 3)
			fake_reply(fd, h, XS_ERROR, "EAGAIN", 7);
		else
			fake_reply(fd, h, h->type, "OK", 3);
		return true;
	case XS_WRITE:
		fk.writes++;
		if (fk.mode == FAKE_CLOSE && fk.writes == 3)
			return false;
		if (fk.mode == FAKE_ENOSPC && fk.writes == 4) {
			fake_reply(fd, h, XS_ERROR, "ENOSPC", 7);
			return true;
		}
		fake_reply(fd, h, h->type, "OK", 3);
		return true;
	case XS_SET_PERMS:
		fk.perms++;
		memcpy(fk.last_perm, body, h->len < sizeof(fk.last_perm) ? h->len : 0);
		fake_reply(fd, h, h->type, "OK", 3);
		return true;
	}
	fake_reply(fd, h, XS_ERROR, "EINVAL", 7);
	return true;
}

/* One connection: read every request already sent before answering them. */
static void *fake_main(void *arg)
{
	static struct xsd_sockmsg q[64];
	static char bodies[64][XENSTORE_PAYLOAD_MAX + 1];
	int fd = accept(fk.lfd, NULL, NULL);
	bool open = fd >= 0;

	(void)arg;
	while (open) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		unsigned int n = 0;

		if (fake_read(fd, &q[0], bodies[0]))
			break;
		n = 1;
		while (n < 64 && poll(&p, 1, 20) == 1 && (p.revents & POLLIN) &&
		       !fake_read(fd, &q[n], bodies[n]))
			n++;
		if (n > fk.max_queued)
			fk.max_queued = n;
		for (unsigned int i = 0; open && i < n; i++)
			open = fake_answer(fd, &q[i], bodies[i]);
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* Commit a batch of @nodes nodes (one directory, children alternating perms) to a fake in @mode. */
static int run_fake(enum fake_mode mode, unsigned int nodes)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct xsu_batch b;
	pthread_t t;
	int rc;

	memset(&fk, 0, sizeof(fk));
	fk.mode = mode;
	snprintf(sock_path, sizeof(sock_path), "/tmp/lxl-ut-wire.%d", (int)getpid());
	unlink(sock_path);
	strcpy(a.sun_path, sock_path);
	fk.lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	CU_ASSERT_FATAL(fk.lfd >= 0);
	CU_ASSERT_FATAL(!bind(fk.lfd, (struct sockaddr *)&a, sizeof(a)) && !listen(fk.lfd, 1));
	setenv("XENSTORED_PATH", sock_path, 1);
	CU_ASSERT_FATAL(!pthread_create(&t, NULL, fake_main, NULL));
	xsu_batch_init(&b, 9);
	xsu_add_value(&b, XSU_PERM_READ, "/local/domain/9", NULL);
	for (unsigned int i = 1; i < nodes; i++)
		xsu_add(&b, i % 2 ? XSU_PERM_READ : XSU_PERM_OWNER, "v", "/local/domain/9/k%u", i);
	rc = xsu_wire_commit(&b);
	xsu_batch_free(&b);
	shutdown(fk.lfd, SHUT_RDWR);
	pthread_join(t, NULL);
	close(fk.lfd);
	unlink(sock_path);
	unsetenv("XENSTORED_PATH");
	return rc;
}

static void test_wire_writes_pipelined(void)
{
	CU_ASSERT_EQUAL(run_fake(FAKE_OK, 60), 0);
	CU_ASSERT_EQUAL(fk.writes, 60);
	/* The directory and every owner node (each after a reader node) get SET_PERMS. */
	CU_ASSERT_EQUAL(fk.perms, 1 + 29);
	CU_ASSERT_EQUAL(memcmp(fk.last_perm, "/local/domain/9/k58\0n9\0", 23), 0);
	CU_ASSERT_EQUAL(fk.starts, 1);
	CU_ASSERT_EQUAL(fk.ends, 1);
	CU_ASSERT(fk.max_queued > 1);
	CU_ASSERT(fk.max_queued <= 16);
}

static void test_wire_commit_retried_on_eagain(void)
{
	CU_ASSERT_EQUAL(run_fake(FAKE_EAGAIN, 10), 0);
	CU_ASSERT_EQUAL(fk.starts, 3);
	CU_ASSERT_EQUAL(fk.writes, 30);
}

static void test_wire_hostile_daemon(void)
{
	CU_ASSERT_EQUAL(run_fake(FAKE_ENOSPC, 20), -ENOSPC);
	CU_ASSERT_EQUAL(fk.ends, 0);
	CU_ASSERT_EQUAL(run_fake(FAKE_BAD_ID, 20), -EIO);
	CU_ASSERT_EQUAL(fk.ends, 0);
	CU_ASSERT_EQUAL(run_fake(FAKE_HUGE, 20), -EIO);
	CU_ASSERT_EQUAL(run_fake(FAKE_CLOSE, 20), -EIO);
	CU_ASSERT_EQUAL(fk.ends, 0);
}

static void test_wire_no_daemon(void)
{
	struct xsu_batch b;

	setenv("XENSTORED_PATH", "/nonexistent/lxl-ut-socket", 1);
	xsu_batch_init(&b, 1);
	xsu_add_value(&b, XSU_PERM_READ, "/a", "b");
	CU_ASSERT_EQUAL(xsu_wire_commit(&b), -ENOTCONN);
	CU_ASSERT_EQUAL(xsu_watch_open("@releaseDomain", "t"), -ENOTCONN);
	xsu_batch_free(&b);
	unsetenv("XENSTORED_PATH");
}

const CU_TestInfo ut_wire_tests[] = {
	{ "a batch goes pipelined, at most 16 requests in flight", test_wire_writes_pipelined },
	{ "the commit's EAGAIN retries the transaction", test_wire_commit_retried_on_eagain },
	{ "an error, a wrong req_id, a huge or cut reply fail it", test_wire_hostile_daemon },
	{ "no daemon: -ENOTCONN (libxenstore takes over)", test_wire_no_daemon },
	CU_TEST_INFO_NULL,
};
