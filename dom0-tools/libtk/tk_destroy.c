// SPDX-License-Identifier: GPL-2.0-only
/*
 * lxl destroy: the domain goes from the hypervisor (its pages, event
 * channels and grants go with it), then every xenstore node lxl made for it:
 * /local/domain/<id>, its /vm/<uuid>, the backend halves of its devices in
 * whichever domain serves them, and /lxl/<id>. xenstored itself drops the
 * domain's connection and fires @releaseDomain.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tk_int.h"

/* The backend directories of @domid's devices of @kind (vbd, vif). */
static void rm_backends(struct tk *tk, uint32_t domid, const char *kind)
{
	char path[96], **devs;
	int n;

	snprintf(path, sizeof(path), "/local/domain/%u/device/%s", domid, kind);
	n = xsu_list(tk->xs, path, &devs);
	for (int i = 0; i < n; i++) {
		char *be = xsu_readf(tk->xs, NULL, "%s/%s/backend", path, devs[i]);
		char *slash = be ? strrchr(be, '/') : NULL;

		/* .../backend/<kind>/<domid>/<n>: remove the <domid> directory. */
		if (slash && !strncmp(be, "/local/domain/", 14)) {
			*slash = '\0';
			xsu_rm(tk->xs, be);
		}
		free(be);
	}
	if (n > 0)
		free(devs);
	snprintf(path, sizeof(path), "/local/domain/0/backend/%s/%u", kind, domid);
	xsu_rm(tk->xs, path);
}

/* Every xenstore node of @domid; what is already gone is fine. */
static int rm_store(struct tk *tk, uint32_t domid)
{
	char path[96], *vm;
	int rc;

	vm = xsu_readf(tk->xs, NULL, "/local/domain/%u/vm", domid);
	rm_backends(tk, domid, "vbd");
	rm_backends(tk, domid, "vif");
	snprintf(path, sizeof(path), "/local/domain/0/backend/console/%u", domid);
	xsu_rm(tk->xs, path);
	if (vm && !strncmp(vm, "/vm/", 4) && !strchr(vm + 4, '/'))
		xsu_rm(tk->xs, vm);
	free(vm);
	snprintf(path, sizeof(path), TK_LXL_PATH "/%u", domid);
	xsu_rm(tk->xs, path);
	snprintf(path, sizeof(path), "/local/domain/%u", domid);
	rc = xsu_rm(tk->xs, path);
	return rc;
}

int tk_destroy(struct tk *tk, uint32_t domid)
{
	int rc;

	if (domid == 0)
		return tk_fail(tk, -EPERM, "domain 0 cannot be destroyed");
	rc = hyp_domain_destroy(tk->hyp, domid);
	if (rc && rc != -ESRCH)
		return tk_fail(tk, rc, "cannot destroy domain %u: %s", domid, strerror(-rc));
	rc = rm_store(tk, domid);
	if (rc)
		return tk_fail(tk, rc, "domain %u destroyed, but its xenstore nodes remain: %s",
			       domid, strerror(-rc));
	return 0;
}
