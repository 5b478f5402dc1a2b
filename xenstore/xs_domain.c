// SPDX-License-Identifier: GPL-2.0-only
/*
 * Domains: INTRODUCE, RELEASE, IS_DOMAIN_INTRODUCED, GET_DOMAIN_PATH, RESUME
 * and SET_TARGET. A domain introduced while no hypervisor is present (no
 * store->dops) is recorded without a ring: it counts as introduced and fires
 * the special watches, which is what the tests on plain Linux need.
 * Releasing a domain hands the nodes it owned to dom0 and drops it from every
 * node's ACL, so a later domain reusing the id inherits nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_ops.h"

struct xs_domain *xs_domain_find(struct xs_store *s, unsigned int domid)
{
	struct xs_list *l;

	for (l = s->domains.next; l != &s->domains; l = l->next) {
		struct xs_domain *d = xs_container_of(l, struct xs_domain, link);

		if (d->domid == domid)
			return d;
	}
	return NULL;
}

bool xs_domain_exists(struct xs_store *s, unsigned int domid)
{
	if (domid == 0 || xs_domain_find(s, domid))
		return true;
	if (s->dops && s->dops->exists)
		return s->dops->exists(domid);
	return false;
}

int xs_domain_introduce(struct xs_store *s, unsigned int domid, uint64_t mfn, unsigned int port,
			struct xs_domain **out)
{
	struct xs_domain *d = calloc(1, sizeof(*d));
	int err;

	if (!d)
		return -ENOMEM;
	d->domid = domid;
	d->mfn = mfn;
	d->remote_port = port;
	d->local_port = -1;
	d->target = XS_NO_TARGET;
	if (s->dops && s->dops->map) {
		err = s->dops->map(d);
		if (err) {
			free(d);
			return err;
		}
	}
	d->conn = xs_conn_new(s, domid, -1);
	if (!d->conn) {
		if (s->dops && s->dops->unmap)
			s->dops->unmap(d);
		free(d);
		return -ENOMEM;
	}
	d->conn->domain = d;
	xs_list_add_tail(&d->link, &s->domains);
	*out = d;
	return 0;
}

/* Give @domid's nodes to dom0 and drop it from ACLs. */
static void orphan_one(struct xs_node *n, void *arg)
{
	struct xs_store *s = ((void **)arg)[0];
	unsigned int domid = *(unsigned int *)((void **)arg)[1];
	unsigned int i, j;

	if (!n->nperms)
		return;
	if (n->perms[0].id == domid) {
		xs_store_account(s, n, -1);
		n->perms[0].id = 0;
		xs_store_account(s, n, 1);
	}
	for (i = j = 1; i < n->nperms; i++)
		if (n->perms[i].id != domid)
			n->perms[j++] = n->perms[i];
	n->nperms = j;
}

void xs_domain_release(struct xs_store *s, struct xs_domain *d, bool fire)
{
	unsigned int domid = d->domid;
	void *arg[2] = { s, &domid };

	if (s->dops && s->dops->unmap)
		s->dops->unmap(d);
	if (d->conn) {
		/* The transport frees dead connections; never under a handler. */
		xs_conn_kill(d->conn);
		d->conn->domain = NULL;
	}
	xs_list_del(&d->link);
	free(d);
	if (!fire)
		return;
	if (domid && !s->keep_orphans)
		xs_table_each(&s->nodes, orphan_one, arg);
	xs_watch_fire_special(s, "@releaseDomain");
}

void xs_domain_release_all(struct xs_store *s)
{
	while (!xs_list_empty(&s->domains))
		xs_domain_release(s, xs_container_of(s->domains.next, struct xs_domain, link),
				  false);
}

static int domid_arg(struct xs_req *r, unsigned int *domid)
{
	const char *arg = xs_req_onearg(r);

	if (!arg || !xs_parse_domid(arg, domid))
		return -EINVAL;
	return 0;
}

int xs_op_introduce(struct xs_req *r)
{
	const char *argv[4];
	unsigned int domid, port;
	unsigned long long mfn;
	struct xs_domain *d;
	char *end;
	int argc, err;

	argc = xs_req_args(r, argv, 4);
	if (argc < 3)
		return -EINVAL;
	if (!xs_parse_domid(argv[0], &domid) || domid >= XS_MAX_DOMID)
		return -EINVAL;
	errno = 0;
	mfn = strtoull(argv[1], &end, 10);
	if (errno || *end || !argv[1][0])
		return -EINVAL;
	if (!xs_parse_domid(argv[2], &port))
		return -EINVAL;
	d = xs_domain_find(r->s, domid);
	if (d) {
		/*
		 * Re-introduction of the same ring (after a resume, as xl does)
		 * binds its event channel again, to the port given now.
		 */
		if (d->mfn != mfn)
			return -EINVAL;
		if (r->s->dops && r->s->dops->rebind)
			r->s->dops->rebind(d, port);
		d->remote_port = port;
		return xs_reply_str(r, "OK");
	}
	err = xs_domain_introduce(r->s, domid, mfn, port, &d);
	if (err)
		return err;
	xs_watch_fire_special(r->s, "@introduceDomain");
	return xs_reply_str(r, "OK");
}

int xs_op_release(struct xs_req *r)
{
	unsigned int domid;
	struct xs_domain *d;

	if (domid_arg(r, &domid))
		return -EINVAL;
	if (domid == 0 || domid >= XS_MAX_DOMID)
		return -EINVAL;
	d = xs_domain_find(r->s, domid);
	if (!d)
		return -ENOENT;
	xs_domain_release(r->s, d, true);
	return xs_reply_str(r, "OK");
}

int xs_op_is_introduced(struct xs_req *r)
{
	unsigned int domid;

	if (domid_arg(r, &domid))
		return -EINVAL;
	return xs_reply_str(r, domid == 0 || xs_domain_find(r->s, domid) ? "T" : "F");
}

int xs_op_get_domain_path(struct xs_req *r)
{
	unsigned int domid;

	if (domid_arg(r, &domid))
		return -EINVAL;
	r->rlen = snprintf(r->rbuf, 32, "/local/domain/%u", domid) + 1;
	return 0;
}

int xs_op_resume(struct xs_req *r)
{
	unsigned int domid;
	struct xs_domain *d;

	if (domid_arg(r, &domid))
		return -EINVAL;
	d = xs_domain_find(r->s, domid);
	if (!d)
		return -ENOENT;
	d->shutdown = false;
	return xs_reply_str(r, "OK");
}

int xs_op_set_target(struct xs_req *r)
{
	const char *argv[2];
	unsigned int domid, target;
	struct xs_domain *d;

	if (xs_req_args(r, argv, 2) != 2 || !xs_parse_domid(argv[0], &domid) ||
	    !xs_parse_domid(argv[1], &target))
		return -EINVAL;
	d = xs_domain_find(r->s, domid);
	if (!d)
		return -ENOENT;
	d->target = target;
	if (d->conn)
		d->conn->target = target;
	return xs_reply_str(r, "OK");
}
