// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: xenstored's framing, on a socket and on a ring.
 * Input byte 0 picks the transport (bit 0) and the connection slot:
 *   socket: the rest is fed to the connection in chunks, each chunk's size
 *     given by the byte before it (so messages are split anywhere);
 *   ring: 16 bytes of initial ring indices (req_cons, req_prod, rsp_cons,
 *     rsp_prod: the guest's, hostile), then rounds of [count][flags][bytes]:
 *     the guest appends count bytes at req_prod and moves it (flag 1: by a
 *     random amount instead), may move rsp_cons (flag 2), and the daemon
 *     does what its ring transport does: read what fits into the input
 *     buffer, process it, write the output queue back.
 * Checked: xs_ring_read/xs_ring_write against a byte-by-byte model of the
 * ring protocol (count, bytes, the index published, -EIO exactly when the
 * indices are further apart than the ring), and the store's invariants
 * after every step.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_xs.h"
#include "xs_check.h"
#include "xs_ops.h"
#include "xs_ring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *why)
{
	fprintf(stderr, "fuzz_xs_frame: %s\n", why);
	abort();
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void check_store(struct fxs *f)
{
	char why[256];

	if (xs_check_store(f->s, why, sizeof(why)))
		die(why);
}

/* The daemon reads the request ring; compare with the model. */
static void ring_in(struct xenstore_domain_interface *r, struct xs_conn *c)
{
	uint32_t cons = r->req_cons, avail = r->req_prod - cons, room, want, i;
	int n;

	room = XS_MSG_MAX - c->in_len;
	n = xs_ring_read(r, c->in + c->in_len, room);
	if (avail > XENSTORE_RING_SIZE) {
		if (n != -EIO || r->req_cons != cons)
			die("ring read accepted impossible indices");
		return;
	}
	want = avail < room ? avail : room;
	if (n != (int)want || r->req_cons != cons + want)
		die("ring read: wrong count or index");
	for (i = 0; i < want; i++)
		if (c->in[c->in_len + i] != r->req[MASK_XENSTORE_IDX(cons + i)])
			die("ring read: wrong bytes");
	c->in_len += want;
}

/* The daemon writes its output queue into the reply ring. */
static void ring_out(struct xenstore_domain_interface *r, struct xs_conn *c)
{
	uint32_t prod = r->rsp_prod, used = prod - r->rsp_cons, want, i;
	size_t len = c->out_end - c->out_start;
	int n;

	if (!len)
		return;
	n = xs_ring_write(r, c->out + c->out_start, len);
	if (used > XENSTORE_RING_SIZE) {
		if (n != -EIO || r->rsp_prod != prod)
			die("ring write accepted impossible indices");
		return;
	}
	want = XENSTORE_RING_SIZE - used < len ? XENSTORE_RING_SIZE - used : (uint32_t)len;
	if (n != (int)want || r->rsp_prod != prod + want)
		die("ring write: wrong count or index");
	for (i = 0; i < want; i++)
		if (r->rsp[MASK_XENSTORE_IDX(prod + i)] != c->out[c->out_start + i])
			die("ring write: wrong bytes");
	xs_conn_consumed(c, want);
}

static void run_ring(struct fxs *f, unsigned int slot, const uint8_t *p, size_t size)
{
	static struct xenstore_domain_interface r;
	size_t off = 16, i;
	unsigned int count, flags;

	if (size < 16)
		return;
	memset(&r, 0, sizeof(r));
	r.req_cons = get32(p);
	r.req_prod = get32(p + 4);
	r.rsp_cons = get32(p + 8);
	r.rsp_prod = get32(p + 12);
	while (size - off >= 2) {
		count = p[off];
		flags = p[off + 1];
		off += 2;
		if (count > size - off)
			count = (unsigned int)(size - off);
		for (i = 0; i < count; i++)
			r.req[MASK_XENSTORE_IDX(r.req_prod + i)] = (char)p[off + i];
		off += count;
		r.req_prod += (flags & 1) ? (uint32_t)count * 977 : count;
		if (flags & 2)
			r.rsp_cons = r.rsp_prod - (flags >> 2) * 64;
		ring_in(&r, fxs_conn(f, slot));
		xs_conn_process(fxs_conn(f, slot));
		ring_out(&r, fxs_conn(f, slot));
		fxs_after(f, slot, false);
		check_store(f);
	}
}

static void run_socket(struct fxs *f, unsigned int slot, const uint8_t *p, size_t size)
{
	size_t off = 0, n;

	while (off < size) {
		n = p[off++] + 1;
		if (n > size - off)
			n = size - off;
		xs_conn_input(fxs_conn(f, slot), (const char *)p + off, n);
		off += n;
		fxs_after(f, slot, true);
		check_store(f);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fxs f;
	char why[256];

	if (!size)
		return 0;
	fxs_init(&f);
	if (data[0] & 1)
		run_ring(&f, (data[0] >> 1) % FXS_SLOTS, data + 1, size - 1);
	else
		run_socket(&f, (data[0] >> 1) % FXS_SLOTS, data + 1, size - 1);
	if (xs_check_all(f.s, why, sizeof(why)))
		die(why);
	fxs_fini(&f);
	return 0;
}
