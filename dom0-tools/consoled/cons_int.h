/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lamina-consoled's daemon side: the handles it holds and the per-domain
 * set-up, service and teardown (cons_dom.c) that its loop (consoled.c) drives.
 */
#ifndef LAMINA_DOM0_CONS_INT_H
#define LAMINA_DOM0_CONS_INT_H

#include <stdio.h>
#include <xenevtchn.h>
#include <xengnttab.h>
#include <xenforeignmemory.h>

#include "cons.h"
#include "dom0-tools/libhyp/hyp.h"

struct xs_handle;

struct consd {
	struct xs_handle *xs;
	struct hyp *hyp;
	xenevtchn_handle *evtchn;
	xengnttab_handle *gnttab;
	xenforeignmemory_handle *fmem;
	const char *log_dir; /* NULL: no logs */
	struct cons_limits lim;
	struct cons_dom *doms;
	FILE *msg; /* the daemon's own log */
};

/* Track @domid (its console directory watched) and connect its console if it has one yet. */
struct cons_dom *cons_dom_open(struct consd *c, uint32_t domid);
/* Connect a tracked domain's console (ring, event channel, pty, log) once its entries are there. */
void cons_dom_connect(struct consd *c, struct cons_dom *d);
/* Write console/tty again when someone emptied or changed it (libxl's console device does); not when it is gone. */
void cons_dom_republish(struct consd *c, struct cons_dom *d);
/* Undo cons_dom_open; removes console/tty. */
void cons_dom_close(struct consd *c, struct cons_dom *d);
/* Cut @d off (hostile): unmap and unbind now, keep the entry so it is not set up again. */
void cons_dom_cut(struct consd *c, struct cons_dom *d, const char *why);
/* Move output from the ring to the pty and log, within budget; input the other way. */
void cons_dom_service(struct consd *c, struct cons_dom *d);
/* Input from the pty into the guest. */
void cons_dom_input(struct consd *c, struct cons_dom *d);

#endif
