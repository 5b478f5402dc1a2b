/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libxsu's inside: what xsu.c (over libxenstore) and xsu_wire.c (the
 * pipelined transaction on xenstored's wire protocol) share.
 */
#ifndef LAMINA_DOM0_XSU_INT_H
#define LAMINA_DOM0_XSU_INT_H

#include "xsu.h"

/* Node @i of @b gets its permissions from its parent in the batch: no SET_PERMS. */
bool xsu_inherits(const struct xsu_batch *b, unsigned int i);

/*
 * Write @b in one transaction over a connection of its own, requests
 * pipelined: 0, -ENOTCONN when no xenstored could be reached that way (the
 * caller then uses libxenstore), or -Exxx as xsu_err maps it.
 */
int xsu_wire_commit(const struct xsu_batch *b);

#endif
