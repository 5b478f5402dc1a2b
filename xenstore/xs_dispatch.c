// SPDX-License-Identifier: GPL-2.0-only
/*
 * The table of operations and the one path every request takes:
 * decode the header, find the transaction, check privilege, call the
 * handler, and queue its reply or an XS_ERROR carrying Xen's error name.
 */
#include <errno.h>
#include <string.h>

#include "xs_ops.h"

static const struct xs_op ops[XS_TYPE_COUNT] = {
	[XS_CONTROL] = { "CONTROL", xs_op_control, XS_OP_PRIV | XS_OP_NOTID },
	[XS_DIRECTORY] = { "DIRECTORY", xs_op_directory, 0 },
	[XS_READ] = { "READ", xs_op_read, 0 },
	[XS_GET_PERMS] = { "GET_PERMS", xs_op_get_perms, 0 },
	[XS_WATCH] = { "WATCH", xs_op_watch, XS_OP_NOTID },
	[XS_UNWATCH] = { "UNWATCH", xs_op_unwatch, XS_OP_NOTID },
	[XS_TRANSACTION_START] = { "TRANSACTION_START", xs_op_txn_start, XS_OP_NOTID },
	[XS_TRANSACTION_END] = { "TRANSACTION_END", xs_op_txn_end, 0 },
	[XS_INTRODUCE] = { "INTRODUCE", xs_op_introduce, XS_OP_PRIV | XS_OP_NOTID },
	[XS_RELEASE] = { "RELEASE", xs_op_release, XS_OP_PRIV | XS_OP_NOTID },
	[XS_GET_DOMAIN_PATH] = { "GET_DOMAIN_PATH", xs_op_get_domain_path, XS_OP_NOTID },
	[XS_WRITE] = { "WRITE", xs_op_write, 0 },
	[XS_MKDIR] = { "MKDIR", xs_op_mkdir, 0 },
	[XS_RM] = { "RM", xs_op_rm, 0 },
	[XS_SET_PERMS] = { "SET_PERMS", xs_op_set_perms, 0 },
	[XS_WATCH_EVENT] = { "WATCH_EVENT", NULL, 0 },
	[XS_ERROR] = { "ERROR", NULL, 0 },
	[XS_IS_DOMAIN_INTRODUCED] = { "IS_DOMAIN_INTRODUCED", xs_op_is_introduced,
				      XS_OP_PRIV | XS_OP_NOTID },
	[XS_RESUME] = { "RESUME", xs_op_resume, XS_OP_PRIV | XS_OP_NOTID },
	[XS_SET_TARGET] = { "SET_TARGET", xs_op_set_target, XS_OP_PRIV | XS_OP_NOTID },
	[XS_RESET_WATCHES] = { "RESET_WATCHES", xs_op_reset_watches, XS_OP_NOTID },
	[XS_DIRECTORY_PART] = { "DIRECTORY_PART", xs_op_directory_part, 0 },
};

const struct xs_op *xs_op_lookup(uint32_t type)
{
	if (type >= XS_TYPE_COUNT || !ops[type].fn)
		return NULL;
	return &ops[type];
}

const char *xs_op_name(uint32_t type)
{
	if (type >= XS_TYPE_COUNT || !ops[type].name)
		return "UNKNOWN";
	return ops[type].name;
}

const char *xs_error_name(int err)
{
	unsigned int i;

	for (i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
		if (xsd_errors[i].errnum == err)
			return xsd_errors[i].errstring;
	return "EIO";
}

int xs_errno_from_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
		if (!strcmp(xsd_errors[i].errstring, name))
			return xsd_errors[i].errnum;
	return EIO;
}

int xs_req_args(const struct xs_req *r, const char **argv, unsigned int max)
{
	unsigned int n = 0;
	uint32_t off = 0;

	/* Every argument, the last included, must end with a NUL. */
	if (!r->len || r->data[r->len - 1] != '\0')
		return -EINVAL;
	while (off < r->len && n < max) {
		argv[n++] = r->data + off;
		off += strlen(r->data + off) + 1;
	}
	return off == r->len ? (int)n : -EINVAL;
}

const char *xs_req_onearg(const struct xs_req *r)
{
	if (!r->len || r->data[r->len - 1] != '\0' || strlen(r->data) + 1 != r->len)
		return NULL;
	return r->data;
}

int xs_reply_str(struct xs_req *r, const char *s)
{
	size_t len = strlen(s) + 1;

	if (len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	memcpy(r->rbuf, s, len);
	r->rlen = len;
	return 0;
}

static void trace(struct xs_conn *c, const char *dir, const struct xsd_sockmsg *hdr,
		  const char *data, uint32_t len)
{
	uint32_t i;

	fprintf(c->store->trace, "%s %p %u %s (", dir, (void *)c, c->id, xs_op_name(hdr->type));
	for (i = 0; i < len && i < 64; i++)
		fputc(data[i] >= ' ' && data[i] < 127 ? data[i] : ' ', c->store->trace);
	fprintf(c->store->trace, ")\n");
}

static int dispatch(struct xs_req *r)
{
	const struct xs_op *op = xs_op_lookup(r->hdr->type);

	if (!op)
		return -ENOSYS; /* as Xen: unknown and reply-only types */
	if ((op->flags & XS_OP_PRIV) && !xs_conn_privileged(r->c))
		return -EACCES;
	if (!(op->flags & XS_OP_NOTID) && r->hdr->tx_id) {
		r->t = xs_txn_find(r->c, r->hdr->tx_id);
		if (!r->t)
			return xs_txn_is_stale(r->c, r->hdr->tx_id) ? -EAGAIN : -ENOENT;
	}
	return op->fn(r);
}

void xs_dispatch(struct xs_conn *c, const struct xsd_sockmsg *hdr, const char *data)
{
	struct xs_store *s = c->store;
	struct xs_req r = { .s = s, .c = c, .hdr = hdr, .data = data, .len = hdr->len };
	const char *ename;
	int err;

	r.rbuf = s->reply;
	s->stats_ops++;
	if (s->trace)
		trace(c, "IN ", hdr, data, hdr->len);
	err = dispatch(&r);
	if (err) {
		ename = xs_error_name(-err);
		xs_conn_send(c, XS_ERROR, hdr->req_id, hdr->tx_id, ename, strlen(ename) + 1);
		if (s->trace)
			fprintf(s->trace, "OUT %p ERROR %s\n", (void *)c, ename);
		return;
	}
	if (r.noreply)
		return;
	xs_conn_send(c, hdr->type, hdr->req_id, hdr->tx_id, r.rbuf, r.rlen);
	if (s->trace)
		trace(c, "OUT", hdr, r.rbuf, r.rlen);
}
