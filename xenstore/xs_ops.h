/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One request being handled, and the pieces the operation table is built
 * from: path checks, permission checks, the transaction-aware node view,
 * watches, transactions and domains. Every action returns 0 or -Exxx; an
 * error becomes an XS_ERROR reply carrying Xen's name for it.
 */
#ifndef LAMINA_XS_OPS_H
#define LAMINA_XS_OPS_H

#include "xs_store.h"

struct xs_txn;

struct xs_req {
	struct xs_store *s;
	struct xs_conn *c;
	const struct xsd_sockmsg *hdr;
	const char *data; /* payload, len bytes, followed by a NUL we added */
	uint32_t len;
	struct xs_txn *t; /* NULL outside a transaction */
	char *rbuf;	  /* reply payload being built (XENSTORE_PAYLOAD_MAX) */
	uint32_t rlen;
	bool noreply; /* handler queued its reply itself */
	int verr;     /* why the last xs_view_get() returned NULL, 0 = ENOENT */
};

/* Operation table entry flags. */
#define XS_OP_PRIV 1u  /* privileged connections only (EACCES otherwise) */
#define XS_OP_NOTID 2u /* tx_id is ignored */

struct xs_op {
	const char *name;
	int (*fn)(struct xs_req *r);
	unsigned int flags;
};

/* xs_dispatch.c */
const struct xs_op *xs_op_lookup(uint32_t type);
const char *xs_op_name(uint32_t type);
void xs_dispatch(struct xs_conn *c, const struct xsd_sockmsg *hdr, const char *data);
/* Split the payload into @max NUL-terminated strings: count, or -EINVAL. */
int xs_req_args(const struct xs_req *r, const char **argv, unsigned int max);
/* The single NUL-terminated argument of the request, or NULL. */
const char *xs_req_onearg(const struct xs_req *r);
int xs_reply_str(struct xs_req *r, const char *s);
int xs_errno_from_name(const char *name);
const char *xs_error_name(int err);

/* xs_path.c: canonical absolute path of @in for @c into @out. */
int xs_path_canon(const struct xs_conn *c, const char *in, char *out, size_t outsz);
bool xs_path_valid(const struct xs_store *s, const struct xs_conn *c, const char *path);
bool xs_path_is_special(const char *path);
bool xs_parse_domid(const char *s, unsigned int *domid);

/* xs_perm.c */
unsigned int xs_perm_for(const struct xs_conn *c, const struct xs_node *n);
int xs_perms_parse(const char *const *strs, unsigned int num, struct xs_permissions *out);
/* Write perms as "n0\0r1\0..." into buf; bytes written or -E2BIG. */
int xs_perms_format(const struct xs_node *n, char *buf, size_t size);

/* xs_view.c: node access through an optional transaction. */
struct xs_node *xs_view_get(struct xs_req *r, const char *path, size_t len);
/* @n (from xs_view_get) is about to change: cannot fail. */
void xs_view_modify(struct xs_req *r, struct xs_node *n);
int xs_view_create(struct xs_req *r, const char *path, size_t len, struct xs_node **out);
int xs_view_remove(struct xs_req *r, struct xs_node *n);
void xs_view_changed(struct xs_req *r, struct xs_node *n);

/* xs_txn.c */
struct xs_txn *xs_txn_find(struct xs_conn *c, uint32_t id);
bool xs_txn_is_stale(const struct xs_conn *c, uint32_t id);
int xs_txn_start(struct xs_conn *c, uint32_t *id);
int xs_txn_end(struct xs_conn *c, struct xs_txn *t, bool commit);
void xs_txn_abort_all(struct xs_conn *c);
struct xs_table *xs_txn_shadow(struct xs_txn *t);
/* First access to @path in @t: copy @n (NULL: absent) into the shadow. */
int xs_txn_note_access(struct xs_txn *t, const char *path, size_t len, const struct xs_node *n,
		       struct xs_node **copy);
/* Quota bookkeeping of nodes a transaction created (+) or removed (-). */
void xs_txn_count(struct xs_txn *t, int delta);
int xs_txn_pending_nodes(const struct xs_txn *t);
/* The transaction on conn->txns list entry @l, and its id. */
struct xs_txn *xs_txn_of(const struct xs_list *l);
uint32_t xs_txn_id(const struct xs_txn *t);
/* An empty transaction with a given id (live update), beyond the limit. */
int xs_txn_restore(struct xs_conn *c, uint32_t id, int node_delta, struct xs_txn **out);

/* xs_watch.c */
int xs_watch_add(struct xs_conn *c, const char *path, const char *token, bool relative);
int xs_watch_del(struct xs_conn *c, const char *path, const char *token);
void xs_watch_del_all(struct xs_conn *c);
/*
 * A node changed: fire every watch on @path or above it; with @exact only
 * the watches on @path itself (nodes removed below the top of an RM, as in
 * Xen). @n gives the perms the watcher must be able to read.
 */
void xs_watch_fire(struct xs_store *s, const char *path, size_t len, const struct xs_node *n,
		   bool exact);
void xs_watch_fire_special(struct xs_store *s, const char *name);
/* The watch on conn->watches list entry @l (for saving state). */
void xs_watch_describe(const struct xs_list *l, const char **path, const char **token,
		       bool *relative);
/* Watches hashed wrongly, plus 1 if the hash does not hold nr_watches. */
unsigned int xs_watch_check(const struct xs_store *s);
int xs_watch_init(struct xs_store *s);
void xs_watch_fini(struct xs_store *s);

/* xs_domain.c */
struct xs_domain *xs_domain_find(struct xs_store *s, unsigned int domid);
/* dom0, a domain the hypervisor has, or (no hypervisor) an introduced one. */
bool xs_domain_exists(struct xs_store *s, unsigned int domid);
int xs_domain_introduce(struct xs_store *s, unsigned int domid, uint64_t mfn, unsigned int port,
			struct xs_domain **out);
void xs_domain_release(struct xs_store *s, struct xs_domain *d, bool fire);
void xs_domain_release_all(struct xs_store *s);

/* Handlers (one per message type). */
int xs_op_read(struct xs_req *r);
int xs_op_write(struct xs_req *r);
int xs_op_mkdir(struct xs_req *r);
int xs_op_rm(struct xs_req *r);
int xs_op_directory(struct xs_req *r);
int xs_op_directory_part(struct xs_req *r);
int xs_op_get_perms(struct xs_req *r);
int xs_op_set_perms(struct xs_req *r);
int xs_op_watch(struct xs_req *r);
int xs_op_unwatch(struct xs_req *r);
int xs_op_reset_watches(struct xs_req *r);
int xs_op_txn_start(struct xs_req *r);
int xs_op_txn_end(struct xs_req *r);
int xs_op_introduce(struct xs_req *r);
int xs_op_release(struct xs_req *r);
int xs_op_is_introduced(struct xs_req *r);
int xs_op_get_domain_path(struct xs_req *r);
int xs_op_resume(struct xs_req *r);
int xs_op_set_target(struct xs_req *r);
int xs_op_control(struct xs_req *r);

#endif
