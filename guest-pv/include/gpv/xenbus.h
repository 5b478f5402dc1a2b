/* SPDX-License-Identifier: MIT */
/*
 * A xenbus (xenstore) client over the store ring of start_info.store_mfn,
 * notified through start_info.store_evtchn. Requests are synchronous: write
 * the message, then wait (SCHEDOP_poll on the store port, with a deadline)
 * for the reply with the same req_id. Watch events that arrive meanwhile are
 * queued for gpv_xs_wait_watch(). A reply the client cannot trust (a length
 * over XENSTORE_PAYLOAD_MAX, ring indexes further apart than the ring) is
 * -EIO; a daemon that does not answer within the deadline is -ETIMEDOUT.
 */
#ifndef GPV_XENBUS_H
#define GPV_XENBUS_H

#include <gpv/xen.h>
#include <xen/io/xs_wire.h>

/* Map the store ring; -ENODEV when this domain has none. */
long gpv_xs_init(void);
/* Read @path into @buf (NUL-terminated); returns the value's length. */
long gpv_xs_read(uint32_t tx, const char *path, char *buf, size_t size);
long gpv_xs_write(uint32_t tx, const char *path, const char *value);
long gpv_xs_mkdir(uint32_t tx, const char *path);
long gpv_xs_rm(uint32_t tx, const char *path);
/* Children of @path as NUL-separated names in @buf; returns the bytes used. */
long gpv_xs_directory(uint32_t tx, const char *path, char *buf, size_t size);
long gpv_xs_watch(const char *path, const char *token);
long gpv_xs_unwatch(const char *path, const char *token);
/* Wait up to @timeout_ns for a watch event; fills @path and @token. */
long gpv_xs_wait_watch(char *path, size_t psize, char *token, size_t tsize, uint64_t timeout_ns);
long gpv_xs_transaction_start(uint32_t *tx);
long gpv_xs_transaction_end(uint32_t tx, bool abort);

/* Raw access, for hostile tests: the ring, and unchecked byte writes. */
struct xenstore_domain_interface *gpv_xs_ring(void);
evtchn_port_t gpv_xs_port(void);
/* Copy @len bytes into the request ring at req_prod (as is) and kick. */
long gpv_xs_raw_write(const void *bytes, size_t len);
/* Send one message of @type with payload @body/@len and wait for a reply. */
long gpv_xs_raw_request(uint32_t type, const void *body, uint32_t len, uint32_t *reply_type,
			uint64_t timeout_ns);

#endif
