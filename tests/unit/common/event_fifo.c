// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of the event-channel code (hypervisor/common/event_channel.c,
 * event_2l.c, event_fifo.c) between two simulated domains: the generic ops
 * with Xen's error codes, the 2-level limits, and the FIFO ABI on simulated
 * event arrays and control blocks (guest frames are host pages here; a
 * "guest" consumes its queues as Linux does). A guest pointer is a host
 * pointer; BAD_PTR faults.
 */
#include <lamina/domain.h>
#include <lamina/event.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/mm.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/event_channel.h>

#include "cunit_run.h"
#include "host_harness.h"

#define BAD_PTR HARNESS_BAD_PTR
#define NR_FRAMES 160
#define FRAME_BASE 0x1000 /* the guest's first machine frame */

/* The harness: two domains (0 privileged, 1 not), frames, the heap. */
static struct domain doms[2];
static struct vcpu vcpus[2];
static shared_info_t shinfo[2];
static struct vcpu *running;
static uint8_t frames[NR_FRAMES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static bool frame_mapped[NR_FRAMES];

struct vcpu *arch_current_vcpu(void)
{
	return running;
}

struct domain *domain_find(domid_t id)
{
	return id < 2 && doms[id].events.ops ? &doms[id] : NULL;
}

/* Domain 0 owns frames FRAME_BASE .. +NR_FRAMES/2, domain 1 the rest. */
void *evtchn_map_guest_frame(struct domain *d, uint64_t gfn)
{
	uint64_t i = gfn - FRAME_BASE;

	if (gfn < FRAME_BASE || i >= NR_FRAMES || (i >= NR_FRAMES / 2) != (d->id == 1))
		return NULL;
	frame_mapped[i] = true;
	return frames[i];
}

void evtchn_unmap_guest_frame(struct domain *d, uint64_t gfn)
{
	(void)d;
	frame_mapped[gfn - FRAME_BASE] = false;
}

static void setup(void)
{
	for (unsigned int i = 0; i < 2; i++) {
		if (doms[i].events.ops)
			evtchn_domain_teardown(&doms[i]);
		memset(&doms[i], 0, sizeof(doms[i]));
		memset(&vcpus[i], 0, sizeof(vcpus[i]));
		memset(&shinfo[i], 0, sizeof(shinfo[i]));
		doms[i].id = (domid_t)i;
		doms[i].is_privileged = i == 0;
		doms[i].shared_info = &shinfo[i];
		doms[i].max_vcpus = 1;
		doms[i].vcpu[0] = &vcpus[i];
		vcpus[i].domain = &doms[i];
		vcpus[i].vcpu_info = &shinfo[i].vcpu_info[0];
		CU_ASSERT_EQUAL(evtchn_domain_init(&doms[i]), 0);
	}
	memset(frames, 0, sizeof(frames));
	memset(frame_mapped, 0, sizeof(frame_mapped));
	running = &vcpus[0];
}

static long op_as(unsigned int dom, unsigned int cmd, void *arg)
{
	const uint64_t a[HYPERCALL_NR_ARGS] = { cmd, (uint64_t)arg };

	running = &vcpus[dom];
	return do_event_channel_op(a);
}

static long op(unsigned int cmd, void *arg)
{
	return op_as(0, cmd, arg);
}

static long alloc_unbound(unsigned int dom, domid_t remote)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = remote };
	long rc = op_as(dom, EVTCHNOP_alloc_unbound, &a);

	return rc ? rc : (long)a.port;
}

static long bind_ipi(void)
{
	struct evtchn_bind_ipi b = { .vcpu = 0 };
	long rc = op(EVTCHNOP_bind_ipi, &b);

	return rc ? rc : (long)b.port;
}

static long send(unsigned int dom, evtchn_port_t port)
{
	struct evtchn_send s = { .port = port };

	return op_as(dom, EVTCHNOP_send, &s);
}

static bool pending_2l(unsigned int dom, evtchn_port_t p)
{
	return (shinfo[dom].evtchn_pending[p / 64] >> (p % 64)) & 1;
}

/* Between two domains: dom1 offers a port to dom0, dom0 binds it, both send. */
static void test_interdomain(void)
{
	struct evtchn_bind_interdomain b;
	struct evtchn_status st = { .dom = 1 };
	struct evtchn_close c;
	long p1;

	setup();
	CU_ASSERT_EQUAL(alloc_unbound(0, DOMID_SELF), 1); /* dom0's ports differ from dom1's */
	CU_ASSERT_EQUAL(alloc_unbound(0, DOMID_SELF), 2);
	p1 = alloc_unbound(1, 0);
	CU_ASSERT_EQUAL(p1, 1);
	b = (struct evtchn_bind_interdomain){ .remote_dom = 1, .remote_port = (evtchn_port_t)p1 };
	CU_ASSERT_EQUAL(op(EVTCHNOP_bind_interdomain, &b), 0);
	CU_ASSERT(pending_2l(0, b.local_port)); /* as Xen: the new port is pending */
	CU_ASSERT_EQUAL(send(0, b.local_port), 0);
	CU_ASSERT(pending_2l(1, (evtchn_port_t)p1));
	CU_ASSERT_EQUAL(shinfo[1].vcpu_info[0].evtchn_upcall_pending, 1);
	CU_ASSERT_EQUAL(send(1, (evtchn_port_t)p1), 0);
	/* dom0 (privileged) reads dom1's port; dom1 may not read dom0's. */
	st.port = (evtchn_port_t)p1;
	CU_ASSERT_EQUAL(op(EVTCHNOP_status, &st), 0);
	CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_interdomain);
	CU_ASSERT_EQUAL(st.u.interdomain.dom, 0);
	CU_ASSERT_EQUAL(st.u.interdomain.port, b.local_port);
	st = (struct evtchn_status){ .dom = 0, .port = b.local_port };
	CU_ASSERT_EQUAL(op_as(1, EVTCHNOP_status, &st), -XEN_EPERM);
	/* dom1 cannot close dom0's port 3 (it names its own ports only: it has port 1). */
	CU_ASSERT_EQUAL(b.local_port, 3);
	c.port = b.local_port;
	CU_ASSERT_EQUAL(op_as(1, EVTCHNOP_close, &c), -XEN_EINVAL);
	/* dom0 closes: dom1's end is unbound again, for dom0. */
	CU_ASSERT_EQUAL(op(EVTCHNOP_close, &c), 0);
	st = (struct evtchn_status){ .dom = 1, .port = (evtchn_port_t)p1 };
	CU_ASSERT_EQUAL(op(EVTCHNOP_status, &st), 0);
	CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
	CU_ASSERT_EQUAL(st.u.unbound.dom, 0);
	/* A port offered to dom0 cannot be bound by dom1 itself. */
	b = (struct evtchn_bind_interdomain){ .remote_dom = DOMID_SELF,
					      .remote_port = (evtchn_port_t)p1 };
	CU_ASSERT_EQUAL(op_as(1, EVTCHNOP_bind_interdomain, &b), -XEN_EINVAL);
}

static void test_bad_arguments(void)
{
	struct evtchn_alloc_unbound au = { .dom = 0, .remote_dom = DOMID_SELF };
	struct evtchn_bind_interdomain b = { .remote_dom = 9, .remote_port = 1 };
	struct evtchn_bind_virq v = { .virq = VIRQ_CONSOLE, .vcpu = 1 };
	struct evtchn_bind_vcpu bv = { .port = 1, .vcpu = 3 };
	struct evtchn_unmask u = { .port = 5 };
	struct evtchn_set_priority sp = { .port = 1, .priority = 0 };
	struct evtchn_reset r = { .dom = 0 };

	setup();
	/* dom1 may not allocate in dom0; nobody in a domain that does not exist. */
	CU_ASSERT_EQUAL(op_as(1, EVTCHNOP_alloc_unbound, &au), -XEN_EPERM);
	au.dom = 7;
	CU_ASSERT_EQUAL(op(EVTCHNOP_alloc_unbound, &au), -XEN_ESRCH);
	CU_ASSERT_EQUAL(op(EVTCHNOP_bind_interdomain, &b), -XEN_ESRCH);
	b.remote_dom = 1;
	CU_ASSERT_EQUAL(op(EVTCHNOP_bind_interdomain, &b), -XEN_EINVAL);
	/* A global VIRQ on vCPU 1 is -EINVAL, a per-vCPU one on a missing vCPU -ENOENT. */
	CU_ASSERT_EQUAL(op(EVTCHNOP_bind_virq, &v), -XEN_EINVAL);
	v.virq = VIRQ_TIMER;
	CU_ASSERT_EQUAL(op(EVTCHNOP_bind_virq, &v), -XEN_ENOENT);
	CU_ASSERT_EQUAL(op(EVTCHNOP_bind_vcpu, &bv), -XEN_ENOENT);
	bv.vcpu = 0;
	CU_ASSERT_EQUAL(op(EVTCHNOP_bind_vcpu, &bv), -XEN_EINVAL); /* port 1 is free */
	/* Unmask of a free port in range is 0 (as Xen); beyond the 2-level range -EINVAL. */
	CU_ASSERT_EQUAL(op(EVTCHNOP_unmask, &u), 0);
	u.port = 4096;
	CU_ASSERT_EQUAL(op(EVTCHNOP_unmask, &u), -XEN_EINVAL);
	/* 2-level has no priorities. */
	CU_ASSERT_EQUAL(op(EVTCHNOP_set_priority, &sp), -XEN_ENOSYS);
	CU_ASSERT_EQUAL(op_as(1, EVTCHNOP_reset, &r), -XEN_EPERM);
	CU_ASSERT_EQUAL(op(EVTCHNOP_bind_pirq, &r), -XEN_ENOSYS);
	CU_ASSERT_EQUAL(op(EVTCHNOP_init_control, (void *)BAD_PTR), -XEN_EFAULT);
}

/* The 2-level ABI names 4095 ports; closing frees them for reuse, pending cleared. */
static void test_2l_limit(void)
{
	long p, n = 0;
	struct evtchn_close c = { .port = 77 };

	setup();
	while ((p = alloc_unbound(0, DOMID_SELF)) > 0)
		n++;
	CU_ASSERT_EQUAL(p, -XEN_ENOSPC);
	CU_ASSERT_EQUAL(n, 4095);
	shinfo[0].evtchn_pending[1] = ~0UL;
	CU_ASSERT_EQUAL(op(EVTCHNOP_close, &c), 0);
	CU_ASSERT_FALSE(pending_2l(0, 77));
	CU_ASSERT_EQUAL(alloc_unbound(0, DOMID_SELF), 77);
}

static evtchn_fifo_control_block_t *cb;

static event_word_t *word(evtchn_port_t p)
{
	return &((event_word_t *)frames[1 + p / 1024])[p % 1024];
}

/* Switches dom0 to FIFO: control block in frame 0, event array pages from frame 1. */
static void fifo_setup(unsigned int pages)
{
	struct evtchn_init_control ic = { .control_gfn = FRAME_BASE, .offset = 0, .vcpu = 0 };

	setup();
	CU_ASSERT_EQUAL(op(EVTCHNOP_init_control, &ic), 0);
	CU_ASSERT_EQUAL(ic.link_bits, EVTCHN_FIFO_LINK_BITS);
	cb = (evtchn_fifo_control_block_t *)frames[0];
	for (unsigned int i = 0; i < pages; i++) {
		struct evtchn_expand_array ea = { .array_gfn = FRAME_BASE + 1 + i };

		CU_ASSERT_EQUAL(op(EVTCHNOP_expand_array, &ea), 0);
	}
}

static void test_fifo_init_checks(void)
{
	struct evtchn_init_control ic = { .control_gfn = FRAME_BASE, .vcpu = 1 };
	struct evtchn_expand_array ea = { .array_gfn = FRAME_BASE + 1 };

	setup();
	CU_ASSERT_EQUAL(op(EVTCHNOP_expand_array, &ea), -XEN_EOPNOTSUPP);
	CU_ASSERT_EQUAL(op(EVTCHNOP_init_control, &ic), -XEN_ENOENT);
	ic.vcpu = 0;
	ic.offset = PAGE_SIZE - sizeof(evtchn_fifo_control_block_t) + 8;
	CU_ASSERT_EQUAL(op(EVTCHNOP_init_control, &ic), -XEN_EINVAL);
	ic.offset = 4; /* not 8-byte aligned */
	CU_ASSERT_EQUAL(op(EVTCHNOP_init_control, &ic), -XEN_EINVAL);
	ic.offset = 0;
	ic.control_gfn = FRAME_BASE + NR_FRAMES / 2; /* dom1's frame */
	CU_ASSERT_EQUAL(op(EVTCHNOP_init_control, &ic), -XEN_EINVAL);
	ic.control_gfn = 5; /* nobody's */
	CU_ASSERT_EQUAL(op(EVTCHNOP_init_control, &ic), -XEN_EINVAL);
	CU_ASSERT_PTR_EQUAL(doms[0].events.ops, &evtchn_2l_ops); /* still 2-level */
	ic.control_gfn = FRAME_BASE;
	ic.offset = PAGE_SIZE - sizeof(evtchn_fifo_control_block_t);
	CU_ASSERT_EQUAL(op(EVTCHNOP_init_control, &ic), 0);
	CU_ASSERT_EQUAL(op(EVTCHNOP_init_control, &ic), -XEN_EINVAL); /* once per vCPU */
	ea.array_gfn = FRAME_BASE + NR_FRAMES / 2;
	CU_ASSERT_EQUAL(op(EVTCHNOP_expand_array, &ea), -XEN_EINVAL);
	for (unsigned int i = 0; i < 128; i++) {
		ea.array_gfn = FRAME_BASE + 1 + i % 60;
		CU_ASSERT_EQUAL(op(EVTCHNOP_expand_array, &ea), 0);
	}
	CU_ASSERT_EQUAL(op(EVTCHNOP_expand_array, &ea), -XEN_ENOSPC); /* 2^17 ports */
}

/* What Linux's handler does with the head of queue q: the port, unlinked. */
static evtchn_port_t consume(unsigned int q)
{
	evtchn_port_t p = cb->head[q];
	event_word_t w = *word(p);

	cb->head[q] = w & EVTCHN_FIFO_LINK_MASK;
	*word(p) = w & ~((1U << EVTCHN_FIFO_LINKED) | (1U << EVTCHN_FIFO_PENDING) |
			 EVTCHN_FIFO_LINK_MASK);
	if (!cb->head[q])
		cb->ready &= ~(1U << q);
	return p;
}

static void test_fifo_queue(void)
{
	long a, b, c;

	fifo_setup(1);
	a = bind_ipi();
	b = bind_ipi();
	c = bind_ipi();
	CU_ASSERT_EQUAL(send(0, (evtchn_port_t)a), 0);
	CU_ASSERT_EQUAL(cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT], a);
	CU_ASSERT_EQUAL(cb->ready, 1U << EVTCHN_FIFO_PRIORITY_DEFAULT);
	CU_ASSERT_EQUAL(shinfo[0].vcpu_info[0].evtchn_upcall_pending, 1);
	CU_ASSERT(*word(a) & (1U << EVTCHN_FIFO_PENDING));
	CU_ASSERT(*word(a) & (1U << EVTCHN_FIFO_LINKED));
	CU_ASSERT_EQUAL(send(0, (evtchn_port_t)b), 0);
	CU_ASSERT_EQUAL(send(0, (evtchn_port_t)c), 0);
	CU_ASSERT_EQUAL(send(0, (evtchn_port_t)c), 0); /* already linked: once */
	CU_ASSERT_EQUAL(*word(a) & EVTCHN_FIFO_LINK_MASK, b);
	CU_ASSERT_EQUAL(*word(b) & EVTCHN_FIFO_LINK_MASK, c);
	CU_ASSERT_EQUAL(*word(c) & EVTCHN_FIFO_LINK_MASK, 0);
	CU_ASSERT_EQUAL(consume(7), a);
	CU_ASSERT_EQUAL(consume(7), b);
	CU_ASSERT_EQUAL(consume(7), c);
	CU_ASSERT_EQUAL(cb->ready, 0);
	/* The guest emptied the queue: the next event starts it again at the head. */
	shinfo[0].vcpu_info[0].evtchn_upcall_pending = 0;
	CU_ASSERT_EQUAL(send(0, (evtchn_port_t)b), 0);
	CU_ASSERT_EQUAL(cb->head[7], b);
	CU_ASSERT_EQUAL(*word(c) & EVTCHN_FIFO_LINK_MASK, 0);
	CU_ASSERT_EQUAL(shinfo[0].vcpu_info[0].evtchn_upcall_pending, 1);
}

static void test_fifo_mask_and_priority(void)
{
	struct evtchn_set_priority sp;
	struct evtchn_unmask u;
	long a, b;

	fifo_setup(1);
	a = bind_ipi();
	b = bind_ipi();
	*word(a) |= 1U << EVTCHN_FIFO_MASKED;
	CU_ASSERT_EQUAL(send(0, (evtchn_port_t)a), 0);
	CU_ASSERT(*word(a) & (1U << EVTCHN_FIFO_PENDING));
	CU_ASSERT_FALSE(*word(a) & (1U << EVTCHN_FIFO_LINKED));
	CU_ASSERT_EQUAL(cb->ready, 0);
	u.port = (evtchn_port_t)a;
	CU_ASSERT_EQUAL(op(EVTCHNOP_unmask, &u), 0);
	CU_ASSERT_FALSE(*word(a) & (1U << EVTCHN_FIFO_MASKED));
	CU_ASSERT_EQUAL(cb->head[7], a);
	sp = (struct evtchn_set_priority){ .port = (evtchn_port_t)b, .priority = 16 };
	CU_ASSERT_EQUAL(op(EVTCHNOP_set_priority, &sp), -XEN_EINVAL);
	sp.priority = EVTCHN_FIFO_PRIORITY_MAX;
	CU_ASSERT_EQUAL(op(EVTCHNOP_set_priority, &sp), 0);
	CU_ASSERT_EQUAL(send(0, (evtchn_port_t)b), 0);
	CU_ASSERT_EQUAL(cb->head[0], b);
	CU_ASSERT_EQUAL(cb->ready, (1U << 0) | (1U << 7));
	CU_ASSERT_EQUAL(*word(a) & EVTCHN_FIFO_LINK_MASK, 0); /* not on queue 7 */
	sp.port = 60000; /* beyond the bound ports but a FIFO port: no bucket */
	CU_ASSERT_EQUAL(op(EVTCHNOP_set_priority, &sp), -XEN_EINVAL);
}

/* More than 4096 ports, and events raised before their array page exists. */
static void test_fifo_many_ports_and_late_page(void)
{
	struct evtchn_expand_array ea = { .array_gfn = FRAME_BASE + 2 };
	long p = 0;

	fifo_setup(1);
	for (unsigned int i = 0; i < 5000; i++)
		p = bind_ipi();
	CU_ASSERT_EQUAL(p, 5000);
	CU_ASSERT_EQUAL(send(0, 1500), 0); /* port 1500's word is on page 2, not there yet */
	CU_ASSERT_EQUAL(cb->ready, 0);
	CU_ASSERT_EQUAL(op(EVTCHNOP_expand_array, &ea), 0);
	CU_ASSERT_EQUAL(cb->head[7], 1500);
	CU_ASSERT(*word(1500) & (1U << EVTCHN_FIFO_PENDING));
}

/* A port pending in the bitmaps when the guest switches is delivered by FIFO. */
static void test_fifo_switch_keeps_pending(void)
{
	struct evtchn_init_control ic = { .control_gfn = FRAME_BASE, .vcpu = 0 };
	struct evtchn_expand_array ea = { .array_gfn = FRAME_BASE + 1 };
	struct evtchn_reset r = { .dom = DOMID_SELF };
	struct evtchn_status st = { .dom = DOMID_SELF };
	long a;

	setup();
	a = bind_ipi();
	shinfo[0].evtchn_mask[0] = ~0UL;
	CU_ASSERT_EQUAL(send(0, (evtchn_port_t)a), 0);
	CU_ASSERT_EQUAL(op(EVTCHNOP_init_control, &ic), 0);
	cb = (evtchn_fifo_control_block_t *)frames[0];
	CU_ASSERT_EQUAL(op(EVTCHNOP_expand_array, &ea), 0);
	CU_ASSERT_EQUAL(cb->head[7], a);
	/* Reset: every port closed, and 2-level again. */
	CU_ASSERT_EQUAL(op(EVTCHNOP_reset, &r), 0);
	CU_ASSERT_PTR_EQUAL(doms[0].events.ops, &evtchn_2l_ops);
	CU_ASSERT_PTR_NULL(doms[0].events.fifo);
	st.port = (evtchn_port_t)a;
	CU_ASSERT_EQUAL(op(EVTCHNOP_status, &st), 0);
	CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_closed);
	CU_ASSERT_EQUAL(op(EVTCHNOP_expand_array, &ea), -XEN_EOPNOTSUPP);
}

/* What the guest writes in its own pages never sends the hypervisor anywhere. */
static void test_fifo_hostile_words(void)
{
	long a, b;

	fifo_setup(1);
	a = bind_ipi();
	b = bind_ipi();
	CU_ASSERT_EQUAL(send(0, (evtchn_port_t)a), 0);
	/* The guest scribbles a huge LINK and garbage heads; the hypervisor links b after a. */
	*word(a) |= EVTCHN_FIFO_LINK_MASK;
	memset(cb->head, 0xff, sizeof(cb->head));
	CU_ASSERT_EQUAL(send(0, (evtchn_port_t)b), 0);
	CU_ASSERT_EQUAL(*word(a) & EVTCHN_FIFO_LINK_MASK, b);
	/* The guest unlinks a behind the hypervisor's back: b's next event heads the queue. */
	*word(a) &= ~(1U << EVTCHN_FIFO_LINKED);
	*word(b) &= ~((1U << EVTCHN_FIFO_LINKED) | (1U << EVTCHN_FIFO_PENDING));
	CU_ASSERT_EQUAL(send(0, (evtchn_port_t)b), 0);
	CU_ASSERT_EQUAL(cb->head[7], b);
}

static const CU_TestInfo tests[] = {
	{ "interdomain: bind, send both ways, status, close", test_interdomain },
	{ "bad arguments get Xen's errors", test_bad_arguments },
	{ "2-level: 4095 ports, close frees and clears", test_2l_limit },
	{ "FIFO: init_control/expand_array checks", test_fifo_init_checks },
	{ "FIFO: queue order, consumption, restart", test_fifo_queue },
	{ "FIFO: mask, unmask, priorities", test_fifo_mask_and_priority },
	{ "FIFO: 5000 ports, event before its page", test_fifo_many_ports_and_late_page },
	{ "FIFO: pending kept across the switch; reset", test_fifo_switch_keeps_pending },
	{ "FIFO: hostile event words", test_fifo_hostile_words },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = { { "evtchn", tests }, { NULL, NULL } };

	return cunit_run(suites);
}
