// SPDX-License-Identifier: GPL-2.0-only
/*
 * Saving the store as bytes (see xs_snap.h for the layout). Loading is in
 * xs_snap_load.c. Everything a connection owns is written: a live update
 * that restores these bytes carries every node, watch, transaction and
 * queued byte across.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_ops.h"
#include "xs_snap.h"
#include "xs_snap_int.h"

static void put(struct xs_snap_buf *b, const void *p, size_t len)
{
	size_t cap;
	char *nb;

	if (b->err)
		return;
	if (b->len + len > b->cap) {
		cap = b->cap ? b->cap : 65536;
		while (cap < b->len + len)
			cap *= 2;
		nb = realloc(b->data, cap);
		if (!nb) {
			b->err = -ENOMEM;
			return;
		}
		b->data = nb;
		b->cap = cap;
	}
	if (len)
		memcpy(b->data + b->len, p, len);
	b->len += len;
}

static void put32(struct xs_snap_buf *b, uint32_t v)
{
	put(b, &v, sizeof(v));
}

static void put64(struct xs_snap_buf *b, uint64_t v)
{
	put(b, &v, sizeof(v));
}

static void putbytes(struct xs_snap_buf *b, const void *p, size_t len)
{
	put32(b, len);
	put(b, p, len);
}

/* A node; @copy: a transaction's copy, with its children and marks too. */
static void put_node(struct xs_snap_buf *b, const struct xs_node *n, bool copy)
{
	uint32_t i;

	putbytes(b, n->path, n->pathlen);
	putbytes(b, n->value, n->vlen);
	put32(b, n->nperms);
	for (i = 0; i < n->nperms; i++) {
		put32(b, n->perms[i].id);
		put32(b, n->perms[i].perms);
	}
	put64(b, n->gen);
	if (!copy)
		return;
	putbytes(b, n->children, n->clen);
	put64(b, n->base_gen);
	put32(b, n->tflags);
}

/* Pre-order walk, so a parent is always restored before its children. */
static void save_tree(struct xs_snap_buf *b, struct xs_store *s, const struct xs_node *n)
{
	static char child[XENSTORE_ABS_PATH_MAX + 2]; /* rebuilt per level: shared */
	const struct xs_node *c;
	uint32_t off;
	size_t len;

	put32(b, SNAP_TAG_NODE);
	put_node(b, n, false);
	for (off = 0; off < n->clen; off += strlen(n->children + off) + 1) {
		len = xs_child_path(n, off, child, sizeof(child));
		c = len ? xs_table_find(&s->nodes, child, len) : NULL;
		if (c)
			save_tree(b, s, c);
	}
}

static void put_copy(struct xs_node *n, void *b)
{
	put_node(b, n, true);
}

static void save_conn(struct xs_snap_buf *b, struct xs_conn *c)
{
	struct xs_list *l;
	unsigned int i;

	if (c->fd >= 0) {
		put32(b, SNAP_CONN_SOCKET);
		put32(b, c->fd);
	} else {
		put32(b, c->domain ? SNAP_CONN_DOMAIN : SNAP_CONN_BARE);
		put32(b, c->domain ? c->domain->domid : 0);
	}
	put32(b, c->id);
	put32(b, c->target);
	put32(b, c->next_txid);
	putbytes(b, c->in, c->in_len);
	putbytes(b, c->out ? c->out + c->out_start : NULL, c->out_end - c->out_start);
	put32(b, c->nr_watches);
	for (l = c->watches.next; l != &c->watches; l = l->next) {
		const char *path, *token;
		bool rel;

		xs_watch_describe(l, &path, &token, &rel);
		putbytes(b, path, strlen(path));
		putbytes(b, token, strlen(token));
		put32(b, rel);
	}
	put32(b, c->nr_txns);
	for (l = c->txns.next; l != &c->txns; l = l->next) {
		struct xs_txn *t = xs_txn_of(l);

		put32(b, xs_txn_id(t));
		put32(b, (uint32_t)xs_txn_pending_nodes(t));
		put32(b, xs_txn_shadow(t)->count);
		xs_table_each(xs_txn_shadow(t), put_copy, b);
	}
	put32(b, c->nr_stale);
	for (i = 0; i < c->nr_stale; i++)
		put32(b, c->stale_txids[i]);
}

static void save_domains(struct xs_snap_buf *b, struct xs_store *s)
{
	struct xs_list *l;
	uint32_t n = 0;

	for (l = s->domains.next; l != &s->domains; l = l->next)
		n++;
	put32(b, n);
	for (l = s->domains.next; l != &s->domains; l = l->next) {
		struct xs_domain *d = xs_container_of(l, struct xs_domain, link);

		put32(b, d->domid);
		put32(b, d->target);
		put64(b, d->mfn);
		put32(b, d->remote_port);
		put32(b, d->shutdown);
		/* A ring cut off for a protocol error stays cut off. */
		put32(b, d->conn && !d->conn->dead);
	}
}

int xs_snap_save(struct xs_store *s, uint32_t listen_fd, struct xs_snap_buf *b)
{
	struct xs_list *l;
	uint32_t n = 0;

	memset(b, 0, sizeof(*b));
	put(b, SNAP_MAGIC, 8);
	put64(b, s->gen);
	put32(b, listen_fd);
	put_node(b, xs_table_find(&s->special, "@introduceDomain", 16), false);
	put_node(b, xs_table_find(&s->special, "@releaseDomain", 14), false);
	save_tree(b, s, xs_table_find(&s->nodes, "/", 1));
	put32(b, SNAP_TAG_END);
	save_domains(b, s);
	for (l = s->conns.next; l != &s->conns; l = l->next)
		n += !xs_container_of(l, struct xs_conn, link)->dead;
	put32(b, n);
	for (l = s->conns.next; l != &s->conns; l = l->next) {
		struct xs_conn *c = xs_container_of(l, struct xs_conn, link);

		if (!c->dead)
			save_conn(b, c);
	}
	return b->err;
}

void xs_snap_buf_free(struct xs_snap_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}
