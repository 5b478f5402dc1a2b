/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The daemon's state, independent of any transport:
 *
 *   store ─ nodes (xs_table, by path) ─ per-domain node counts
 *         ├ conns ─ conn ─ watches (also in store's watch hash, by path)
 *         │              ├ txns ─ txn ─ shadow table of private node copies
 *         │              └ out queue (replies + watch events, bytes)
 *         └ domains ─ domain (domid, ring, ports, target) ─ its ring conn
 *
 * Requests enter through xs_conn_input(); replies and events are appended to
 * the connection's out queue and the connection is put on the store's dirty
 * list for the transport to flush. Nothing here blocks or does I/O itself,
 * so the unit tests drive it directly. Single-threaded.
 */
#ifndef LAMINA_XS_STORE_H
#define LAMINA_XS_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <xen/io/xs_wire.h>

#include "xs_list.h"
#include "xs_tree.h"

#define XS_NO_TARGET 0xffffffffu
#define XS_MAX_DOMID 0x7ff0u /* DOMID_FIRST_RESERVED */
#define XS_MSG_MAX (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)

/* Limits, with Xen 4.17's defaults; privileged connections are exempt. */
struct xs_limits {
	unsigned int entries;	   /* -E nodes owned per domain (1000) */
	unsigned int entry_size;   /* -S bytes of value+children+perms (2048) */
	unsigned int watches;	   /* -W watches per connection (128) */
	unsigned int transactions; /* -t open transactions per connection (10) */
	unsigned int perms;	   /* -A permissions per node (5) */
	unsigned int path_max;	   /* -M relative path length (2048) */
	unsigned int outstanding;  /* -Q outstanding=: requests in flight (20) */
	unsigned int txn_nodes;	   /* -Q transaction-nodes=: nodes per txn (1024) */
	unsigned int out_max;	   /* bytes of unread output before events drop */
};

struct xs_store;
struct xs_domain;

struct xs_conn {
	struct xs_list link;  /* store->conns */
	struct xs_list dirty; /* store->dirty while output is queued or dead */
	struct xs_store *store;
	unsigned int id;	  /* domid; 0 for local sockets */
	unsigned int target;	  /* domid it is privileged over, or XS_NO_TARGET */
	struct xs_domain *domain; /* ring connections only */
	int fd;			  /* socket connections, else -1 */
	bool dead;		  /* protocol violation: drop at next chance */
	uint32_t io_mask;	  /* transport-private: epoll events asked for */
	/* input: partial message bytes */
	uint32_t in_len;
	char in[XS_MSG_MAX + 1]; /* +1: room to NUL-terminate a payload */
	/* output queue: bytes [out_start, out_end) of out are unsent */
	char *out;
	size_t out_start, out_end, out_cap;
	unsigned int out_msgs; /* messages not completely sent */
	size_t out_msg_end;    /* where the first of them ends */
	size_t recent_ev[4];   /* offsets of the last events queued, or -1 */
	unsigned int recent_next;
	uint64_t events_dropped;
	/* watches and transactions */
	struct xs_list watches, txns;
	unsigned int nr_watches, nr_txns;
	uint32_t next_txid;
	uint32_t *stale_txids; /* transactions lost in a live update: EAGAIN */
	unsigned int nr_stale;
};

struct xs_domain {
	struct xs_list link; /* store->domains */
	unsigned int domid;
	unsigned int target; /* XS_NO_TARGET unless SET_TARGET */
	uint64_t mfn;
	unsigned int remote_port;
	int local_port;	    /* bound event channel, -1 if none */
	void *intf;	    /* mapped struct xenstore_domain_interface, or NULL */
	bool intf_is_grant; /* mapped with gnttab (else foreign memory / kva) */
	bool shutdown;
	struct xs_conn *conn;
};

/* Transport hooks for domains; NULL hooks mean "no hypervisor here". */
struct xs_domain_ops {
	int (*map)(struct xs_domain *d);    /* map ring + bind port: 0/-E */
	void (*unmap)(struct xs_domain *d); /* undo map */
	void (*notify)(struct xs_domain *d);
	/* Bind the event channel again, to remote @port (after a resume). */
	void (*rebind)(struct xs_domain *d, unsigned int port);
	/* Does the hypervisor have a domain @domid? */
	bool (*exists)(unsigned int domid);
};

struct xs_store {
	struct xs_table nodes;
	struct xs_table special; /* @introduceDomain, @releaseDomain (perms only) */
	uint64_t gen;
	uint32_t *dom_nodes;	/* nodes owned by each domid < XS_MAX_DOMID */
	uint64_t dom_nodes_sum; /* the sum of dom_nodes[] (for the checker) */
	struct xs_limits lim;
	struct xs_list conns, dirty, domains;
	struct xs_watch **watch_hash;
	uint32_t watch_mask, nr_watches;
	const struct xs_domain_ops *dops;
	FILE *trace;
	bool log;
	bool keep_orphans; /* -K: a released domain keeps its nodes' ownership */
	bool live_update;  /* set by CONTROL live-update -s */
	char *lu_binary;   /* CONTROL live-update -f */
	uint64_t stats_txn_ok, stats_txn_again, stats_ops;
	char reply[XENSTORE_PAYLOAD_MAX + 1]; /* the reply being built */
};

/* xs_store.c */
void xs_limits_default(struct xs_limits *l);
int xs_store_init(struct xs_store *s, const struct xs_limits *l);
void xs_store_free(struct xs_store *s);
/* Count a node owned by @owner in/out of the per-domain totals. */
void xs_store_account(struct xs_store *s, const struct xs_node *n, int delta);

/* xs_conn.c */
struct xs_conn *xs_conn_new(struct xs_store *s, unsigned int domid, int fd);
void xs_conn_free(struct xs_conn *c);
/* Feed @len received bytes; returns 0, or -EPROTO when @c must be dropped. */
int xs_conn_input(struct xs_conn *c, const char *buf, size_t len);
/* Room left in the input buffer, and process what is there already. */
int xs_conn_process(struct xs_conn *c);
/*
 * Queue one message; events may be dropped when the client is not reading.
 * A connection is blocked (its requests wait) while it has more than
 * lim.out_max bytes unsent or, unprivileged, lim.outstanding messages.
 */
int xs_conn_send(struct xs_conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id,
		 const void *data, size_t len);
/* Queue bytes that are already framed (restored output). */
int xs_conn_send_raw(struct xs_conn *c, const void *data, size_t len);
int xs_conn_send_event(struct xs_conn *c, const char *path, const char *token);
bool xs_conn_blocked(const struct xs_conn *c);
/* Mark @c to be dropped by the transport (it stays on the dirty list). */
void xs_conn_kill(struct xs_conn *c);
void xs_conn_consumed(struct xs_conn *c, size_t n);
bool xs_conn_privileged(const struct xs_conn *c);

#endif
