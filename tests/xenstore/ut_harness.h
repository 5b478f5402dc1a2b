/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Drives the xenstored core directly, without sockets: connections are
 * plain xs_conn objects with a chosen domid, requests are framed into their
 * input and replies popped from their output queue.
 */
#ifndef LAMINA_TESTS_XS_HARNESS_H
#define LAMINA_TESTS_XS_HARNESS_H

#include <CUnit/CUnit.h>
#include <stdbool.h>
#include <stddef.h>

#include "xs_ops.h"

extern struct xs_store ut_store;
extern char ut_reply[XENSTORE_PAYLOAD_MAX + 1];
extern uint32_t ut_type, ut_len;

/* A fresh store with Xen's default limits (or @l), freed by ut_fini(). */
void ut_init(const struct xs_limits *l);
void ut_fini(void);
struct xs_conn *ut_conn(unsigned int domid);
/* Make domain @domid exist (introduced, without a ring). */
void ut_domain(unsigned int domid);
/* Domain @domid with its home /local/domain/<domid> (made by @d0), and a connection. */
struct xs_conn *ut_home(struct xs_conn *d0, unsigned int domid);

/* Assert the store's invariants and its save/load round trip (xs_check.h). */
void ut_check(void);
/* Send one raw request (then ut_check()); return the reply's type (payload in ut_reply). */
uint32_t ut_raw(struct xs_conn *c, uint32_t type, uint32_t tx, const void *data, size_t len);
/* Pop the next queued message (events included): false when none. */
bool ut_pop(struct xs_conn *c, uint32_t *type, char *buf, uint32_t *len);
/* Drop everything queued for @c; returns how many watch events it held. */
unsigned int ut_drain(struct xs_conn *c);

/* Requests with string arguments; return 0 or the errno of the XS_ERROR. */
int ut_read(struct xs_conn *c, uint32_t tx, const char *path, char *out);
int ut_write(struct xs_conn *c, uint32_t tx, const char *path, const char *val);
int ut_op1(struct xs_conn *c, uint32_t type, uint32_t tx, const char *arg);
int ut_op2(struct xs_conn *c, uint32_t type, uint32_t tx, const char *a, const char *b);
int ut_setperms(struct xs_conn *c, uint32_t tx, const char *path, const char *perms);
int ut_txn_start(struct xs_conn *c, uint32_t *id);
int ut_txn_end(struct xs_conn *c, uint32_t id, bool commit);

#endif
