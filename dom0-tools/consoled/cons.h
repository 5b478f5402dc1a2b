/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lamina-consoled, the console backend (xenconsoled's role): for every
 * domain with a console in xenstore it maps the guest's console ring, binds
 * its event channel, copies output to a pty (published in
 * /local/domain/<id>/console/tty for `lxl console`) and, when asked, to a
 * log file, and copies pty input into the ring.
 *
 *   guest --out ring--> cons_ring_take --> pending buffer --> pty master
 *                                     \--> log file (capped)
 *   pty master --> cons_ring_put --in ring--> guest
 *
 * A guest is hostile until proven otherwise: ring indexes that claim more
 * than the ring holds cut that guest's console off; a guest that keeps
 * writing past its rate budget is throttled, and cut off after
 * flood_secs of it. Either way only that guest loses its console.
 */
#ifndef LAMINA_DOM0_CONS_H
#define LAMINA_DOM0_CONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/io/console.h>

/* The daemon's limits (options of lamina-consoled). */
struct cons_limits {
	unsigned int rate_bytes; /* per second a guest may write */
	unsigned int flood_secs; /* seconds over budget before it is cut off */
	size_t log_max;		 /* bytes of log per guest, then a note and no more */
};

#define CONS_TICK_MS 100
#define CONS_PENDING 16384 /* output kept for the pty when nobody reads */

/* One domain's console. */
struct cons_dom {
	uint32_t domid;
	char name[72];
	struct xencons_interface *ring; /* mapped guest page */
	bool ring_granted;		/* mapped by grant (else foreign map) */
	int local_port;			/* bound event channel, -1 none */
	int master, slave;		/* pty, -1 none */
	int log;			/* log file, -1 none */
	size_t logged;
	char pending[CONS_PENDING]; /* output not yet taken by the pty */
	size_t npending;
	unsigned int budget;	 /* bytes left this tick */
	unsigned int over_ticks; /* consecutive ticks over budget */
	bool masked;		 /* event channel left masked (throttled) */
	bool dead;		 /* cut off: bad ring or flood */
	bool seen;		 /* still in xenstore/hypervisor (scan mark) */
	bool watched;		 /* console/ watched (its entries come late; libxl empties tty) */
	bool reported;		 /* a failed connect was logged */
	struct cons_dom *next;
};

/* Why a ring operation stopped. */
enum cons_ring_err {
	CONS_RING_OK,
	CONS_RING_BAD_INDEX, /* prod - cons exceeds the ring */
};

/*
 * Take up to @max bytes of output from @ring into @buf (indexes read once,
 * checked, then the data copied and out_cons advanced). Returns the count;
 * *err says whether the indexes were bad (then nothing is taken).
 */
size_t cons_ring_take(struct xencons_interface *ring, char *buf, size_t max,
		      enum cons_ring_err *err);

/* Free bytes in the in ring (0 with *err set when its indexes are bad). */
size_t cons_ring_room(struct xencons_interface *ring, enum cons_ring_err *err);

/* Put up to @len bytes of input into the in ring; returns how many fit. */
size_t cons_ring_put(struct xencons_interface *ring, const char *buf, size_t len,
		     enum cons_ring_err *err);

/*
 * Rate accounting for one tick: @d may write d->budget more bytes this tick.
 * cons_tick refills it; returns true when @d has now been over budget for
 * flood_secs and must be cut off.
 */
bool cons_tick(struct cons_dom *d, const struct cons_limits *lim);

#endif
