// SPDX-License-Identifier: GPL-2.0-only
/*
 * libxsu over libxenstore: batches of nodes written in one transaction with
 * the permissions libxl gives a guest's tree (pipelined by xsu_wire.c; here
 * one round trip each when that connection cannot be made, or with
 * LXL_XS_NO_PIPELINE=1 in the environment), and plain read/write/rm/list.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "xsu_int.h"

struct xs_handle *xsu_open(void)
{
	return xs_open(0);
}

void xsu_close(struct xs_handle *xs)
{
	if (xs)
		xs_close(xs);
}

int xsu_err(int e)
{
	/* xenstored's quota answers: EQUOTA is E2BIG in Xen's daemon, ENOSPC elsewhere. */
	if (e == E2BIG || e == ENOSPC || e == EDQUOT)
		return -ENOSPC;
	return e ? -e : -EIO;
}

void xsu_batch_init(struct xsu_batch *b, uint32_t domid)
{
	memset(b, 0, sizeof(*b));
	b->domid = domid;
}

static void add_node(struct xsu_batch *b, char perm, char *path, char *value)
{
	if (!b->error && b->count == b->cap) {
		unsigned int cap = b->cap ? b->cap * 2 : 32;
		struct xsu_node *n = realloc(b->nodes, cap * sizeof(*n));

		if (n) {
			b->nodes = n;
			b->cap = cap;
		} else {
			b->error = -ENOMEM;
		}
	}
	if (b->error || !path) {
		b->error = b->error ? b->error : -ENOMEM;
		free(path);
		free(value);
		return;
	}
	b->nodes[b->count++] = (struct xsu_node){ .path = path, .value = value, .perm = perm };
}

void xsu_add(struct xsu_batch *b, char perm, const char *value_fmt, const char *path_fmt, ...)
{
	char *path = NULL, *value = NULL;
	va_list ap;

	va_start(ap, path_fmt);
	if (vasprintf(&path, path_fmt, ap) < 0)
		path = NULL;
	va_end(ap);
	if (value_fmt)
		value = strdup(value_fmt);
	if (value_fmt && !value)
		b->error = -ENOMEM;
	add_node(b, perm, path, value);
}

void xsu_add_value(struct xsu_batch *b, char perm, const char *path, const char *value)
{
	char *v = value ? strdup(value) : NULL;

	if (value && !v)
		b->error = -ENOMEM;
	add_node(b, perm, strdup(path), v);
}

void xsu_batch_free(struct xsu_batch *b)
{
	for (unsigned int i = 0; i < b->count; i++) {
		free(b->nodes[i].path);
		free(b->nodes[i].value);
	}
	free(b->nodes);
	memset(b, 0, sizeof(*b));
}

/*
 * xenstored gives a node dom0 creates its parent's permissions: a node
 * whose nearest ancestor in the batch (written before it) has the same
 * permission kind needs no SET_PERMS of its own. Halves the round trips.
 */
bool xsu_inherits(const struct xsu_batch *b, unsigned int i)
{
	const struct xsu_node *n = &b->nodes[i];
	size_t best = 0;
	char perm = 0;

	for (unsigned int j = 0; j < i; j++) {
		size_t len = strlen(b->nodes[j].path);

		if (len > best && !strncmp(n->path, b->nodes[j].path, len) && n->path[len] == '/') {
			best = len;
			perm = b->nodes[j].perm;
		}
	}
	return best && perm == n->perm;
}

static bool write_node(struct xs_handle *xs, xs_transaction_t t, const struct xsu_node *n,
		       uint32_t domid, bool inherit)
{
	struct xs_permissions p[2] = { { .id = 0, .perms = XS_PERM_NONE },
				       { .id = domid, .perms = XS_PERM_READ } };
	unsigned int np = 1;
	const char *v = n->value ? n->value : "";

	if (!xs_write(xs, t, n->path, v, (unsigned int)strlen(v)))
		return false;
	if (inherit)
		return true;
	if (n->perm == XSU_PERM_READ)
		np = 2;
	if (n->perm == XSU_PERM_OWNER)
		p[0] = (struct xs_permissions){ .id = domid, .perms = XS_PERM_NONE };
	return xs_set_permissions(xs, t, n->path, p, np);
}

int xsu_commit(struct xs_handle *xs, struct xsu_batch *b)
{
	int rc = b->error;

	if (!rc && !getenv("LXL_XS_NO_PIPELINE")) {
		rc = xsu_wire_commit(b);
		if (rc != -ENOTCONN) {
			xsu_batch_free(b);
			return rc;
		}
		rc = 0;
	}
	for (int tries = 0; !rc && tries < 20; tries++) {
		xs_transaction_t t = xs_transaction_start(xs);
		unsigned int i;

		if (t == XBT_NULL) {
			rc = xsu_err(errno);
			break;
		}
		for (i = 0; i < b->count; i++)
			if (!write_node(xs, t, &b->nodes[i], b->domid, xsu_inherits(b, i)))
				break;
		if (i < b->count) {
			rc = xsu_err(errno);
			xs_transaction_end(xs, t, true);
			break;
		}
		if (xs_transaction_end(xs, t, false))
			break;
		if (errno != EAGAIN) {
			rc = xsu_err(errno);
			break;
		}
	}
	xsu_batch_free(b);
	return rc;
}

char *xsu_read(struct xs_handle *xs, const char *path, int *rc)
{
	unsigned int len;
	char *v = xs_read(xs, XBT_NULL, path, &len);

	if (rc)
		*rc = v ? 0 : xsu_err(errno);
	return v;
}

char *xsu_readf(struct xs_handle *xs, int *rc, const char *fmt, ...)
{
	char *path, *v;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&path, fmt, ap);
	va_end(ap);
	if (n < 0) {
		if (rc)
			*rc = -ENOMEM;
		return NULL;
	}
	v = xsu_read(xs, path, rc);
	free(path);
	return v;
}

int xsu_write(struct xs_handle *xs, const char *path, const char *value)
{
	return xs_write(xs, XBT_NULL, path, value, (unsigned int)strlen(value)) ? 0
										: xsu_err(errno);
}

int xsu_rm(struct xs_handle *xs, const char *path)
{
	if (xs_rm(xs, XBT_NULL, path) || errno == ENOENT)
		return 0;
	return xsu_err(errno);
}

int xsu_list(struct xs_handle *xs, const char *path, char ***names)
{
	unsigned int n;

	*names = xs_directory(xs, XBT_NULL, path, &n);
	if (!*names)
		return errno == ENOENT ? 0 : xsu_err(errno);
	return (int)n;
}
