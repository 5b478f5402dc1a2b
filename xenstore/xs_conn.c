// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connections: framing of the byte stream into messages, and the queue of
 * replies and watch events waiting to be sent. The transport (socket or
 * ring) fills c->in and drains c->out; this file never does I/O.
 *
 * A client that stops reading is not allowed to grow the queue without
 * bound: past lim.out_max unsent bytes its watch events are dropped (and
 * counted) and its further requests wait until it reads again; an
 * unprivileged client's requests also wait while lim.outstanding replies
 * and events are queued for it (Xen's "outstanding requests" quota).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xs_ops.h"

struct xs_conn *xs_conn_new(struct xs_store *s, unsigned int domid, int fd)
{
	struct xs_conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->store = s;
	c->id = domid;
	c->fd = fd;
	c->target = XS_NO_TARGET;
	memset(c->recent_ev, 0xff, sizeof(c->recent_ev));
	xs_list_init(&c->watches);
	xs_list_init(&c->txns);
	xs_list_init(&c->dirty);
	xs_list_add_tail(&c->link, &s->conns);
	return c;
}

void xs_conn_free(struct xs_conn *c)
{
	if (!c)
		return;
	xs_txn_abort_all(c);
	xs_watch_del_all(c);
	if (c->domain && c->domain->conn == c)
		c->domain->conn = NULL;
	xs_list_del(&c->dirty);
	xs_list_del(&c->link);
	free(c->stale_txids);
	free(c->out);
	free(c);
}

void xs_conn_kill(struct xs_conn *c)
{
	c->dead = true;
	if (xs_list_empty(&c->dirty))
		xs_list_add_tail(&c->dirty, &c->store->dirty);
}

static bool out_full(const struct xs_conn *c)
{
	return c->out_end - c->out_start > c->store->lim.out_max;
}

bool xs_conn_blocked(const struct xs_conn *c)
{
	return out_full(c) || (!xs_conn_privileged(c) && c->out_msgs >= c->store->lim.outstanding);
}

void xs_conn_consumed(struct xs_conn *c, size_t n)
{
	struct xsd_sockmsg hdr;

	c->out_start += n;
	while (c->out_msgs && c->out_start >= c->out_msg_end) {
		if (--c->out_msgs) {
			memcpy(&hdr, c->out + c->out_msg_end, sizeof(hdr));
			c->out_msg_end += sizeof(hdr) + hdr.len;
		}
	}
	if (c->out_start >= c->out_end) {
		c->out_start = c->out_end = 0;
		c->out_msgs = 0;
		memset(c->recent_ev, 0xff, sizeof(c->recent_ev));
		if (!c->dead)
			xs_list_del(&c->dirty);
	}
}

/* Room for @need more bytes at out_end. */
static int out_reserve(struct xs_conn *c, size_t need)
{
	size_t cap;
	unsigned int i;
	char *nb;

	if (c->out_end + need <= c->out_cap)
		return 0;
	if (c->out_start) {
		memmove(c->out, c->out + c->out_start, c->out_end - c->out_start);
		for (i = 0; i < 4; i++)
			c->recent_ev[i] = c->recent_ev[i] >= c->out_start
						  ? c->recent_ev[i] - c->out_start
						  : (size_t)-1;
		c->out_end -= c->out_start;
		c->out_msg_end -= c->out_start;
		c->out_start = 0;
		if (c->out_end + need <= c->out_cap)
			return 0;
	}
	cap = c->out_cap ? c->out_cap : 8192;
	while (cap < c->out_end + need)
		cap *= 2;
	nb = realloc(c->out, cap);
	if (!nb)
		return -ENOMEM;
	c->out = nb;
	c->out_cap = cap;
	return 0;
}

static int conn_queue(struct xs_conn *c, const struct xsd_sockmsg *hdr, const void *a, size_t alen,
		      const void *b, size_t blen)
{
	if (out_reserve(c, sizeof(*hdr) + alen + blen))
		return -ENOMEM;
	if (!c->out_msgs++)
		c->out_msg_end = c->out_end + sizeof(*hdr) + alen + blen;
	memcpy(c->out + c->out_end, hdr, sizeof(*hdr));
	c->out_end += sizeof(*hdr);
	if (alen)
		memcpy(c->out + c->out_end, a, alen);
	c->out_end += alen;
	if (blen)
		memcpy(c->out + c->out_end, b, blen);
	c->out_end += blen;
	if (xs_list_empty(&c->dirty))
		xs_list_add_tail(&c->dirty, &c->store->dirty);
	return 0;
}

int xs_conn_send(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
		 const void *data, size_t len)
{
	struct xsd_sockmsg hdr = { .type = type, .req_id = req_id, .tx_id = tx_id, .len = len };

	return conn_queue(c, &hdr, data, len, NULL, 0);
}

int xs_conn_send_raw(struct xs_conn *c, const void *data, size_t len)
{
	if (out_reserve(c, len))
		return -ENOMEM;
	/* Counted as one message: it may start in the middle of one. */
	if (!c->out_msgs++)
		c->out_msg_end = c->out_end + len;
	if (len)
		memcpy(c->out + c->out_end, data, len);
	c->out_end += len;
	if (xs_list_empty(&c->dirty))
		xs_list_add_tail(&c->dirty, &c->store->dirty);
	return 0;
}

/* Is the same event (path and token) still waiting to be sent? */
static bool event_pending(const struct xs_conn *c, const struct xsd_sockmsg *hdr, const char *path,
			  size_t plen, const char *token)
{
	const struct xsd_sockmsg *q;
	size_t off;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		off = c->recent_ev[i];
		if (off < c->out_start || off > c->out_end ||
		    c->out_end - off < sizeof(*hdr) + hdr->len)
			continue;
		q = (const struct xsd_sockmsg *)(c->out + off);
		if (q->type == XS_WATCH_EVENT && q->len == hdr->len &&
		    !memcmp(c->out + off + sizeof(*hdr), path, plen) &&
		    !memcmp(c->out + off + sizeof(*hdr) + plen, token, hdr->len - plen))
			return true;
	}
	return false;
}

int xs_conn_send_event(struct xs_conn *c, const char *path, const char *token)
{
	size_t plen = strlen(path) + 1, tlen = strlen(token) + 1, off;
	struct xsd_sockmsg hdr = { .type = XS_WATCH_EVENT, .len = plen + tlen };
	int err;

	if (c->dead)
		return 0;
	if (out_full(c) || plen + tlen > XENSTORE_PAYLOAD_MAX) {
		c->events_dropped++;
		return -ENOSPC;
	}
	/* As Xen: an event identical to one still queued is not queued again. */
	if (event_pending(c, &hdr, path, plen, token))
		return 0;
	err = conn_queue(c, &hdr, path, plen, token, tlen);
	if (!err) {
		off = c->out_end - sizeof(hdr) - plen - tlen;
		c->recent_ev[c->recent_next++ % 4] = off;
	}
	return err;
}

int xs_conn_process(struct xs_conn *c)
{
	struct xsd_sockmsg hdr;
	size_t off = 0, total;
	char saved;

	while (!c->dead && c->in_len - off >= sizeof(hdr)) {
		memcpy(&hdr, c->in + off, sizeof(hdr));
		if (hdr.len > XENSTORE_PAYLOAD_MAX) {
			xs_conn_kill(c);
			return -EPROTO;
		}
		total = sizeof(hdr) + hdr.len;
		if (c->in_len - off < total || xs_conn_blocked(c))
			break;
		/* Terminate the payload in place for the handlers, then restore. */
		saved = c->in[off + total];
		c->in[off + total] = '\0';
		xs_dispatch(c, &hdr, c->in + off + sizeof(hdr));
		c->in[off + total] = saved;
		off += total;
	}
	if (off) {
		memmove(c->in, c->in + off, c->in_len - off);
		c->in_len -= off;
	}
	return c->dead ? -EPROTO : 0;
}

int xs_conn_input(struct xs_conn *c, const char *buf, size_t len)
{
	size_t n;
	int err;

	while (len) {
		n = XS_MSG_MAX - c->in_len;
		if (n > len)
			n = len;
		memcpy(c->in + c->in_len, buf, n);
		c->in_len += n;
		buf += n;
		len -= n;
		err = xs_conn_process(c);
		if (err)
			return err;
		if (n == 0)
			return -ENOBUFS; /* blocked with a full buffer: caller retries */
	}
	return 0;
}
