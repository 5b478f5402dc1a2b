/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copying bytes through a struct xenstore_domain_interface, the page a guest
 * shares with xenstored: requests flow in through req[], replies and events
 * out through rsp[]. The page is the guest's, so every index read from it is
 * hostile: read once, checked, never trusted to stay still.
 */
#ifndef LAMINA_XS_RING_H
#define LAMINA_XS_RING_H

#include <stddef.h>
#include <stdint.h> /* xs_wire.h needs it first */
#include <xen/io/xs_wire.h>

/* Take up to @len request bytes: count (0 if none), or -EIO on bad indices. */
int xs_ring_read(struct xenstore_domain_interface *intf, char *buf, size_t len);
/* Put up to @len reply bytes: count (0 if full), or -EIO on bad indices. */
int xs_ring_write(struct xenstore_domain_interface *intf, const char *buf, size_t len);

#endif
