// SPDX-License-Identifier: GPL-2.0-only
/*
 * Watches: each lives on its connection's list and in the store's hash of
 * watched paths. A change to /a/b/c looks up "/a/b/c", "/a/b", "/a" and "/"
 * in that hash, so firing costs the path's depth, not the number of watches.
 * An RM fires the watches on and above its top node, and for each node
 * removed below it the watches on that very node (what Xen 4.17 does). A
 * watcher without read access to the node gets no event (as in Xen 4.17).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_ops.h"

struct xs_watch {
	struct xs_watch *hnext; /* store->watch_hash chain */
	uint32_t hash;
	struct xs_list link; /* conn->watches */
	struct xs_conn *conn;
	bool relative; /* given relative: events drop /local/domain/<id>/ */
	uint32_t plen; /* canonical path length */
	char *token;   /* points into path[] after the path's NUL */
	char path[];
};

int xs_watch_init(struct xs_store *s)
{
	s->watch_mask = 255;
	s->watch_hash = calloc(s->watch_mask + 1, sizeof(*s->watch_hash));
	return s->watch_hash ? 0 : -ENOMEM;
}

void xs_watch_fini(struct xs_store *s)
{
	free(s->watch_hash);
	s->watch_hash = NULL;
}

static void watch_grow(struct xs_store *s)
{
	uint32_t nmask = s->watch_mask * 2 + 1, i;
	struct xs_watch **nb = calloc((size_t)nmask + 1, sizeof(*nb));
	struct xs_watch *w, *next;

	if (!nb)
		return;
	for (i = 0; i <= s->watch_mask; i++)
		for (w = s->watch_hash[i]; w; w = next) {
			next = w->hnext;
			w->hnext = nb[w->hash & nmask];
			nb[w->hash & nmask] = w;
		}
	free(s->watch_hash);
	s->watch_hash = nb;
	s->watch_mask = nmask;
}

static struct xs_watch *watch_find(struct xs_conn *c, const char *path, const char *token)
{
	struct xs_list *l;

	for (l = c->watches.next; l != &c->watches; l = l->next) {
		struct xs_watch *w = xs_container_of(l, struct xs_watch, link);

		if (!strcmp(w->path, path) && !strcmp(w->token, token))
			return w;
	}
	return NULL;
}

int xs_watch_add(struct xs_conn *c, const char *path, const char *token, bool relative)
{
	struct xs_store *s = c->store;
	size_t plen = strlen(path), tlen = strlen(token);
	struct xs_watch *w;

	if (watch_find(c, path, token))
		return -EEXIST;
	if (!xs_conn_privileged(c) && c->nr_watches >= s->lim.watches)
		return -E2BIG;
	w = calloc(1, sizeof(*w) + plen + tlen + 2);
	if (!w)
		return -ENOMEM;
	memcpy(w->path, path, plen + 1);
	w->token = w->path + plen + 1;
	memcpy(w->token, token, tlen + 1);
	w->plen = plen;
	w->hash = xs_hash(path, plen);
	w->relative = relative;
	w->conn = c;
	if (s->nr_watches > s->watch_mask)
		watch_grow(s);
	w->hnext = s->watch_hash[w->hash & s->watch_mask];
	s->watch_hash[w->hash & s->watch_mask] = w;
	s->nr_watches++;
	xs_list_add_tail(&w->link, &c->watches);
	c->nr_watches++;
	return 0;
}

static void watch_free(struct xs_watch *w)
{
	struct xs_store *s = w->conn->store;
	struct xs_watch **pp = &s->watch_hash[w->hash & s->watch_mask];

	for (; *pp; pp = &(*pp)->hnext)
		if (*pp == w) {
			*pp = w->hnext;
			break;
		}
	s->nr_watches--;
	w->conn->nr_watches--;
	xs_list_del(&w->link);
	free(w);
}

int xs_watch_del(struct xs_conn *c, const char *path, const char *token)
{
	struct xs_watch *w = watch_find(c, path, token);

	if (!w)
		return -ENOENT;
	watch_free(w);
	return 0;
}

void xs_watch_del_all(struct xs_conn *c)
{
	while (!xs_list_empty(&c->watches))
		watch_free(xs_container_of(c->watches.next, struct xs_watch, link));
}

/* Queue one event for @w about @path, relative to the domain if asked. */
static void watch_event(struct xs_watch *w, const char *path, size_t len, const struct xs_node *n)
{
	char prefix[32];
	int pl;

	if (n && !xs_conn_privileged(w->conn) && !(xs_perm_for(w->conn, n) & XS_PERM_READ))
		return;
	if (w->relative) {
		pl = snprintf(prefix, sizeof(prefix), "/local/domain/%u/", w->conn->id);
		if (pl > 0 && len > (size_t)pl && !memcmp(path, prefix, pl))
			path += pl;
	}
	xs_conn_send_event(w->conn, path, w->token);
}

/* Fire the watches registered exactly on path[0..len). */
static void fire_exact(struct xs_store *s, const char *wpath, size_t wlen, const char *path,
		       size_t len, const struct xs_node *n)
{
	uint32_t h = xs_hash(wpath, wlen);
	struct xs_watch *w;

	for (w = s->watch_hash[h & s->watch_mask]; w; w = w->hnext)
		if (w->hash == h && w->plen == wlen && !memcmp(w->path, wpath, wlen))
			watch_event(w, path, len, n);
}

void xs_watch_fire(struct xs_store *s, const char *path, size_t len, const struct xs_node *n,
		   bool exact)
{
	size_t cur = len;

	if (!s->nr_watches)
		return;
	for (;;) {
		fire_exact(s, path, cur, path, len, n);
		if (cur == 1 || exact)
			break;
		xs_path_base(path, cur, &cur);
	}
}

void xs_watch_fire_special(struct xs_store *s, const char *name)
{
	size_t len = strlen(name);
	struct xs_node *n = xs_table_find(&s->special, name, len);

	if (s->nr_watches)
		fire_exact(s, name, len, name, len, n);
}

void xs_watch_describe(const struct xs_list *l, const char **path, const char **token,
		       bool *relative)
{
	const struct xs_watch *w = xs_container_of(l, struct xs_watch, link);

	*path = w->path;
	*token = w->token;
	*relative = w->relative;
}

unsigned int xs_watch_check(const struct xs_store *s)
{
	unsigned int bad = 0, n = 0;
	const struct xs_watch *w;
	uint32_t i;

	for (i = 0; i <= s->watch_mask; i++)
		for (w = s->watch_hash[i]; w; w = w->hnext) {
			n++;
			if (w->hash != xs_hash(w->path, w->plen) ||
			    (w->hash & s->watch_mask) != i || strlen(w->path) != w->plen)
				bad++;
		}
	return bad + (n != s->nr_watches);
}
