// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fuzzers' world of connections (see fuzz_xs.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_xs.h"
#include "xs_ops.h"

/* The domain behind each slot, or 0 for dom0's sockets. */
static const unsigned int slot_dom[FXS_SLOTS] = { 0, 0, 1, 2, 3, 5 };

void fxs_init(struct fxs *f)
{
	struct xs_limits l;
	struct xs_domain *d;

	memset(f, 0, sizeof(*f));
	xs_hash_set_key(0x0123456789abcdefull, 0xfedcba9876543210ull);
	xs_limits_default(&l);
	l.entries = 12;
	l.entry_size = 300;
	l.watches = 4;
	l.transactions = 3;
	l.perms = 3;
	l.path_max = 64;
	l.txn_nodes = 10;
	l.out_max = 65536;
	f->s = calloc(1, sizeof(*f->s));
	if (!f->s || xs_store_init(f->s, &l))
		abort();
	if (xs_domain_introduce(f->s, 1, 11, 1, &d) || xs_domain_introduce(f->s, 2, 12, 2, &d) ||
	    xs_domain_introduce(f->s, 5, 15, 5, &d))
		abort();
	d->target = d->conn->target = 1; /* dom5 is privileged over dom1 */
}

void fxs_fini(struct fxs *f)
{
	xs_store_free(f->s);
	free(f->s);
	f->s = NULL;
}

void fxs_swap(struct fxs *f, struct xs_store *n)
{
	fxs_fini(f);
	f->s = n;
}

static struct xs_conn *find(struct xs_store *s, int fd, unsigned int id)
{
	struct xs_list *l;

	for (l = s->conns.next; l != &s->conns; l = l->next) {
		struct xs_conn *c = xs_container_of(l, struct xs_conn, link);

		if (!c->dead && !c->domain && c->fd == fd && (fd >= 0 || c->id == id))
			return c;
	}
	return NULL;
}

struct xs_conn *fxs_conn(struct fxs *f, unsigned int slot)
{
	unsigned int id = slot_dom[slot];
	int fd = slot < 2 ? 100 + (int)slot : -1;
	struct xs_domain *d = id ? xs_domain_find(f->s, id) : NULL;
	struct xs_conn *c;

	if (d && d->conn && !d->conn->dead && slot != 4)
		return d->conn;
	c = find(f->s, fd, id);
	if (!c)
		c = xs_conn_new(f->s, id, fd);
	if (!c)
		abort();
	return c;
}

uint32_t fxs_txid(const struct fxs *f, unsigned int slot, uint8_t sel)
{
	switch (sel & 7) {
	case 0:
	case 1:
		return 0;
	case 2:
	case 3:
		return f->last_tx[slot];
	case 4:
		return f->last_tx[slot] + 1;
	case 5:
		return 1;
	default:
		return sel;
	}
}

/* Started transactions among the queued replies of @c. */
static void note_txids(struct fxs *f, unsigned int slot, const struct xs_conn *c)
{
	struct xsd_sockmsg h;
	size_t off = c->out_start;

	while (c->out_end - off >= sizeof(h)) {
		memcpy(&h, c->out + off, sizeof(h));
		if (c->out_end - off - sizeof(h) < h.len)
			break;
		if (h.type == XS_TRANSACTION_START && h.len > 1 && h.len < 12)
			f->last_tx[slot] = (uint32_t)strtoul(c->out + off + sizeof(h), NULL, 10);
		off += sizeof(h) + h.len;
	}
}

void fxs_after(struct fxs *f, unsigned int slot, bool drain)
{
	struct xs_conn *c = fxs_conn(f, slot);
	struct xs_list *l, *next;

	note_txids(f, slot, c);
	if (drain && c->out_end > c->out_start)
		xs_conn_consumed(c, c->out_end - c->out_start);
	for (l = f->s->dirty.next; l != &f->s->dirty; l = next) {
		next = l->next;
		c = xs_container_of(l, struct xs_conn, dirty);
		if (c->dead)
			xs_conn_free(c);
	}
}
