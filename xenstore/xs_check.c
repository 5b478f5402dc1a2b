// SPDX-License-Identifier: GPL-2.0-only
/*
 * The invariants of one store (see xs_check.h); the comparison of two
 * stores is in xs_check_same.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_check.h"
#include "xs_ops.h"
#include "xs_snap.h"

struct walk {
	struct xs_store *s;
	uint32_t reached;
	char *why;
	size_t size;
	int err;
};

int xs_check_fail(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (why && size) {
		va_start(ap, fmt);
		vsnprintf(why, size, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* A mark the walk leaves on the nodes it has seen (cleared after it). */
#define CHECK_SEEN 0x80000000u

static void unmark(struct xs_node *n, void *arg)
{
	(void)arg;
	n->tflags &= ~CHECK_SEEN;
}

static void walk_node(struct walk *w, struct xs_node *n)
{
	static char child[XENSTORE_ABS_PATH_MAX + 2]; /* rebuilt per level */
	struct xs_node *c;
	uint32_t off;
	size_t len;

	if (n->tflags & CHECK_SEEN) {
		w->err = xs_check_fail(w->why, w->size, "node %s listed twice", n->path);
		return;
	}
	n->tflags |= CHECK_SEEN;
	w->reached++;
	if (!n->nperms || (n->tflags & ~CHECK_SEEN) || n->base_gen || n->gen > w->s->gen)
		w->err = xs_check_fail(w->why, w->size, "node %s: perms %u, marks %u, gen %llu",
				       n->path, n->nperms, n->tflags & ~CHECK_SEEN,
				       (unsigned long long)n->gen);
	if (n->clen && n->children[n->clen - 1])
		w->err =
			xs_check_fail(w->why, w->size, "node %s: children not terminated", n->path);
	for (off = 0; off < n->clen && !w->err; off += strlen(n->children + off) + 1) {
		len = xs_child_path(n, off, child, sizeof(child));
		if (!len || !n->children[off]) {
			w->err = xs_check_fail(w->why, w->size, "node %s: bad child list", n->path);
			return;
		}
		c = xs_table_find(&w->s->nodes, child, len);
		if (!c) {
			w->err = xs_check_fail(w->why, w->size, "node %s lists missing child %s",
					       n->path, n->children + off);
			return;
		}
		walk_node(w, c);
	}
}

/* Nodes counted per owner; all zero between checks (only owners touched). */
static uint32_t owner_cnt[XS_MAX_DOMID];

static unsigned int owner(const struct xs_node *n)
{
	return n->nperms ? (unsigned int)n->perms[0].id : XS_MAX_DOMID;
}

static void count_owner(struct xs_node *n, void *arg)
{
	uint64_t *total = arg;

	if (owner(n) < XS_MAX_DOMID) {
		owner_cnt[owner(n)]++;
		++*total;
	}
}

struct owner_ctx {
	const struct xs_store *s;
	int bad; /* first domid whose count differs, or -1 */
};

static void compare_owner(struct xs_node *n, void *arg)
{
	struct owner_ctx *oc = arg;
	unsigned int o = owner(n);

	if (o < XS_MAX_DOMID && oc->bad < 0 && owner_cnt[o] != oc->s->dom_nodes[o])
		oc->bad = (int)o;
}

static void clear_owner(struct xs_node *n, void *arg)
{
	(void)arg;
	if (owner(n) < XS_MAX_DOMID)
		owner_cnt[owner(n)] = 0;
}

/*
 * Each owner's count equals its accounted one, and no domain owning nothing
 * has any (the sum of the accounted counts, kept with them by
 * xs_store_account(), equals the nodes counted). The
 * counts are kept in owner_cnt[] for the owners seen only, so that a check
 * costs the size of the tree, not of the domid space.
 */
static int check_accounting(struct xs_store *s, char *why, size_t size)
{
	struct owner_ctx oc = { .s = s, .bad = -1 };
	uint64_t total = 0;
	int err = 0;

	xs_table_each(&s->nodes, count_owner, &total);
	xs_table_each(&s->nodes, compare_owner, &oc);
	if (oc.bad >= 0)
		err = xs_check_fail(why, size, "domain %d owns %u nodes, accounted %u", oc.bad,
				    owner_cnt[oc.bad], s->dom_nodes[oc.bad]);
	xs_table_each(&s->nodes, clear_owner, NULL);
	if (!err && s->dom_nodes_sum != total)
		err = xs_check_fail(why, size, "%llu nodes accounted to domains owning %llu",
				    (unsigned long long)s->dom_nodes_sum,
				    (unsigned long long)total);
	return err;
}

struct shadow_ctx {
	int bad;
};

static void check_copy(struct xs_node *n, void *arg)
{
	struct shadow_ctx *sc = arg;

	if (!(n->tflags & XS_TN_DELETED) && !n->nperms)
		sc->bad++;
	if (n->clen && n->children[n->clen - 1])
		sc->bad++;
}

static int check_conn(struct xs_store *s, struct xs_conn *c, char *why, size_t size)
{
	struct shadow_ctx sc = { 0 };
	unsigned int nw = 0, nt = 0;
	struct xs_list *l;

	for (l = c->watches.next; l != &c->watches; l = l->next)
		nw++;
	for (l = c->txns.next; l != &c->txns; l = l->next) {
		nt++;
		xs_table_each(xs_txn_shadow(xs_txn_of(l)), check_copy, &sc);
	}
	if (nw != c->nr_watches || nt != c->nr_txns)
		return xs_check_fail(why, size, "conn of dom%u: %u/%u watches, %u/%u txns", c->id,
				     nw, c->nr_watches, nt, c->nr_txns);
	if (!xs_conn_privileged(c) && nw > s->lim.watches)
		return xs_check_fail(why, size, "conn of dom%u: %u watches over the limit", c->id,
				     nw);
	if (sc.bad)
		return xs_check_fail(why, size, "conn of dom%u: %d bad transaction copies", c->id,
				     sc.bad);
	if (c->in_len > XS_MSG_MAX || c->out_start > c->out_end || c->out_end > c->out_cap)
		return xs_check_fail(why, size, "conn of dom%u: buffer indices", c->id);
	if (c->domain && c->domain->conn != c)
		return xs_check_fail(why, size, "conn of dom%u: not its domain's", c->id);
	return 0;
}

int xs_check_store(struct xs_store *s, char *why, size_t size)
{
	struct walk w = { .s = s, .why = why, .size = size };
	struct xs_node *root = xs_table_find(&s->nodes, "/", 1);
	unsigned int watches = 0;
	struct xs_list *l;
	int err;

	if (!root)
		return xs_check_fail(why, size, "no root node");
	walk_node(&w, root);
	xs_table_each(&s->nodes, unmark, NULL);
	if (w.err)
		return w.err;
	if (w.reached != s->nodes.count)
		return xs_check_fail(why, size, "%u nodes, %u reachable from /", s->nodes.count,
				     w.reached);
	err = check_accounting(s, why, size);
	if (err)
		return err;
	for (l = s->conns.next; l != &s->conns; l = l->next) {
		struct xs_conn *c = xs_container_of(l, struct xs_conn, link);

		err = check_conn(s, c, why, size);
		if (err)
			return err;
		watches += c->nr_watches;
	}
	if (watches != s->nr_watches || xs_watch_check(s))
		return xs_check_fail(why, size, "watch hash: %u watches, %u counted", watches,
				     s->nr_watches);
	for (l = s->domains.next; l != &s->domains; l = l->next) {
		struct xs_domain *d = xs_container_of(l, struct xs_domain, link);

		if (d->conn && d->conn->domain != d)
			return xs_check_fail(why, size, "domain %u: its conn is not its", d->domid);
	}
	return 0;
}

int xs_check_all(struct xs_store *s, char *why, size_t size)
{
	struct xs_snap_buf b;
	struct xs_store copy;
	int err = xs_check_store(s, why, size);

	if (err)
		return err;
	err = xs_snap_save(s, 0, &b);
	if (!err)
		err = xs_store_init(&copy, &s->lim);
	if (err) {
		xs_snap_buf_free(&b);
		return err;
	}
	copy.dops = NULL;
	err = xs_snap_load(&copy, b.data, b.len, NULL);
	if (err)
		xs_check_fail(why, size, "the saved state does not load: %d", err);
	else
		err = xs_check_same(s, &copy, why, size);
	xs_store_free(&copy);
	xs_snap_buf_free(&b);
	return err;
}
