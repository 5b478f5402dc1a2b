// SPDX-License-Identifier: GPL-2.0-only
/*
 * Do two stores hold the same state? Used on a store and the copy loaded
 * from its saved bytes (xs_check_all(), and a live update before its exec).
 * Connections are matched by transport: a socket by its fd, a ring by its
 * domain, a connection without transport by its rank among those; dead
 * connections (being dropped) are not part of the state.
 */
#include <errno.h>
#include <string.h>

#include "xs_check.h"
#include "xs_ops.h"

/* Value, perms, generation, children; @copy: transaction marks too. */
static bool node_same(const struct xs_node *a, const struct xs_node *b, bool copy)
{
	if (!b || a->vlen != b->vlen || a->nperms != b->nperms || a->gen != b->gen ||
	    a->clen != b->clen)
		return false;
	if ((a->vlen && memcmp(a->value, b->value, a->vlen)) ||
	    (a->nperms && memcmp(a->perms, b->perms, a->nperms * sizeof(*a->perms))) ||
	    (a->clen && memcmp(a->children, b->children, a->clen)))
		return false;
	return !copy || (a->base_gen == b->base_gen && a->tflags == b->tflags);
}

struct table_ctx {
	const struct xs_table *other;
	bool copy;
	const char *bad;
};

static void node_cmp(struct xs_node *n, void *arg)
{
	struct table_ctx *tc = arg;

	if (!tc->bad && !node_same(n, xs_table_find(tc->other, n->path, n->pathlen), tc->copy))
		tc->bad = n->path;
}

/* NULL when equal, else a path that differs. */
static const char *table_diff(const struct xs_table *a, const struct xs_table *b, bool copy)
{
	struct table_ctx tc = { .other = b, .copy = copy };

	if (a->count != b->count)
		return "(node count)";
	xs_table_each(a, node_cmp, &tc);
	return tc.bad;
}

struct count_ctx {
	const struct xs_store *a, *b;
	bool differ;
};

static void count_cmp(struct xs_node *n, void *arg)
{
	struct count_ctx *cc = arg;
	unsigned int o = n->nperms ? (unsigned int)n->perms[0].id : XS_MAX_DOMID;

	if (o < XS_MAX_DOMID && cc->a->dom_nodes[o] != cc->b->dom_nodes[o])
		cc->differ = true;
}

/*
 * The owners of @a's nodes have the same counts in @b, and the totals are
 * equal (so every other domain has none in both; the trees are the same).
 */
static bool counts_same(const struct xs_store *a, const struct xs_store *b)
{
	struct count_ctx cc = { a, b, a->dom_nodes_sum != b->dom_nodes_sum };

	xs_table_each(&a->nodes, count_cmp, &cc);
	return !cc.differ;
}

static bool live(const struct xs_conn *c)
{
	return !c->dead;
}

/* @b's connection that matches @a's, or NULL. */
static struct xs_conn *match(struct xs_store *sa, struct xs_conn *a, struct xs_store *sb)
{
	unsigned int rank = 0;
	struct xs_list *l;

	if (a->fd < 0 && !a->domain)
		for (l = sa->conns.next; l != &a->link; l = l->next) {
			struct xs_conn *c = xs_container_of(l, struct xs_conn, link);

			rank += live(c) && c->fd < 0 && !c->domain;
		}
	for (l = sb->conns.next; l != &sb->conns; l = l->next) {
		struct xs_conn *c = xs_container_of(l, struct xs_conn, link);

		if (!live(c))
			continue;
		if (a->fd >= 0 && c->fd == a->fd)
			return c;
		if (a->domain && c->domain && c->domain->domid == a->domain->domid)
			return c;
		if (a->fd < 0 && !a->domain && c->fd < 0 && !c->domain && !rank--)
			return c;
	}
	return NULL;
}

static bool watches_same(const struct xs_conn *a, const struct xs_conn *b)
{
	const struct xs_list *la = a->watches.next, *lb = b->watches.next;
	const char *pa, *ta, *pb, *tb;
	bool ra, rb;

	for (; la != &a->watches && lb != &b->watches; la = la->next, lb = lb->next) {
		xs_watch_describe(la, &pa, &ta, &ra);
		xs_watch_describe(lb, &pb, &tb, &rb);
		if (strcmp(pa, pb) || strcmp(ta, tb) || ra != rb)
			return false;
	}
	return la == &a->watches && lb == &b->watches;
}

static const char *txns_diff(const struct xs_conn *a, const struct xs_conn *b)
{
	const struct xs_list *la = a->txns.next, *lb = b->txns.next;
	const char *bad;

	for (; la != &a->txns && lb != &b->txns; la = la->next, lb = lb->next) {
		struct xs_txn *ta = xs_txn_of(la), *tb = xs_txn_of(lb);

		if (xs_txn_id(ta) != xs_txn_id(tb) ||
		    xs_txn_pending_nodes(ta) != xs_txn_pending_nodes(tb))
			return "(transaction id or count)";
		bad = table_diff(xs_txn_shadow(ta), xs_txn_shadow(tb), true);
		if (bad)
			return bad;
	}
	return la == &a->txns && lb == &b->txns ? NULL : "(number of transactions)";
}

static int conn_same(struct xs_conn *a, struct xs_conn *b, char *why, size_t size)
{
	size_t oa = a->out_end - a->out_start, ob = b->out_end - b->out_start;
	const char *bad;

	if (a->id != b->id || a->target != b->target || a->next_txid != b->next_txid ||
	    a->in_len != b->in_len || memcmp(a->in, b->in, a->in_len) || oa != ob ||
	    (oa && memcmp(a->out + a->out_start, b->out + b->out_start, oa)))
		return xs_check_fail(why, size, "conn of dom%u: ids or queued bytes differ", a->id);
	if (!watches_same(a, b))
		return xs_check_fail(why, size, "conn of dom%u: watches differ", a->id);
	bad = txns_diff(a, b);
	if (bad)
		return xs_check_fail(why, size, "conn of dom%u: transaction differs at %s", a->id,
				     bad);
	if (a->nr_stale != b->nr_stale ||
	    (a->nr_stale && memcmp(a->stale_txids, b->stale_txids, a->nr_stale * 4)))
		return xs_check_fail(why, size, "conn of dom%u: stale ids differ", a->id);
	return 0;
}

static int domains_same(struct xs_store *a, struct xs_store *b, char *why, size_t size)
{
	struct xs_list *la = a->domains.next, *lb = b->domains.next;

	for (; la != &a->domains && lb != &b->domains; la = la->next, lb = lb->next) {
		struct xs_domain *da = xs_container_of(la, struct xs_domain, link);
		struct xs_domain *db = xs_container_of(lb, struct xs_domain, link);

		if (da->domid != db->domid || da->target != db->target || da->mfn != db->mfn ||
		    da->remote_port != db->remote_port || da->shutdown != db->shutdown ||
		    (da->conn && live(da->conn)) != (db->conn && live(db->conn)))
			return xs_check_fail(why, size, "domain %u differs", da->domid);
	}
	if (la != &a->domains || lb != &b->domains)
		return xs_check_fail(why, size, "the number of domains differs");
	return 0;
}

int xs_check_same(struct xs_store *a, struct xs_store *b, char *why, size_t size)
{
	unsigned int na = 0, nb = 0;
	struct xs_list *l;
	const char *bad;
	int err;

	if (a->gen != b->gen)
		return xs_check_fail(why, size, "generation %llu, restored %llu",
				     (unsigned long long)a->gen, (unsigned long long)b->gen);
	bad = table_diff(&a->nodes, &b->nodes, false);
	if (!bad)
		bad = table_diff(&a->special, &b->special, false);
	if (bad)
		return xs_check_fail(why, size, "node %s differs after the round trip", bad);
	if (!counts_same(a, b))
		return xs_check_fail(why, size, "per-domain node counts differ");
	err = domains_same(a, b, why, size);
	if (err)
		return err;
	for (l = b->conns.next; l != &b->conns; l = l->next)
		nb += live(xs_container_of(l, struct xs_conn, link));
	for (l = a->conns.next; l != &a->conns && !err; l = l->next) {
		struct xs_conn *c = xs_container_of(l, struct xs_conn, link), *m;

		if (!live(c))
			continue;
		na++;
		m = match(a, c, b);
		err = m ? conn_same(c, m, why, size)
			: xs_check_fail(why, size, "conn of dom%u lost", c->id);
	}
	if (!err && na != nb)
		err = xs_check_fail(why, size, "%u connections, %u restored", na, nb);
	return err;
}
