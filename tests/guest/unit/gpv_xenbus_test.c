// SPDX-License-Identifier: MIT
/*
 * Host unit tests of guest-pv's xenbus client (guest-pv/arch/xenbus.c built
 * for the host) against a scripted fake xenstored. The hypervisor is
 * stubbed: every event-channel kick runs the fake daemon once, every poll
 * advances a fake clock by 10 ms. The daemon can answer normally or be
 * hostile: an error string, an over-long reply, a runaway rsp_prod or
 * req_cons, silence, a reply for another request first, a watch event
 * first. The client must turn each into its documented error, never hang
 * and never read outside the ring.
 */
#include <string.h>

#include "cunit_run.h"
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/time.h>
#include <gpv/xenbus.h>

start_info_t *gpv_start_info;
shared_info_t *gpv_shared_info;
static start_info_t fake_si;
static shared_info_t fake_shared;
static uint64_t fake_now;

enum mode {
	M_NORMAL,
	M_ERROR,
	M_BAD_ERROR,
	M_LONG,
	M_RUNAWAY_RSP,
	M_RUNAWAY_REQ,
	M_SILENT,
	M_OTHER_ID_FIRST,
	M_WATCH_FIRST,
	M_REPLY_TEXT,
};
static enum mode mode;
static const char *reply_text;
static struct xsd_sockmsg last_req;
static char last_body[XENSTORE_PAYLOAD_MAX + 1];

/* Stubs for what xenbus.c needs from the rest of guest-pv. */
long gpv_hcall(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
	       unsigned long a4, unsigned long a5)
{
	(void)nr, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return 0; /* update_va_mapping of the store page */
}

bool gpv_is_dom0(void)
{
	return false;
}

uint64_t gpv_time_now(void)
{
	return fake_now;
}

long gpv_poll_port(uint32_t port, uint64_t deadline)
{
	(void)port;
	fake_now += 10000000ULL;
	if (fake_now > deadline)
		fake_now = deadline;
	return 0;
}

void gpv_console_write(const char *buf, size_t len)
{
	(void)buf, (void)len;
}

static void rsp_put(struct xenstore_domain_interface *r, const void *data, size_t len)
{
	const char *p = data;

	while (len--) {
		r->rsp[MASK_XENSTORE_IDX(r->rsp_prod)] = *p++;
		r->rsp_prod++;
	}
}

static void reply(struct xenstore_domain_interface *r, uint32_t type, uint32_t id, const char *body,
		  uint32_t len)
{
	struct xsd_sockmsg h = { .type = type, .req_id = id, .len = len };

	rsp_put(r, &h, sizeof(h));
	rsp_put(r, body, len);
}

/* Consume one whole request, if there is one. */
static bool take_request(struct xenstore_domain_interface *r)
{
	char *dst = (char *)&last_req;
	uint32_t i;

	if (r->req_prod - r->req_cons < sizeof(last_req))
		return false;
	for (i = 0; i < sizeof(last_req); i++)
		dst[i] = r->req[MASK_XENSTORE_IDX(r->req_cons + i)];
	if (r->req_prod - r->req_cons < sizeof(last_req) + last_req.len)
		return false;
	r->req_cons += sizeof(last_req);
	for (i = 0; i < last_req.len && i < XENSTORE_PAYLOAD_MAX; i++)
		last_body[i] = r->req[MASK_XENSTORE_IDX(r->req_cons + i)];
	last_body[i] = '\0';
	r->req_cons += last_req.len;
	return true;
}

/* The fake daemon: runs on every kick. */
long gpv_evtchn_send(evtchn_port_t port)
{
	struct xenstore_domain_interface *r = gpv_xs_ring();
	uint32_t id;

	(void)port;
	if (mode == M_RUNAWAY_REQ) {
		r->req_cons = r->req_prod + 5000;
		return 0;
	}
	if (!take_request(r))
		return 0;
	id = last_req.req_id;
	switch (mode) {
	case M_NORMAL:
		reply(r, last_req.type, id, "value", 5);
		break;
	case M_REPLY_TEXT:
		reply(r, last_req.type, id, reply_text, (uint32_t)strlen(reply_text) + 1);
		break;
	case M_ERROR:
		reply(r, XS_ERROR, id, "ENOENT", 7);
		break;
	case M_BAD_ERROR:
		reply(r, XS_ERROR, id, "EWHATEVER", 10);
		break;
	case M_LONG: {
		struct xsd_sockmsg h = { .type = last_req.type,
					 .req_id = id,
					 .len = XENSTORE_PAYLOAD_MAX + 1 };

		rsp_put(r, &h, sizeof(h));
		break;
	}
	case M_RUNAWAY_RSP:
		r->rsp_prod = r->rsp_cons + 5000;
		break;
	case M_OTHER_ID_FIRST:
		reply(r, last_req.type, id + 1000, "wrong", 5);
		reply(r, last_req.type, id, "right", 5);
		break;
	case M_WATCH_FIRST:
		reply(r, XS_WATCH_EVENT, 0, "some/path\0tok", 14);
		reply(r, last_req.type, id, "value", 5);
		break;
	case M_SILENT:
	case M_RUNAWAY_REQ:
		break;
	}
	return 0;
}

static int setup(void)
{
	memset(&fake_si, 0, sizeof(fake_si));
	fake_si.store_mfn = 1;
	fake_si.store_evtchn = 3;
	gpv_start_info = &fake_si;
	gpv_shared_info = &fake_shared;
	return gpv_xs_init() == 0 ? 0 : -1;
}

/* A fresh, empty ring and a normal daemon before each test. */
static void reset(enum mode m)
{
	struct xenstore_domain_interface *r = gpv_xs_ring();

	memset(r, 0, sizeof(*r));
	mode = m;
	fake_now = 1;
}

static void test_read(void)
{
	char buf[32];

	reset(M_NORMAL);
	CU_ASSERT_EQUAL(gpv_xs_read(0, "domid", buf, sizeof(buf)), 5);
	CU_ASSERT_STRING_EQUAL(buf, "value");
	CU_ASSERT_EQUAL(last_req.type, XS_READ);
	CU_ASSERT_EQUAL(last_req.len, 6);
	CU_ASSERT_STRING_EQUAL(last_body, "domid");
	CU_ASSERT_EQUAL(gpv_xs_read(0, "domid", buf, 5), -XEN_E2BIG);
}

static void test_write_payload(void)
{
	static char big[XENSTORE_PAYLOAD_MAX + 10];

	reset(M_NORMAL);
	CU_ASSERT_EQUAL(gpv_xs_write(7, "a/b", "xyz"), 0);
	CU_ASSERT_EQUAL(last_req.type, XS_WRITE);
	CU_ASSERT_EQUAL(last_req.tx_id, 7);
	CU_ASSERT_EQUAL(last_req.len, 7); /* "a/b\0xyz", no NUL after the value */
	CU_ASSERT_EQUAL(memcmp(last_body, "a/b\0xyz", 7), 0);
	memset(big, 'v', sizeof(big) - 1);
	CU_ASSERT_EQUAL(gpv_xs_write(0, "a", big), -XEN_E2BIG);
}

static void test_errors(void)
{
	char buf[32];

	reset(M_ERROR);
	CU_ASSERT_EQUAL(gpv_xs_read(0, "x", buf, sizeof(buf)), -XEN_ENOENT);
	reset(M_BAD_ERROR);
	CU_ASSERT_EQUAL(gpv_xs_read(0, "x", buf, sizeof(buf)), -XEN_EIO);
}

static void test_hostile_daemon(void)
{
	char buf[32];

	reset(M_LONG);
	CU_ASSERT_EQUAL(gpv_xs_read(0, "x", buf, sizeof(buf)), -XEN_EIO);
	reset(M_RUNAWAY_RSP);
	CU_ASSERT_EQUAL(gpv_xs_read(0, "x", buf, sizeof(buf)), -XEN_EIO);
	reset(M_RUNAWAY_REQ);
	CU_ASSERT_EQUAL(gpv_xs_read(0, "x", buf, sizeof(buf)), -XEN_EIO);
	reset(M_SILENT);
	CU_ASSERT_EQUAL(gpv_xs_read(0, "x", buf, sizeof(buf)), -XEN_ETIMEDOUT);
	CU_ASSERT(fake_now >= 3000000000ULL);
}

static void test_full_request_ring(void)
{
	static char val[2000];

	/* A silent daemon never consumes: a second big write cannot fit. */
	reset(M_SILENT);
	memset(val, 'v', sizeof(val) - 1);
	CU_ASSERT_EQUAL(gpv_xs_write(0, "a", val), -XEN_ETIMEDOUT);
}

static void test_interleaving(void)
{
	char buf[32], path[32], token[32];

	reset(M_OTHER_ID_FIRST);
	CU_ASSERT_EQUAL(gpv_xs_read(0, "x", buf, sizeof(buf)), 5);
	CU_ASSERT_STRING_EQUAL(buf, "right");
	reset(M_WATCH_FIRST);
	CU_ASSERT_EQUAL(gpv_xs_read(0, "x", buf, sizeof(buf)), 5);
	CU_ASSERT_STRING_EQUAL(buf, "value");
	CU_ASSERT_EQUAL(gpv_xs_wait_watch(path, sizeof(path), token, sizeof(token), 1000), 0);
	CU_ASSERT_STRING_EQUAL(path, "some/path");
	CU_ASSERT_STRING_EQUAL(token, "tok");
	reset(M_SILENT);
	CU_ASSERT_EQUAL(gpv_xs_wait_watch(path, sizeof(path), token, sizeof(token), 50000000),
			-XEN_ETIMEDOUT);
}

static void test_transactions(void)
{
	uint32_t tx = 0;

	reset(M_REPLY_TEXT);
	reply_text = "12";
	CU_ASSERT_EQUAL(gpv_xs_transaction_start(&tx), 0);
	CU_ASSERT_EQUAL(tx, 12);
	reply_text = "abc";
	CU_ASSERT_EQUAL(gpv_xs_transaction_start(&tx), -XEN_EIO);
	reply_text = "0";
	CU_ASSERT_EQUAL(gpv_xs_transaction_start(&tx), -XEN_EIO);
	reply_text = "99999999999";
	CU_ASSERT_EQUAL(gpv_xs_transaction_start(&tx), -XEN_EIO);
	/* 2^64 + 12: must not wrap around to a valid-looking id. */
	reply_text = "18446744073709551628";
	CU_ASSERT_EQUAL(gpv_xs_transaction_start(&tx), -XEN_EIO);
	reply_text = "OK";
	CU_ASSERT_EQUAL(gpv_xs_transaction_end(12, true), 0);
	CU_ASSERT_STRING_EQUAL(last_body, "F");
}

static const CU_TestInfo tests[] = {
	{ "read", test_read },
	{ "write payload and size limit", test_write_payload },
	{ "error replies", test_errors },
	{ "hostile daemon", test_hostile_daemon },
	{ "full request ring", test_full_request_ring },
	{ "interleaved replies and watch events", test_interleaving },
	{ "transactions", test_transactions },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = { { "gpv_xenbus", tests }, { NULL, NULL } };

	if (setup())
		return 1;
	return cunit_run(suites);
}
