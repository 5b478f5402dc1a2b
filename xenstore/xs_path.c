// SPDX-License-Identifier: GPL-2.0-only
/*
 * Path rules, as Xen's xenstored applies them: relative paths are below
 * /local/domain/<domid>/; a path has only [A-Za-z0-9-/_@], no empty
 * component, no trailing '/', at most XENSTORE_ABS_PATH_MAX bytes, and for
 * unprivileged domains at most path_max bytes below its /local/domain/<id>.
 * "@..." names are the special watch nodes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_ops.h"

int xs_path_canon(const struct xs_conn *c, const char *in, char *out, size_t outsz)
{
	int n;

	if (in[0] == '/' || in[0] == '@')
		n = snprintf(out, outsz, "%s", in);
	else
		n = snprintf(out, outsz, "/local/domain/%u/%s", c->id, in);
	if (n < 0 || (size_t)n >= outsz)
		return -EINVAL;
	return n;
}

bool xs_path_is_special(const char *path)
{
	return path[0] == '@';
}

static bool path_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '-' || ch == '/' || ch == '_' || ch == '@';
}

bool xs_path_valid(const struct xs_store *s, const struct xs_conn *c, const char *path)
{
	size_t len = strlen(path), i, local_off = 0;
	unsigned int domid;
	int off = 0;

	if (len == 0 || len > XENSTORE_ABS_PATH_MAX)
		return false;
	if (path[0] != '/' && path[0] != '@')
		return false;
	for (i = 0; i < len; i++) {
		if (!path_char_ok(path[i]))
			return false;
		if (path[i] == '/' && path[i + 1] == '/')
			return false;
	}
	if (len > 1 && path[len - 1] == '/')
		return false;
	if (!xs_conn_privileged(c)) {
		if (sscanf(path, "/local/domain/%5u/%n", &domid, &off) == 1 && off > 0)
			local_off = off;
		if (len - local_off > s->lim.path_max)
			return false;
	}
	return true;
}

bool xs_parse_domid(const char *s, unsigned int *domid)
{
	char *end;
	unsigned long v;

	if (!s[0] || s[0] < '0' || s[0] > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > 0xffff)
		return false;
	*domid = v;
	return true;
}
