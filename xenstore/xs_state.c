// SPDX-License-Identifier: GPL-2.0-only
/*
 * Restart without loss (live update). The daemon writes its whole state to
 * a file and exec()s the new binary on the same pid; the listening socket
 * and every client socket stay open across exec, so clients notice nothing.
 *
 * Saved: every node (path, value, perms, generation, in children order),
 * the special nodes' perms, the generation counter, domains (id, mfn, port,
 * target, shutdown), and per connection: its socket fd or domain, target,
 * unread input and unsent output bytes, its watches, and its open
 * transactions whole (every private copy with the generation it was taken
 * at), so they commit, or conflict, exactly as they would have.
 * Rings are mapped again and event channels re-bound from mfn and port.
 *
 * File: "LXSSTAT2", then records of little-endian u32/u64 and
 * length-prefixed byte strings, in the order written below.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xs_daemon.h"
#include "xs_ops.h"

#define STATE_MAGIC "LXSSTAT2"

static void put32(FILE *f, uint32_t v)
{
	fwrite(&v, sizeof(v), 1, f);
}

static void put64(FILE *f, uint64_t v)
{
	fwrite(&v, sizeof(v), 1, f);
}

static void putbytes(FILE *f, const void *p, uint32_t len)
{
	put32(f, len);
	if (len)
		fwrite(p, 1, len, f);
}

static int get32(FILE *f, uint32_t *v)
{
	return fread(v, sizeof(*v), 1, f) == 1 ? 0 : -EINVAL;
}

static int get64(FILE *f, uint64_t *v)
{
	return fread(v, sizeof(*v), 1, f) == 1 ? 0 : -EINVAL;
}

/* Read a length-prefixed string into a fresh NUL-terminated buffer. */
static char *getbytes(FILE *f, uint32_t *len, uint32_t max)
{
	char *p;

	if (get32(f, len) || *len > max)
		return NULL;
	p = malloc(*len + 1);
	if (!p)
		return NULL;
	if (*len && fread(p, 1, *len, f) != *len) {
		free(p);
		return NULL;
	}
	p[*len] = '\0';
	return p;
}

/* A node; @copy: a transaction's copy, with its children and marks too. */
static void put_node(FILE *f, const struct xs_node *n, bool copy)
{
	uint32_t i;

	putbytes(f, n->path, n->pathlen);
	putbytes(f, n->value, n->vlen);
	put32(f, n->nperms);
	for (i = 0; i < n->nperms; i++) {
		put32(f, n->perms[i].id);
		put32(f, n->perms[i].perms);
	}
	put64(f, n->gen);
	if (!copy)
		return;
	putbytes(f, n->children, n->clen);
	put64(f, n->base_gen);
	put32(f, n->tflags);
}

/* Pre-order walk, so a parent is always restored before its children. */
static void save_tree(FILE *f, struct xs_store *s, const struct xs_node *n)
{
	static char child[XENSTORE_ABS_PATH_MAX + 2]; /* rebuilt per level: shared */
	const struct xs_node *c;
	uint32_t off, cl;
	int len;

	put_node(f, n, false);
	for (off = 0; off < n->clen; off += cl + 1) {
		cl = strlen(n->children + off);
		len = snprintf(child, sizeof(child), "%s/%s", n->pathlen > 1 ? n->path : "",
			       n->children + off);
		c = xs_table_find(&s->nodes, child, len);
		if (c)
			save_tree(f, s, c);
	}
}

static void put_copy(struct xs_node *n, void *f)
{
	put_node(f, n, true);
}

static void save_conn(FILE *f, struct xs_conn *c)
{
	struct xs_list *l;
	unsigned int i;

	put32(f, c->fd >= 0 ? 0 : 1);
	put32(f, c->fd >= 0 ? (uint32_t)c->fd : c->id);
	put32(f, c->id);
	put32(f, c->target);
	put32(f, c->next_txid);
	putbytes(f, c->in, c->in_len);
	putbytes(f, c->out + c->out_start, c->out_end - c->out_start);
	put32(f, c->nr_watches);
	for (l = c->watches.next; l != &c->watches; l = l->next) {
		/* struct xs_watch is private to xs_watch.c: ask it. */
		const char *path, *token;
		bool rel;

		xs_watch_describe(l, &path, &token, &rel);
		putbytes(f, path, strlen(path));
		putbytes(f, token, strlen(token));
		put32(f, rel);
	}
	put32(f, c->nr_txns);
	for (l = c->txns.next; l != &c->txns; l = l->next) {
		struct xs_txn *t = xs_txn_of(l);

		put32(f, xs_txn_id(t));
		put32(f, (uint32_t)xs_txn_pending_nodes(t));
		put32(f, xs_txn_shadow(t)->count);
		xs_table_each(xs_txn_shadow(t), put_copy, f);
	}
	put32(f, c->nr_stale);
	for (i = 0; i < c->nr_stale; i++)
		put32(f, c->stale_txids[i]);
}

int xs_state_save(struct xs_daemon *d, const char *file)
{
	struct xs_store *s = &d->store;
	struct xs_list *l;
	uint32_t n = 0;
	FILE *f = fopen(file, "wbe");
	int err;

	if (!f)
		return -errno;
	fwrite(STATE_MAGIC, 1, 8, f);
	put64(f, s->gen);
	put32(f, d->listen_fd);
	put_node(f, xs_table_find(&s->special, "@introduceDomain", 16), false);
	put_node(f, xs_table_find(&s->special, "@releaseDomain", 14), false);
	put32(f, s->nodes.count);
	save_tree(f, s, xs_table_find(&s->nodes, "/", 1));
	for (l = s->domains.next; l != &s->domains; l = l->next)
		n++;
	put32(f, n);
	for (l = s->domains.next; l != &s->domains; l = l->next) {
		struct xs_domain *dom = xs_container_of(l, struct xs_domain, link);

		put32(f, dom->domid);
		put32(f, dom->target);
		put64(f, dom->mfn);
		put32(f, dom->remote_port);
		put32(f, dom->shutdown);
	}
	n = 0;
	for (l = s->conns.next; l != &s->conns; l = l->next)
		n += !xs_container_of(l, struct xs_conn, link)->dead;
	put32(f, n);
	for (l = s->conns.next; l != &s->conns; l = l->next) {
		struct xs_conn *c = xs_container_of(l, struct xs_conn, link);

		if (!c->dead)
			save_conn(f, c);
	}
	err = ferror(f) ? -EIO : 0;
	if (fclose(f))
		err = -EIO;
	return err;
}

/* The part of a transaction's copy after the common fields. */
static int get_copy_tail(FILE *f, struct xs_node *n)
{
	uint32_t clen, flags;
	char *children = getbytes(f, &clen, 1u << 24);
	int err = -EINVAL;

	if (!children || get64(f, &n->base_gen) || get32(f, &flags))
		goto out;
	n->tflags = flags;
	free(n->children);
	n->children = children;
	n->clen = n->ccap = clen;
	children = NULL;
	err = 0;
out:
	free(children);
	return err;
}

/* Read one node record (see put_node) into a new node, not inserted. */
static struct xs_node *get_node(FILE *f, bool copy)
{
	static struct xs_permissions perms[XENSTORE_PAYLOAD_MAX / 2];
	struct xs_node *n = NULL;
	uint32_t plen, vlen, np, i;
	char *path = getbytes(f, &plen, XENSTORE_ABS_PATH_MAX);
	char *value = path ? getbytes(f, &vlen, XENSTORE_PAYLOAD_MAX) : NULL;

	if (!value || get32(f, &np) || !np || np > XENSTORE_PAYLOAD_MAX / 2)
		goto out;
	for (i = 0; i < np; i++)
		if (get32(f, &perms[i].id) || get32(f, (uint32_t *)&perms[i].perms))
			goto out;
	n = xs_node_new(path, plen);
	if (n && (xs_node_set_value(n, value, vlen) || xs_node_set_perms(n, perms, np) ||
		  get64(f, &n->gen) || (copy && get_copy_tail(f, n)))) {
		xs_node_free(n);
		n = NULL;
	}
out:
	free(path);
	free(value);
	return n;
}

static int restore_nodes(FILE *f, struct xs_store *s)
{
	struct xs_node *n, *old, *parent, *root;
	const char *base;
	uint32_t count, i;
	size_t plen;

	if (get32(f, &count))
		return -EINVAL;
	/* Start from a bare root: the saved tree replaces the initial one. */
	root = xs_table_find(&s->nodes, "/", 1);
	xs_table_remove(&s->nodes, root);
	xs_table_free(&s->nodes);
	if (xs_table_init(&s->nodes, 10)) {
		xs_node_free(root);
		return -ENOMEM;
	}
	root->clen = 0;
	xs_table_insert(&s->nodes, root);
	memset(s->dom_nodes, 0, XS_MAX_DOMID * sizeof(*s->dom_nodes));
	for (i = 0; i < count; i++) {
		n = get_node(f, false);
		if (!n)
			return -EINVAL;
		old = xs_table_find(&s->nodes, n->path, n->pathlen);
		if (old) { /* the root */
			xs_node_take(old, n);
			old->gen = n->gen;
			xs_node_free(n);
			continue;
		}
		base = xs_path_base(n->path, n->pathlen, &plen);
		parent = xs_table_find(&s->nodes, n->path, plen);
		if (!parent || xs_node_add_child(parent, base, n->pathlen - (base - n->path))) {
			xs_node_free(n);
			return -EINVAL;
		}
		xs_table_insert(&s->nodes, n);
		xs_store_account(s, n, 1);
	}
	return 0;
}

static int restore_special(FILE *f, struct xs_store *s)
{
	struct xs_node *n, *old;
	int i;

	for (i = 0; i < 2; i++) {
		n = get_node(f, false);
		if (!n)
			return -EINVAL;
		old = xs_table_find(&s->special, n->path, n->pathlen);
		if (old)
			xs_node_take(old, n);
		xs_node_free(n);
	}
	return 0;
}

static int restore_domains(FILE *f, struct xs_store *s)
{
	uint32_t count, i, domid, target, port, shutdown;
	struct xs_domain *dom;
	uint64_t mfn;

	if (get32(f, &count))
		return -EINVAL;
	for (i = 0; i < count; i++) {
		if (get32(f, &domid) || get32(f, &target) || get64(f, &mfn) || get32(f, &port) ||
		    get32(f, &shutdown))
			return -EINVAL;
		if (xs_domain_introduce(s, domid, mfn, port, &dom)) {
			fprintf(stderr, "xenstored: domain %u lost in live update\n", domid);
			continue;
		}
		dom->target = target;
		dom->shutdown = shutdown;
		dom->conn->target = target;
	}
	return 0;
}

/* One open transaction of @c (NULL: parse and drop it). */
static int restore_txn(FILE *f, struct xs_conn *c)
{
	uint32_t id, delta, count, i;
	struct xs_txn *t = NULL;
	struct xs_node *n;

	if (get32(f, &id) || get32(f, &delta) || get32(f, &count) || count > 1u << 24)
		return -EINVAL;
	if (c && xs_txn_restore(c, id, (int)delta, &t))
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		n = get_node(f, true);
		if (!n)
			return -EINVAL;
		if (t)
			xs_table_insert(xs_txn_shadow(t), n);
		else
			xs_node_free(n);
	}
	return 0;
}

static int restore_conn(FILE *f, struct xs_daemon *d)
{
	uint32_t kind, ref, id, target, next, len, nw, nt, i, rel;
	struct xs_conn *c = NULL, dummy;
	struct xs_domain *dom;
	char *buf, *path, *token;
	int err = 0;

	if (get32(f, &kind) || get32(f, &ref) || get32(f, &id) || get32(f, &target) ||
	    get32(f, &next))
		return -EINVAL;
	if (kind == 0) {
		fcntl(ref, F_SETFD, FD_CLOEXEC);
		if (xs_loop_add_socket_conn(d, ref, &c))
			close(ref);
	} else {
		dom = xs_domain_find(&d->store, ref);
		c = dom ? dom->conn : NULL;
	}
	if (!c) {
		/* Keep parsing into a throw-away connection. */
		memset(&dummy, 0, sizeof(dummy));
		dummy.store = &d->store;
		dummy.fd = -1;
		xs_list_init(&dummy.watches);
		xs_list_init(&dummy.txns);
		xs_list_init(&dummy.dirty);
		xs_list_init(&dummy.link);
		c = &dummy;
	}
	c->id = id;
	c->target = target;
	c->next_txid = next;
	buf = getbytes(f, &len, XS_MSG_MAX);
	if (!buf)
		return -EINVAL;
	memcpy(c->in, buf, len);
	c->in_len = len;
	free(buf);
	buf = getbytes(f, &len, 64 << 20);
	if (!buf)
		return -EINVAL;
	if (len && c != &dummy)
		xs_conn_send_raw(c, buf, len);
	free(buf);
	if (get32(f, &nw))
		return -EINVAL;
	for (i = 0; i < nw && !err; i++) {
		path = getbytes(f, &len, XENSTORE_ABS_PATH_MAX);
		token = path ? getbytes(f, &len, XENSTORE_PAYLOAD_MAX) : NULL;
		if (!token || get32(f, &rel))
			err = -EINVAL;
		else if (c != &dummy)
			xs_watch_add(c, path, token, rel);
		free(path);
		free(token);
	}
	if (err || get32(f, &nt) || nt > 1u << 16)
		return -EINVAL;
	for (i = 0; i < nt && !err; i++)
		err = restore_txn(f, c == &dummy ? NULL : c);
	if (err || get32(f, &nt) || nt > 1u << 20)
		return -EINVAL;
	if (nt && c != &dummy) {
		c->stale_txids = calloc(nt, sizeof(uint32_t));
		if (!c->stale_txids)
			return -ENOMEM;
	}
	for (i = 0; i < nt; i++) {
		if (get32(f, &ref))
			return -EINVAL;
		if (c != &dummy)
			c->stale_txids[c->nr_stale++] = ref;
	}
	return 0;
}

int xs_state_restore(struct xs_daemon *d, const char *file)
{
	struct xs_store *s = &d->store;
	uint32_t lfd, count, i;
	char magic[8];
	int err = -EINVAL;
	FILE *f = fopen(file, "rbe");

	if (!f)
		return -errno;
	if (fread(magic, 1, 8, f) != 8 || memcmp(magic, STATE_MAGIC, 8) || get64(f, &s->gen) ||
	    get32(f, &lfd))
		goto out;
	d->listen_fd = lfd;
	fcntl(lfd, F_SETFD, FD_CLOEXEC);
	if (restore_special(f, s) || restore_nodes(f, s))
		goto out;
	if (xs_loop_init(d))
		goto out;
	if (!xs_xen_open(d) && !d->opts.no_domain_init)
		xs_xen_dom0_init(d, false);
	if (restore_domains(f, s) || get32(f, &count))
		goto out;
	for (i = 0; i < count; i++)
		if (restore_conn(f, d))
			goto out;
	err = 0;
out:
	fclose(f);
	unlink(file);
	return err;
}

int xs_live_update(struct xs_daemon *d)
{
	char file[300], **argv;
	const char *bin;
	struct xs_list *l;
	int i, j, err;

	snprintf(file, sizeof(file), "%s.state", d->sock_path);
	err = xs_state_save(d, file);
	if (err) {
		fprintf(stderr, "xenstored: live update: saving state: %s\n", strerror(-err));
		return err;
	}
	fcntl(d->listen_fd, F_SETFD, 0);
	for (l = d->store.conns.next; l != &d->store.conns; l = l->next) {
		struct xs_conn *c = xs_container_of(l, struct xs_conn, link);

		if (c->fd >= 0)
			fcntl(c->fd, F_SETFD, 0);
	}
	argv = calloc(d->opts.argc + 4, sizeof(*argv));
	if (!argv)
		return -ENOMEM;
	bin = d->store.lu_binary ? d->store.lu_binary : d->self_exe;
	argv[0] = d->opts.argv[0];
	for (i = 1, j = 1; i < d->opts.argc; i++) {
		if (!strcmp(d->opts.argv[i], "--restore-state")) {
			i++;
			continue;
		}
		argv[j++] = d->opts.argv[i];
	}
	argv[j++] = "--restore-state";
	argv[j++] = file;
	argv[j] = NULL;
	fflush(NULL);
	execv(bin, argv);
	err = -errno;
	fprintf(stderr, "xenstored: live update: exec %s: %s\n", bin, strerror(errno));
	free(argv);
	unlink(file);
	return err;
}
