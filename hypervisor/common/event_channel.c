// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event channels, 2-level (xen/common/event_channel.c, event_2l.c), for a
 * domain talking to itself: alloc_unbound, bind_interdomain (loopback),
 * bind_virq, bind_ipi, send, close, unmask, status. Marking a port pending
 * sets its bit in shared_info, then (unless masked) the selector bit and
 * vcpu_info's upcall_pending; the return path to the guest delivers the
 * upcall. One vCPU per domain, on one CPU: no lock is needed yet.
 *
 *   d->evtchn[port]  state, remote port; port 0 is never allocated
 */
#include <lamina/arch.h>
#include <lamina/domain.h>
#include <lamina/event.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <xen/errno.h>
#include <xen/event_channel.h>

static bool is_self(struct domain *d, domid_t id)
{
	return id == DOMID_SELF || id == d->id;
}

static void set_pending(struct domain *d, evtchn_port_t port)
{
	shared_info_t *s = d->shared_info;
	vcpu_info_t *vi = d->vcpu[0]->vcpu_info;
	xen_ulong_t bit = 1UL << (port % 64);

	if (__atomic_fetch_or(&s->evtchn_pending[port / 64], bit, __ATOMIC_SEQ_CST) & bit)
		return;
	if (__atomic_load_n(&s->evtchn_mask[port / 64], __ATOMIC_SEQ_CST) & bit)
		return;
	if (__atomic_fetch_or(&vi->evtchn_pending_sel, 1UL << (port / 64), __ATOMIC_SEQ_CST) &
	    (1UL << (port / 64)))
		return;
	__atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
}

static long get_free_port(struct domain *d)
{
	for (unsigned int p = 1; p < EVTCHN_MAX_PORTS; p++)
		if (d->evtchn[p].state == ECS_FREE)
			return p;
	return -XEN_ENOSPC;
}

static bool port_valid(struct domain *d, evtchn_port_t p)
{
	return p < EVTCHN_MAX_PORTS && d->evtchn[p].state != ECS_FREE;
}

void evtchn_send_virq(struct domain *d, unsigned int virq)
{
	if (virq < NR_VIRQS && d->virq_to_port[virq])
		set_pending(d, d->virq_to_port[virq]);
}

static long op_alloc_unbound(struct domain *d, struct evtchn_alloc_unbound *a)
{
	long p;

	if (!is_self(d, a->dom))
		return -XEN_ESRCH;
	if (!is_self(d, a->remote_dom))
		return -XEN_ESRCH;
	p = get_free_port(d);
	if (p < 0)
		return p;
	d->evtchn[p] = (struct evtchn){ .state = ECS_UNBOUND, .remote_dom = d->id };
	a->port = p;
	return 0;
}

static long op_bind_interdomain(struct domain *d, struct evtchn_bind_interdomain *b)
{
	long p;
	struct evtchn *r;

	if (!is_self(d, b->remote_dom))
		return -XEN_ESRCH;
	if (!port_valid(d, b->remote_port))
		return -XEN_EINVAL;
	r = &d->evtchn[b->remote_port];
	if (r->state != ECS_UNBOUND || r->remote_dom != d->id)
		return -XEN_EINVAL;
	p = get_free_port(d);
	if (p < 0)
		return p;
	d->evtchn[p] = (struct evtchn){ .state = ECS_INTERDOMAIN, .remote_port = b->remote_port };
	r->state = ECS_INTERDOMAIN;
	r->remote_port = p;
	b->local_port = p;
	/* Xen marks the local port pending so no notification is lost. */
	set_pending(d, p);
	return 0;
}

static long op_bind_virq(struct domain *d, struct evtchn_bind_virq *b)
{
	long p;

	if (b->virq >= NR_VIRQS)
		return -XEN_EINVAL;
	if (b->vcpu != 0)
		return -XEN_ENOENT;
	if (d->virq_to_port[b->virq])
		return -XEN_EEXIST;
	p = get_free_port(d);
	if (p < 0)
		return p;
	d->evtchn[p] = (struct evtchn){ .state = ECS_VIRQ, .virq = (uint8_t)b->virq };
	d->virq_to_port[b->virq] = p;
	b->port = p;
	return 0;
}

static long op_close(struct domain *d, evtchn_port_t port)
{
	struct evtchn *c;

	if (!port_valid(d, port))
		return -XEN_EINVAL;
	c = &d->evtchn[port];
	if (c->state == ECS_VIRQ)
		d->virq_to_port[c->virq] = 0;
	if (c->state == ECS_INTERDOMAIN && c->remote_port != port) {
		struct evtchn *r = &d->evtchn[c->remote_port];

		r->state = ECS_UNBOUND;
		r->remote_dom = d->id;
	}
	*c = (struct evtchn){ 0 };
	return 0;
}

static long op_send(struct domain *d, evtchn_port_t port)
{
	const struct evtchn *c;

	if (!port_valid(d, port))
		return -XEN_EINVAL;
	c = &d->evtchn[port];
	switch (c->state) {
	case ECS_INTERDOMAIN:
		set_pending(d, c->remote_port);
		return 0;
	case ECS_IPI:
		set_pending(d, port);
		return 0;
	case ECS_UNBOUND:
		return 0;
	default:
		return -XEN_EINVAL;
	}
}

static long op_unmask(struct domain *d, evtchn_port_t port)
{
	shared_info_t *s = d->shared_info;
	xen_ulong_t bit = 1UL << (port % 64);

	if (!port_valid(d, port))
		return -XEN_EINVAL;
	__atomic_fetch_and(&s->evtchn_mask[port / 64], ~bit, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&s->evtchn_pending[port / 64], __ATOMIC_SEQ_CST) & bit) {
		vcpu_info_t *vi = d->vcpu[0]->vcpu_info;

		if (!(__atomic_fetch_or(&vi->evtchn_pending_sel, 1UL << (port / 64),
					__ATOMIC_SEQ_CST) &
		      (1UL << (port / 64))))
			__atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
	}
	return 0;
}

static long op_status(struct domain *d, struct evtchn_status *st)
{
	const struct evtchn *c;

	if (!is_self(d, st->dom))
		return -XEN_ESRCH;
	if (st->port >= EVTCHN_MAX_PORTS)
		return -XEN_EINVAL;
	c = &d->evtchn[st->port];
	st->vcpu = 0;
	switch (c->state) {
	case ECS_FREE:
		st->status = EVTCHNSTAT_closed;
		break;
	case ECS_UNBOUND:
		st->status = EVTCHNSTAT_unbound;
		st->u.unbound.dom = c->remote_dom;
		break;
	case ECS_INTERDOMAIN:
		st->status = EVTCHNSTAT_interdomain;
		st->u.interdomain.dom = d->id;
		st->u.interdomain.port = c->remote_port;
		break;
	case ECS_VIRQ:
		st->status = EVTCHNSTAT_virq;
		st->u.virq = c->virq;
		break;
	default:
		st->status = EVTCHNSTAT_ipi;
		break;
	}
	return 0;
}

static long op_bind_ipi(struct domain *d, struct evtchn_bind_ipi *b)
{
	long p;

	if (b->vcpu != 0)
		return -XEN_ENOENT;
	p = get_free_port(d);
	if (p < 0)
		return p;
	d->evtchn[p] = (struct evtchn){ .state = ECS_IPI };
	b->port = p;
	return 0;
}

union evtchn_arg {
	struct evtchn_alloc_unbound alloc_unbound;
	struct evtchn_bind_interdomain bind_interdomain;
	struct evtchn_bind_virq bind_virq;
	struct evtchn_bind_ipi bind_ipi;
	struct evtchn_close close;
	struct evtchn_send send;
	struct evtchn_unmask unmask;
	struct evtchn_status status;
};

/* The argument size of each sub-op (0: not implemented), and whether it is copied back. */
static const struct {
	uint8_t size;
	bool out;
} evtchn_args[] = {
	[EVTCHNOP_alloc_unbound] = { sizeof(struct evtchn_alloc_unbound), true },
	[EVTCHNOP_bind_interdomain] = { sizeof(struct evtchn_bind_interdomain), true },
	[EVTCHNOP_bind_virq] = { sizeof(struct evtchn_bind_virq), true },
	[EVTCHNOP_bind_ipi] = { sizeof(struct evtchn_bind_ipi), true },
	[EVTCHNOP_close] = { sizeof(struct evtchn_close), false },
	[EVTCHNOP_send] = { sizeof(struct evtchn_send), false },
	[EVTCHNOP_unmask] = { sizeof(struct evtchn_unmask), false },
	[EVTCHNOP_status] = { sizeof(struct evtchn_status), true },
};

long do_event_channel_op(uint64_t cmd, uint64_t arg)
{
	struct domain *d = current_vcpu()->domain;
	union evtchn_arg a;
	long rc;

	if (cmd >= sizeof(evtchn_args) / sizeof(evtchn_args[0]) || !evtchn_args[cmd].size)
		return -XEN_ENOSYS;
	if (copy_from_guest(&a, arg, evtchn_args[cmd].size))
		return -XEN_EFAULT;
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		rc = op_alloc_unbound(d, &a.alloc_unbound);
		break;
	case EVTCHNOP_bind_interdomain:
		rc = op_bind_interdomain(d, &a.bind_interdomain);
		break;
	case EVTCHNOP_bind_virq:
		rc = op_bind_virq(d, &a.bind_virq);
		break;
	case EVTCHNOP_bind_ipi:
		rc = op_bind_ipi(d, &a.bind_ipi);
		break;
	case EVTCHNOP_close:
		rc = op_close(d, a.close.port);
		break;
	case EVTCHNOP_send:
		rc = op_send(d, a.send.port);
		break;
	case EVTCHNOP_unmask:
		rc = op_unmask(d, a.unmask.port);
		break;
	default:
		rc = op_status(d, &a.status);
		break;
	}
	if (!rc && evtchn_args[cmd].out && copy_to_guest(arg, &a, evtchn_args[cmd].size))
		return -XEN_EFAULT;
	return rc;
}

int evtchn_domain_init(struct domain *d)
{
	memset(d->evtchn, 0, sizeof(d->evtchn));
	memset(d->virq_to_port, 0, sizeof(d->virq_to_port));
	return 0;
}

void evtchn_domain_teardown(struct domain *d)
{
	/* Every port is the domain's own (no interdomain peers yet): closing is forgetting. */
	memset(d->evtchn, 0, sizeof(d->evtchn));
	memset(d->virq_to_port, 0, sizeof(d->virq_to_port));
}
