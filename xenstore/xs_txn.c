// SPDX-License-Identifier: GPL-2.0-only
/*
 * Transactions with per-node conflict detection.
 *
 * A transaction is a shadow table of the nodes it has looked at: each entry
 * is the transaction's private copy of the node (or a mark that it was
 * absent) with the generation it had when first seen (see xs_view.c). Commit
 * fails with EAGAIN only when one of those very nodes changed meanwhile:
 * writes elsewhere in the store never make a transaction retry.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_ops.h"

struct xs_txn {
	struct xs_list link; /* conn->txns */
	struct xs_conn *conn;
	uint32_t id;
	int node_delta; /* nodes created minus removed, for the quota */
	struct xs_table shadow;
};

struct xs_table *xs_txn_shadow(struct xs_txn *t)
{
	return &t->shadow;
}

void xs_txn_count(struct xs_txn *t, int delta)
{
	t->node_delta += delta;
}

int xs_txn_pending_nodes(const struct xs_txn *t)
{
	return t->node_delta;
}

struct xs_txn *xs_txn_find(struct xs_conn *c, uint32_t id)
{
	struct xs_list *l;

	for (l = c->txns.next; l != &c->txns; l = l->next) {
		struct xs_txn *t = xs_container_of(l, struct xs_txn, link);

		if (t->id == id)
			return t;
	}
	return NULL;
}

bool xs_txn_is_stale(const struct xs_conn *c, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < c->nr_stale; i++)
		if (c->stale_txids[i] == id)
			return true;
	return false;
}

int xs_txn_note_access(struct xs_txn *t, const char *path, size_t len, const struct xs_node *n,
		       struct xs_node **copy)
{
	struct xs_node *e;

	if (!xs_conn_privileged(t->conn) && t->shadow.count >= t->conn->store->lim.txn_nodes)
		return -ENOSPC;
	e = n ? xs_node_dup(n) : xs_node_new(path, len);
	if (!e)
		return -ENOMEM;
	e->base_gen = n ? n->gen : 0;
	e->tflags = n ? 0 : XS_TN_DELETED;
	xs_table_insert(&t->shadow, e);
	*copy = e;
	return 0;
}

static struct xs_txn *txn_new(struct xs_conn *c)
{
	struct xs_txn *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	if (xs_table_init(&t->shadow, 4)) {
		free(t);
		return NULL;
	}
	t->conn = c;
	xs_list_add_tail(&t->link, &c->txns);
	c->nr_txns++;
	return t;
}

int xs_txn_start(struct xs_conn *c, uint32_t *id)
{
	struct xs_txn *t;
	uint32_t next = c->next_txid;

	if (!xs_conn_privileged(c) && c->nr_txns >= c->store->lim.transactions)
		return -ENOSPC;
	/* Ids are never 0 and never one already in use on this connection. */
	do {
		next++;
	} while (!next || xs_txn_find(c, next) || xs_txn_is_stale(c, next));
	t = txn_new(c);
	if (!t)
		return -ENOMEM;
	t->id = c->next_txid = next;
	*id = t->id;
	return 0;
}

int xs_txn_restore(struct xs_conn *c, uint32_t id, int node_delta, struct xs_txn **out)
{
	struct xs_txn *t = txn_new(c);

	if (!t)
		return -ENOMEM;
	t->id = id;
	t->node_delta = node_delta;
	*out = t;
	return 0;
}

static void txn_free(struct xs_txn *t)
{
	xs_list_del(&t->link);
	t->conn->nr_txns--;
	xs_table_free(&t->shadow);
	free(t);
}

struct commit_ctx {
	struct xs_store *s;
	struct xs_table *shadow;
	bool conflict;
};

static void check_one(struct xs_node *e, void *arg)
{
	struct commit_ctx *cc = arg;
	struct xs_node *n = xs_table_find(&cc->s->nodes, e->path, e->pathlen);

	if ((n ? n->gen : 0) != e->base_gen)
		cc->conflict = true;
}

/* Move one changed copy into the store; cannot fail. */
static void apply_one(struct xs_node *e, void *arg)
{
	struct commit_ctx *cc = arg;
	struct xs_store *s = cc->s;
	struct xs_node *n;
	bool fire;

	if (!(e->tflags & XS_TN_MODIFIED))
		return;
	fire = e->tflags & XS_TN_FIRE;
	n = xs_table_find(&s->nodes, e->path, e->pathlen);
	if (e->tflags & XS_TN_DELETED) {
		if (!n)
			return;
		xs_watch_fire(s, n->path, n->pathlen, n, !(e->tflags & XS_TN_RMROOT));
		xs_store_account(s, n, -1);
		xs_table_remove(&s->nodes, n);
		xs_node_free(n);
		return;
	}
	if (!n) {
		/* A new node: move the copy itself over (the walk allows it). */
		xs_table_remove(cc->shadow, e);
		n = e;
		n->tflags = 0;
		n->base_gen = 0;
		xs_table_insert(&s->nodes, n);
	} else {
		xs_store_account(s, n, -1);
		xs_node_take(n, e);
	}
	xs_store_account(s, n, 1);
	n->gen = ++s->gen;
	if (fire)
		xs_watch_fire(s, n->path, n->pathlen, n, false);
}

struct quota_ctx {
	struct xs_store *s;
	unsigned int domid;
	long delta; /* nodes @domid owns after the commit, minus before */
};

static unsigned int owner_of(const struct xs_node *n)
{
	return n && n->nperms ? (unsigned int)n->perms[0].id : XS_NO_TARGET;
}

static void quota_one(struct xs_node *e, void *arg)
{
	struct quota_ctx *qc = arg;
	const struct xs_node *n;

	if (!(e->tflags & XS_TN_MODIFIED))
		return;
	n = xs_table_find(&qc->s->nodes, e->path, e->pathlen);
	qc->delta -= owner_of(n) == qc->domid;
	qc->delta += !(e->tflags & XS_TN_DELETED) && owner_of(e) == qc->domid;
}

/*
 * As Xen's daemon: the node quota is enforced again at commit, on what the
 * domain would own once the transaction is in (each open transaction was
 * checked alone, against what the domain owned then). Only an unprivileged
 * connection that gains nodes is checked; it is the only domain whose
 * count its transaction can raise (it cannot give nodes to others).
 */
static bool over_quota(struct xs_conn *c, struct xs_txn *t)
{
	struct quota_ctx qc = { .s = c->store, .domid = c->id, .delta = 0 };

	if (xs_conn_privileged(c) || c->id >= XS_MAX_DOMID)
		return false;
	xs_table_each(&t->shadow, quota_one, &qc);
	return qc.delta > 0 && c->store->dom_nodes[c->id] + qc.delta > c->store->lim.entries;
}

int xs_txn_end(struct xs_conn *c, struct xs_txn *t, bool commit)
{
	struct commit_ctx cc = { .s = c->store, .shadow = &t->shadow, .conflict = false };

	if (commit) {
		xs_table_each(&t->shadow, check_one, &cc);
		if (cc.conflict) {
			c->store->stats_txn_again++;
			txn_free(t);
			return -EAGAIN;
		}
		if (over_quota(c, t)) {
			txn_free(t);
			return -ENOSPC;
		}
		xs_table_each(&t->shadow, apply_one, &cc);
		c->store->stats_txn_ok++;
	}
	txn_free(t);
	return 0;
}

void xs_txn_abort_all(struct xs_conn *c)
{
	while (!xs_list_empty(&c->txns))
		txn_free(xs_container_of(c->txns.next, struct xs_txn, link));
}

struct xs_txn *xs_txn_of(const struct xs_list *l)
{
	return xs_container_of(l, struct xs_txn, link);
}

uint32_t xs_txn_id(const struct xs_txn *t)
{
	return t->id;
}
