// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: guest-pv's xenbus client (guest-pv/arch/xenbus.c, built
 * for the host as tests/guest/unit/ does) against a xenstored that is the
 * fuzzer. Every event-channel kick runs the fake daemon once: it takes the
 * request and does what the next input byte says (a proper reply with
 * fuzzed payload and type, raw bytes into the reply ring, a runaway
 * rsp_prod or req_cons, a watch event first, silence); every poll advances a
 * fake clock by 10 ms, so a silent daemon is a timeout, not a hang. The
 * client calls are chosen by the input too. Checked: no memory error (ASan)
 * or undefined behaviour (UBSan), no hang (libFuzzer's -timeout), and the
 * results keep their promises (a read's length fits and is terminated, a
 * started transaction has an id).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/time.h>
#include <gpv/xenbus.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

start_info_t *gpv_start_info;
shared_info_t *gpv_shared_info;
static start_info_t fake_si;
static shared_info_t fake_shared;
static uint64_t fake_now;
static const uint8_t *in;
static size_t in_len, in_off;

static unsigned int next_byte(void)
{
	return in_off < in_len ? in[in_off++] : 0;
}

long gpv_hcall(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
	       unsigned long a4, unsigned long a5)
{
	(void)nr, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return 0;
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

static void rsp_put(struct xenstore_domain_interface *r, const void *p, size_t len)
{
	const char *c = p;

	while (len--)
		r->rsp[MASK_XENSTORE_IDX(r->rsp_prod++)] = *c++;
}

/* Consume the request ring; the id of the last request in it. */
static uint32_t take_requests(struct xenstore_domain_interface *r)
{
	struct xsd_sockmsg h;
	uint32_t id = 0, i;

	while (r->req_prod - r->req_cons >= sizeof(h) && r->req_prod - r->req_cons <= 2048) {
		for (i = 0; i < sizeof(h); i++)
			((char *)&h)[i] = r->req[MASK_XENSTORE_IDX(r->req_cons + i)];
		if (r->req_prod - r->req_cons < sizeof(h) + h.len)
			break;
		r->req_cons += sizeof(h) + h.len;
		id = h.req_id;
	}
	return id;
}

/* The fake daemon: runs on every kick. */
long gpv_evtchn_send(evtchn_port_t port)
{
	struct xenstore_domain_interface *r = gpv_xs_ring();
	struct xsd_sockmsg h = { 0 };
	unsigned int op = next_byte(), n, i;
	char body[300];

	(void)port;
	h.req_id = take_requests(r);
	n = next_byte();
	for (i = 0; i < n; i++)
		body[i] = (char)next_byte();
	switch (op % 8) {
	case 0:
	case 1: /* a reply, of the type and with the payload the input says */
		h.type = op >> 3;
		h.len = n;
		rsp_put(r, &h, sizeof(h));
		rsp_put(r, body, n);
		break;
	case 2: /* raw bytes */
		rsp_put(r, body, n);
		break;
	case 3: /* a runaway producer */
		r->rsp_prod = r->rsp_cons + n * 97;
		break;
	case 4: /* a consumer that lies */
		r->req_cons = r->req_prod + n * 131;
		break;
	case 5: /* a watch event, then the reply */
		h.type = XS_WATCH_EVENT;
		h.len = n;
		rsp_put(r, &h, sizeof(h));
		rsp_put(r, body, n);
		h.type = XS_READ;
		h.len = 2;
		rsp_put(r, &h, sizeof(h));
		rsp_put(r, "7", 2);
		break;
	case 6: /* an over-long header */
		h.len = XENSTORE_PAYLOAD_MAX + 1 + n;
		rsp_put(r, &h, sizeof(h));
		break;
	default: /* silence */
		break;
	}
	return 0;
}

static void check_len(long rc, const char *buf, size_t size)
{
	if (rc >= 0 && ((size_t)rc >= size || buf[rc] != '\0' || strlen(buf) > (size_t)rc))
		abort();
}

static void one_call(void)
{
	static char buf[5000], path[300], token[300];
	unsigned int what = next_byte(), size = next_byte() * 20 + 1;
	uint32_t tx = next_byte() % 3;
	long rc;

	switch (what % 10) {
	case 0:
		check_len(gpv_xs_read(tx, "device/vif/0/state", buf, size), buf, size);
		break;
	case 1:
		rc = gpv_xs_directory(tx, "device", buf, size);
		if (rc >= 0 && (size_t)rc >= size)
			abort();
		break;
	case 2:
		gpv_xs_write(tx, "data/x", "value");
		break;
	case 3:
		gpv_xs_mkdir(tx, "data/d");
		gpv_xs_rm(tx, "data/d");
		break;
	case 4:
		gpv_xs_watch("device", "tok");
		gpv_xs_unwatch("device", "tok");
		break;
	case 5:
		rc = gpv_xs_wait_watch(path, size % sizeof(path) + 1, token,
				       size % sizeof(token) + 1, 50000000ULL);
		if (!rc &&
		    (strlen(path) > size % sizeof(path) || strlen(token) > size % sizeof(token)))
			abort();
		break;
	case 6:
		if (!gpv_xs_transaction_start(&tx) && !tx)
			abort();
		break;
	case 7:
		gpv_xs_transaction_end(tx, what & 16);
		break;
	case 8: {
		uint32_t type = 0;

		gpv_xs_raw_request(what >> 4, "abc", 4, &type, 100000000ULL);
		break;
	}
	default:
		gpv_xs_raw_write("\x02\0\0\0", 4);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64], token[64];
	int i;

	if (!gpv_start_info) {
		fake_si.store_mfn = 1;
		fake_si.store_evtchn = 3;
		gpv_start_info = &fake_si;
		gpv_shared_info = &fake_shared;
		if (gpv_xs_init())
			abort();
	}
	memset(gpv_xs_ring(), 0, sizeof(struct xenstore_domain_interface));
	in = NULL;
	in_len = in_off = 0;
	fake_now = 1;
	/* Events queued by an earlier input: gone, so that a run repeats. */
	for (i = 0; i < 8; i++)
		gpv_xs_wait_watch(path, sizeof(path), token, sizeof(token), 0);
	in = data;
	in_len = size;
	while (in_off < in_len)
		one_call();
	return 0;
}
