// SPDX-License-Identifier: GPL-2.0-only
/*
 * The console ring protocol (xen/io/console.h) from the backend's side, with
 * the guest treated as hostile: each index is read once into a local, the
 * distance checked against the ring's size, and only then data copied and
 * the backend's own index written. No Xen call here: the host tests drive it
 * on an ordinary page.
 */
#include <string.h>

#include "cons.h"

#define OUT_SIZE sizeof(((struct xencons_interface *)0)->out)
#define IN_SIZE sizeof(((struct xencons_interface *)0)->in)

size_t cons_ring_take(struct xencons_interface *ring, char *buf, size_t max,
		      enum cons_ring_err *err)
{
	XENCONS_RING_IDX cons = *(volatile XENCONS_RING_IDX *)&ring->out_cons;
	XENCONS_RING_IDX prod = *(volatile XENCONS_RING_IDX *)&ring->out_prod;
	size_t n = 0;

	__atomic_thread_fence(__ATOMIC_ACQUIRE); /* indexes before data */
	*err = CONS_RING_OK;
	if ((XENCONS_RING_IDX)(prod - cons) > OUT_SIZE) {
		*err = CONS_RING_BAD_INDEX;
		return 0;
	}
	while (cons != prod && n < max)
		buf[n++] = ring->out[MASK_XENCONS_IDX(cons++, ring->out)];
	__atomic_thread_fence(__ATOMIC_RELEASE); /* data read before the index moves */
	*(volatile XENCONS_RING_IDX *)&ring->out_cons = cons;
	return n;
}

size_t cons_ring_put(struct xencons_interface *ring, const char *buf, size_t len,
		     enum cons_ring_err *err)
{
	XENCONS_RING_IDX cons = *(volatile XENCONS_RING_IDX *)&ring->in_cons;
	XENCONS_RING_IDX prod = *(volatile XENCONS_RING_IDX *)&ring->in_prod;
	size_t n = 0;

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	*err = CONS_RING_OK;
	if ((XENCONS_RING_IDX)(prod - cons) > IN_SIZE) {
		*err = CONS_RING_BAD_INDEX;
		return 0;
	}
	while (n < len && (XENCONS_RING_IDX)(prod - cons) < IN_SIZE)
		ring->in[MASK_XENCONS_IDX(prod++, ring->in)] = buf[n++];
	__atomic_thread_fence(__ATOMIC_RELEASE); /* data before the index */
	*(volatile XENCONS_RING_IDX *)&ring->in_prod = prod;
	return n;
}

size_t cons_ring_room(struct xencons_interface *ring, enum cons_ring_err *err)
{
	XENCONS_RING_IDX cons = *(volatile XENCONS_RING_IDX *)&ring->in_cons;
	XENCONS_RING_IDX prod = *(volatile XENCONS_RING_IDX *)&ring->in_prod;

	*err = CONS_RING_OK;
	if ((XENCONS_RING_IDX)(prod - cons) > IN_SIZE) {
		*err = CONS_RING_BAD_INDEX;
		return 0;
	}
	return IN_SIZE - (XENCONS_RING_IDX)(prod - cons);
}

bool cons_tick(struct cons_dom *d, const struct cons_limits *lim)
{
	unsigned int per_tick = lim->rate_bytes / (1000 / CONS_TICK_MS);

	if (d->budget == 0)
		d->over_ticks++;
	else
		d->over_ticks = 0;
	d->budget = per_tick ? per_tick : 1;
	return lim->flood_secs && d->over_ticks >= lim->flood_secs * (1000 / CONS_TICK_MS);
}
