// SPDX-License-Identifier: GPL-2.0-only
/*
 * The node operations: READ, WRITE, MKDIR, RM, DIRECTORY, DIRECTORY_PART,
 * GET_PERMS and SET_PERMS. Each decodes and checks its arguments, checks
 * access, then changes the node through the view (xs_view.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_ops.h"

#define MAX_ARGS (XENSTORE_PAYLOAD_MAX / 2 + 1)

/* Canonicalise and check the path argument @arg into @out: length or -E. */
static int req_path(struct xs_req *r, const char *arg, char *out, bool special)
{
	int len = xs_path_canon(r->c, arg, out, XENSTORE_ABS_PATH_MAX + 1);

	if (len < 0)
		return len;
	if (!xs_path_valid(r->s, r->c, out) || (!special && xs_path_is_special(out)))
		return -EINVAL;
	return len;
}

static struct xs_node *get_checked(struct xs_req *r, const char *path, size_t len,
				   unsigned int perm, int *err)
{
	struct xs_node *n = xs_view_get(r, path, len);

	if (!n) {
		*err = r->verr ? r->verr : -ENOENT;
		return NULL;
	}
	if ((xs_perm_for(r->c, n) & perm) != perm) {
		*err = -EACCES;
		return NULL;
	}
	return n;
}

/*
 * The request's single path argument, canonicalised into @path (which holds
 * XENSTORE_ABS_PATH_MAX + 1 bytes): its length, or -E. The special @-nodes
 * are EINVAL here, as in Xen 4.17 (only SET_PERMS takes them).
 */
static int one_path_arg(struct xs_req *r, char *path)
{
	const char *arg = xs_req_onearg(r);

	if (!arg)
		return -EINVAL;
	return req_path(r, arg, path, false);
}

/*
 * The node named by the request's single path argument, which the caller
 * may read (READ, DIRECTORY, GET_PERMS): 0 and *np, or -E.
 */
static int readable_arg_node(struct xs_req *r, struct xs_node **np)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	int len = one_path_arg(r, path), err;

	if (len < 0)
		return len;
	*np = get_checked(r, path, len, XS_PERM_READ, &err);
	return *np ? 0 : err;
}

int xs_op_read(struct xs_req *r)
{
	struct xs_node *n;
	int err = readable_arg_node(r, &n);

	if (err)
		return err;
	if (n->vlen) /* a node never given a value has none (NULL) */
		memcpy(r->rbuf, n->value, n->vlen);
	r->rlen = n->vlen;
	return 0;
}

int xs_op_write(struct xs_req *r)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	const char *value;
	struct xs_node *n;
	size_t vlen, need;
	int len, err = 0;

	value = memchr(r->data, '\0', r->len);
	if (!value)
		return -EINVAL;
	value++;
	vlen = r->data + r->len - value;
	len = req_path(r, r->data, path, false);
	if (len < 0)
		return len;
	n = xs_view_get(r, path, len);
	if (!n && r->verr)
		return r->verr;
	if (n) {
		if (!(xs_perm_for(r->c, n) & XS_PERM_WRITE))
			return -EACCES;
		need = vlen + n->clen + n->nperms * sizeof(*n->perms);
		if (!xs_conn_privileged(r->c) && need > r->s->lim.entry_size)
			return -ENOSPC;
		xs_view_modify(r, n);
	} else {
		if (!xs_conn_privileged(r->c) && vlen > r->s->lim.entry_size)
			return -ENOSPC;
		err = xs_view_create(r, path, len, &n);
		if (err)
			return err;
	}
	err = xs_node_set_value(n, value, vlen);
	if (err)
		return err;
	xs_view_changed(r, n);
	return xs_reply_str(r, "OK");
}

int xs_op_mkdir(struct xs_req *r)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	struct xs_node *n;
	int len = one_path_arg(r, path), err;

	if (len < 0)
		return len;
	n = xs_view_get(r, path, len);
	if (n)
		return (xs_perm_for(r->c, n) & XS_PERM_WRITE) ? xs_reply_str(r, "OK") : -EACCES;
	if (r->verr)
		return r->verr;
	err = xs_view_create(r, path, len, &n);
	if (err)
		return err;
	xs_view_changed(r, n);
	return xs_reply_str(r, "OK");
}

int xs_op_rm(struct xs_req *r)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	struct xs_node *n;
	size_t plen;
	int len = one_path_arg(r, path), err;

	if (len < 0)
		return len;
	if (len == 1)
		return -EINVAL; /* the root stays */
	n = xs_view_get(r, path, len);
	if (!n) {
		if (r->verr)
			return r->verr;
		/* Removing a missing node of an existing parent is fine (Xen). */
		xs_path_base(path, len, &plen);
		if (xs_view_get(r, path, plen))
			return xs_reply_str(r, "OK");
		return r->verr ? r->verr : -ENOENT;
	}
	if (!(xs_perm_for(r->c, n) & XS_PERM_WRITE))
		return -EACCES;
	err = xs_view_remove(r, n);
	if (err)
		return err;
	return xs_reply_str(r, "OK");
}

int xs_op_directory(struct xs_req *r)
{
	struct xs_node *n;
	int err = readable_arg_node(r, &n);

	if (err)
		return err;
	if (n->clen > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	if (n->clen) /* a node without children has no list (NULL) */
		memcpy(r->rbuf, n->children, n->clen);
	r->rlen = n->clen;
	return 0;
}

int xs_op_directory_part(struct xs_req *r)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	const char *argv[2];
	struct xs_node *n;
	unsigned long off;
	size_t len = 0, i;
	char *end;
	int plen, genlen, err;

	if (xs_req_args(r, argv, 2) != 2)
		return -EINVAL;
	errno = 0;
	off = strtoul(argv[1], &end, 10);
	if (errno || *end || !argv[1][0])
		return -EINVAL;
	plen = req_path(r, argv[0], path, false);
	if (plen < 0)
		return plen;
	n = get_checked(r, path, plen, XS_PERM_READ, &err);
	if (!n)
		return err;
	genlen = snprintf(r->rbuf, 32, "%" PRIu64, n->gen) + 1;
	if (off >= n->clen) {
		r->rbuf[genlen] = '\0';
		r->rlen = genlen + 1;
		return 0;
	}
	/* The offset must be at the start of a name. */
	if (off && n->children[off - 1] != '\0')
		return -EINVAL;
	while (off + len < n->clen) {
		i = strlen(n->children + off + len) + 1;
		if (genlen + len + i >= XENSTORE_PAYLOAD_MAX)
			break;
		len += i;
	}
	if (len)
		memcpy(r->rbuf + genlen, n->children + off, len);
	if (off + len == n->clen)
		r->rbuf[genlen + len++] = '\0';
	r->rlen = genlen + len;
	return 0;
}

int xs_op_get_perms(struct xs_req *r)
{
	struct xs_node *n;
	int len, err = readable_arg_node(r, &n);

	if (err)
		return err;
	len = xs_perms_format(n, r->rbuf, XENSTORE_PAYLOAD_MAX);
	if (len < 0)
		return len;
	r->rlen = len;
	return 0;
}

int xs_op_set_perms(struct xs_req *r)
{
	static struct xs_permissions perms[MAX_ARGS];
	static const char *argv[MAX_ARGS];
	char path[XENSTORE_ABS_PATH_MAX + 1];
	struct xs_node *n;
	int argc, len, err = 0;
	unsigned int num, i;

	argc = xs_req_args(r, argv, MAX_ARGS);
	if (argc < 2)
		return -EINVAL;
	num = argc - 1;
	if (!xs_conn_privileged(r->c) && num > r->s->lim.perms)
		return -ENOSPC;
	if (xs_perms_parse(argv + 1, num, perms))
		return -EINVAL;
	/*
	 * As Xen: the owner must be a domain that exists (ENOENT, checked
	 * before the path); an ACL entry for a domain that does not exist is
	 * kept but ignored, so a later domain with that id gains nothing.
	 */
	if (!xs_domain_exists(r->s, perms[0].id))
		return -ENOENT;
	for (i = 1; i < num; i++)
		if (!xs_domain_exists(r->s, perms[i].id))
			perms[i].perms |= XS_PERM_IGNORE;
	len = req_path(r, argv[0], path, true);
	if (len < 0)
		return len;
	if (xs_path_is_special(path)) {
		n = xs_table_find(&r->s->special, path, len);
		if (!n)
			return -ENOENT;
		if (!xs_conn_privileged(r->c))
			return -EACCES;
		err = xs_node_set_perms(n, perms, num);
		return err ? err : xs_reply_str(r, "OK");
	}
	n = get_checked(r, path, len, XS_PERM_OWNER, &err);
	if (!n)
		return err;
	if (!xs_conn_privileged(r->c) && perms[0].id != n->perms[0].id)
		return -EPERM;
	if (!xs_conn_privileged(r->c) &&
	    n->vlen + n->clen + num * sizeof(*perms) > r->s->lim.entry_size)
		return -ENOSPC;
	xs_view_modify(r, n);
	if (!r->t)
		xs_store_account(r->s, n, -1);
	err = xs_node_set_perms(n, perms, num);
	if (!r->t)
		xs_store_account(r->s, n, 1);
	if (err)
		return err;
	xs_view_changed(r, n);
	return xs_reply_str(r, "OK");
}
