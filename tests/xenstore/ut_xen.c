// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Xen transport (xs_xen.c) against a pretend hypervisor (fake_xen.c):
 * INTRODUCE maps a guest's ring and binds its port; the guest's requests
 * come off the ring and replies go back with a notification; a ring that
 * fills up drains as the guest reads; hostile indices and an oversized
 * length set the ring's error field; a reconnect resets the connection;
 * VIRQ_DOM_EXC releases dying domains and reports shut-down ones; failed
 * mappings and bindings fail INTRODUCE cleanly.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "cunit_run.h"
#include "fake_xen.h"
#include "xs_daemon.h"
#include "xs_ops.h"

static struct xs_daemon d;
static struct xs_conn *d0;
static char reply[XENSTORE_PAYLOAD_MAX + 1];
static uint32_t reply_len;

static void setup(void)
{
	struct xs_limits l;

	fake_reset();
	memset(&d, 0, sizeof(d));
	d.listen_fd = d.sig_fd = -1;
	xs_limits_default(&l);
	CU_ASSERT_FATAL(xs_store_init(&d.store, &l) == 0);
	d.epfd = epoll_create1(EPOLL_CLOEXEC);
	CU_ASSERT_FATAL(d.epfd >= 0);
	CU_ASSERT_FATAL(xs_xen_attach(&d) == 0);
	d0 = xs_conn_new(&d.store, 0, -1);
	CU_ASSERT_FATAL(d0 != NULL);
}

static void teardown(void)
{
	xs_xen_close(&d);
	xs_store_free(&d.store);
	close(d.epfd);
}

/* Pop the next message queued for dom0's test connection. */
static uint32_t d0_pop(void)
{
	struct xsd_sockmsg h;

	if (d0->out_end - d0->out_start < sizeof(h))
		return XS_INVALID;
	memcpy(&h, d0->out + d0->out_start, sizeof(h));
	memcpy(reply, d0->out + d0->out_start + sizeof(h), h.len);
	reply[h.len] = '\0';
	reply_len = h.len;
	xs_conn_consumed(d0, sizeof(h) + h.len);
	return h.type;
}

static uint32_t d0_call(uint32_t type, const void *payload, uint32_t len)
{
	char msg[XS_MSG_MAX];
	struct xsd_sockmsg h = { .type = type, .req_id = 1, .len = len };
	uint32_t t;

	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), payload, len);
	CU_ASSERT_FATAL(xs_conn_input(d0, msg, sizeof(h) + len) == 0);
	while ((t = d0_pop()) == XS_WATCH_EVENT)
		;
	return t;
}

static void guest_put(struct xenstore_domain_interface *g, const void *p, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		g->req[MASK_XENSTORE_IDX(g->req_prod + i)] = ((const char *)p)[i];
	g->req_prod += len;
}

static void guest_send(struct xenstore_domain_interface *g, uint32_t type, const void *p,
		       uint32_t len)
{
	struct xsd_sockmsg h = { .type = type, .req_id = 9, .len = len };

	guest_put(g, &h, sizeof(h));
	guest_put(g, p, len);
}

/* Take one whole reply off the guest's response ring, if there is one. */
static bool guest_recv(struct xenstore_domain_interface *g, uint32_t *type, char *buf,
		       uint32_t *len)
{
	struct xsd_sockmsg h;
	char *p = (char *)&h;
	uint32_t i, avail = g->rsp_prod - g->rsp_cons;

	if (avail < sizeof(h))
		return false;
	for (i = 0; i < sizeof(h); i++)
		p[i] = g->rsp[MASK_XENSTORE_IDX(g->rsp_cons + i)];
	if (avail < sizeof(h) + h.len)
		return false;
	for (i = 0; i < h.len; i++)
		buf[i] = g->rsp[MASK_XENSTORE_IDX(g->rsp_cons + sizeof(h) + i)];
	buf[h.len] = '\0';
	*type = h.type;
	*len = h.len;
	g->rsp_cons += sizeof(h) + h.len;
	return true;
}

/* INTRODUCE @domid (mfn 100+domid, remote port 7) with a home it owns. */
static int introduce(unsigned int domid)
{
	char args[32], home[32], perm[8];
	int n = snprintf(args, sizeof(args), "%u%c%u%c7", domid, 0, 100 + domid, 0) + 1;

	if (d0_call(XS_INTRODUCE, args, n) != XS_INTRODUCE)
		return -1;
	snprintf(home, sizeof(home), "/local/domain/%u", domid);
	snprintf(perm, sizeof(perm), "n%u", domid);
	d0_call(XS_MKDIR, home, strlen(home) + 1);
	n = snprintf(args, sizeof(args), "%s%c%s", home, 0, perm) + 1;
	d0_call(XS_SET_PERMS, args, n);
	return fake_port_of(domid);
}

static void test_introduce_and_serve(void)
{
	struct xenstore_domain_interface *g;
	char buf[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t type, len;
	int port;

	setup();
	g = fake_doms[5].page;
	port = introduce(5);
	CU_ASSERT_FATAL(port > 0);
	CU_ASSERT_EQUAL(fake_doms[5].mapped, 1);
	CU_ASSERT(fake_notified[port] >= 1); /* kicked after binding */
	CU_ASSERT(g->server_features & XENSTORE_SERVER_FEATURE_RECONNECTION);
	CU_ASSERT(g->server_features & XENSTORE_SERVER_FEATURE_ERROR);
	guest_send(g, XS_WRITE, "data\0hello", 10);
	guest_send(g, XS_READ, "data", 5);
	fake_raise(port);
	xs_xen_event(&d);
	CU_ASSERT(guest_recv(g, &type, buf, &len) && type == XS_WRITE && !strcmp(buf, "OK"));
	CU_ASSERT(guest_recv(g, &type, buf, &len) && type == XS_READ && len == 5 &&
		  !memcmp(buf, "hello", 5));
	CU_ASSERT_EQUAL(g->req_cons, g->req_prod);
	CU_ASSERT_EQUAL(d0_call(XS_READ, "/local/domain/5/data", 21), XS_READ);
	CU_ASSERT_STRING_EQUAL(reply, "hello");
	/* The guest is unprivileged. */
	guest_send(g, XS_WRITE, "/outside\0x", 10);
	fake_raise(port);
	xs_xen_event(&d);
	CU_ASSERT(guest_recv(g, &type, buf, &len) && type == XS_ERROR && !strcmp(buf, "EACCES"));
	CU_ASSERT_EQUAL(d0_call(XS_IS_DOMAIN_INTRODUCED, "5", 2), XS_IS_DOMAIN_INTRODUCED);
	CU_ASSERT_STRING_EQUAL(reply, "T");
	teardown();
	CU_ASSERT_EQUAL(fake_doms[5].mapped, 0);
	CU_ASSERT_EQUAL(fake_port_of(5), -1);
}

/* 40 requests; replies fill the 1 KiB ring and drain as the guest reads. */
static void test_ring_full(void)
{
	struct xenstore_domain_interface *g;
	char buf[XENSTORE_PAYLOAD_MAX + 1], val[700];
	uint32_t type, len;
	int port, i, got = 0, rounds = 0;

	setup();
	g = fake_doms[3].page;
	port = introduce(3);
	memcpy(val, "v\0", 2);
	memset(val + 2, 'y', 598);
	guest_send(g, XS_WRITE, val, 600); /* a 598-byte value */
	for (i = 0; i < 20; i++)
		guest_send(g, XS_READ, "v", 2);
	fake_raise(port);
	xs_xen_event(&d);
	while (got < 21 && rounds < 100) {
		while (guest_recv(g, &type, buf, &len)) {
			CU_ASSERT(type == (got ? XS_READ : XS_WRITE));
			if (got)
				CU_ASSERT(len == 598);
			got++;
		}
		fake_raise(port); /* "I consumed some" */
		xs_xen_event(&d);
		rounds++;
	}
	CU_ASSERT_EQUAL(got, 21);
	CU_ASSERT(rounds > 5); /* it really had to wait for room */
	teardown();
}

/* The guest makes room without notifying: the loop's flush still goes on. */
static void test_no_notify(void)
{
	struct xenstore_domain_interface *g;
	char buf[XENSTORE_PAYLOAD_MAX + 1], val[600];
	struct xs_domain *dom;
	uint32_t type, len;
	int port, i, got = 0, rounds = 0;

	setup();
	g = fake_doms[2].page;
	port = introduce(2);
	dom = xs_domain_find(&d.store, 2);
	CU_ASSERT_FATAL(dom != NULL);
	memcpy(val, "v\0", 2);
	memset(val + 2, 'y', sizeof(val) - 2);
	guest_send(g, XS_WRITE, val, sizeof(val));
	for (i = 0; i < 20; i++)
		guest_send(g, XS_READ, "v", 2);
	fake_raise(port);
	xs_xen_event(&d);
	while (got < 21 && rounds < 100) {
		while (guest_recv(g, &type, buf, &len))
			got++;
		xs_xen_flush(&d, dom->conn); /* no event: what flush_all does */
		rounds++;
	}
	CU_ASSERT_EQUAL(got, 21);
	teardown();
}

static void test_hostile_ring(void)
{
	struct xenstore_domain_interface *g;
	struct xsd_sockmsg h = { .type = XS_READ, .len = XENSTORE_PAYLOAD_MAX + 1 };
	int port;

	setup();
	g = fake_doms[6].page;
	port = introduce(6);
	g->req_prod = g->req_cons + 5000;
	fake_raise(port);
	xs_xen_event(&d);
	CU_ASSERT_EQUAL(g->error, XENSTORE_ERROR_RINGIDX);
	g = fake_doms[7].page;
	port = introduce(7);
	guest_put(g, &h, sizeof(h));
	fake_raise(port);
	xs_xen_event(&d);
	CU_ASSERT_EQUAL(g->error, XENSTORE_ERROR_PROTO);
	/* Everyone else is still served. */
	CU_ASSERT_EQUAL(d0_call(XS_WRITE, "/fine\0yes", 9), XS_WRITE);
	teardown();
}

static void test_reconnect(void)
{
	struct xenstore_domain_interface *g;
	char buf[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t type, len;
	struct xs_domain *dom;
	int port;

	setup();
	g = fake_doms[8].page;
	port = introduce(8);
	guest_send(g, XS_WATCH, "data\0tok", 9);
	fake_raise(port);
	xs_xen_event(&d);
	dom = xs_domain_find(&d.store, 8);
	CU_ASSERT_FATAL(dom && dom->conn);
	CU_ASSERT_EQUAL(dom->conn->nr_watches, 1);
	g->connection = XENSTORE_RECONNECT;
	fake_raise(port);
	xs_xen_event(&d);
	CU_ASSERT_EQUAL(g->connection, XENSTORE_CONNECTED);
	CU_ASSERT(g->req_prod == 0 && g->req_cons == 0 && g->rsp_prod == 0 && g->rsp_cons == 0);
	CU_ASSERT_EQUAL(dom->conn->nr_watches, 0);
	guest_send(g, XS_GET_DOMAIN_PATH, "8", 2);
	fake_raise(port);
	xs_xen_event(&d);
	CU_ASSERT(guest_recv(g, &type, buf, &len) && !strcmp(buf, "/local/domain/8"));
	teardown();
}

static void test_dom_exc(void)
{
	bool released = false;
	int events = 0;
	uint32_t t;

	setup();
	introduce(4);
	introduce(9);
	CU_ASSERT_EQUAL(d0_call(XS_WATCH, "@releaseDomain\0r", 17), XS_WATCH);
	while (d0_pop() != XS_INVALID)
		;
	fake_doms[9].shutdown = true;
	fake_raise(FAKE_VIRQ_PORT);
	xs_xen_event(&d);
	while ((t = d0_pop()) != XS_INVALID)
		events += t == XS_WATCH_EVENT && !strcmp(reply, "@releaseDomain");
	CU_ASSERT_EQUAL(events, 1);
	CU_ASSERT_PTR_NOT_NULL(xs_domain_find(&d.store, 9)); /* shut down, not gone */
	fake_raise(FAKE_VIRQ_PORT);			     /* nothing new */
	xs_xen_event(&d);
	CU_ASSERT_EQUAL(d0_pop(), XS_INVALID);
	fake_doms[4].dying = true;
	fake_doms[9].exists = false;
	fake_raise(FAKE_VIRQ_PORT);
	xs_xen_event(&d);
	while ((t = d0_pop()) != XS_INVALID)
		released |= t == XS_WATCH_EVENT && !strcmp(reply, "@releaseDomain");
	CU_ASSERT(released);
	CU_ASSERT_PTR_NULL(xs_domain_find(&d.store, 4));
	CU_ASSERT_PTR_NULL(xs_domain_find(&d.store, 9));
	CU_ASSERT_EQUAL(fake_doms[4].mapped, 0);
	CU_ASSERT_EQUAL(fake_port_of(4), -1);
	teardown();
}

static void test_map_failures(void)
{
	struct xs_domain *dom;

	setup();
	fake_doms[10].grant_fails = true; /* falls back to foreign memory */
	CU_ASSERT(introduce(10) > 0);
	dom = xs_domain_find(&d.store, 10);
	CU_ASSERT(dom && !dom->intf_is_grant && fake_doms[10].mapped == 1);
	fake_doms[11].grant_fails = fake_doms[11].foreign_fails = true;
	CU_ASSERT_EQUAL(d0_call(XS_INTRODUCE,
				"11\0"
				"111\0"
				"7",
				9),
			XS_ERROR);
	CU_ASSERT_STRING_EQUAL(reply, "EINVAL");
	CU_ASSERT_PTR_NULL(xs_domain_find(&d.store, 11));
	fake_bind_fails = true;
	CU_ASSERT_EQUAL(d0_call(XS_INTRODUCE,
				"12\0"
				"112\0"
				"7",
				9),
			XS_ERROR);
	CU_ASSERT_EQUAL(fake_doms[12].mapped, 0); /* unmapped again */
	CU_ASSERT_PTR_NULL(xs_domain_find(&d.store, 12));
	teardown();
}

/* INTRODUCE again with the same ring (xl after a resume): a new binding. */
static void test_reintroduce(void)
{
	struct xenstore_domain_interface *g;
	char buf[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t type, len;
	int old, port;

	setup();
	g = fake_doms[13].page;
	old = introduce(13);
	CU_ASSERT_FATAL(old > 0);
	CU_ASSERT_EQUAL(d0_call(XS_INTRODUCE,
				"13\0"
				"113\0"
				"9",
				9),
			XS_INTRODUCE);
	port = fake_port_of(13);
	CU_ASSERT(port > 0 && port != old);
	CU_ASSERT_EQUAL(fake_bound[old], -1);
	CU_ASSERT_EQUAL(fake_doms[13].mapped, 1);
	CU_ASSERT_EQUAL(d0_call(XS_INTRODUCE,
				"13\0"
				"999\0"
				"9",
				9),
			XS_ERROR); /* other ring */
	guest_send(g, XS_GET_DOMAIN_PATH, "13", 3);
	fake_raise(port);
	xs_xen_event(&d);
	CU_ASSERT(guest_recv(g, &type, buf, &len) && !strcmp(buf, "/local/domain/13"));
	teardown();
}

static const CU_TestInfo xen_tests[] = {
	{ "re-INTRODUCE binds the event channel again", test_reintroduce },
	{ "INTRODUCE maps, binds and serves the ring", test_introduce_and_serve },
	{ "a full ring drains as the guest reads", test_ring_full },
	{ "progress when the guest makes room silently", test_no_notify },
	{ "hostile indices and lengths set the error field", test_hostile_ring },
	{ "XENSTORE_RECONNECT resets the connection", test_reconnect },
	{ "VIRQ_DOM_EXC: shutdown and dying domains", test_dom_exc },
	{ "failed mappings and bindings fail INTRODUCE", test_map_failures },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	const struct cunit_suite suites[] = {
		{ "xenstore xen transport", xen_tests },
		{ NULL, NULL },
	};
	int rc = cunit_run(suites);
	int i;

	for (i = 0; i < FAKE_MAX_DOM; i++)
		free(fake_doms[i].page);
	return rc;
}
