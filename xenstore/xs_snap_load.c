// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading a saved store (see xs_snap.h). The bytes are hostile until
 * proven otherwise: every length is checked against what is left, every
 * node's parent must already be there, nothing may follow the last record.
 * A domain whose ring cannot be mapped again is reported and skipped (its
 * connection's record is read and dropped); anything else that does not
 * load is -EINVAL, so a live update that would lose part of the store is
 * refused before the exec (xs_state.c loads every state it saved first).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_ops.h"
#include "xs_snap.h"
#include "xs_snap_int.h"

struct rd {
	const char *p;
	size_t len, off;
	int err;
};

static const void *take(struct rd *r, size_t n)
{
	const void *p;

	if (r->err || r->len - r->off < n) {
		r->err = -EINVAL;
		return NULL;
	}
	p = r->p + r->off;
	r->off += n;
	return p;
}

static uint32_t get32(struct rd *r)
{
	const void *p = take(r, 4);
	uint32_t v = 0;

	if (p)
		memcpy(&v, p, 4);
	return v;
}

static uint64_t get64(struct rd *r)
{
	const void *p = take(r, 8);
	uint64_t v = 0;

	if (p)
		memcpy(&v, p, 8);
	return v;
}

/* A string of at most @max bytes: pointer into the bytes, not terminated. */
static const char *getbytes(struct rd *r, uint32_t *len, uint32_t max)
{
	*len = get32(r);
	if (*len > max) {
		r->err = -EINVAL;
		return NULL;
	}
	return take(r, *len);
}

/* One node record into a new node (not inserted); @copy: a txn's copy. */
static struct xs_node *get_node(struct rd *r, bool copy)
{
	static struct xs_permissions perms[XENSTORE_PAYLOAD_MAX / 2];
	const char *path, *value, *children = NULL;
	uint32_t plen, vlen, np, i, clen = 0;
	struct xs_node *n;

	path = getbytes(r, &plen, XENSTORE_ABS_PATH_MAX);
	value = getbytes(r, &vlen, XENSTORE_PAYLOAD_MAX);
	np = get32(r);
	if (r->err || !plen || np > XENSTORE_PAYLOAD_MAX / 2 || (!copy && !np))
		return r->err = -EINVAL, NULL;
	for (i = 0; i < np; i++) {
		perms[i].id = get32(r);
		perms[i].perms = get32(r);
	}
	n = xs_node_new(path, plen);
	if (!n || xs_node_set_value(n, value, vlen) || xs_node_set_perms(n, perms, np)) {
		xs_node_free(n);
		return r->err = -ENOMEM, NULL;
	}
	n->gen = get64(r);
	if (copy) {
		children = getbytes(r, &clen, 1u << 24);
		n->base_gen = get64(r);
		n->tflags = get32(r);
		/* A children blob is NUL-terminated names. */
		if (clen && children && children[clen - 1])
			r->err = -EINVAL;
		if (!r->err && clen) {
			n->children = malloc(clen);
			if (!n->children)
				r->err = -ENOMEM;
			else
				memcpy(n->children, children, clen);
			n->clen = n->ccap = n->children ? clen : 0;
		}
	}
	if (r->err) {
		xs_node_free(n);
		return NULL;
	}
	return n;
}

static int load_special(struct rd *r, struct xs_store *s)
{
	struct xs_node *n, *old;
	int i;

	for (i = 0; i < 2; i++) {
		n = get_node(r, false);
		if (!n)
			return r->err;
		old = xs_table_find(&s->special, n->path, n->pathlen);
		if (old)
			xs_node_take(old, n);
		xs_node_free(n);
		if (!old)
			return -EINVAL;
	}
	return 0;
}

/* Insert @n below its parent; the root replaces the initial one. */
static int add_node(struct xs_store *s, struct xs_node *n)
{
	struct xs_node *old, *parent;
	const char *base;
	size_t plen;

	old = xs_table_find(&s->nodes, n->path, n->pathlen);
	if (old && n->pathlen == 1 && n->gen <= s->gen) {
		xs_node_take(old, n);
		old->clen = 0; /* children are listed again as they load */
		old->gen = n->gen;
		xs_node_free(n);
		return 0;
	}
	if (old || n->path[0] != '/' || n->pathlen < 2 || n->path[n->pathlen - 1] == '/' ||
	    n->gen > s->gen)
		return -EINVAL;
	base = xs_path_base(n->path, n->pathlen, &plen);
	parent = xs_table_find(&s->nodes, n->path, plen);
	if (!parent || memchr(base, '\0', n->pathlen - (base - n->path)))
		return -EINVAL;
	if (xs_node_add_child(parent, base, n->pathlen - (base - n->path)))
		return -ENOMEM;
	xs_table_insert(&s->nodes, n);
	return 0;
}

static void account_one(struct xs_node *n, void *s)
{
	xs_store_account(s, n, 1);
}

static void unaccount_one(struct xs_node *n, void *s)
{
	xs_store_account(s, n, -1);
}

static int load_nodes(struct rd *r, struct xs_store *s)
{
	struct xs_node *n, *root;
	uint32_t tag;
	int err;

	/* Start from a bare root: the saved tree replaces the initial one. */
	xs_table_each(&s->nodes, unaccount_one, s);
	root = xs_table_find(&s->nodes, "/", 1);
	xs_table_remove(&s->nodes, root);
	xs_table_free(&s->nodes);
	if (xs_table_init(&s->nodes, 10)) {
		xs_node_free(root);
		return -ENOMEM;
	}
	root->clen = 0;
	xs_table_insert(&s->nodes, root);
	while ((tag = get32(r)) == SNAP_TAG_NODE) {
		n = get_node(r, false);
		if (!n)
			return r->err;
		err = add_node(s, n);
		if (err) {
			xs_node_free(n);
			return err;
		}
	}
	if (r->err || tag != SNAP_TAG_END)
		return -EINVAL;
	xs_table_each(&s->nodes, account_one, s);
	return 0;
}

static int load_domains(struct rd *r, struct xs_store *s)
{
	uint32_t count = get32(r), i, domid, target, port, shutdown, live;
	struct xs_domain *d;
	uint64_t mfn;

	for (i = 0; i < count && !r->err; i++) {
		domid = get32(r);
		target = get32(r);
		mfn = get64(r);
		port = get32(r);
		shutdown = get32(r);
		live = get32(r);
		if (r->err || domid >= XS_MAX_DOMID || xs_domain_find(s, domid))
			return -EINVAL;
		if (xs_domain_introduce(s, domid, mfn, port, &d)) {
			fprintf(stderr, "xenstored: domain %u lost in live update\n", domid);
			continue;
		}
		d->target = target;
		d->shutdown = shutdown;
		d->conn->target = target;
		if (!live)
			xs_conn_kill(d->conn);
	}
	return r->err;
}

/* The connection a record is for, or a throw-away one to parse into. */
static struct xs_conn *conn_for(struct xs_store *s, uint32_t kind, uint32_t ref,
				const struct xs_snap_hooks *h)
{
	struct xs_domain *d;

	switch (kind) {
	case SNAP_CONN_SOCKET:
		if (ref > 0x7fffffffu)
			return NULL;
		if (h && h->socket_conn)
			return h->socket_conn(h->arg, s, ref);
		return xs_conn_new(s, 0, ref);
	case SNAP_CONN_DOMAIN:
		d = xs_domain_find(s, ref);
		return d ? d->conn : NULL;
	default:
		return xs_conn_new(s, 0, -1);
	}
}

static int load_watches(struct rd *r, struct xs_conn *c)
{
	static char path[XENSTORE_ABS_PATH_MAX + 1], token[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t nw = get32(r), i, plen, tlen, rel;
	const char *p, *t;

	for (i = 0; i < nw && !r->err; i++) {
		p = getbytes(r, &plen, XENSTORE_ABS_PATH_MAX);
		t = getbytes(r, &tlen, XENSTORE_PAYLOAD_MAX);
		rel = get32(r);
		if (r->err)
			break;
		memcpy(path, p, plen);
		path[plen] = '\0';
		memcpy(token, t, tlen);
		token[tlen] = '\0';
		if (strlen(path) != plen || strlen(token) != tlen || !plen)
			return -EINVAL;
		if (c && xs_watch_add(c, path, token, rel))
			return -EINVAL;
	}
	return r->err;
}

static int load_txns(struct rd *r, struct xs_store *s, struct xs_conn *c)
{
	uint32_t nt = get32(r), i, j, id, delta, count;
	struct xs_txn *t = NULL;
	struct xs_node *n;

	for (i = 0; i < nt && !r->err; i++) {
		id = get32(r);
		delta = get32(r);
		count = get32(r);
		if (r->err || !id || (c && xs_txn_find(c, id)))
			return -EINVAL;
		if (c && xs_txn_restore(c, id, (int)delta, &t))
			return -ENOMEM;
		for (j = 0; j < count; j++) {
			n = get_node(r, true);
			if (!n)
				return r->err;
			/* Generations from the future, marks that do not exist, a
			 * present node without perms: not a state we wrote. */
			if (n->gen > s->gen || n->base_gen > s->gen || (n->tflags & ~15u) ||
			    (!n->nperms && !(n->tflags & XS_TN_DELETED)) ||
			    (c && xs_table_find(xs_txn_shadow(t), n->path, n->pathlen))) {
				xs_node_free(n);
				return -EINVAL;
			}
			if (c)
				xs_table_insert(xs_txn_shadow(t), n);
			else
				xs_node_free(n);
		}
	}
	return r->err;
}

static int load_conn(struct rd *r, struct xs_store *s, const struct xs_snap_hooks *h)
{
	uint32_t kind = get32(r), ref = get32(r), id, target, next, len, nt, i;
	const char *in, *out;
	struct xs_conn *c;
	int err;

	id = get32(r);
	target = get32(r);
	next = get32(r);
	in = getbytes(r, &len, XS_MSG_MAX);
	if (r->err || kind > SNAP_CONN_BARE)
		return -EINVAL;
	c = conn_for(s, kind, ref, h);
	if (c && (c->in_len || c->out_end || c->nr_watches || c->nr_txns || c->stale_txids))
		return -EINVAL; /* a second record for the same connection */
	if (c) {
		c->id = id;
		c->target = target;
		c->next_txid = next;
		memcpy(c->in, in, len);
		c->in_len = len;
	}
	out = getbytes(r, &len, 1u << 30);
	if (r->err)
		return -EINVAL;
	if (c && len && xs_conn_send_raw(c, out, len))
		return -ENOMEM;
	err = load_watches(r, c);
	if (!err)
		err = load_txns(r, s, c);
	nt = err ? 0 : get32(r);
	if (!err && nt > 1u << 20)
		return -EINVAL;
	if (nt && c) {
		c->stale_txids = calloc(nt, sizeof(uint32_t));
		if (!c->stale_txids)
			return -ENOMEM;
	}
	for (i = 0; i < nt && !r->err; i++) {
		ref = get32(r);
		if (c)
			c->stale_txids[c->nr_stale++] = ref;
	}
	return err ? err : r->err;
}

int xs_snap_listen_fd(const char *data, size_t len, uint32_t *fd)
{
	struct rd r = { .p = data, .len = len };
	const char *magic = take(&r, 8);

	if (!magic || memcmp(magic, SNAP_MAGIC, 8))
		return -EINVAL;
	get64(&r);
	*fd = get32(&r);
	return r.err;
}

int xs_snap_load(struct xs_store *s, const char *data, size_t len, const struct xs_snap_hooks *h)
{
	struct rd r = { .p = data, .len = len };
	const char *magic = take(&r, 8);
	uint32_t count, i;
	int err;

	if (!magic || memcmp(magic, SNAP_MAGIC, 8))
		return -EINVAL;
	s->gen = get64(&r);
	get32(&r); /* the listening socket: xs_snap_listen_fd() */
	err = r.err ? r.err : load_special(&r, s);
	if (!err)
		err = load_nodes(&r, s);
	if (!err && h && h->before_domains)
		err = h->before_domains(h->arg);
	if (!err)
		err = load_domains(&r, s);
	count = err ? 0 : get32(&r);
	for (i = 0; i < count && !err; i++)
		err = load_conn(&r, s, h);
	if (!err && r.err)
		err = r.err;
	if (!err && r.off != r.len)
		err = -EINVAL;
	return err;
}
