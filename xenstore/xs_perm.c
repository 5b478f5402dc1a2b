// SPDX-License-Identifier: GPL-2.0-only
/*
 * Node permissions, with Xen's rules: perms[0] names the owner and the access
 * everyone else gets by default; perms[1..] grant a domain its own access.
 * Privileged connections (dom0's, and a domain over its SET_TARGET target's
 * nodes) and the owner get everything. Strings are "<r|w|b|n><domid>".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xs_ops.h"

bool xs_conn_privileged(const struct xs_conn *c)
{
	return c->id == 0;
}

unsigned int xs_perm_for(const struct xs_conn *c, const struct xs_node *n)
{
	const unsigned int all = XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER;
	unsigned int i, owner;

	if (xs_conn_privileged(c) || !n->nperms)
		return all;
	owner = n->perms[0].id;
	if (owner == c->id || (c->target != XS_NO_TARGET && owner == c->target))
		return all;
	for (i = 1; i < n->nperms; i++)
		if (!(n->perms[i].perms & XS_PERM_IGNORE) &&
		    (n->perms[i].id == c->id ||
		     (c->target != XS_NO_TARGET && n->perms[i].id == c->target)))
			return n->perms[i].perms & (XS_PERM_READ | XS_PERM_WRITE);
	return n->perms[0].perms & (XS_PERM_READ | XS_PERM_WRITE);
}

int xs_perms_parse(const char *const *strs, unsigned int num, struct xs_permissions *out)
{
	unsigned int i, id;

	for (i = 0; i < num; i++) {
		switch (strs[i][0]) {
		case 'n':
			out[i].perms = XS_PERM_NONE;
			break;
		case 'r':
			out[i].perms = XS_PERM_READ;
			break;
		case 'w':
			out[i].perms = XS_PERM_WRITE;
			break;
		case 'b':
			out[i].perms = XS_PERM_READ | XS_PERM_WRITE;
			break;
		default:
			return -EINVAL;
		}
		if (!xs_parse_domid(strs[i] + 1, &id))
			return -EINVAL;
		out[i].id = id;
	}
	return 0;
}

int xs_perms_format(const struct xs_node *n, char *buf, size_t size)
{
	static const char letter[4] = { 'n', 'r', 'w', 'b' };
	size_t off = 0;
	unsigned int i;
	int k;

	for (i = 0; i < n->nperms; i++) {
		k = snprintf(buf + off, size - off, "%c%u", letter[n->perms[i].perms & 3],
			     n->perms[i].id);
		if (k < 0 || (size_t)k + 1 > size - off)
			return -E2BIG;
		off += k + 1;
	}
	return off;
}
