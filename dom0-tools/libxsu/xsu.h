/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libxsu: xenstore as the toolstack uses it, over Debian's libxenstore.
 * Writes go in batches inside one transaction (retried on EAGAIN, as every
 * xenstore client must); reads return malloc'ed strings. 0 or -Exxx;
 * -ENOSPC is how a xenstored says a quota was reached (E2BIG/ENOSPC/EDQUOT).
 */
#ifndef LAMINA_DOM0_XSU_H
#define LAMINA_DOM0_XSU_H

#include <stdbool.h>
#include <stdint.h>

struct xs_handle;

/* One node to write: path, value (NULL: a directory), permissions. */
struct xsu_node {
	char *path;
	char *value;
	/* "n0" dom0 owns, nobody else reads; "r" adds read for @domid; "w" gives @domid ownership */
	char perm;
};

/* A list of nodes built up, then written at once. */
struct xsu_batch {
	struct xsu_node *nodes;
	unsigned int count, cap;
	uint32_t domid; /* whose "r"/"w" permissions */
	int error;	/* first allocation failure, reported by xsu_commit */
};

#define XSU_PERM_DOM0 'n'  /* dom0 only */
#define XSU_PERM_READ 'r'  /* dom0 owns, the guest reads */
#define XSU_PERM_OWNER 'w' /* the guest owns (it writes there) */

/* Open the xenstored socket (or dom0's ring when the socket is absent). */
struct xs_handle *xsu_open(void);
void xsu_close(struct xs_handle *xs);

void xsu_batch_init(struct xsu_batch *b, uint32_t domid);
/* Add a node "PATH" = printf(FMT, ...); FMT NULL: a directory. */
void xsu_add(struct xsu_batch *b, char perm, const char *value_fmt, const char *path_fmt, ...)
	__attribute__((format(printf, 4, 5)));
void xsu_add_value(struct xsu_batch *b, char perm, const char *path, const char *value);
/* Write every node of @b in one transaction; the batch is freed. */
int xsu_commit(struct xs_handle *xs, struct xsu_batch *b);
void xsu_batch_free(struct xsu_batch *b);

/* The value at @path (malloc'ed) or NULL with *rc = -ENOENT/-EACCES/...; */
char *xsu_read(struct xs_handle *xs, const char *path, int *rc);
char *xsu_readf(struct xs_handle *xs, int *rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int xsu_write(struct xs_handle *xs, const char *path, const char *value);
/* Remove @path and everything below; absent is fine. */
int xsu_rm(struct xs_handle *xs, const char *path);
/* The children of @path (free the array); count or -Exxx. */
int xsu_list(struct xs_handle *xs, const char *path, char ***names);

/*
 * A watch on @path on a connection of its own (xenstored drops it with the
 * connection): the fd to poll for events, or -Exxx. xsu_watch_drain reads one
 * event (0; -EIO/-ETIMEDOUT when the connection is gone).
 */
int xsu_watch_open(const char *path, const char *token);
int xsu_watch_drain(int fd);
void xsu_watch_close(int fd);

/* Map an errno from libxenstore to what lxl reports (quota: -ENOSPC). */
int xsu_err(int e);

#endif
