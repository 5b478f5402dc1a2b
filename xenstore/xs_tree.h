/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The node store: every node lives in one hash table keyed by its full path.
 *
 *   table.buckets[hash & mask] -> node -> node -> NULL   (chained by hnext)
 *   node: path "/local/domain/1", value bytes, children "a\0b\0c\0",
 *         perms[0] = owner + everyone's default, perms[1..] = per-domain ACL
 *
 * A node's children are kept as Xen keeps them: a blob of NUL-terminated
 * names in creation order, which is exactly the DIRECTORY reply. The same
 * table type holds a transaction's private copies (see xs_txn.c), which use
 * base_gen and tflags; the main store leaves them zero.
 */
#ifndef LAMINA_XS_TREE_H
#define LAMINA_XS_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xenstore_lib.h>

/* Transaction-copy flags (tflags). */
#define XS_TN_MODIFIED 1u /* the commit writes this copy back */
#define XS_TN_DELETED 2u  /* absent in the transaction (removed, or never was) */
#define XS_TN_RMROOT 4u	  /* the top node of an RM: watches below it fire too */
#define XS_TN_FIRE 8u	  /* the request changed it: fire its watches at commit */

struct xs_node {
	struct xs_node *hnext;
	uint32_t hash;
	uint32_t pathlen;
	uint64_t gen; /* store generation of the last change */
	char *value;
	uint32_t vlen, vcap;
	char *children;
	uint32_t clen, ccap;
	struct xs_permissions *perms;
	uint32_t nperms;
	uint32_t tflags;
	uint64_t base_gen; /* transaction copies: gen when first seen, 0 absent */
	char path[];
};

struct xs_table {
	struct xs_node **buckets;
	uint32_t mask;
	uint32_t count;
};

/* Keyed hash of a path (SipHash-1-3); the key is set once, before any table. */
uint32_t xs_hash(const char *s, size_t len);
void xs_hash_set_key(uint64_t k0, uint64_t k1);

/* Table: init returns 0 or -ENOMEM; free releases every node in it. */
int xs_table_init(struct xs_table *t, uint32_t order);
void xs_table_free(struct xs_table *t);
struct xs_node *xs_table_find(const struct xs_table *t, const char *path, size_t len);
void xs_table_insert(struct xs_table *t, struct xs_node *n);
void xs_table_remove(struct xs_table *t, struct xs_node *n);
/* Call @fn on every node (order unspecified); @fn must not change the table. */
void xs_table_each(const struct xs_table *t, void (*fn)(struct xs_node *, void *), void *arg);

/* Nodes: allocation with an empty value, no children and no perms. */
struct xs_node *xs_node_new(const char *path, size_t len);
void xs_node_free(struct xs_node *n);
/* A deep copy (value, children, perms) under the same path, or NULL. */
struct xs_node *xs_node_dup(const struct xs_node *n);
/* Move value/children/perms of @src into @dst, freeing @dst's old ones. */
void xs_node_take(struct xs_node *dst, struct xs_node *src);
int xs_node_set_value(struct xs_node *n, const void *data, size_t len);
int xs_node_set_perms(struct xs_node *n, const struct xs_permissions *p, unsigned int num);
int xs_node_add_child(struct xs_node *n, const char *name, size_t len);
/* Returns true when @name was a child and has been removed. */
bool xs_node_del_child(struct xs_node *n, const char *name, size_t len);
bool xs_node_has_child(const struct xs_node *n, const char *name, size_t len);

/*
 * The path of @n's child named at offset @off of its children blob, written
 * into @buf (NUL-terminated); its length, or 0 when it does not fit.
 */
size_t xs_child_path(const struct xs_node *n, uint32_t off, char *buf, size_t size);
/* The basename of @path (after the last '/'), and the parent's length. */
const char *xs_path_base(const char *path, size_t len, size_t *parent_len);

#endif
