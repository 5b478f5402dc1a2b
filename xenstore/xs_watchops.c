// SPDX-License-Identifier: GPL-2.0-only
/*
 * WATCH, UNWATCH, RESET_WATCHES, TRANSACTION_START and TRANSACTION_END.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "xs_ops.h"

/* Decode "<path>\0<token>\0" into a canonical, valid path. */
static int watch_args(struct xs_req *r, char *path, const char **orig, const char **token)
{
	const char *argv[2];
	int len;

	if (xs_req_args(r, argv, 2) != 2)
		return -EINVAL;
	len = xs_path_canon(r->c, argv[0], path, XENSTORE_ABS_PATH_MAX + 1);
	if (len < 0 || !xs_path_valid(r->s, r->c, path))
		return -EINVAL;
	*orig = argv[0];
	*token = argv[1];
	return len;
}

int xs_op_watch(struct xs_req *r)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	const char *orig, *token;
	int err;

	err = watch_args(r, path, &orig, &token);
	if (err < 0)
		return err;
	err = xs_watch_add(r->c, path, token, orig[0] != '/' && orig[0] != '@');
	if (err)
		return err;
	/* The reply first, then the initial firing with the path as given. */
	xs_conn_send(r->c, XS_WATCH, r->hdr->req_id, r->hdr->tx_id, "OK", 3);
	xs_conn_send_event(r->c, orig, token);
	r->noreply = true;
	return 0;
}

/* As Xen: the path is not validated, only looked up (ENOENT). */
int xs_op_unwatch(struct xs_req *r)
{
	char path[XENSTORE_ABS_PATH_MAX + 1];
	const char *argv[2];
	int err;

	if (xs_req_args(r, argv, 2) != 2)
		return -EINVAL;
	if (xs_path_canon(r->c, argv[0], path, sizeof(path)) < 0)
		return -ENOENT;
	err = xs_watch_del(r->c, path, argv[1]);
	return err ? err : xs_reply_str(r, "OK");
}

int xs_op_reset_watches(struct xs_req *r)
{
	xs_watch_del_all(r->c);
	xs_txn_abort_all(r->c);
	return xs_reply_str(r, "OK");
}

int xs_op_txn_start(struct xs_req *r)
{
	uint32_t id;
	int err;

	if (r->hdr->tx_id)
		return -EBUSY;
	err = xs_txn_start(r->c, &id);
	if (err)
		return err;
	r->rlen = snprintf(r->rbuf, 16, "%u", id) + 1;
	return 0;
}

int xs_op_txn_end(struct xs_req *r)
{
	const char *arg = xs_req_onearg(r);
	bool commit;
	int err;

	if (!arg || (strcmp(arg, "T") && strcmp(arg, "F")))
		return -EINVAL;
	if (!r->t) {
		if (r->hdr->tx_id && xs_txn_is_stale(r->c, r->hdr->tx_id))
			return -EAGAIN;
		return -ENOENT;
	}
	commit = arg[0] == 'T';
	err = xs_txn_end(r->c, r->t, commit);
	r->t = NULL;
	return err ? err : xs_reply_str(r, "OK");
}
