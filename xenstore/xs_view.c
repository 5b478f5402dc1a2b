// SPDX-License-Identifier: GPL-2.0-only
/*
 * Node access for one request, inside or outside a transaction.
 *
 * Outside a transaction, nodes are the store's own and every change takes a
 * new generation and fires watches at once. Inside one, the first look at a
 * path copies the node (or notes its absence) into the transaction's shadow
 * table with the generation it had, so the transaction reads a stable
 * snapshot of what it touched and sees its own changes. The commit
 * (xs_txn.c) checks the recorded generations and moves changed copies in.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_ops.h"

struct xs_node *xs_view_get(struct xs_req *r, const char *path, size_t len)
{
	struct xs_node *n, *sh;
	int err;

	r->verr = 0;
	if (!r->t)
		return xs_table_find(&r->s->nodes, path, len);
	sh = xs_table_find(xs_txn_shadow(r->t), path, len);
	if (!sh) {
		n = xs_table_find(&r->s->nodes, path, len);
		err = xs_txn_note_access(r->t, path, len, n, &sh);
		if (err) {
			r->verr = err;
			return NULL;
		}
		/*
		 * As Xen: finding a node missing also reads its ancestors up to
		 * the first that exists (for the error's permission check), so
		 * the transaction depends on them too.
		 */
		if (!n && len > 1) {
			size_t plen;

			xs_path_base(path, len, &plen);
			xs_view_get(r, path, plen);
			r->verr = 0;
		}
	}
	return (sh->tflags & XS_TN_DELETED) ? NULL : sh;
}

void xs_view_modify(struct xs_req *r, struct xs_node *n)
{
	/* In a transaction, xs_view_get() only hands out its private copies. */
	if (r->t)
		n->tflags |= XS_TN_MODIFIED;
}

void xs_view_changed(struct xs_req *r, struct xs_node *n)
{
	if (r->t) {
		n->tflags |= XS_TN_MODIFIED | XS_TN_FIRE;
		return;
	}
	n->gen = ++r->s->gen;
	xs_watch_fire(r->s, n->path, n->pathlen, n, false);
}

/* Install @n as a new node of the view (store or transaction). */
static void view_insert(struct xs_req *r, struct xs_node *n)
{
	struct xs_table *sh;
	struct xs_node *old;

	if (!r->t) {
		n->gen = ++r->s->gen;
		xs_table_insert(&r->s->nodes, n);
		xs_store_account(r->s, n, 1);
		return;
	}
	sh = xs_txn_shadow(r->t);
	old = xs_table_find(sh, n->path, n->pathlen);
	n->base_gen = old ? old->base_gen : 0;
	n->tflags = XS_TN_MODIFIED;
	if (old) {
		xs_table_remove(sh, old);
		xs_node_free(old);
	}
	xs_table_insert(sh, n);
	xs_txn_count(r->t, 1);
}

static int nodes_owned(struct xs_req *r)
{
	int n = r->c->id < XS_MAX_DOMID ? (int)r->s->dom_nodes[r->c->id] : 0;

	return n + (r->t ? xs_txn_pending_nodes(r->t) : 0);
}

int xs_view_create(struct xs_req *r, const char *path, size_t len, struct xs_node **out)
{
	struct xs_node *anc, *parent, *n;
	size_t cur = len, next, end, start;
	unsigned int missing = 0;
	int err = 0;

	/* Check: the nearest existing ancestor, its write access, the quota. */
	while (!(anc = xs_view_get(r, path, cur))) {
		if (r->verr)
			return r->verr;
		if (cur == 1)
			return -ENOENT; /* no root: cannot happen */
		missing++;
		xs_path_base(path, cur, &cur);
	}
	if (!(xs_perm_for(r->c, anc) & XS_PERM_WRITE))
		return -EACCES;
	if (!xs_conn_privileged(r->c) && nodes_owned(r) + missing > r->s->lim.entries)
		return -ENOSPC;
	start = (cur == 1) ? 1 : cur + 1;
	for (end = start; end < len && path[end] != '/'; end++)
		;
	if (!xs_conn_privileged(r->c) &&
	    anc->vlen + anc->clen + (end - start) + 1 + anc->nperms * sizeof(*anc->perms) >
		    r->s->lim.entry_size)
		return -ENOSPC;

	/* Create each missing level under its parent, top down. */
	parent = anc;
	next = cur;
	while (next < len) {
		start = (next == 1) ? 1 : next + 1;
		end = start;
		while (end < len && path[end] != '/')
			end++;
		xs_view_modify(r, parent);
		n = xs_node_new(path, end);
		if (!n)
			return -ENOMEM;
		err = xs_node_set_perms(n, parent->perms, parent->nperms);
		if (!err)
			err = xs_node_add_child(parent, path + start, end - start);
		if (err) {
			xs_node_free(n);
			return err;
		}
		if (!xs_conn_privileged(r->c) && n->nperms)
			n->perms[0].id = r->c->id;
		if (!r->t)
			parent->gen = ++r->s->gen;
		view_insert(r, n);
		parent = n;
		next = end;
	}
	*out = parent;
	return 0;
}

/*
 * Inside a transaction, bring every node below @n into its view before
 * anything changes, so that the removal cannot fail half-way: a full shadow
 * table (Xen's ENOSPC for too many nodes touched) fails the whole RM with
 * nothing removed, instead of leaving nodes no path reaches.
 */
static int gather_tree(struct xs_req *r, const struct xs_node *n)
{
	static char child[XENSTORE_ABS_PATH_MAX + 2];
	struct xs_node *c;
	size_t len;
	uint32_t off;
	int err;

	for (off = 0; off < n->clen; off += strlen(n->children + off) + 1) {
		len = xs_child_path(n, off, child, sizeof(child));
		if (!len)
			return -EINVAL;
		c = xs_view_get(r, child, len);
		if (!c && r->verr)
			return r->verr;
		if (c && (err = gather_tree(r, c)))
			return err;
	}
	return 0;
}

/*
 * Remove @n and everything below it; @root marks the top of the RM. Each
 * level rebuilds the child path from its own node's path, so one buffer
 * serves the whole recursion and a 1500-level tree needs little stack.
 * Every node is already in the view (gather_tree), so nothing fails here.
 */
static void remove_tree(struct xs_req *r, struct xs_node *n, bool root)
{
	static char child[XENSTORE_ABS_PATH_MAX + 2];
	struct xs_node *c;
	size_t len;
	uint32_t off;

	/* Children first; the blob is walked on a node we do not change yet. */
	for (off = 0; off < n->clen; off += strlen(n->children + off) + 1) {
		len = xs_child_path(n, off, child, sizeof(child));
		c = len ? xs_view_get(r, child, len) : NULL;
		if (c)
			remove_tree(r, c, false);
	}
	if (!r->t) {
		xs_watch_fire(r->s, n->path, n->pathlen, n, !root);
		xs_store_account(r->s, n, -1);
		xs_table_remove(&r->s->nodes, n);
		xs_node_free(n);
		return;
	}
	n->tflags |= XS_TN_MODIFIED | XS_TN_DELETED | (root ? XS_TN_RMROOT : 0);
	n->vlen = n->clen = 0;
	xs_txn_count(r->t, -1);
}

int xs_view_remove(struct xs_req *r, struct xs_node *n)
{
	struct xs_node *parent;
	const char *base;
	size_t plen;
	int err;

	base = xs_path_base(n->path, n->pathlen, &plen);
	parent = xs_view_get(r, n->path, plen);
	if (!parent)
		return r->verr ? r->verr : -EINVAL;
	if (r->t && (err = gather_tree(r, n)))
		return err;
	xs_view_modify(r, parent);
	xs_node_del_child(parent, base, n->pathlen - (base - n->path));
	if (!r->t)
		parent->gen = ++r->s->gen;
	remove_tree(r, n, true);
	return 0;
}
