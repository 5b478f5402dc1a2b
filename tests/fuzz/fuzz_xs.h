/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small world for the xenstored fuzzers: one store with small limits and
 * a fixed set of connection slots (dom0 sockets, domain rings, clients
 * without ring, a domain with a target) that are looked up afresh each time,
 * so that they survive live updates, releases and dropped connections.
 */
#ifndef LAMINA_TESTS_FUZZ_XS_H
#define LAMINA_TESTS_FUZZ_XS_H

#include <stdbool.h>
#include <stdint.h>

#include "xs_store.h"

#define FXS_SLOTS 6

struct fxs {
	struct xs_store *s;
	uint32_t last_tx[FXS_SLOTS];
};

void fxs_init(struct fxs *f);
void fxs_fini(struct fxs *f);
/* The connection of @slot now (made when it has none). */
struct xs_conn *fxs_conn(struct fxs *f, unsigned int slot);
/* A tx id for @slot from selector @sel (see fuzz_xs_msgs.c). */
uint32_t fxs_txid(const struct fxs *f, unsigned int slot, uint8_t sel);
/* After a message: note started transactions, read the output if @drain,
 * drop the connections the core killed (as the transport does). */
void fxs_after(struct fxs *f, unsigned int slot, bool drain);
/* Continue on @n (a live update's new store); the old one is freed. */
void fxs_swap(struct fxs *f, struct xs_store *n);

#endif
