/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xenstore benchmark client's shared pieces: its settings, the result of
 * one measured run, timing, and the two families of measurements (one client
 * doing one kind of operation; many client processes racing transactions).
 *
 * The client talks to whichever daemon XENSTORED_PATH names, through Debian's
 * libxenstore. Unless told the daemon is the do-nothing floor, it checks the
 * values it reads back, so every run is also a correctness check; a wrong
 * value or a failed call counts as an error in that row.
 */
#ifndef XS_BENCH_H
#define XS_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include <xenstore.h>

struct xsb_config {
	unsigned int iters;  /* operations per single-client round */
	unsigned int rounds; /* rounds per row; the median is reported */
	unsigned int txns;   /* transactions per contention row, all clients */
	bool floor;	     /* the daemon stores nothing: skip value checks */
	const char *root;    /* the subtree the bench may use */
};

struct xsb_result {
	double us_per_op; /* mean wall time per operation, microseconds */
	unsigned long ops;
	unsigned long errors;  /* failed calls and wrong values */
	unsigned long retries; /* transactions that ended with EAGAIN */
};

/* Monotonic time in microseconds. */
double xsb_now_us(void);

/* Prints one result line: "OP <name> ..." for the bench script to parse. */
void xsb_print(const char *kind, const char *name, const struct xsb_result *r);

/* Single-client rows; each returns 0, or -1 if it could not run at all. */
int xsb_op_write(struct xs_handle *h, const struct xsb_config *cfg, struct xsb_result *r);
int xsb_op_read(struct xs_handle *h, const struct xsb_config *cfg, struct xsb_result *r);
int xsb_op_directory(struct xs_handle *h, const struct xsb_config *cfg, struct xsb_result *r);
int xsb_op_transaction(struct xs_handle *h, const struct xsb_config *cfg, struct xsb_result *r);
int xsb_op_watch(struct xs_handle *h, const struct xsb_config *cfg, struct xsb_result *r);

/*
 * Contention row: nclients processes, each with its own connection, commit
 * cfg->txns transactions in all (read a counter, write it plus one), on one
 * node each (shared false) or all on one node. Returns 0 or -1.
 */
int xsb_contend(const struct xsb_config *cfg, unsigned int nclients, bool shared,
		struct xsb_result *r);

/* Writes value at path outside a transaction; false on failure. */
bool xsb_put(struct xs_handle *h, const char *path, const char *value);

/* True if path holds exactly value. */
bool xsb_holds(struct xs_handle *h, const char *path, const char *value);

#endif /* XS_BENCH_H */
