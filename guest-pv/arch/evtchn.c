// SPDX-License-Identifier: MIT
/*
 * 2-level event channels for guest-pv (see gpv/evtchn.h). Only vCPU 0.
 */
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/traps.h>

#define NR_HANDLERS 1024

static struct {
	gpv_evtchn_handler_t fn;
	void *data;
} handlers[NR_HANDLERS];
static unsigned long upcalls;

long gpv_evtchn_alloc_unbound(domid_t remote)
{
	struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = remote };
	long rc = gpv_event_channel_op(EVTCHNOP_alloc_unbound, &op);

	return rc ? rc : (long)op.port;
}

long gpv_evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port)
{
	struct evtchn_bind_interdomain op = { .remote_dom = remote, .remote_port = remote_port };
	long rc = gpv_event_channel_op(EVTCHNOP_bind_interdomain, &op);

	return rc ? rc : (long)op.local_port;
}

long gpv_evtchn_bind_virq(uint32_t virq)
{
	struct evtchn_bind_virq op = { .virq = virq, .vcpu = 0 };
	long rc = gpv_event_channel_op(EVTCHNOP_bind_virq, &op);

	return rc ? rc : (long)op.port;
}

long gpv_evtchn_send(evtchn_port_t port)
{
	struct evtchn_send op = { .port = port };

	return gpv_event_channel_op(EVTCHNOP_send, &op);
}

long gpv_evtchn_close(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };

	if (port < NR_HANDLERS)
		handlers[port].fn = NULL;
	return gpv_event_channel_op(EVTCHNOP_close, &op);
}

long gpv_evtchn_unmask(evtchn_port_t port)
{
	struct evtchn_unmask op = { .port = port };

	return gpv_event_channel_op(EVTCHNOP_unmask, &op);
}

long gpv_evtchn_set_handler(evtchn_port_t port, gpv_evtchn_handler_t fn, void *data)
{
	if (port >= NR_HANDLERS)
		return -XEN_EINVAL;
	handlers[port].data = data;
	handlers[port].fn = fn;
	return 0;
}

int gpv_events_mask(int masked)
{
	struct vcpu_info *vi = gpv_vcpu_info();
	int old;

	if (!vi)
		return 1;
	old = vi->evtchn_upcall_mask;
	__atomic_store_n(&vi->evtchn_upcall_mask, masked ? 1 : 0, __ATOMIC_SEQ_CST);
	/* Unmasking with an event pending: a dummy hypercall delivers it. */
	if (!masked && vi->evtchn_upcall_pending)
		gpv_xen_version(XENVER_version, NULL);
	return old;
}

unsigned long gpv_evtchn_upcalls(void)
{
	return upcalls;
}

static void dispatch_port(unsigned long port)
{
	if (port < NR_HANDLERS && handlers[port].fn)
		handlers[port].fn((evtchn_port_t)port, handlers[port].data);
}

static int upcall(struct gpv_regs *regs)
{
	struct vcpu_info *vi = gpv_vcpu_info();
	shared_info_t *s = gpv_shared_info;
	unsigned long sel, bits;

	(void)regs;
	upcalls++;
	if (!vi || !s)
		return 0;
	vi->evtchn_upcall_pending = 0;
	sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	while (sel) {
		unsigned int w = __builtin_ctzl(sel);

		sel &= sel - 1;
		bits = s->evtchn_pending[w] & ~s->evtchn_mask[w];
		while (bits) {
			unsigned int b = __builtin_ctzl(bits);

			bits &= bits - 1;
			__atomic_fetch_and(&s->evtchn_pending[w], ~(1UL << b), __ATOMIC_SEQ_CST);
			dispatch_port(w * 64UL + b);
		}
	}
	return 0;
}

void gpv_evtchn_init(void)
{
	gpv_trap_set_hook(GPV_VEC_EVENT, upcall);
}
