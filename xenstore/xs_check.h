/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The store's invariant checker, run after every operation by the unit
 * tests and the fuzzers, and by a live update on the state it is about to
 * hand over:
 *   - every node is reachable from "/", every listed child exists, no name
 *     is listed twice, no node of the store carries transaction marks;
 *   - each domain's accounted node count equals the nodes it owns; each
 *     connection's watch and transaction counts equal its lists; the watch
 *     hash holds exactly the watches;
 *   - saving the store and loading the bytes into a fresh store gives the
 *     same tree, perms, generations, domains, connections, watches,
 *     transactions and queued bytes (xs_check_same()).
 * Each returns 0, or -EINVAL with the first difference described in @why.
 */
#ifndef LAMINA_XS_CHECK_H
#define LAMINA_XS_CHECK_H

#include <stddef.h>

#include "xs_store.h"

/* Describe a failure into @why (if given); returns -EINVAL. */
int xs_check_fail(char *why, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int xs_check_store(struct xs_store *s, char *why, size_t size);
int xs_check_same(struct xs_store *a, struct xs_store *b, char *why, size_t size);
/* xs_check_store(), then the save -> load -> xs_check_same() round trip. */
int xs_check_all(struct xs_store *s, char *why, size_t size);

#endif
