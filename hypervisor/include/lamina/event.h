/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channels (2-level ABI; timers are in lamina/timer.h). At this
 * stage a domain can bind ports to itself only: unbound ports, interdomain
 * loopback pairs, VIRQs and IPIs of vCPU 0.
 */
#ifndef LAMINA_EVENT_H
#define LAMINA_EVENT_H

#include <lamina/types.h>

struct domain;
struct vcpu;

#define EVTCHN_MAX_PORTS 1024 /* Lamina's limit; the 2-level ABI allows 4096 */

enum evtchn_state { ECS_FREE = 0, ECS_UNBOUND, ECS_INTERDOMAIN, ECS_VIRQ, ECS_IPI };

struct evtchn {
	uint8_t state;
	uint8_t virq;
	uint16_t remote_dom;
	uint32_t remote_port;
};

long do_event_channel_op(uint64_t cmd, uint64_t arg);

/* A domain's event-channel unit (domain_create / domain_destroy). */
int evtchn_domain_init(struct domain *d);
void evtchn_domain_teardown(struct domain *d);

/* Raises virq on d's vCPU 0 if it is bound. */
void evtchn_send_virq(struct domain *d, unsigned int virq);

#endif
