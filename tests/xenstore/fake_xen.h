/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A pretend hypervisor for testing xenstored's Xen transport on a machine
 * without Xen: the libxenevtchn, libxengnttab, libxenforeignmemory and
 * libxenctrl calls xs_xen.c makes, implemented over plain memory and a pipe.
 * A test plays the guest: it fills a ring page, "notifies" with
 * fake_raise(), and lets the daemon handle the event.
 */
#ifndef LAMINA_TESTS_FAKE_XEN_H
#define LAMINA_TESTS_FAKE_XEN_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>

#define FAKE_MAX_DOM 16
#define FAKE_MAX_PORT 64
#define FAKE_VIRQ_PORT 1

struct fake_dom {
	struct xenstore_domain_interface *page; /* what a map returns */
	bool grant_fails, foreign_fails;	/* make the mappings fail */
	bool exists, dying, shutdown;		/* xc_domain_getinfo's answer */
	int mapped;				/* current mappings */
};

extern struct fake_dom fake_doms[FAKE_MAX_DOM];
extern bool fake_bind_fails;
extern unsigned int fake_notified[FAKE_MAX_PORT]; /* notifications per port */
extern int fake_bound[FAKE_MAX_PORT];		  /* domid bound to a port, -1 */

void fake_reset(void);
/* The guest side signals local port @port. */
void fake_raise(int port);
/* The local port bound to @domid's remote port, or -1. */
int fake_port_of(unsigned int domid);

#endif
