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
 * Locking, as Xen 4.17's (lamina/event.h says what each lock guards):
 *   d->events.lock (event lock)   allocation and every change of a binding;
 *   chn->lock (channel lock)      a binding changes under it too; send,
 *                                 unmask, poll and VIRQs take only it.
 * Order: event locks before channel locks; two domains' event locks by
 * domain id, the lower first (Xen orders by address; an id is as stable
 * and tells the same on every CPU); two channel locks by address, as Xen's
 * double_evtchn_lock; then the receiver's fifo_lock (event_fifo.c), then
 * the scheduler's pool lock (a raise wakes a vCPU), then mm_lock (FIFO
 * frames, mapped under the event lock only). A peer found through a bound
 * interdomain channel stays allocated while its channel lock is held: its
 * end can only be closed under that lock too.
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

struct evtchn *evtchn_from_port(const struct domain *d, evtchn_port_t port)
{
	struct evtchn *b;

	if (port >= EVTCHN_MAX_PORTS)
		return NULL;
	b = __atomic_load_n(&d->events.bucket[port / EVTCHN_PER_BUCKET], __ATOMIC_ACQUIRE);
	return b ? &b[port % EVTCHN_PER_BUCKET] : NULL;
}

/* Both domains' event locks, the lower id first (one lock when a == b). */
static void double_event_lock(struct domain *a, struct domain *b)
{
	if (a == b) {
		spin_lock(&a->events.lock);
		return;
	}
	spin_lock(&(a->id < b->id ? a : b)->events.lock);
	spin_lock(&(a->id < b->id ? b : a)->events.lock);
}

static void double_event_unlock(struct domain *a, struct domain *b)
{
	if (a != b)
		spin_unlock(&b->events.lock);
	spin_unlock(&a->events.lock);
}

/* Both ends' channel locks, the lower address first (Xen's double_evtchn_lock). */
static void double_channel_lock(struct evtchn *a, struct evtchn *b)
{
	spin_lock(a < b ? &a->lock : &b->lock);
	spin_lock(a < b ? &b->lock : &a->lock);
}

static void double_channel_unlock(struct evtchn *a, struct evtchn *b)
{
	spin_unlock(&a->lock);
	spin_unlock(&b->lock);
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

/* (bind_vcpu changes notify_vcpu under the event lock while a send may read it) */
struct vcpu *evtchn_notify_vcpu(struct domain *d, const struct evtchn *chn)
{
	struct vcpu *v = domain_vcpu(d, __atomic_load_n(&chn->notify_vcpu, __ATOMIC_RELAXED));

	return v ? v : d->vcpu[0];
}

void evtchn_vcpu_mark_pending(struct vcpu *v)
{
	__atomic_store_n(&v->vcpu_info->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
	sched_evtchn_kick(v);
}

/*
 * Raises port of d, whose channel lock (or, for the interdomain peer, the
 * sender's end's) the caller holds. Pollers are looked at only when the
 * port was not pending yet, as Xen: a vCPU polls only after finding its
 * ports not pending, so a send to a port that already was cannot be the
 * one it waits for.
 */
static void raise(struct domain *d, const struct evtchn *chn, evtchn_port_t port)
{
	if (d->events.ops->set_pending(evtchn_notify_vcpu(d, chn), port))
		sched_evtchn_poll_notify(d, port);
}

/*
 * The lowest free port that the ABI does not hold busy (FIFO: a closed
 * port whose event word the guest has not unlinked yet), allocating the
 * next bucket when every one is taken; -ENOSPC at the ABI's limit. As
 * Xen's get_free_port. Under d's event lock.
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
			/* zeroed: free ports, their locks free */
			__atomic_store_n(&d->events.bucket[b], bucket, __ATOMIC_RELEASE);
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
 * while it had no event word" mark (Xen never clears it). Under the event
 * lock and the channel's.
 */
static struct evtchn *bind_port(struct evtchn *chn, uint8_t state, unsigned int vcpu)
{
	chn->notify_vcpu = (uint8_t)vcpu;
	chn->virq = 0;
	chn->remote_dom = 0;
	chn->remote_port = 0;
	chn->remote = NULL;
	chn->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
	__atomic_store_n(&chn->state, state, __ATOMIC_RELEASE);
	return chn;
}

/* As Xen's evtchn_free: nothing pending, back to vCPU 0. Under both locks. */
static void free_port(struct domain *d, struct evtchn *chn, evtchn_port_t port)
{
	d->events.ops->clear_pending(d, port);
	chn->state = ECS_FREE;
	chn->notify_vcpu = 0;
	chn->remote = NULL;
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

/* A free port of d bound as ECS_UNBOUND for remote; under d's event lock. */
static long unbound_port(struct domain *d, domid_t remote)
{
	long port = get_free_port(d);
	struct evtchn *chn;

	if (port < 0)
		return port;
	chn = evtchn_from_port(d, port);
	spin_lock(&chn->lock);
	bind_port(chn, ECS_UNBOUND, 0)->remote_dom = remote;
	spin_unlock(&chn->lock);
	return port;
}

static long op_alloc_unbound(struct domain *cur, struct evtchn_alloc_unbound *a)
{
	struct domain *d;
	long port = target(cur, a->dom, &d);

	if (port < 0)
		return port;
	/* As Xen, the remote domain need not exist yet. */
	spin_lock(&d->events.lock);
	port = unbound_port(d, a->remote_dom == DOMID_SELF ? cur->id : a->remote_dom);
	spin_unlock(&d->events.lock);
	if (port < 0)
		return port;
	a->port = port;
	return 0;
}

long evtchn_alloc_unbound_port(struct domain *d, domid_t remote)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = remote };
	long rc = op_alloc_unbound(d, &a);

	return rc < 0 ? rc : (long)a.port;
}

/* Under both domains' event locks. */
static long bind_interdomain(struct domain *ld, struct domain *rd,
			     struct evtchn_bind_interdomain *b)
{
	struct evtchn *rchn, *lchn;
	long lport = get_free_port(ld);

	if (lport < 0)
		return lport;
	rchn = bound_port(rd, b->remote_port);
	if (!rchn || rchn->state != ECS_UNBOUND || rchn->remote_dom != ld->id)
		return -XEN_EINVAL;
	lchn = evtchn_from_port(ld, lport);
	double_channel_lock(lchn, rchn);
	bind_port(lchn, ECS_INTERDOMAIN, 0);
	lchn->remote_dom = rd->id;
	lchn->remote_port = b->remote_port;
	lchn->remote = rd;
	rchn->remote_dom = ld->id;
	rchn->remote_port = lport;
	rchn->remote = ld;
	__atomic_store_n(&rchn->state, ECS_INTERDOMAIN, __ATOMIC_RELEASE);
	/* As Xen: the new local port is pending, so no notification is lost. */
	raise(ld, lchn, lport);
	double_channel_unlock(lchn, rchn);
	b->local_port = lport;
	return 0;
}

static long op_bind_interdomain(struct domain *ld, struct evtchn_bind_interdomain *b)
{
	struct domain *rd = b->remote_dom == DOMID_SELF ? ld : domain_find(b->remote_dom);
	long rc;

	if (!rd)
		return -XEN_ESRCH;
	double_event_lock(ld, rd);
	rc = bind_interdomain(ld, rd, b);
	double_event_unlock(ld, rd);
	return rc;
}

/* VIRQs of one vCPU each; the rest are the domain's (vCPU 0 unless rebound). */
static bool virq_is_global(unsigned int virq)
{
	return virq != VIRQ_TIMER && virq != VIRQ_DEBUG && virq != VIRQ_XENOPROF &&
	       virq != VIRQ_XENPMU;
}

/* Under the event lock. */
static long bind_virq(struct domain *d, struct evtchn_bind_virq *b)
{
	struct evtchn *chn;
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
	chn = evtchn_from_port(d, port);
	spin_lock(&chn->lock);
	bind_port(chn, ECS_VIRQ, b->vcpu)->virq = (uint8_t)b->virq;
	spin_unlock(&chn->lock);
	__atomic_store_n(&d->events.virq_port[b->vcpu][b->virq], port, __ATOMIC_RELEASE);
	b->port = port;
	return 0;
}

/* Under the event lock. */
static long bind_ipi(struct domain *d, struct evtchn_bind_ipi *b)
{
	struct evtchn *chn;
	long port;

	if (!domain_vcpu(d, b->vcpu))
		return -XEN_ENOENT;
	port = get_free_port(d);
	if (port < 0)
		return port;
	chn = evtchn_from_port(d, port);
	spin_lock(&chn->lock);
	bind_port(chn, ECS_IPI, b->vcpu);
	spin_unlock(&chn->lock);
	b->port = port;
	return 0;
}

/* Under the event lock. */
static long bind_vcpu(struct domain *d, const struct evtchn_bind_vcpu *b)
{
	struct evtchn *chn = bound_port(d, b->port);

	if (!domain_vcpu(d, b->vcpu))
		return -XEN_ENOENT;
	if (!chn)
		return -XEN_EINVAL;
	if (chn->state == ECS_IPI || (chn->state == ECS_VIRQ && !virq_is_global(chn->virq)))
		return -XEN_EINVAL;
	spin_lock(&chn->lock);
	__atomic_store_n(&chn->notify_vcpu, (uint8_t)b->vcpu, __ATOMIC_RELAXED);
	spin_unlock(&chn->lock);
	return 0;
}

/*
 * Closes a port whose event lock (and, if interdomain, the peer's) the
 * caller holds: the peer's end becomes unbound, waiting for d again.
 */
static void close_locked(struct domain *d, struct evtchn *chn, evtchn_port_t port)
{
	struct evtchn *r;

	if (chn->state == ECS_VIRQ)
		__atomic_store_n(
			&d->events.virq_port[virq_is_global(chn->virq) ? 0 : chn->notify_vcpu]
					    [chn->virq],
			0, __ATOMIC_RELEASE);
	r = chn->state == ECS_INTERDOMAIN ? evtchn_from_port(chn->remote, chn->remote_port) : NULL;
	/* (the peer's end always points back: both change under both channel locks) */
	if (!r || r->state != ECS_INTERDOMAIN || r->remote != d || r->remote_port != port) {
		spin_lock(&chn->lock);
		free_port(d, chn, port);
		spin_unlock(&chn->lock);
		return;
	}
	double_channel_lock(chn, r);
	r->state = ECS_UNBOUND;
	r->remote_port = 0;
	r->remote = NULL;
	free_port(d, chn, port);
	double_channel_unlock(chn, r);
}

/*
 * EVTCHNOP_close, as Xen's evtchn_close: d's event lock, and for an
 * interdomain port the peer's too. When the peer's id is lower, d's lock is
 * dropped to take them in order, and the port looked at again (it may have
 * been closed or bound anew meanwhile: then it is closed as it is now).
 */
static long close_port(struct domain *d, evtchn_port_t port)
{
	struct domain *peer = NULL;
	struct evtchn *chn;
	long rc = 0;

	spin_lock(&d->events.lock);
	for (;;) {
		chn = bound_port(d, port);
		if (!chn) {
			rc = -XEN_EINVAL;
			break;
		}
		if (chn->state != ECS_INTERDOMAIN || chn->remote == d || chn->remote == peer) {
			close_locked(d, chn, port);
			break;
		}
		if (peer)
			spin_unlock(&peer->events.lock);
		peer = chn->remote;
		if (d->id < peer->id) {
			spin_lock(&peer->events.lock);
			continue;
		}
		spin_unlock(&d->events.lock);
		spin_lock(&peer->events.lock);
		spin_lock(&d->events.lock);
	}
	if (peer)
		spin_unlock(&peer->events.lock);
	spin_unlock(&d->events.lock);
	return rc;
}

/*
 * EVTCHNOP_send, as Xen's evtchn_send: the sender's channel lock only; the
 * peer cannot close its end (nor be freed) while it is held.
 */
static long op_send(struct domain *d, evtchn_port_t port)
{
	struct evtchn *chn = valid_port(d, port);
	long rc = 0;

	if (!chn)
		return -XEN_EINVAL;
	spin_lock(&chn->lock);
	switch (chn->state) {
	case ECS_INTERDOMAIN:
		raise(chn->remote, evtchn_from_port(chn->remote, chn->remote_port),
		      chn->remote_port);
		break;
	case ECS_IPI:
		raise(d, chn, port);
		break;
	case ECS_UNBOUND:
		break;
	default:
		rc = -XEN_EINVAL; /* free, or a VIRQ */
		break;
	}
	spin_unlock(&chn->lock);
	return rc;
}

static void status_of(const struct evtchn *chn, struct evtchn_status *st)
{
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
	spin_lock(&d->events.lock);
	status_of(chn, st);
	spin_unlock(&d->events.lock);
	return 0;
}

/* As Xen: a free port's mask bit is left alone, and still 0. The channel lock only. */
static long op_unmask(struct domain *d, evtchn_port_t port)
{
	struct evtchn *chn = valid_port(d, port);

	if (!chn)
		return -XEN_EINVAL;
	spin_lock(&chn->lock);
	if (usable(chn))
		d->events.ops->unmask(evtchn_notify_vcpu(d, chn), port);
	spin_unlock(&chn->lock);
	return 0;
}

/* -ENOSYS without priorities (2-level), -EACCES for a free port, as Xen. Under the event lock. */
static long set_priority(struct domain *d, const struct evtchn_set_priority *sp)
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

/*
 * Closes every port (each with close_port's locking), then FIFO goes back
 * to 2-level (EVTCHNOP_reset, teardown).
 */
static void reset_ports(struct domain *d)
{
	for (unsigned int b = 0; b < EVTCHN_NR_BUCKETS; b++) {
		struct evtchn *bucket = evtchn_from_port(d, b * EVTCHN_PER_BUCKET);

		for (unsigned int i = 0; bucket && i < EVTCHN_PER_BUCKET; i++)
			if (__atomic_load_n(&bucket[i].state, __ATOMIC_RELAXED) != ECS_FREE)
				close_port(d, b * EVTCHN_PER_BUCKET + i);
	}
	spin_lock(&d->events.lock);
	evtchn_fifo_destroy(d);
	spin_unlock(&d->events.lock);
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
	return bind_virq(d, &a->bind_virq);
}

static long h_bind_ipi(struct domain *d, union evtchn_arg *a)
{
	return bind_ipi(d, &a->bind_ipi);
}

static long h_bind_vcpu(struct domain *d, union evtchn_arg *a)
{
	return bind_vcpu(d, &a->bind_vcpu);
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
	return set_priority(d, &a->set_priority);
}

/*
 * Each sub-op: its handler, its argument's size, whether it is copied back,
 * whether it runs under the calling domain's event lock (the others take
 * what they need themselves: another domain's, two, or a channel's only).
 */
#define OP(fn, type, out, locked)                    \
	{                                            \
		fn, sizeof(struct type), out, locked \
	}
static const struct {
	long (*fn)(struct domain *d, union evtchn_arg *a);
	uint8_t size;
	bool out;
	bool locked;
} evtchn_ops[] = {
	[EVTCHNOP_alloc_unbound] = OP(h_alloc_unbound, evtchn_alloc_unbound, true, false),
	[EVTCHNOP_bind_interdomain] = OP(h_bind_interdomain, evtchn_bind_interdomain, true, false),
	[EVTCHNOP_bind_virq] = OP(h_bind_virq, evtchn_bind_virq, true, true),
	[EVTCHNOP_bind_ipi] = OP(h_bind_ipi, evtchn_bind_ipi, true, true),
	[EVTCHNOP_bind_vcpu] = OP(h_bind_vcpu, evtchn_bind_vcpu, false, true),
	[EVTCHNOP_close] = OP(h_close, evtchn_close, false, false),
	[EVTCHNOP_send] = OP(h_send, evtchn_send, false, false),
	[EVTCHNOP_status] = OP(h_status, evtchn_status, true, false),
	[EVTCHNOP_unmask] = OP(h_unmask, evtchn_unmask, false, false),
	[EVTCHNOP_reset] = OP(h_reset, evtchn_reset, false, false),
	[EVTCHNOP_init_control] = OP(h_init_control, evtchn_init_control, true, true),
	[EVTCHNOP_expand_array] = OP(h_expand_array, evtchn_expand_array, false, true),
	[EVTCHNOP_set_priority] = OP(h_set_priority, evtchn_set_priority, false, true),
	[EVTCHNOP_RESET_CONT] = OP(h_reset_cont, evtchn_reset, false, false),
};
#undef OP

/* Every sub-op but the send: the table's generic steps. */
static __attribute__((noinline)) long evtchn_op(struct domain *d, uint64_t cmd, uint64_t arg)
{
	union evtchn_arg a;
	long rc;

	if (cmd >= ARRAY_SIZE(evtchn_ops) || !evtchn_ops[cmd].fn)
		return -XEN_ENOSYS;
	if (copy_from_guest(&a, arg, evtchn_ops[cmd].size))
		return -XEN_EFAULT;
	if (evtchn_ops[cmd].locked)
		spin_lock(&d->events.lock);
	rc = evtchn_ops[cmd].fn(d, &a);
	if (evtchn_ops[cmd].locked)
		spin_unlock(&d->events.lock);
	if (!rc && evtchn_ops[cmd].out && copy_to_guest(arg, &a, evtchn_ops[cmd].size))
		return -XEN_EFAULT;
	return rc;
}

long do_event_channel_op(const uint64_t hc[HYPERCALL_NR_ARGS])
{
	uint64_t cmd = hc[0], arg = hc[1];
	struct domain *d = current_vcpu()->domain;
	struct evtchn_send send;

	/*
	 * The send, the hot sub-op, without the table's generic steps (its
	 * entry: 4 bytes in, no lock, nothing out), and those out of line so
	 * that this function's frame stays small.
	 */
	if (cmd != EVTCHNOP_send)
		return evtchn_op(d, cmd, arg);
	if (copy_from_guest(&send, arg, sizeof(send)))
		return -XEN_EFAULT;
	return op_send(d, send.port);
}

/* As Xen's evtchn_port_poll: under the channel lock. */
int evtchn_port_poll(struct domain *d, evtchn_port_t port)
{
	struct evtchn *chn = valid_port(d, port);
	int rc = -XEN_EINVAL;

	if (!chn)
		return rc;
	spin_lock(&chn->lock);
	if (usable(chn))
		rc = d->events.ops->is_pending(d, port);
	spin_unlock(&chn->lock);
	return rc;
}

/*
 * A VIRQ of vcpu's row, as Xen's send_guest_vcpu_virq but without its
 * virq_lock: the port is read without a lock and looked at again under its
 * channel lock (closed, or bound anew to something else: nothing raised).
 */
static void send_virq(struct domain *d, unsigned int vcpu, unsigned int virq)
{
	evtchn_port_t port = __atomic_load_n(&d->events.virq_port[vcpu][virq], __ATOMIC_ACQUIRE);
	struct evtchn *chn = port ? evtchn_from_port(d, port) : NULL;

	if (!chn)
		return;
	spin_lock(&chn->lock);
	if (chn->state == ECS_VIRQ && chn->virq == virq &&
	    (virq_is_global(virq) || chn->notify_vcpu == vcpu))
		raise(d, chn, port);
	spin_unlock(&chn->lock);
}

void evtchn_send_vcpu_virq(struct vcpu *v, unsigned int virq)
{
	if (virq < NR_VIRQS && v->id < EVTCHN_MAX_VCPUS)
		send_virq(v->domain, v->id, virq);
}

void evtchn_send_virq(struct domain *d, unsigned int virq)
{
	if (virq < NR_VIRQS)
		send_virq(d, 0, virq);
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

/*
 * Every port closed (the peers' ends too), then the buckets freed under the
 * event lock. The locks themselves stay as they are: a CPU in close_port
 * may still take d's event lock, found through a channel it just closed.
 */
void evtchn_domain_teardown(struct domain *d)
{
	if (d->events.ops)
		reset_ports(d);
	spin_lock(&d->events.lock);
	for (unsigned int b = 0; b < EVTCHN_NR_BUCKETS; b++) {
		struct evtchn *bucket = d->events.bucket[b];

		__atomic_store_n(&d->events.bucket[b], NULL, __ATOMIC_RELEASE);
		if (bucket)
			mm_free_heap(bucket, BUCKET_BYTES);
	}
	d->events.ops = NULL;
	memset(d->events.virq_port, 0, sizeof(d->events.virq_port));
	spin_unlock(&d->events.lock);
}
