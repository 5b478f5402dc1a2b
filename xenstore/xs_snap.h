/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The store as bytes, and back (live update, and the invariant checker's
 * round trip). No I/O: the daemon writes the bytes to its state file and
 * reads them back after exec; a hook gives the socket connections back.
 *
 * Layout ("LXSSTAT3", little-endian u32/u64, strings as u32 length + bytes):
 *   gen, listen fd; special nodes; node records (tag 1, pre-order, so a
 *   parent always comes first) ended by tag 0; domains; connections, each
 *   with its unread input, unsent output, watches, open transactions (every
 *   private copy with its base generation and marks) and stale tx ids.
 * Loading checks every length and every parent: malformed bytes are -EINVAL
 * with nothing half-applied that the caller must undo besides freeing.
 */
#ifndef LAMINA_XS_SNAP_H
#define LAMINA_XS_SNAP_H

#include <stddef.h>
#include <stdint.h>

#include "xs_store.h"

struct xs_snap_buf {
	char *data;
	size_t len, cap;
	int err; /* first error (-ENOMEM), or 0 */
};

struct xs_snap_hooks {
	/* The connection for a saved socket @fd, or NULL to drop it. */
	struct xs_conn *(*socket_conn)(void *arg, struct xs_store *s, int fd);
	/* Called after the nodes, before the domains (the daemon opens Xen). */
	int (*before_domains)(void *arg);
	void *arg;
};

/* Serialise @s (dead connections are left out); 0 or -ENOMEM. */
int xs_snap_save(struct xs_store *s, uint32_t listen_fd, struct xs_snap_buf *b);
void xs_snap_buf_free(struct xs_snap_buf *b);
/* The listening socket recorded in the first bytes of a state. */
int xs_snap_listen_fd(const char *data, size_t len, uint32_t *fd);
/*
 * Replace @s's tree, domains and connections (@s fresh from xs_store_init)
 * with the saved ones. @h may be NULL: sockets then become plain
 * connections that remember their fd (the checker's round trip).
 */
int xs_snap_load(struct xs_store *s, const char *data, size_t len, const struct xs_snap_hooks *h);

#endif
