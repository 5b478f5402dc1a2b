// SPDX-License-Identifier: GPL-2.0-only
/*
 * The store's life: Xen's default limits, the initial tree ("/", "/tool" and
 * "/tool/xenstored" owned by dom0, no access for others, as Xen starts; the
 * special nodes @introduceDomain and @releaseDomain with the same perms),
 * per-domain node accounting, teardown.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_ops.h"

void xs_limits_default(struct xs_limits *l)
{
	l->entries = 1000;
	l->entry_size = 2048;
	l->watches = 128;
	l->transactions = 10;
	l->perms = 5;
	l->path_max = XENSTORE_REL_PATH_MAX;
	l->outstanding = 20;
	l->txn_nodes = 1024;
	l->out_max = 1 << 20;
}

/* A node owned by dom0, no access for others, listed in its parent. */
static int add_node(struct xs_table *t, const char *path)
{
	static const struct xs_permissions none = { .id = 0, .perms = XS_PERM_NONE };
	size_t len = strlen(path), plen;
	struct xs_node *n = xs_node_new(path, len), *parent;
	const char *base;

	if (!n || xs_node_set_perms(n, &none, 1)) {
		xs_node_free(n);
		return -ENOMEM;
	}
	n->gen = 1;
	if (path[0] == '/' && len > 1) {
		base = xs_path_base(path, len, &plen);
		parent = xs_table_find(t, path, plen);
		if (!parent || xs_node_add_child(parent, base, len - (base - path))) {
			xs_node_free(n);
			return -ENOMEM;
		}
	}
	xs_table_insert(t, n);
	return 0;
}

int xs_store_init(struct xs_store *s, const struct xs_limits *l)
{
	memset(s, 0, sizeof(*s));
	s->lim = *l;
	s->gen = 1;
	xs_list_init(&s->conns);
	xs_list_init(&s->dirty);
	xs_list_init(&s->domains);
	s->dom_nodes = calloc(XS_MAX_DOMID, sizeof(*s->dom_nodes));
	if (!s->dom_nodes || xs_table_init(&s->nodes, 10) || xs_table_init(&s->special, 2) ||
	    xs_watch_init(s) || add_node(&s->nodes, "/") || add_node(&s->nodes, "/tool") ||
	    add_node(&s->nodes, "/tool/xenstored") || add_node(&s->special, "@introduceDomain") ||
	    add_node(&s->special, "@releaseDomain")) {
		xs_store_free(s);
		return -ENOMEM;
	}
	s->dom_nodes[0] = s->dom_nodes_sum = s->nodes.count; /* the initial nodes are dom0's */
	return 0;
}

void xs_store_free(struct xs_store *s)
{
	xs_domain_release_all(s);
	while (!xs_list_empty(&s->conns))
		xs_conn_free(xs_container_of(s->conns.next, struct xs_conn, link));
	xs_table_free(&s->nodes);
	xs_table_free(&s->special);
	xs_watch_fini(s);
	free(s->dom_nodes);
	s->dom_nodes = NULL;
	free(s->lu_binary);
	s->lu_binary = NULL;
}

void xs_store_account(struct xs_store *s, const struct xs_node *n, int delta)
{
	unsigned int owner = n->nperms ? n->perms[0].id : 0;

	if (owner >= XS_MAX_DOMID)
		return;
	if (delta < 0 && s->dom_nodes[owner] < (unsigned int)-delta)
		delta = -(int)s->dom_nodes[owner];
	s->dom_nodes[owner] += delta;
	s->dom_nodes_sum += delta;
}
