// SPDX-License-Identifier: MIT
/*
 * Event channels beyond the basics, as Xen 4.17 answers them: the 2-level
 * limit (4095 ports, then -ENOSPC), the argument checks of the bind ops,
 * and the FIFO ABI: init_control and expand_array with their checks (a
 * control block in one of the guest's page tables is -EINVAL), queues in
 * the control block and event words, priorities, masking, an event raised
 * before its array page exists, more than 4096 ports, and EVTCHNOP_reset
 * going back to 2-level. The kernel reads its own control block and event
 * words instead of handling the upcalls (it counts them).
 */
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/mm.h>
#include <gpv/page.h>
#include <gpv/test.h>

#define WORDS_PER_PAGE (4096 / sizeof(event_word_t))
#define ARRAY_PAGES 5
#define LINKED (1U << EVTCHN_FIFO_LINKED)
#define PENDING (1U << EVTCHN_FIFO_PENDING)
#define MASKED (1U << EVTCHN_FIFO_MASKED)

static event_word_t *array[ARRAY_PAGES];
static evtchn_fifo_control_block_t *cb;

static long evop(unsigned int cmd, void *arg)
{
	return gpv_event_channel_op(cmd, arg);
}

static event_word_t *word(evtchn_port_t p)
{
	return &array[p / WORDS_PER_PAGE][p % WORDS_PER_PAGE];
}

static long bind_ipi(void)
{
	struct evtchn_bind_ipi b = { .vcpu = 0 };
	long rc = evop(EVTCHNOP_bind_ipi, &b);

	return rc ? rc : (long)b.port;
}

static long status_of(evtchn_port_t port)
{
	struct evtchn_status st = { .dom = DOMID_SELF, .port = port };
	long rc = evop(EVTCHNOP_status, &st);

	return rc ? rc : (long)st.status;
}

static void *zeroed_page(void)
{
	uint8_t *p = gpv_page_alloc();

	for (unsigned int i = 0; p && i < 4096; i++)
		p[i] = 0;
	return p;
}

static void check_2l_limits(void)
{
	struct evtchn_bind_virq v = { .virq = VIRQ_CONSOLE, .vcpu = 1 };
	struct evtchn_bind_vcpu bv = { .port = 1, .vcpu = 100 };
	struct evtchn_alloc_unbound au = { .dom = 5, .remote_dom = DOMID_SELF };
	struct evtchn_set_priority sp = { .port = 1, .priority = 0 };
	struct evtchn_unmask um = { .port = 5000 };
	struct evtchn_reset r = { .dom = DOMID_SELF };
	long rc, last = 0;

	gpv_test_area("evtchn: 2-level limits and checks");
	gpv_test_eq(evop(EVTCHNOP_bind_virq, &v), -XEN_EINVAL, "global VIRQ on vCPU 1 = -EINVAL");
	v = (struct evtchn_bind_virq){ .virq = VIRQ_TIMER, .vcpu = 100 };
	gpv_test_eq(evop(EVTCHNOP_bind_virq, &v), -XEN_ENOENT, "VIRQ on a missing vCPU = -ENOENT");
	gpv_test_eq(evop(EVTCHNOP_bind_vcpu, &bv), -XEN_ENOENT, "bind_vcpu to vCPU 100 = -ENOENT");
	gpv_test_eq(evop(EVTCHNOP_alloc_unbound, &au), -XEN_ESRCH,
		    "alloc_unbound in a domain that does not exist = -ESRCH");
	gpv_test_eq(evop(EVTCHNOP_set_priority, &sp), -XEN_ENOSYS,
		    "set_priority under 2-level = -ENOSYS");
	gpv_test_eq(evop(EVTCHNOP_unmask, &um), -XEN_EINVAL, "unmask of port 5000 = -EINVAL");
	while ((rc = gpv_evtchn_alloc_unbound(DOMID_SELF)) > 0)
		last = rc;
	gpv_test_eq(rc, -XEN_ENOSPC, "the 4096th port = -ENOSPC");
	gpv_test_eq(last, 4095, "ports up to 4095 were given");
	gpv_test_eq(status_of(4096), -XEN_EINVAL, "status of port 4096 = -EINVAL");
	gpv_test_eq(gpv_evtchn_close(4095), 0, "close port 4095");
	gpv_test_eq(gpv_evtchn_close(4095), -XEN_EINVAL, "close it again = -EINVAL");
	gpv_test_eq(gpv_evtchn_alloc_unbound(DOMID_SELF), 4095, "port 4095 is given again");
	gpv_test_eq(evop(EVTCHNOP_reset, &r), 0, "EVTCHNOP_reset of itself");
	gpv_test_eq(status_of(100), EVTCHNSTAT_closed, "after reset port 100 is closed");
	gpv_test_eq(gpv_evtchn_close(100), -XEN_EINVAL, "closing it = -EINVAL");
}

static void check_fifo_setup(void)
{
	struct evtchn_init_control ic = { .vcpu = 100 };
	struct evtchn_expand_array ea = { 0 };
	unsigned long pt = gpv_start_info->pt_base;

	gpv_test_area("evtchn: FIFO set-up");
	cb = zeroed_page();
	for (unsigned int i = 0; i < ARRAY_PAGES; i++)
		array[i] = zeroed_page();
	ea.array_gfn = gpv_virt_to_mfn(array[0]);
	gpv_test_eq(evop(EVTCHNOP_expand_array, &ea), -XEN_EOPNOTSUPP,
		    "expand_array before init_control = -EOPNOTSUPP");
	ic.control_gfn = gpv_virt_to_mfn(cb);
	gpv_test_eq(evop(EVTCHNOP_init_control, &ic), -XEN_ENOENT,
		    "init_control for vCPU 100 = -ENOENT");
	ic.vcpu = 0;
	ic.offset = 4;
	gpv_test_eq(evop(EVTCHNOP_init_control, &ic), -XEN_EINVAL,
		    "offset not 8-aligned = -EINVAL");
	ic.offset = 4096 - sizeof(evtchn_fifo_control_block_t) + 8;
	gpv_test_eq(evop(EVTCHNOP_init_control, &ic), -XEN_EINVAL,
		    "control block across the page end = -EINVAL");
	ic.offset = 0;
	ic.control_gfn = gpv_virt_to_mfn((void *)pt);
	gpv_test_eq(evop(EVTCHNOP_init_control, &ic), -XEN_EINVAL,
		    "control block in the guest's own L4 page table = -EINVAL");
	ic.control_gfn = 1UL << 40;
	gpv_test_eq(evop(EVTCHNOP_init_control, &ic), -XEN_EINVAL,
		    "control block in a frame that does not exist = -EINVAL");
	ic.control_gfn = gpv_virt_to_mfn(cb);
	gpv_test_eq(evop(EVTCHNOP_init_control, &ic), 0, "init_control");
	gpv_test_eq(ic.link_bits, EVTCHN_FIFO_LINK_BITS, "link_bits = 17");
	gpv_test_eq(evop(EVTCHNOP_init_control, &ic), -XEN_EINVAL,
		    "a second init_control for vCPU 0 = -EINVAL");
	ea.array_gfn = gpv_virt_to_mfn((void *)pt);
	gpv_test_eq(evop(EVTCHNOP_expand_array, &ea), -XEN_EINVAL,
		    "event array page in the L4 page table = -EINVAL");
	ea.array_gfn = gpv_virt_to_mfn(array[0]);
	gpv_test_eq(evop(EVTCHNOP_expand_array, &ea), 0, "expand_array: ports 0-1023");
}

/* Linux's consumer: the head port of queue q, unlinked. */
static evtchn_port_t consume(unsigned int q)
{
	evtchn_port_t p = cb->head[q];
	event_word_t w = *word(p);

	cb->head[q] = w & EVTCHN_FIFO_LINK_MASK;
	__atomic_fetch_and(word(p), ~(LINKED | PENDING | EVTCHN_FIFO_LINK_MASK), __ATOMIC_SEQ_CST);
	if (!cb->head[q])
		__atomic_fetch_and(&cb->ready, ~(1U << q), __ATOMIC_SEQ_CST);
	return p;
}

static void check_fifo_queues(void)
{
	struct evtchn_set_priority sp;
	unsigned long up;
	long a = bind_ipi(), b = bind_ipi();

	gpv_test_area("evtchn: FIFO queues");
	gpv_test_checkf(a > 0 && b > 0, "two IPI ports", "%ld %ld", a, b);
	if (a <= 0 || b <= 0)
		return;
	up = gpv_evtchn_upcalls();
	gpv_events_mask(0);
	gpv_test_eq(gpv_evtchn_send((evtchn_port_t)a), 0, "send a");
	gpv_events_mask(1);
	gpv_test_check(gpv_evtchn_upcalls() > up, "the event came as an upcall");
	gpv_test_eq(cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT], a, "a heads queue 7");
	gpv_test_check(cb->ready & (1U << EVTCHN_FIFO_PRIORITY_DEFAULT), "queue 7 is ready");
	gpv_test_eq(*word(a) & (LINKED | PENDING), LINKED | PENDING, "a is pending and linked");
	gpv_test_eq(gpv_evtchn_send((evtchn_port_t)b), 0, "send b");
	gpv_test_eq(*word(a) & EVTCHN_FIFO_LINK_MASK, b, "a links to b");
	gpv_test_eq(consume(7), a, "the guest takes a");
	gpv_test_eq(consume(7), b, "then b");
	gpv_test_eq(cb->ready, 0, "no queue is ready");
	sp = (struct evtchn_set_priority){ .port = (evtchn_port_t)b, .priority = 16 };
	gpv_test_eq(evop(EVTCHNOP_set_priority, &sp), -XEN_EINVAL, "priority 16 = -EINVAL");
	sp.priority = 2;
	gpv_test_eq(evop(EVTCHNOP_set_priority, &sp), 0, "priority 2");
	gpv_test_eq(gpv_evtchn_send((evtchn_port_t)b), 0, "send b again");
	gpv_test_eq(cb->head[2], b, "b heads queue 2");
	gpv_test_eq(cb->ready, 1U << 2, "only queue 2 is ready");
	consume(2);
	__atomic_fetch_or(word(a), MASKED, __ATOMIC_SEQ_CST);
	gpv_test_eq(gpv_evtchn_send((evtchn_port_t)a), 0, "send a while masked");
	gpv_test_eq(*word(a) & (LINKED | PENDING), PENDING, "masked a is pending, not linked");
	gpv_test_eq(gpv_evtchn_unmask((evtchn_port_t)a), 0, "unmask a");
	gpv_test_eq(*word(a) & (LINKED | MASKED), LINKED, "a is linked once unmasked");
	gpv_test_eq(cb->head[7], a, "and heads queue 7");
	consume(7);
	gpv_test_eq(gpv_evtchn_close((evtchn_port_t)a), 0, "close a");
	gpv_test_eq(gpv_evtchn_close((evtchn_port_t)b), 0, "close b");
}

/*
 * Which ports Xen 4.17 holds busy, and the refusals of free ports: a closed
 * port whose word the guest has not unlinked is not given again until it
 * has; set_priority of a free port (or port 0) is -EACCES; reset_cont with
 * no reset in progress is -EBUSY.
 */
static void check_fifo_busy(void)
{
	struct evtchn_set_priority sp = { .priority = 3 };
	struct evtchn_reset r = { .dom = DOMID_SELF };
	long a = bind_ipi(), b;

	gpv_test_area("evtchn: FIFO busy ports and free-port refusals");
	gpv_test_checkf(a > 0, "an IPI port", "%ld", a);
	if (a <= 0)
		return;
	gpv_test_eq(gpv_evtchn_send((evtchn_port_t)a), 0, "send it (linked on queue 7)");
	gpv_test_eq(gpv_evtchn_close((evtchn_port_t)a), 0, "close it");
	gpv_test_eq(*word(a) & (LINKED | PENDING), LINKED, "its word is linked, no longer pending");
	b = bind_ipi();
	gpv_test_checkf(b > a, "a new port skips the linked one", "%ld after %ld", b, a);
	sp.port = (evtchn_port_t)a;
	gpv_test_eq(evop(EVTCHNOP_set_priority, &sp), -XEN_EACCES,
		    "set_priority of the closed port = -EACCES");
	sp.port = 0;
	gpv_test_eq(evop(EVTCHNOP_set_priority, &sp), -XEN_EACCES, "of port 0 = -EACCES");
	sp.port = 100000;
	gpv_test_eq(evop(EVTCHNOP_set_priority, &sp), -XEN_EINVAL,
		    "of a port beyond the allocated ones = -EINVAL");
	gpv_test_eq(consume(7), a, "the guest unlinks the closed port");
	gpv_test_eq(bind_ipi(), a, "now it is given again");
	gpv_test_eq(evop(EVTCHNOP_reset + 4, &r), -XEN_EBUSY,
		    "EVTCHNOP 14 (reset_cont) with no reset in progress = -EBUSY");
	r.dom = 7;
	gpv_test_eq(evop(EVTCHNOP_reset + 4, &r), -XEN_ESRCH, "of domain 7 = -ESRCH");
	gpv_test_eq(evop(EVTCHNOP_reset, &r), -XEN_ESRCH, "EVTCHNOP_reset of domain 7 = -ESRCH");
	gpv_evtchn_close((evtchn_port_t)a);
	gpv_evtchn_close((evtchn_port_t)b);
}

/*
 * Xen's mark of a port pending at the switch to FIFO is never cleared: a
 * later event array raises the port again, closed or not, and the linked
 * word keeps it busy (after the reset of check_fifo_many_ports).
 */
static void check_fifo_sticky(void)
{
	struct evtchn_init_control ic = { .control_gfn = gpv_virt_to_mfn(cb) };
	struct evtchn_expand_array ea = { .array_gfn = gpv_virt_to_mfn(array[0]) };
	long p = bind_ipi();

	gpv_test_area("evtchn: pending at the switch to FIFO");
	gpv_test_checkf(p > 0, "a 2-level IPI port", "%ld", p);
	if (p <= 0)
		return;
	gpv_shared_info->evtchn_mask[0] |= 1UL << p;
	gpv_test_eq(gpv_evtchn_send((evtchn_port_t)p), 0, "send it while masked");
	for (unsigned int i = 0; i < 4096; i++)
		((uint8_t *)cb)[i] = ((uint8_t *)array[0])[i] = 0;
	gpv_test_eq(evop(EVTCHNOP_init_control, &ic), 0, "init_control again");
	gpv_test_eq(gpv_evtchn_close((evtchn_port_t)p), 0, "close the port");
	gpv_test_eq(evop(EVTCHNOP_expand_array, &ea), 0, "expand_array");
	gpv_test_eq(*word(p) & (LINKED | PENDING), LINKED | PENDING,
		    "the closed port was raised and linked");
	gpv_test_checkf(bind_ipi() > p, "so it is busy", "port %ld", p);
	gpv_shared_info->evtchn_mask[0] &= ~(1UL << p);
}

static void check_fifo_many_ports(void)
{
	struct evtchn_expand_array ea;
	struct evtchn_reset r = { .dom = DOMID_SELF };
	long rc = 0, last = 0;

	gpv_test_area("evtchn: FIFO beyond 4096 ports");
	for (unsigned int i = 0; i < 4600 && rc >= 0; i++)
		if ((rc = bind_ipi()) > 0)
			last = rc;
	gpv_test_checkf(rc > 0 && last >= 4600, "4600 IPI ports under FIFO", "rc %ld last %ld", rc,
			last);
	gpv_test_eq(gpv_evtchn_send(4500), 0, "send port 4500 (no event word yet)");
	for (unsigned int i = 1; i < ARRAY_PAGES; i++) {
		ea.array_gfn = gpv_virt_to_mfn(array[i]);
		gpv_test_eq(evop(EVTCHNOP_expand_array, &ea), 0, "expand_array");
	}
	gpv_test_eq(*word(4500) & (LINKED | PENDING), LINKED | PENDING,
		    "port 4500 is pending and linked once its page is there");
	gpv_test_eq(cb->head[7], 4500, "and heads queue 7");
	gpv_test_eq(evop(EVTCHNOP_reset, &r), 0, "EVTCHNOP_reset");
	ea.array_gfn = gpv_virt_to_mfn(array[0]);
	gpv_test_eq(evop(EVTCHNOP_expand_array, &ea), -XEN_EOPNOTSUPP,
		    "after reset the domain is 2-level again");
	/* As Xen: the ports' storage stays, so a port of it reads as closed (not -EINVAL). */
	gpv_test_eq(status_of(4500), EVTCHNSTAT_closed, "port 4500 reads as closed");
	gpv_test_eq(gpv_evtchn_send(4500), -XEN_EINVAL, "sending on it = -EINVAL");
}

int gpv_main(void)
{
	check_2l_limits();
	check_fifo_setup();
	check_fifo_queues();
	check_fifo_busy();
	check_fifo_many_ports();
	check_fifo_sticky();
	return gpv_test_finish();
}
