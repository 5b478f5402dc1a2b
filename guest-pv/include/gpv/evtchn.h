/* SPDX-License-Identifier: MIT */
/*
 * Event channels, 2-level ABI: binding helpers and the upcall. The event
 * callback (registered by gpv_traps_init) scans evtchn_pending_sel and
 * evtchn_pending, clears each pending unmasked port and calls its handler.
 */
#ifndef GPV_EVTCHN_H
#define GPV_EVTCHN_H

#include <gpv/xen.h>

typedef void (*gpv_evtchn_handler_t)(evtchn_port_t port, void *data);

/* Bind helpers: return the local port (>= 0) or -errno. */
long gpv_evtchn_alloc_unbound(domid_t remote);
long gpv_evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port);
long gpv_evtchn_bind_virq(uint32_t virq);
long gpv_evtchn_send(evtchn_port_t port);
long gpv_evtchn_close(evtchn_port_t port);
long gpv_evtchn_unmask(evtchn_port_t port);
/* Set @port's handler; ports >= 1024 cannot have one (-XEN_EINVAL). */
long gpv_evtchn_set_handler(evtchn_port_t port, gpv_evtchn_handler_t fn, void *data);
/* Mask / unmask event delivery on this vCPU; returns the previous mask. */
int gpv_events_mask(int masked);
/* Number of upcalls taken so far. */
unsigned long gpv_evtchn_upcalls(void);
/* Hook the upcall (called by gpv_traps_init). */
void gpv_evtchn_init(void);

#endif
