// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event channels, the generic part (xen/common/event_channel.c): ports,
 * their bindings (unbound, interdomain, VIRQ, IPI) and the EVTCHNOP_*
 * hypercall with Xen's checks and error codes. Raising, masking and
 * delivering an event is the ABI's (d->events.ops: event_2l.c, or
 * event_fifo.c after EVTCHNOP_init_control).
 *
 *   bucket[port / EVTCHN_PER_BUCKET][port % EVTCHN_PER_BUCKET]  struct evtchn
 *   buckets are allocated in order as free ports run out (get_free_port) and
 *   freed with the domain; port 0 is reserved, as on Xen
 *
 * Check, then commit: every op validates its ports and domains before the
 * first change.
 *
 * Locking: evtchn_lock, one lock for the event state of every domain (the
 * ports, the ABI's bitmaps and FIFO queues), taken at each entry: the
 * hypercall, a VIRQ raised by the hypervisor, a builder's port, a domain's
 * set-up and teardown. Coarser than Xen's per-domain event_lock plus
 * per-channel locks, but an op that touches two domains (bind_interdomain,
 * send, close, reset) needs no ordering. Lock order: evtchn_lock, then the
 * scheduler's pool lock (a raise wakes a vCPU), then mm_lock (FIFO frames).
 */
#include <lamina/domain.h>
#include <lamina/event.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/spinlock.h>
#include <xen/errno.h>

#define BUCKET_BYTES (EVTCHN_PER_BUCKET * sizeof(struct evtchn))
/* Xen's own continuation of EVTCHNOP_reset (the header has it for __XEN__ only). */
#define EVTCHNOP_RESET_CONT (EVTCHNOP_set_priority + 1)

static spinlock_t evtchn_lock;

struct evtchn *evtchn_from_port(const struct domain *d, evtchn_port_t port)
{
	struct evtchn *b;

	if (port >= EVTCHN_MAX_PORTS)
		return NULL;
	b = d->events.bucket[port / EVTCHN_PER_BUCKET];
	return b ? &b[port % EVTCHN_PER_BUCKET] : NULL;
}

/*
 * A port Xen calls valid: in an allocated bucket (bound or free), whatever
 * the ABI (after a FIFO reset the buckets above the 2-level range stay).
 * Only a usable (bound) port reaches the ABI's ops, as Xen's
 * evtchn_usable(): port 0 is never bound, and 2-level has no bound port
 * above its range.
 */
static struct evtchn *valid_port(const struct domain *d, evtchn_port_t port)
{
	return evtchn_from_port(d, port);
}

static bool usable(const struct evtchn *chn)
{
	return chn->state != ECS_FREE;
}

static struct evtchn *bound_port(const struct domain *d, evtchn_port_t port)
{
	struct evtchn *chn = valid_port(d, port);

	return chn && usable(chn) ? chn : NULL;
}

static struct vcpu *domain_vcpu(struct domain *d, unsigned int id)
{
	return id < d->max_vcpus ? d->vcpu[id] : NULL;
}

struct vcpu *evtchn_notify_vcpu(struct domain *d, const struct evtchn *chn)
{
	struct vcpu *v = domain_vcpu(d, chn->notify_vcpu);

	return v ? v : d->vcpu[0];
}

void evtchn_vcpu_mark_pending(struct vcpu *v)
{
	__atomic_store_n(&v->vcpu_info->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
	sched_evtchn_kick(v);
}

/*
 * Pollers are looked at only when the port was not pending yet, as Xen: a
 * vCPU polls only after finding its ports not pending, so a send to a port
 * that already was cannot be the one it waits for.
 */
static void raise(struct domain *d, evtchn_port_t port)
{
	if (d->events.ops->set_pending(evtchn_notify_vcpu(d, evtchn_from_port(d, port)), port))
		sched_evtchn_poll_notify(d, port);
}

/*
 * The lowest free port that the ABI does not hold busy (FIFO: a closed
 * port whose event word the guest has not unlinked yet), allocating the
 * next bucket when every one is taken; -ENOSPC at the ABI's limit. As
 * Xen's get_free_port.
 */
static long get_free_port(struct domain *d)
{
	const struct evtchn_port_ops *ops = d->events.ops;

	for (unsigned int b = 0; b * EVTCHN_PER_BUCKET < ops->max_ports; b++) {
		struct evtchn *bucket = d->events.bucket[b];

		if (!bucket) {
			bucket = mm_alloc_heap(BUCKET_BYTES);
			if (!bucket)
				return -XEN_ENOMEM;
			d->events.bucket[b] = bucket;
			return b ? b * EVTCHN_PER_BUCKET : 1;
		}
		for (unsigned int i = b ? 0 : 1; i < EVTCHN_PER_BUCKET; i++) {
			evtchn_port_t port = b * EVTCHN_PER_BUCKET + i;

			if (port < ops->max_ports && bucket[i].state == ECS_FREE &&
			    !(ops->is_busy && ops->is_busy(d, port)))
				return port;
		}
	}
	return -XEN_ENOSPC;
}

/*
 * A new binding of a free port: the ABI's defaults. What Xen keeps in a
 * freed channel stays: the FIFO queue it was last on, and its "raised
 * while it had no event word" mark (Xen never clears it).
 */
static struct evtchn *bind_port(struct domain *d, evtchn_port_t port, uint8_t state,
				unsigned int vcpu)
{
	struct evtchn *chn = evtchn_from_port(d, port);

	chn->state = state;
	chn->notify_vcpu = (uint8_t)vcpu;
	chn->virq = 0;
	chn->remote_dom = 0;
	chn->remote_port = 0;
	chn->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
	return chn;
}

/* As Xen's evtchn_free: nothing pending, back to vCPU 0. */
static void free_port(struct domain *d, evtchn_port_t port)
{
	struct evtchn *chn = evtchn_from_port(d, port);

	d->events.ops->clear_pending(d, port);
	chn->state = ECS_FREE;
	chn->notify_vcpu = 0;
}

/*
 * The domain an op names: DOMID_SELF or any live domain (-ESRCH), and only
 * itself unless the caller is privileged (-EPERM, Xen's XSM_TARGET).
 */
static long target(struct domain *cur, domid_t dom, struct domain **out)
{
	struct domain *d = dom == DOMID_SELF ? cur : domain_find(dom);

	if (!d)
		return -XEN_ESRCH;
	if (d != cur && !cur->is_privileged)
		return -XEN_EPERM;
	*out = d;
	return 0;
}

static long op_alloc_unbound(struct domain *cur, struct evtchn_alloc_unbound *a)
{
	struct domain *d;
	long port = target(cur, a->dom, &d);

	if (port < 0)
		return port;
	port = get_free_port(d);
	if (port < 0)
		return port;
	/* As Xen, the remote domain need not exist yet. */
	bind_port(d, port, ECS_UNBOUND, 0)->remote_dom =
		a->remote_dom == DOMID_SELF ? cur->id : a->remote_dom;
	a->port = port;
	return 0;
}

long evtchn_alloc_unbound_port(struct domain *d, domid_t remote)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = remote };
	long rc;

	spin_lock(&evtchn_lock);
	rc = op_alloc_unbound(d, &a);
	spin_unlock(&evtchn_lock);

	return rc < 0 ? rc : (long)a.port;
}

static long op_bind_interdomain(struct domain *ld, struct evtchn_bind_interdomain *b)
{
	struct domain *rd = b->remote_dom == DOMID_SELF ? ld : domain_find(b->remote_dom);
	struct evtchn *rchn, *lchn;
	long lport;

	if (!rd)
		return -XEN_ESRCH;
	lport = get_free_port(ld);
	if (lport < 0)
		return lport;
	rchn = bound_port(rd, b->remote_port);
	if (!rchn || rchn->state != ECS_UNBOUND || rchn->remote_dom != ld->id)
		return -XEN_EINVAL;
	lchn = bind_port(ld, lport, ECS_INTERDOMAIN, 0);
	lchn->remote_dom = rd->id;
	lchn->remote_port = b->remote_port;
	rchn->state = ECS_INTERDOMAIN;
	rchn->remote_dom = ld->id;
	rchn->remote_port = lport;
	b->local_port = lport;
	/* As Xen: the new local port is pending, so no notification is lost. */
	raise(ld, lport);
	return 0;
}

/* VIRQs of one vCPU each; the rest are the domain's (vCPU 0 unless rebound). */
static bool virq_is_global(unsigned int virq)
{
	return virq != VIRQ_TIMER && virq != VIRQ_DEBUG && virq != VIRQ_XENOPROF &&
	       virq != VIRQ_XENPMU;
}

static long op_bind_virq(struct domain *d, struct evtchn_bind_virq *b)
{
	long port;

	if (b->virq >= NR_VIRQS)
		return -XEN_EINVAL;
	if (virq_is_global(b->virq) && b->vcpu != 0)
		return -XEN_EINVAL;
	if (!domain_vcpu(d, b->vcpu))
		return -XEN_ENOENT;
	if (d->events.virq_port[b->vcpu][b->virq])
		return -XEN_EEXIST;
	/* (a global VIRQ is always in vCPU 0's row; bind_vcpu moves only its events) */
	port = get_free_port(d);
	if (port < 0)
		return port;
	bind_port(d, port, ECS_VIRQ, b->vcpu)->virq = (uint8_t)b->virq;
	d->events.virq_port[b->vcpu][b->virq] = port;
	b->port = port;
	return 0;
}

static long op_bind_ipi(struct domain *d, struct evtchn_bind_ipi *b)
{
	long port;

	if (!domain_vcpu(d, b->vcpu))
		return -XEN_ENOENT;
	port = get_free_port(d);
	if (port < 0)
		return port;
	bind_port(d, port, ECS_IPI, b->vcpu);
	b->port = port;
	return 0;
}

static long op_bind_vcpu(struct domain *d, const struct evtchn_bind_vcpu *b)
{
	struct evtchn *chn;

	if (!domain_vcpu(d, b->vcpu))
		return -XEN_ENOENT;
	chn = bound_port(d, b->port);
	if (!chn)
		return -XEN_EINVAL;
	if (chn->state == ECS_IPI || (chn->state == ECS_VIRQ && !virq_is_global(chn->virq)))
		return -XEN_EINVAL;
	chn->notify_vcpu = (uint8_t)b->vcpu;
	return 0;
}

static long close_port(struct domain *d, evtchn_port_t port)
{
	struct evtchn *chn = bound_port(d, port);

	if (!chn)
		return -XEN_EINVAL;
	if (chn->state == ECS_VIRQ)
		d->events.virq_port[virq_is_global(chn->virq) ? 0 : chn->notify_vcpu][chn->virq] =
			0;
	if (chn->state == ECS_INTERDOMAIN) {
		struct domain *rd = domain_find(chn->remote_dom);
		struct evtchn *r = rd ? bound_port(rd, chn->remote_port) : NULL;

		/* The peer's end becomes unbound, waiting for this domain again. */
		if (r && r->state == ECS_INTERDOMAIN && r->remote_dom == d->id &&
		    r->remote_port == port) {
			r->state = ECS_UNBOUND;
			r->remote_port = 0;
		}
	}
	free_port(d, port);
	return 0;
}

static long op_send(struct domain *d, evtchn_port_t port)
{
	const struct evtchn *chn = bound_port(d, port);
	struct domain *rd;

	if (!chn)
		return -XEN_EINVAL;
	switch (chn->state) {
	case ECS_INTERDOMAIN:
		rd = domain_find(chn->remote_dom);
		if (rd && bound_port(rd, chn->remote_port))
			raise(rd, chn->remote_port);
		return 0;
	case ECS_IPI:
		raise(d, port);
		return 0;
	case ECS_UNBOUND:
		return 0;
	default:
		return -XEN_EINVAL;
	}
}

static long op_status(struct domain *cur, struct evtchn_status *st)
{
	struct domain *d;
	const struct evtchn *chn;
	long rc = target(cur, st->dom, &d);

	if (rc)
		return rc;
	/* Any port with storage, as Xen (after a FIFO reset, above the 2-level range too). */
	chn = evtchn_from_port(d, st->port);
	if (!chn)
		return -XEN_EINVAL;
	st->status = EVTCHNSTAT_closed;
	st->vcpu = chn->notify_vcpu;
	switch (chn->state) {
	case ECS_UNBOUND:
		st->status = EVTCHNSTAT_unbound;
		st->u.unbound.dom = chn->remote_dom;
		break;
	case ECS_INTERDOMAIN:
		st->status = EVTCHNSTAT_interdomain;
		st->u.interdomain.dom = chn->remote_dom;
		st->u.interdomain.port = chn->remote_port;
		break;
	case ECS_VIRQ:
		st->status = EVTCHNSTAT_virq;
		st->u.virq = chn->virq;
		break;
	case ECS_IPI:
		st->status = EVTCHNSTAT_ipi;
		break;
	default:
		break;
	}
	return 0;
}

/* As Xen: a free port's mask bit is left alone, and still 0. */
static long op_unmask(struct domain *d, evtchn_port_t port)
{
	struct evtchn *chn = valid_port(d, port);

	if (!chn)
		return -XEN_EINVAL;
	if (usable(chn))
		d->events.ops->unmask(evtchn_notify_vcpu(d, chn), port);
	return 0;
}

/* -ENOSYS without priorities (2-level), -EACCES for a free port, as Xen. */
static long op_set_priority(struct domain *d, const struct evtchn_set_priority *sp)
{
	const struct evtchn *chn = valid_port(d, sp->port);

	if (!chn)
		return -XEN_EINVAL;
	if (!d->events.ops->set_priority)
		return -XEN_ENOSYS;
	if (!usable(chn))
		return -XEN_EACCES;
	return d->events.ops->set_priority(d, sp->port, sp->priority);
}

/* Closes every port; FIFO goes back to 2-level (EVTCHNOP_reset, teardown). */
static void reset_ports(struct domain *d)
{
	for (unsigned int b = 0; b < EVTCHN_NR_BUCKETS; b++)
		for (unsigned int i = 0; d->events.bucket[b] && i < EVTCHN_PER_BUCKET; i++)
			if (d->events.bucket[b][i].state != ECS_FREE)
				close_port(d, b * EVTCHN_PER_BUCKET + i);
	evtchn_fifo_destroy(d);
}

/*
 * EVTCHNOP_reset and its continuation (reset_cont): another domain only
 * while its controller has it paused (-EINVAL), as Xen. Lamina closes every
 * port in one go, so no reset is ever in progress to continue: reset_cont
 * is -EBUSY, as Xen's when none is.
 */
static long op_reset(struct domain *cur, const struct evtchn_reset *r, bool resuming)
{
	struct domain *d;
	long rc = target(cur, r->dom, &d);

	if (rc)
		return rc;
	if (d != cur && !d->controller_pause_count)
		return -XEN_EINVAL;
	if (resuming)
		return -XEN_EBUSY;
	reset_ports(d);
	return 0;
}

union evtchn_arg {
	struct evtchn_alloc_unbound alloc_unbound;
	struct evtchn_bind_interdomain bind_interdomain;
	struct evtchn_bind_virq bind_virq;
	struct evtchn_bind_ipi bind_ipi;
	struct evtchn_bind_vcpu bind_vcpu;
	struct evtchn_close close;
	struct evtchn_send send;
	struct evtchn_status status;
	struct evtchn_unmask unmask;
	struct evtchn_reset reset;
	struct evtchn_init_control init_control;
	struct evtchn_expand_array expand_array;
	struct evtchn_set_priority set_priority;
};

static long h_alloc_unbound(struct domain *d, union evtchn_arg *a)
{
	return op_alloc_unbound(d, &a->alloc_unbound);
}

static long h_bind_interdomain(struct domain *d, union evtchn_arg *a)
{
	return op_bind_interdomain(d, &a->bind_interdomain);
}

static long h_bind_virq(struct domain *d, union evtchn_arg *a)
{
	return op_bind_virq(d, &a->bind_virq);
}

static long h_bind_ipi(struct domain *d, union evtchn_arg *a)
{
	return op_bind_ipi(d, &a->bind_ipi);
}

static long h_bind_vcpu(struct domain *d, union evtchn_arg *a)
{
	return op_bind_vcpu(d, &a->bind_vcpu);
}

static long h_close(struct domain *d, union evtchn_arg *a)
{
	return close_port(d, a->close.port);
}

static long h_send(struct domain *d, union evtchn_arg *a)
{
	return op_send(d, a->send.port);
}

static long h_status(struct domain *d, union evtchn_arg *a)
{
	return op_status(d, &a->status);
}

static long h_unmask(struct domain *d, union evtchn_arg *a)
{
	return op_unmask(d, a->unmask.port);
}

static long h_reset(struct domain *d, union evtchn_arg *a)
{
	return op_reset(d, &a->reset, false);
}

static long h_reset_cont(struct domain *d, union evtchn_arg *a)
{
	return op_reset(d, &a->reset, true);
}

static long h_init_control(struct domain *d, union evtchn_arg *a)
{
	return evtchn_fifo_init_control(d, &a->init_control);
}

static long h_expand_array(struct domain *d, union evtchn_arg *a)
{
	return evtchn_fifo_expand_array(d, &a->expand_array);
}

static long h_set_priority(struct domain *d, union evtchn_arg *a)
{
	return op_set_priority(d, &a->set_priority);
}

/* Each sub-op: its handler, its argument's size, whether it is copied back. */
static const struct {
	long (*fn)(struct domain *d, union evtchn_arg *a);
	uint8_t size;
	bool out;
} evtchn_ops[] = {
	[EVTCHNOP_alloc_unbound] = { h_alloc_unbound, sizeof(struct evtchn_alloc_unbound), true },
	[EVTCHNOP_bind_interdomain] = { h_bind_interdomain, sizeof(struct evtchn_bind_interdomain),
					true },
	[EVTCHNOP_bind_virq] = { h_bind_virq, sizeof(struct evtchn_bind_virq), true },
	[EVTCHNOP_bind_ipi] = { h_bind_ipi, sizeof(struct evtchn_bind_ipi), true },
	[EVTCHNOP_bind_vcpu] = { h_bind_vcpu, sizeof(struct evtchn_bind_vcpu), false },
	[EVTCHNOP_close] = { h_close, sizeof(struct evtchn_close), false },
	[EVTCHNOP_send] = { h_send, sizeof(struct evtchn_send), false },
	[EVTCHNOP_status] = { h_status, sizeof(struct evtchn_status), true },
	[EVTCHNOP_unmask] = { h_unmask, sizeof(struct evtchn_unmask), false },
	[EVTCHNOP_reset] = { h_reset, sizeof(struct evtchn_reset), false },
	[EVTCHNOP_init_control] = { h_init_control, sizeof(struct evtchn_init_control), true },
	[EVTCHNOP_expand_array] = { h_expand_array, sizeof(struct evtchn_expand_array), false },
	[EVTCHNOP_set_priority] = { h_set_priority, sizeof(struct evtchn_set_priority), false },
	[EVTCHNOP_RESET_CONT] = { h_reset_cont, sizeof(struct evtchn_reset), false },
};

long do_event_channel_op(const uint64_t hc[HYPERCALL_NR_ARGS])
{
	uint64_t cmd = hc[0], arg = hc[1];
	struct domain *d = current_vcpu()->domain;
	union evtchn_arg a;
	long rc;

	if (cmd >= ARRAY_SIZE(evtchn_ops) || !evtchn_ops[cmd].fn)
		return -XEN_ENOSYS;
	if (copy_from_guest(&a, arg, evtchn_ops[cmd].size))
		return -XEN_EFAULT;
	spin_lock(&evtchn_lock);
	rc = evtchn_ops[cmd].fn(d, &a);
	spin_unlock(&evtchn_lock);
	if (!rc && evtchn_ops[cmd].out && copy_to_guest(arg, &a, evtchn_ops[cmd].size))
		return -XEN_EFAULT;
	return rc;
}

int evtchn_port_poll(struct domain *d, evtchn_port_t port)
{
	const struct evtchn *chn = valid_port(d, port);

	if (!chn || !usable(chn))
		return -XEN_EINVAL;
	return d->events.ops->is_pending(d, port);
}

void evtchn_send_vcpu_virq(struct vcpu *v, unsigned int virq)
{
	struct domain *d = v->domain;

	if (virq >= NR_VIRQS || v->id >= EVTCHN_MAX_VCPUS)
		return;
	spin_lock(&evtchn_lock);
	if (d->events.virq_port[v->id][virq])
		raise(d, d->events.virq_port[v->id][virq]);
	spin_unlock(&evtchn_lock);
}

void evtchn_send_virq(struct domain *d, unsigned int virq)
{
	if (virq >= NR_VIRQS)
		return;
	spin_lock(&evtchn_lock);
	if (d->events.virq_port[0][virq])
		raise(d, d->events.virq_port[0][virq]);
	spin_unlock(&evtchn_lock);
}

int evtchn_domain_init(struct domain *d)
{
	memset(&d->events, 0, sizeof(d->events));
	/* As Xen, the first bucket from the start: ports 1..511 are valid. */
	d->events.bucket[0] = mm_alloc_heap(BUCKET_BYTES);
	if (!d->events.bucket[0])
		return -XEN_ENOMEM;
	d->events.ops = &evtchn_2l_ops;
	return 0;
}

void evtchn_domain_teardown(struct domain *d)
{
	spin_lock(&evtchn_lock);
	if (d->events.ops)
		reset_ports(d);
	for (unsigned int b = 0; b < EVTCHN_NR_BUCKETS; b++)
		if (d->events.bucket[b])
			mm_free_heap(d->events.bucket[b], BUCKET_BYTES);
	memset(&d->events, 0, sizeof(d->events));
	spin_unlock(&evtchn_lock);
}
