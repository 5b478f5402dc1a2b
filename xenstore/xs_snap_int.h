/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Constants shared by the state's writer (xs_snap.c) and reader
 * (xs_snap_load.c); see xs_snap.h for the layout.
 */
#ifndef LAMINA_XS_SNAP_INT_H
#define LAMINA_XS_SNAP_INT_H

#define SNAP_MAGIC "LXSSTAT3"
#define SNAP_TAG_END 0u
#define SNAP_TAG_NODE 1u

#define SNAP_CONN_SOCKET 0u /* ref: the socket's fd */
#define SNAP_CONN_DOMAIN 1u /* ref: the domain's id (its ring) */
#define SNAP_CONN_BARE 2u   /* no transport (the unit tests' connections) */

#endif
