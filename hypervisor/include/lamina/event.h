/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channels (xen/common/event_channel.c, event_2l.c, event_fifo.c).
 * The generic part (common/event_channel.c) owns the ports and their
 * bindings and answers EVTCHNOP_*; how a port is marked pending, masked and
 * delivered is the ABI's, behind struct evtchn_port_ops: the 2-level bitmaps
 * in shared_info (event_2l.c, every domain's start) or the FIFO queues in
 * guest pages (event_fifo.c, after EVTCHNOP_init_control).
 *
 *   d->events.bucket[port / EVTCHN_PER_BUCKET] -> struct evtchn[EVTCHN_PER_BUCKET]
 *       allocated as ports are; port 0 is never bound
 *   d->events.virq_port[vcpu][virq]  the port bound to a VIRQ, 0 = none
 *
 * Locks, as Xen 4.17's (common/event_channel.c has the order):
 *   d->events.lock    Xen's d->event_lock: port allocation and every change
 *                     of a binding, virq_port, the ABI switch, reset
 *   chn->lock         the channel's: its state and binding change under it
 *                     (and the event lock); a send, an unmask, a poll and a
 *                     VIRQ hold only it. Both ends of an interdomain channel
 *                     change together, under both channel locks.
 *   d->events.fifo_lock  the FIFO state (queues, event words, ->fifo itself);
 *                     one per domain, where Xen has one per queue
 * Buckets are published with a release store and freed only with the
 * domain, so a port is looked up without a lock.
 */
#ifndef LAMINA_EVENT_H
#define LAMINA_EVENT_H

#include <lamina/spinlock.h>
#include <lamina/types.h>
#include <xen/event_channel.h>
#include <xen/xen.h>

struct domain;
struct vcpu;

#define EVTCHN_MAX_PORTS EVTCHN_FIFO_NR_CHANNELS /* the FIFO ABI's 2^17 */
#define EVTCHN_PER_BUCKET 512
#define EVTCHN_NR_BUCKETS (EVTCHN_MAX_PORTS / EVTCHN_PER_BUCKET)
#define EVTCHN_MAX_VCPUS 8 /* as DOMAIN_MAX_VCPUS */

enum evtchn_state { ECS_FREE = 0, ECS_UNBOUND, ECS_INTERDOMAIN, ECS_VIRQ, ECS_IPI };

struct evtchn {
	spinlock_t lock; /* guards state and the binding below (see above) */
	uint8_t state;
	uint8_t virq;	       /* ECS_VIRQ */
	uint8_t notify_vcpu;   /* the vCPU its events go to */
	uint8_t priority;      /* FIFO: EVTCHN_FIFO_PRIORITY_* */
	uint8_t last_vcpu;     /* FIFO: the queue it was last linked on (vCPU, */
	uint8_t last_priority; /*       priority) */
	bool pending;	       /* FIFO: raised while it had no event word, or pending */
			       /* at the switch to FIFO; never cleared, as Xen's */
	uint16_t remote_dom;   /* ECS_UNBOUND: who may bind; ECS_INTERDOMAIN: the peer */
	uint32_t remote_port;  /* ECS_INTERDOMAIN */
	struct domain *remote; /* ECS_INTERDOMAIN: the peer (its end points back here) */
};

/* An event-channel ABI (Xen's evtchn_port_ops). */
struct evtchn_port_ops {
	const char *name;
	unsigned int max_ports; /* ports this ABI can name */
	/*
	 * Marks port pending for vCPU v and, unless masked, tells v. True if
	 * the port was not pending before (only then can a poller be waiting
	 * for it, as Xen's evtchn_check_pollers after !was_pending).
	 */
	bool (*set_pending)(struct vcpu *v, evtchn_port_t port);
	void (*clear_pending)(struct domain *d, evtchn_port_t port);
	/* Unmasks port; a pending event goes to vCPU v now. */
	void (*unmask)(struct vcpu *v, evtchn_port_t port);
	bool (*is_pending)(struct domain *d, evtchn_port_t port);
	bool (*is_masked)(struct domain *d, evtchn_port_t port);
	/* NULL, or whether a free port is still held (FIFO: its word LINKED). */
	bool (*is_busy)(struct domain *d, evtchn_port_t port);
	/* NULL: the ABI has no priorities (-ENOSYS, as Xen). */
	int (*set_priority)(struct domain *d, evtchn_port_t port, unsigned int priority);
};

struct evtchn_fifo;

struct evtchn_domain {
	spinlock_t lock; /* Xen's event_lock: guards what follows */
	const struct evtchn_port_ops *ops;
	struct evtchn *bucket[EVTCHN_NR_BUCKETS];
	uint32_t virq_port[EVTCHN_MAX_VCPUS][NR_VIRQS]; /* read without it */
	spinlock_t fifo_lock;				/* guards fifo and what it points to */
	struct evtchn_fifo *fifo;			/* FIFO state (event_fifo.c), or NULL */
};

extern const struct evtchn_port_ops evtchn_2l_ops;

/* A domain's event-channel unit (domain_create / domain_destroy). */
int evtchn_domain_init(struct domain *d);
void evtchn_domain_teardown(struct domain *d);

/* A port of d unbound for remote (the builder's console and store ports): the port or -Exxx. */
long evtchn_alloc_unbound_port(struct domain *d, domid_t remote);
/* Raises a global virq (on vCPU 0) of d, or a per-vCPU one of v, if bound. */
void evtchn_send_virq(struct domain *d, unsigned int virq);
void evtchn_send_vcpu_virq(struct vcpu *v, unsigned int virq);
/*
 * SCHEDOP_poll's look at one port (Xen's evtchn_port_poll): 1 pending, 0
 * not, -EINVAL for a port not valid or not bound.
 */
int evtchn_port_poll(struct domain *d, evtchn_port_t port);

/* For the ABIs: the channel of a port below the allocated buckets, or NULL. */
struct evtchn *evtchn_from_port(const struct domain *d, evtchn_port_t port);
/* Tells v that it has events (evtchn_upcall_pending). */
void evtchn_vcpu_mark_pending(struct vcpu *v);
/* The vCPU that port's events go to (vCPU 0 when it has gone). */
struct vcpu *evtchn_notify_vcpu(struct domain *d, const struct evtchn *chn);

/*
 * A page of d's (a PV guest names machine frames) that the hypervisor keeps
 * mapped for the guest's event arrays and control blocks (event_frame.c):
 * it holds a writable type reference, so while mapped the page is d's, and
 * can never become a page table or descriptor page. Its address, or NULL
 * (not d's, or not an ordinary page: -EINVAL); unmap drops the references.
 */
void *evtchn_map_guest_frame(struct domain *d, uint64_t gfn);
void evtchn_unmap_guest_frame(struct domain *d, uint64_t gfn);

/* The FIFO ABI (event_fifo.c). */
long evtchn_fifo_init_control(struct domain *d, struct evtchn_init_control *ic);
long evtchn_fifo_expand_array(struct domain *d, const struct evtchn_expand_array *ea);
/* Back to 2-level (EVTCHNOP_reset, domain teardown): unmaps the FIFO pages. */
void evtchn_fifo_destroy(struct domain *d);

#endif
