// SPDX-License-Identifier: MIT
/*
 * hcfuzz rows: event channels. Every EVTCHNOP on the ports the fuzzer owns
 * (unbound, interdomain to itself, VIRQs, IPIs) and on ports it does not
 * (0, closed, beyond 2-level and FIFO, random): binds with other domains
 * and vCPUs, closes (twice), sends, status, unmask, bind_vcpu, priorities,
 * the FIFO control block and array pages (pool pages, tables, the
 * hypervisor's frames, offsets across the page), reset. The argument
 * structure is mostly c->buf, sometimes a bad pointer.
 */
#include <gpv/mm.h>

#include "hcfuzz.h"

#define PTE_ADDR 0x000ffffffffff000UL

static void ev_call(struct hcf_state *s, struct hcf_call *c, unsigned int cmd, const char *what)
{
	c->nr = __HYPERVISOR_event_channel_op;
	c->arg[0] = cmd;
	c->arg[1] = hcf_ptr(s, c->buf);
	hcf_desc(c, "evtchn %s %#lx %#lx %#lx", what, (unsigned long)c->buf[0],
		 (unsigned long)c->buf[1], (unsigned long)c->buf[2]);
}

/*
 * The port the op wrote into its own structure at @off, when it succeeded
 * there: owned from now on, and the step's detail (port numbers are
 * compared too: Xen gives the lowest free one).
 */
static void own_written(struct hcf_state *s, struct hcf_call *c, long rc, size_t off)
{
	uint32_t port;

	if (rc || c->arg[1] != (unsigned long)c->buf)
		return;
	memcpy(&port, (const uint8_t *)c->buf + off, sizeof(port));
	hcf_own_port(s, (int)port);
	c->detail = port;
}

static bool gen_alloc_unbound(struct hcf_state *s, struct hcf_call *c)
{
	struct evtchn_alloc_unbound *a = (void *)c->buf;

	a->dom = hcf_dom(s);
	a->remote_dom = hcf_chance(s, 70) ? 0 : hcf_dom(s);
	ev_call(s, c, EVTCHNOP_alloc_unbound, "alloc_unbound");
	return true;
}

static void after_alloc_unbound(struct hcf_state *s, struct hcf_call *c, long rc)
{
	own_written(s, c, rc, offsetof(struct evtchn_alloc_unbound, port));
}

static bool gen_bind_interdomain(struct hcf_state *s, struct hcf_call *c)
{
	struct evtchn_bind_interdomain *b = (void *)c->buf;

	b->remote_dom = hcf_chance(s, 80) ? 0 : hcf_dom(s);
	b->remote_port = hcf_port(s);
	ev_call(s, c, EVTCHNOP_bind_interdomain, "bind_interdomain");
	return true;
}

static void after_bind_interdomain(struct hcf_state *s, struct hcf_call *c, long rc)
{
	own_written(s, c, rc, offsetof(struct evtchn_bind_interdomain, local_port));
}

static bool gen_bind_virq(struct hcf_state *s, struct hcf_call *c)
{
	struct evtchn_bind_virq *b = (void *)c->buf;

	b->virq = hcf_chance(s, 90) ? hcf_below(s, 24) : (uint32_t)hcf_rand(s);
	/*
	 * Not VIRQ_CON_RING: Xen raises it whenever it prints to its console
	 * ring, and what each hypervisor prints differs (the port's pending
	 * state, and so the FIFO ports it holds busy, would differ).
	 */
	if (b->virq == VIRQ_CON_RING)
		b->virq = NR_VIRQS;
	b->vcpu = hcf_vcpu(s);
	ev_call(s, c, EVTCHNOP_bind_virq, "bind_virq");
	return true;
}

static void after_bind_virq(struct hcf_state *s, struct hcf_call *c, long rc)
{
	own_written(s, c, rc, offsetof(struct evtchn_bind_virq, port));
}

static bool gen_bind_ipi(struct hcf_state *s, struct hcf_call *c)
{
	struct evtchn_bind_ipi *b = (void *)c->buf;

	b->vcpu = hcf_vcpu(s);
	ev_call(s, c, EVTCHNOP_bind_ipi, "bind_ipi");
	return true;
}

static void after_bind_ipi(struct hcf_state *s, struct hcf_call *c, long rc)
{
	own_written(s, c, rc, offsetof(struct evtchn_bind_ipi, port));
}

/* The ops whose argument is only a port. */
static bool gen_port_op(struct hcf_state *s, struct hcf_call *c, unsigned int cmd, const char *what)
{
	struct evtchn_send *op = (void *)c->buf; /* close and unmask: the same layout */

	op->port = hcf_port(s);
	ev_call(s, c, cmd, what);
	return true;
}

static bool gen_close(struct hcf_state *s, struct hcf_call *c)
{
	return gen_port_op(s, c, EVTCHNOP_close, "close");
}

static void after_close(struct hcf_state *s, struct hcf_call *c, long rc)
{
	const struct evtchn_close *op = (const void *)c->buf;

	if (!rc && c->arg[1] == (unsigned long)c->buf)
		hcf_drop_port(s, (int)op->port);
}

static bool gen_send(struct hcf_state *s, struct hcf_call *c)
{
	return gen_port_op(s, c, EVTCHNOP_send, "send");
}

static bool gen_unmask(struct hcf_state *s, struct hcf_call *c)
{
	return gen_port_op(s, c, EVTCHNOP_unmask, "unmask");
}

static bool gen_status(struct hcf_state *s, struct hcf_call *c)
{
	struct evtchn_status *st = (void *)c->buf;

	st->dom = hcf_chance(s, 80) ? DOMID_SELF : hcf_dom(s);
	st->port = hcf_port(s);
	ev_call(s, c, EVTCHNOP_status, "status");
	return true;
}

static void after_status(struct hcf_state *s, struct hcf_call *c, long rc)
{
	const struct evtchn_status *st = (const void *)c->buf;

	(void)s;
	if (!rc && c->arg[1] == (unsigned long)c->buf)
		c->detail = (long)st->status << 32 | st->vcpu;
}

static bool gen_bind_vcpu(struct hcf_state *s, struct hcf_call *c)
{
	struct evtchn_bind_vcpu *b = (void *)c->buf;

	b->port = hcf_port(s);
	b->vcpu = hcf_vcpu(s);
	ev_call(s, c, EVTCHNOP_bind_vcpu, "bind_vcpu");
	return true;
}

static bool gen_set_priority(struct hcf_state *s, struct hcf_call *c)
{
	struct evtchn_set_priority *p = (void *)c->buf;

	p->port = hcf_port(s);
	p->priority = hcf_chance(s, 80) ? hcf_below(s, 16) : (uint32_t)hcf_rand(s);
	ev_call(s, c, EVTCHNOP_set_priority, "set_priority");
	return true;
}

static bool gen_init_control(struct hcf_state *s, struct hcf_call *c)
{
	static const uint32_t offsets[] = { 0, 64, 4032, 4088, 4096, 3, 0x10000 };
	struct evtchn_init_control *ic = (void *)c->buf;

	ic->control_gfn = hcf_chance(s, 40) ? s->pg[13].mfn : hcf_data_frame(s);
	ic->offset = offsets[hcf_below(s, GPV_ARRAY_SIZE(offsets))];
	ic->vcpu = hcf_vcpu(s);
	ev_call(s, c, EVTCHNOP_init_control, "init_control");
	return true;
}

/* A pool page the hypervisor now writes at will is left out of the hash. */
static void mark_hvw(struct hcf_state *s, unsigned long mfn)
{
	for (unsigned int i = 0; i < HCF_POOL; i++)
		if (s->pg[i].mfn == mfn)
			s->pg[i].hvw = true;
}

/*
 * The argument the hypervisor took, wherever the pointer went (a call that
 * succeeded read it): a frame named from other memory may be a pool page
 * too, which the hypervisor then writes at will (events raised at any time).
 */
static void after_init_control(struct hcf_state *s, struct hcf_call *c, long rc)
{
	const struct evtchn_init_control *ic = (const void *)c->arg[1];

	if (rc)
		return;
	s->fifo = true;
	mark_hvw(s, ic->control_gfn);
}

/*
 * The step's detail after an expand_array of a pool page: which of ports
 * 1-15 the hypervisor linked (re-raised) in it, so the two hypervisors'
 * views of what is pending and busy are compared there.
 */
static long linked_ports(const struct hcf_state *s, unsigned long mfn)
{
	uint64_t e[4];
	long d = 0;

	for (unsigned int i = 0; i < HCF_POOL; i++) {
		const volatile event_word_t *w = s->pg[i].va;

		if (s->pg[i].mfn != mfn || gpv_pt_walk((unsigned long)w, e) < 4 ||
		    ((e[3] & PTE_ADDR) >> 12) != mfn)
			continue;
		for (unsigned int p = 1; p < 16; p++)
			if (w[p] & (1U << EVTCHN_FIFO_LINKED))
				d |= 1L << p;
	}
	return d;
}

static void after_expand_array(struct hcf_state *s, struct hcf_call *c, long rc)
{
	const struct evtchn_expand_array *ea = (const void *)c->arg[1];

	if (rc)
		return;
	mark_hvw(s, ea->array_gfn);
	if (c->arg[1] == (unsigned long)c->buf)
		c->detail = linked_ports(s, ea->array_gfn);
}

static bool gen_expand_array(struct hcf_state *s, struct hcf_call *c)
{
	struct evtchn_expand_array *ea = (void *)c->buf;

	ea->array_gfn = hcf_chance(s, 40) ? s->pg[14 + hcf_below(s, 2)].mfn : hcf_data_frame(s);
	ev_call(s, c, EVTCHNOP_expand_array, "expand_array");
	return true;
}

static bool gen_reset(struct hcf_state *s, struct hcf_call *c)
{
	struct evtchn_reset *r = (void *)c->buf;

	r->dom = hcf_chance(s, 50) ? DOMID_SELF : hcf_dom(s);
	ev_call(s, c, EVTCHNOP_reset, "reset");
	/* Not from readable memory: zeros name domain 0, ourselves, unknown to the model. */
	c->arg[1] = hcf_in_ptr(s, c->buf, sizeof(*r));
	return true;
}

static void after_reset(struct hcf_state *s, struct hcf_call *c, long rc)
{
	const struct evtchn_reset *r = (const void *)c->buf;

	if (rc || c->arg[1] != (unsigned long)c->buf || (r->dom != DOMID_SELF && r->dom != 0))
		return;
	for (unsigned int i = 0; i < HCF_MAX_OWNED; i++)
		s->owned[i] = -1;
	s->fifo = false;
}

static bool gen_unknown(struct hcf_state *s, struct hcf_call *c)
{
	ev_call(s, c, 14 + hcf_below(s, 100), "unknown");
	return true;
}

const struct hcf_op hcf_ev_ops[] = {
	{ .name = "alloc_unbound",
	  .weight = 6,
	  .gen = gen_alloc_unbound,
	  .after = after_alloc_unbound,
	  .writes_back = true },
	{ .name = "bind_interdomain",
	  .weight = 6,
	  .gen = gen_bind_interdomain,
	  .after = after_bind_interdomain,
	  .writes_back = true },
	{ .name = "bind_virq",
	  .weight = 4,
	  .gen = gen_bind_virq,
	  .after = after_bind_virq,
	  .writes_back = true },
	{ .name = "bind_ipi",
	  .weight = 3,
	  .gen = gen_bind_ipi,
	  .after = after_bind_ipi,
	  .writes_back = true },
	{ .name = "close", .weight = 7, .gen = gen_close, .after = after_close },
	{ .name = "send", .weight = 5, .gen = gen_send },
	{ .name = "unmask", .weight = 3, .gen = gen_unmask },
	{ .name = "status", .weight = 4, .gen = gen_status, .after = after_status },
	{ .name = "bind_vcpu", .weight = 3, .gen = gen_bind_vcpu },
	{ .name = "set_priority", .weight = 2, .gen = gen_set_priority },
	{ .name = "init_control",
	  .weight = 3,
	  .gen = gen_init_control,
	  .after = after_init_control,
	  .writes_back = true },
	{ .name = "expand_array",
	  .weight = 3,
	  .gen = gen_expand_array,
	  .after = after_expand_array },
	{ .name = "reset", .weight = 1, .gen = gen_reset, .after = after_reset },
	{ .name = "evtchn_unknown", .weight = 1, .gen = gen_unknown },
	{ .name = NULL },
};
