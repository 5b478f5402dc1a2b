// SPDX-License-Identifier: GPL-2.0-only
/*
 * The toolstack's handle and the finding of domains: by id (checked against
 * the hypervisor) or by the name in /local/domain/<id>/name, as xl does.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>
#include <xen/xen.h>

#include "tk.h"
#include "xsu.h"

int tk_fail(struct tk *tk, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tk->msg, sizeof(tk->msg), fmt, ap);
	va_end(ap);
	return rc;
}

int tk_open(struct tk *tk)
{
	memset(tk, 0, sizeof(*tk));
	tk->hyp = hyp_open();
	if (!tk->hyp)
		return tk_fail(tk, -errno,
			       "cannot open the hypervisor interface "
			       "(/dev/xen/privcmd): %s; is this dom0?",
			       strerror(errno));
	tk->xs = xsu_open();
	if (!tk->xs) {
		int e = errno;

		hyp_close(tk->hyp);
		tk->hyp = NULL;
		return tk_fail(tk, -e, "cannot connect to xenstored: %s; is it running?",
			       strerror(e));
	}
	return 0;
}

void tk_close(struct tk *tk)
{
	xsu_close(tk->xs);
	hyp_close(tk->hyp);
	tk->xs = NULL;
	tk->hyp = NULL;
}

char *tk_domain_name(struct tk *tk, uint32_t domid)
{
	return xsu_readf(tk->xs, NULL, "/local/domain/%u/name", domid);
}

int tk_find_name(struct tk *tk, const char *name, uint32_t *domid)
{
	struct hyp_dominfo *list;
	int n = hyp_domain_list(tk->hyp, &list), rc = -ESRCH;

	if (n < 0)
		return tk_fail(tk, n, "cannot list domains: %s", strerror(-n));
	for (int i = 0; i < n && rc; i++) {
		char *v = tk_domain_name(tk, list[i].domid);

		if (v && !strcmp(v, name)) {
			*domid = list[i].domid;
			rc = 0;
		}
		free(v);
	}
	free(list);
	return rc;
}

int tk_resolve(struct tk *tk, const char *s, uint32_t *domid)
{
	struct hyp_dominfo info;
	char *end;
	unsigned long id;

	if (!s[0])
		return tk_fail(tk, -EINVAL, "empty domain name");
	id = strtoul(s, &end, 10);
	if (*end == '\0' && s[0] >= '0' && s[0] <= '9') {
		if (id >= DOMID_FIRST_RESERVED || hyp_domain_info(tk->hyp, (uint32_t)id, &info))
			return tk_fail(tk, -ESRCH, "no domain with id %s", s);
		*domid = (uint32_t)id;
		return 0;
	}
	if (tk_find_name(tk, s, domid))
		return tk_fail(tk, -ESRCH, "no domain named '%s'", s);
	return 0;
}
