// SPDX-License-Identifier: GPL-2.0-only
/*
 * The FIFO event-channel ABI (xen/common/event_fifo.c): 2^17 ports, an event
 * word per port in guest pages the guest adds one at a time (expand_array),
 * and per vCPU a control block (init_control) with a ready bit and a queue
 * head for each of 16 priorities. The hypervisor links a newly pending,
 * unmasked port behind the tail of its vCPU's queue of its priority; the
 * guest consumes from the head. The hypervisor keeps the tails itself and
 * never follows the guest's links, so nothing the guest writes can make it
 * loop or reach beyond the pages it gave.
 *
 *   evtchn_fifo.array[port / WORDS_PER_PAGE][port % WORDS_PER_PAGE]  event words
 *   evtchn_fifo.vcpu[v].cb            control block (ready, head[16])
 *   evtchn_fifo.vcpu[v].tail[prio]    last port linked on that queue, 0 = empty
 *
 * An event word: PENDING (31), MASKED (30), LINKED (29), BUSY (28), LINK (0-16).
 * The guest may set or clear MASKED, clear PENDING, and clear LINKED with
 * LINK; the hypervisor changes a LINKED word's LINK only by compare-exchange.
 *
 * Locking: d->events.fifo_lock around every op and every change of the
 * state above, d->events.fifo itself included (one lock per domain, where
 * Xen has one per queue): the ops are called under a channel lock or the
 * event lock, and a sender that still saw the FIFO ops after a reset finds
 * fifo NULL and does nothing. init_control, expand_array and destroy run
 * under the event lock; the frames are mapped and unmapped outside
 * fifo_lock.
 */
#include <lamina/domain.h>
#include <lamina/event.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <xen/errno.h>

#define WORDS_PER_PAGE (PAGE_SIZE / sizeof(event_word_t))
#define MAX_ARRAY_PAGES (EVTCHN_FIFO_NR_CHANNELS / WORDS_PER_PAGE)
#define BIT(n) ((event_word_t)1 << (n))
#define LINK_TRIES 4

struct fifo_vcpu {
	evtchn_fifo_control_block_t *cb;
	uint64_t cb_gfn;
	uint32_t tail[EVTCHN_FIFO_MAX_QUEUES];
};

struct evtchn_fifo {
	event_word_t *array[MAX_ARRAY_PAGES];
	uint64_t array_gfn[MAX_ARRAY_PAGES];
	unsigned int num_evtchns; /* ports with an event word */
	struct fifo_vcpu vcpu[EVTCHN_MAX_VCPUS];
};

static event_word_t *word_of(const struct domain *d, evtchn_port_t port)
{
	const struct evtchn_fifo *f = d->events.fifo;

	if (!f || port >= f->num_evtchns)
		return NULL;
	return &f->array[port / WORDS_PER_PAGE][port % WORDS_PER_PAGE];
}

static bool test_bit(const event_word_t *w, unsigned int bit)
{
	return __atomic_load_n(w, __ATOMIC_SEQ_CST) & BIT(bit);
}

static bool test_and_set(event_word_t *w, unsigned int bit)
{
	return __atomic_fetch_or(w, BIT(bit), __ATOMIC_SEQ_CST) & BIT(bit);
}

static void clear_bit(event_word_t *w, unsigned int bit)
{
	__atomic_fetch_and(w, ~BIT(bit), __ATOMIC_SEQ_CST);
}

/* Sets the LINK of a word that is still LINKED; false if the guest unlinked it. */
static bool try_link(event_word_t *w, evtchn_port_t link)
{
	for (unsigned int i = 0; i < LINK_TRIES; i++) {
		event_word_t old = __atomic_load_n(w, __ATOMIC_SEQ_CST), new;

		if (!(old & BIT(EVTCHN_FIFO_LINKED)))
			return false;
		new = (old & ~(BIT(EVTCHN_FIFO_BUSY) | EVTCHN_FIFO_LINK_MASK)) | link;
		if (__atomic_compare_exchange_n(w, &old, new, false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return true;
	}
	return false;
}

/*
 * Links port behind the tail word: BUSY keeps the guest from unmasking the
 * tail while it changes. A guest that keeps changing the word loses the
 * event (it is treated as linked), as on Xen; no one else is affected.
 */
static bool set_link(event_word_t *tail, evtchn_port_t port)
{
	if (try_link(tail, port))
		return true;
	if (!test_bit(tail, EVTCHN_FIFO_LINKED))
		return false;
	test_and_set(tail, EVTCHN_FIFO_BUSY);
	if (try_link(tail, port))
		return true;
	clear_bit(tail, EVTCHN_FIFO_BUSY);
	return test_bit(tail, EVTCHN_FIFO_LINKED);
}

/*
 * True if newly pending; a port without a word or control block is not (as
 * Xen). Under fifo_lock.
 */
static bool set_pending_locked(struct vcpu *v, evtchn_port_t port)
{
	struct domain *d = v->domain;
	struct evtchn_fifo *f = d->events.fifo;
	struct evtchn *chn = evtchn_from_port(d, port);
	event_word_t *w = word_of(d, port);
	struct fifo_vcpu *fv;
	uint32_t *old_tail;
	bool linked = false, was_pending;

	if (!f)
		return false; /* reset meanwhile */
	fv = &f->vcpu[v->id];
	old_tail = &f->vcpu[chn->last_vcpu].tail[chn->last_priority];
	if (!w) {
		chn->pending = true; /* raised when its page arrives */
		return false;
	}
	/* No control block on v: the event is dropped, the word untouched (as Xen). */
	if (!fv->cb)
		return false;
	was_pending = test_and_set(w, EVTCHN_FIFO_PENDING);
	if (test_bit(w, EVTCHN_FIFO_MASKED) || test_and_set(w, EVTCHN_FIFO_LINKED))
		return !was_pending;
	/* It was the tail of the queue it was last on: that queue is empty now. */
	if (*old_tail == port)
		*old_tail = 0;
	chn->last_vcpu = (uint8_t)v->id;
	chn->last_priority = chn->priority;
	if (fv->tail[chn->priority])
		linked = set_link(word_of(d, fv->tail[chn->priority]), port);
	if (!linked)
		__atomic_store_n(&fv->cb->head[chn->priority], port, __ATOMIC_SEQ_CST);
	fv->tail[chn->priority] = port;
	if (!linked && !(__atomic_fetch_or(&fv->cb->ready, 1U << chn->priority, __ATOMIC_SEQ_CST) &
			 (1U << chn->priority)))
		evtchn_vcpu_mark_pending(v);
	return !was_pending;
}

static bool fifo_set_pending(struct vcpu *v, evtchn_port_t port)
{
	spinlock_t *l = &v->domain->events.fifo_lock;
	bool rc;

	spin_lock(l);
	rc = set_pending_locked(v, port);
	spin_unlock(l);
	return rc;
}

static void fifo_clear_pending(struct domain *d, evtchn_port_t port)
{
	event_word_t *w;

	spin_lock(&d->events.fifo_lock);
	w = word_of(d, port);
	/* The guest unlinks a word that is no longer pending and ignores it. */
	if (w)
		clear_bit(w, EVTCHN_FIFO_PENDING);
	spin_unlock(&d->events.fifo_lock);
}

static void fifo_unmask(struct vcpu *v, evtchn_port_t port)
{
	struct domain *d = v->domain;
	event_word_t *w;

	spin_lock(&d->events.fifo_lock);
	w = word_of(d, port);
	if (w) {
		clear_bit(w, EVTCHN_FIFO_MASKED);
		if (test_bit(w, EVTCHN_FIFO_PENDING))
			set_pending_locked(v, port);
	}
	spin_unlock(&d->events.fifo_lock);
}

/* One bit of port's word (absent: absent_is), under fifo_lock. */
static bool word_bit(struct domain *d, evtchn_port_t port, unsigned int bit, bool absent_is)
{
	const event_word_t *w;
	bool rc;

	spin_lock(&d->events.fifo_lock);
	w = word_of(d, port);
	rc = w ? test_bit(w, bit) : absent_is;
	spin_unlock(&d->events.fifo_lock);
	return rc;
}

static bool fifo_is_pending(struct domain *d, evtchn_port_t port)
{
	return word_bit(d, port, EVTCHN_FIFO_PENDING, false);
}

static bool fifo_is_masked(struct domain *d, evtchn_port_t port)
{
	return word_bit(d, port, EVTCHN_FIFO_MASKED, true);
}

/* A closed port whose word is still on a queue cannot be bound again yet. */
static bool fifo_is_busy(struct domain *d, evtchn_port_t port)
{
	return word_bit(d, port, EVTCHN_FIFO_LINKED, false);
}

/* A new priority applies to the next event; one already queued stays where it is. */
static int fifo_set_priority(struct domain *d, evtchn_port_t port, unsigned int priority)
{
	if (priority > EVTCHN_FIFO_PRIORITY_MIN)
		return -XEN_EINVAL;
	spin_lock(&d->events.fifo_lock);
	evtchn_from_port(d, port)->priority = (uint8_t)priority;
	spin_unlock(&d->events.fifo_lock);
	return 0;
}

static const struct evtchn_port_ops evtchn_fifo_ops = {
	.name = "FIFO",
	.max_ports = EVTCHN_FIFO_NR_CHANNELS,
	.set_pending = fifo_set_pending,
	.clear_pending = fifo_clear_pending,
	.unmask = fifo_unmask,
	.is_pending = fifo_is_pending,
	.is_masked = fifo_is_masked,
	.is_busy = fifo_is_busy,
	.set_priority = fifo_set_priority,
};

void evtchn_fifo_destroy(struct domain *d)
{
	struct evtchn_fifo *f;

	spin_lock(&d->events.fifo_lock);
	f = d->events.fifo;
	d->events.ops = &evtchn_2l_ops;
	d->events.fifo = NULL;
	spin_unlock(&d->events.fifo_lock);
	if (!f)
		return;
	for (unsigned int i = 0; i < MAX_ARRAY_PAGES; i++)
		if (f->array[i])
			evtchn_unmap_guest_frame(d, f->array_gfn[i]);
	for (unsigned int i = 0; i < EVTCHN_MAX_VCPUS; i++)
		if (f->vcpu[i].cb)
			evtchn_unmap_guest_frame(d, f->vcpu[i].cb_gfn);
	mm_free_heap(f, sizeof(*f));
}

/*
 * Switches d to FIFO. As Xen's setup_ports: every valid port, bound or
 * not, gets the default priority, and one pending in the 2-level bitmap is
 * marked to be raised when its event word arrives. Under fifo_lock.
 */
static void switch_to_fifo(struct domain *d, struct evtchn_fifo *f)
{
	for (evtchn_port_t p = 1; p < evtchn_2l_ops.max_ports; p++) {
		struct evtchn *chn = evtchn_from_port(d, p);

		if (!chn)
			break;
		if (evtchn_2l_ops.is_pending(d, p))
			chn->pending = true;
		chn->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
	}
	d->events.fifo = f;
	__atomic_store_n(&d->events.ops, &evtchn_fifo_ops, __ATOMIC_RELEASE);
}

/* Under the event lock (d->events.fifo changes only under it). */
long evtchn_fifo_init_control(struct domain *d, struct evtchn_init_control *ic)
{
	bool first = !d->events.fifo;
	struct evtchn_fifo *f = NULL;
	uint8_t *cb;

	if (ic->vcpu >= d->max_vcpus || ic->vcpu >= EVTCHN_MAX_VCPUS || !d->vcpu[ic->vcpu])
		return -XEN_ENOENT;
	if (ic->offset > PAGE_SIZE - sizeof(evtchn_fifo_control_block_t) || (ic->offset & 7))
		return -XEN_EINVAL;
	if (!first && d->events.fifo->vcpu[ic->vcpu].cb)
		return -XEN_EINVAL;
	if (first) {
		f = mm_alloc_heap(sizeof(*f));
		if (!f)
			return -XEN_ENOMEM;
	}
	cb = evtchn_map_guest_frame(d, ic->control_gfn);
	if (!cb) {
		if (f)
			mm_free_heap(f, sizeof(*f));
		return -XEN_EINVAL;
	}
	spin_lock(&d->events.fifo_lock);
	if (first)
		switch_to_fifo(d, f);
	d->events.fifo->vcpu[ic->vcpu].cb = (evtchn_fifo_control_block_t *)(cb + ic->offset);
	d->events.fifo->vcpu[ic->vcpu].cb_gfn = ic->control_gfn;
	spin_unlock(&d->events.fifo_lock);
	ic->link_bits = EVTCHN_FIFO_LINK_BITS;
	return 0;
}

/* Under the event lock. */
long evtchn_fifo_expand_array(struct domain *d, const struct evtchn_expand_array *ea)
{
	struct evtchn_fifo *f = d->events.fifo;
	unsigned int first;
	event_word_t *page;

	if (!f)
		return -XEN_EOPNOTSUPP;
	if (f->num_evtchns / WORDS_PER_PAGE >= MAX_ARRAY_PAGES)
		return -XEN_ENOSPC;
	page = evtchn_map_guest_frame(d, ea->array_gfn);
	if (!page)
		return -XEN_EINVAL;
	spin_lock(&d->events.fifo_lock);
	first = f->num_evtchns;
	f->array[first / WORDS_PER_PAGE] = page;
	f->array_gfn[first / WORDS_PER_PAGE] = ea->array_gfn;
	f->num_evtchns += WORDS_PER_PAGE;
	/*
	 * Events raised while these ports had no word are raised now. As Xen's
	 * add_page_to_event_array: any valid port so marked, bound or free,
	 * and the mark stays (a later event array raises it again).
	 */
	for (evtchn_port_t p = first ? first : 1; p < f->num_evtchns; p++) {
		struct evtchn *chn = evtchn_from_port(d, p);

		if (!chn)
			break;
		if (chn->pending && set_pending_locked(evtchn_notify_vcpu(d, chn), p))
			sched_evtchn_poll_notify(d, p);
	}
	spin_unlock(&d->events.fifo_lock);
	return 0;
}
