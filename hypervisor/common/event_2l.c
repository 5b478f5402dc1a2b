// SPDX-License-Identifier: GPL-2.0-only
/*
 * The 2-level event-channel ABI (xen/common/event_2l.c): a pending and a
 * mask bit per port in shared_info, a selector word per vCPU naming the
 * pending words, and evtchn_upcall_pending. 64 x 64 = 4096 ports. The one
 * place the selector logic lives: link() is what both a new event and an
 * unmask of a pending port do.
 */
#include <lamina/domain.h>
#include <lamina/event.h>

#define BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

static bool test_and_set(xen_ulong_t *w, unsigned int bit)
{
	xen_ulong_t m = (xen_ulong_t)1 << bit;

	return __atomic_fetch_or(w, m, __ATOMIC_SEQ_CST) & m;
}

static bool test_and_clear(xen_ulong_t *w, unsigned int bit)
{
	xen_ulong_t m = (xen_ulong_t)1 << bit;

	return __atomic_fetch_and(w, ~m, __ATOMIC_SEQ_CST) & m;
}

static bool test(const xen_ulong_t *w, unsigned int bit)
{
	return (__atomic_load_n(w, __ATOMIC_SEQ_CST) >> bit) & 1;
}

/* A pending, unmasked port's word goes into v's selector; v hears of it once. */
static void link(struct vcpu *v, evtchn_port_t port)
{
	if (!test_and_set(&v->vcpu_info->evtchn_pending_sel, port / BITS_PER_WORD))
		evtchn_vcpu_mark_pending(v);
}

static bool l2_set_pending(struct vcpu *v, evtchn_port_t port)
{
	shared_info_t *s = v->domain->shared_info;

	if (test_and_set(&s->evtchn_pending[port / BITS_PER_WORD], port % BITS_PER_WORD))
		return false;
	if (!test(&s->evtchn_mask[port / BITS_PER_WORD], port % BITS_PER_WORD))
		link(v, port);
	return true;
}

static void l2_clear_pending(struct domain *d, evtchn_port_t port)
{
	test_and_clear(&d->shared_info->evtchn_pending[port / BITS_PER_WORD], port % BITS_PER_WORD);
}

static void l2_unmask(struct vcpu *v, evtchn_port_t port)
{
	shared_info_t *s = v->domain->shared_info;

	/* As Xen: only a port that was masked, and is pending, is delivered now. */
	if (test_and_clear(&s->evtchn_mask[port / BITS_PER_WORD], port % BITS_PER_WORD) &&
	    test(&s->evtchn_pending[port / BITS_PER_WORD], port % BITS_PER_WORD))
		link(v, port);
}

static bool l2_is_pending(struct domain *d, evtchn_port_t port)
{
	return test(&d->shared_info->evtchn_pending[port / BITS_PER_WORD], port % BITS_PER_WORD);
}

static bool l2_is_masked(struct domain *d, evtchn_port_t port)
{
	return test(&d->shared_info->evtchn_mask[port / BITS_PER_WORD], port % BITS_PER_WORD);
}

const struct evtchn_port_ops evtchn_2l_ops = {
	.name = "2-level",
	.max_ports = BITS_PER_WORD * BITS_PER_WORD,
	.set_pending = l2_set_pending,
	.clear_pending = l2_clear_pending,
	.unmask = l2_unmask,
	.is_pending = l2_is_pending,
	.is_masked = l2_is_masked,
	.set_priority = NULL,
};
