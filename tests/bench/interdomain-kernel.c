// SPDX-License-Identifier: MIT
/*
 * The inter-domain benchmark kernel: dom0 builds a domU with domctl (as
 * tests/guest/domctl.c does, so real Xen runs it too) whose code is
 * tests/bench/interdomain-domu.S, and on the one CPU the two:
 *   evtchn_roundtrip_interdomain  dom0 sends, polls; the domU, woken from
 *       its poll, clears and sends back: 2 sends, 2 polls, 2 switches
 *   yield_alone                   dom0's SCHEDOP_yield with the domU paused
 *   yield_pair_interdomain        dom0 yields to the domU, which yields back:
 *       2 yields, 2 switches
 *   vcpu_switch_interdomain       derived: pair / 2 - alone
 * Each the best of BATCHES batches of ITERS, as "BENCH: <name> <n>
 * cycles/op" (rdtsc), the format tests/bench/hypercall compares; PASS lines
 * say the domU really answered and yielded.
 *
 * The domU (pfn = virtual page): 0 L4, 1 L3, 2 L2, 3 L1, 4 code, 5 stack,
 * 6 data (see interdomain-domu.S); its shared_info at 0x7000. Its events
 * are masked, dom0's port too: both only poll.
 */
#include "../guest/domctl-lib.h"
#include <gpv/evtchn.h>
#include <gpv/hypercall.h>
#include <gpv/mm.h>
#include <gpv/test.h>
#include <gpv/time.h>
#include <stddef.h>

#define NR_PAGES 7
#define CODE_VA 0x4000UL
#define STACK_TOP 0x6000UL
#define DATA_PFN 6
#define DATA_VA 0x6000UL
#define SHINFO_VA 0x7000UL
#define BATCHES 5
#define ITERS 1000

extern const char idb_domu_start[], idb_domu_end[];

/* The domU's data page (interdomain-domu.S), as dom0 sees it at dc_scratch. */
struct domu_data {
	uint32_t port; /* 0x00 */
	uint32_t pad0;
	uint32_t mode; /* 0x08: 0 ping-pong, 1 yield */
	uint32_t pad1;
	uint64_t answers;	/* 0x10 */
	uint64_t yields;	/* 0x18 */
	struct sched_poll poll; /* 0x20 */
	uint8_t pad2[0x40 - 0x20 - sizeof(struct sched_poll)];
	struct evtchn_send send; /* 0x40 */
	uint32_t pad3;
	uint64_t pending_va;  /* 0x48 */
	uint64_t pending_bit; /* 0x50 */
};
_Static_assert(offsetof(struct domu_data, pending_bit) == 0x50, "the domU's data layout");

static unsigned long mfn[NR_PAGES];
static evtchn_port_t p0;
static volatile struct domu_data *data = (volatile struct domu_data *)dc_scratch;

static void mask_port(shared_info_t *s, evtchn_port_t p)
{
	__atomic_or_fetch(&s->evtchn_mask[p / 64], 1UL << (p % 64), __ATOMIC_SEQ_CST);
}

/* Writes the domU's frame pfn: tables, code, data. 0 or -1. */
static int write_page(domid_t id, unsigned int pfn, uint64_t shinfo, evtchn_port_t pu)
{
	uint64_t *e = (uint64_t *)dc_scratch;
	struct domu_data *dd = (struct domu_data *)dc_scratch;

	if (dc_map_foreign(mfn[pfn], id))
		return -1;
	memset(dc_scratch, 0, sizeof(dc_scratch));
	if (pfn < 3)
		e[0] = (mfn[pfn + 1] << 12) | DC_P | DC_RW | DC_US | DC_AD;
	for (unsigned int i = 0; pfn == 3 && i < NR_PAGES; i++)
		e[i] = (mfn[i] << 12) | DC_P | DC_US | DC_AD | (i > 3 ? DC_RW : 0);
	if (pfn == 3)
		e[SHINFO_VA >> 12] = (shinfo << 12) | DC_P | DC_RW | DC_US | DC_AD;
	if (pfn == 4)
		memcpy(dc_scratch, idb_domu_start, (size_t)(idb_domu_end - idb_domu_start));
	if (pfn == DATA_PFN) {
		dd->port = pu;
		set_xen_guest_handle(dd->poll.ports, (evtchn_port_t *)DATA_VA);
		dd->poll.nr_ports = 1;
		dd->send.port = pu;
		dd->pending_va = SHINFO_VA + offsetof(shared_info_t, evtchn_pending) + pu / 64 * 8;
		dd->pending_bit = pu % 64;
	}
	dc_unmap_foreign();
	return 0;
}

/* The domU's events masked: its port and its vCPU's upcalls, in its shared_info. */
static int mask_domu(domid_t id, uint64_t shinfo, evtchn_port_t pu)
{
	shared_info_t *s = (shared_info_t *)dc_scratch;

	if (dc_map_foreign(shinfo, id))
		return -1;
	mask_port(s, pu);
	s->vcpu_info[0].evtchn_upcall_mask = 1;
	dc_unmap_foreign();
	return 0;
}

static long set_context(domid_t id)
{
	static struct vcpu_guest_context c;
	struct xen_domctl op;

	memset(&c, 0, sizeof(c));
	c.flags = VGCF_in_kernel | VGCF_online;
	c.user_regs.rip = CODE_VA;
	c.user_regs.rsp = STACK_TOP;
	c.user_regs.cs = FLAT_KERNEL_CS;
	c.user_regs.ss = FLAT_KERNEL_SS;
	c.user_regs.ds = c.user_regs.es = FLAT_KERNEL_DS;
	c.user_regs.rflags = 0x200;
	c.kernel_ss = FLAT_KERNEL_SS;
	c.kernel_sp = STACK_TOP;
	c.event_callback_eip = CODE_VA;
	c.failsafe_callback_eip = CODE_VA;
	c.ctrlreg[3] = xen_pfn_to_cr3(mfn[0]);
	dc_dinit(&op, XEN_DOMCTL_setvcpucontext, id);
	set_xen_guest_handle(op.u.vcpucontext.ctxt, &c);
	return dc_domctl(&op);
}

/* Memory, ports (dom0's p0 bound to the domU's), pages, pinned tables, a context. */
static int build(domid_t id)
{
	struct xen_domctl op;
	struct xen_domctl_getdomaininfo di;
	struct xen_memory_reservation r = { .nr_extents = NR_PAGES, .domid = id };
	struct evtchn_alloc_unbound a = { .dom = id, .remote_dom = 0 };
	struct mmuext_op pin = { .cmd = MMUEXT_PIN_L4_TABLE };
	xen_pfn_t list[NR_PAGES];
	long port;

	dc_dinit(&op, XEN_DOMCTL_max_vcpus, id);
	op.u.max_vcpus.max = 1;
	dc_domctl(&op);
	dc_dinit(&op, XEN_DOMCTL_max_mem, id);
	op.u.max_mem.max_memkb = NR_PAGES * 4;
	dc_domctl(&op);
	for (unsigned int i = 0; i < NR_PAGES; i++)
		list[i] = i;
	set_xen_guest_handle(r.extent_start, list);
	if (gpv_memory_op(XENMEM_populate_physmap, &r) != NR_PAGES || dc_info(id, &di))
		return -1;
	for (unsigned int i = 0; i < NR_PAGES; i++)
		mfn[i] = list[i];
	if (gpv_event_channel_op(EVTCHNOP_alloc_unbound, &a))
		return -1;
	port = gpv_evtchn_bind_interdomain(id, a.port);
	if (port < 0)
		return -1;
	p0 = (evtchn_port_t)port;
	mask_port(gpv_shared_info, p0);
	/* Xen marks a newly bound interdomain port pending (lost notifications): not an answer. */
	__atomic_and_fetch(&gpv_shared_info->evtchn_pending[p0 / 64], ~(1UL << (p0 % 64)),
			   __ATOMIC_SEQ_CST);
	for (unsigned int pfn = 0; pfn < NR_PAGES; pfn++)
		if (write_page(id, pfn, di.shared_info_frame, a.port))
			return -1;
	if (mask_domu(id, di.shared_info_frame, a.port))
		return -1;
	pin.arg1.mfn = mfn[0];
	if (gpv_mmuext_op(&pin, 1, NULL, id) || set_context(id))
		return -1;
	/* From here on dc_scratch shows the domU's data page. */
	return (int)dc_map_foreign(mfn[DATA_PFN], id);
}

/* Waits for p0 to be pending (polling), then clears it. */
static void wait_p0(void)
{
	xen_ulong_t *w = &gpv_shared_info->evtchn_pending[p0 / 64], bit = 1UL << (p0 % 64);

	while (!(__atomic_load_n(w, __ATOMIC_SEQ_CST) & bit))
		gpv_poll_port(p0, 0);
	__atomic_and_fetch(w, ~bit, __ATOMIC_SEQ_CST);
}

static long op_roundtrip(void)
{
	long rc = gpv_evtchn_send(p0);

	wait_p0();
	return rc;
}

static long op_yield(void)
{
	return gpv_sched_op(SCHEDOP_yield, NULL);
}

/* Best cycles/op over BATCHES batches of ITERS. */
static uint64_t measure(long (*op)(void), long *rc)
{
	uint64_t best = ~0ULL;

	*rc = 0;
	for (int b = 0; b < BATCHES; b++) {
		uint64_t t0 = gpv_rdtsc(), dt;

		for (int i = 0; i < ITERS; i++)
			*rc |= op();
		dt = (gpv_rdtsc() - t0) / ITERS;
		if (dt < best)
			best = dt;
	}
	return best;
}

static void run(domid_t id)
{
	uint64_t alone, pair, rt, before;
	long rc;

	alone = measure(op_yield, &rc);
	gpv_test_eq(rc, 0, "yield with the domU not yet running");
	gpv_test_eq(dc_simple(XEN_DOMCTL_unpausedomain, id), 0, "unpause the domU");
	before = data->answers;
	rt = measure(op_roundtrip, &rc);
	gpv_test_eq(rc, 0, "every send succeeded");
	gpv_test_checkf(data->answers - before == BATCHES * ITERS,
			"the domU answered every event (ping-pong)", "%lu answers",
			(unsigned long)(data->answers - before));
	/*
	 * To yield mode: a send wakes it if it is in its poll (it answers once
	 * more, then yields); preempted before its poll it yields at once,
	 * unanswered. Either way dom0 waits for its first yield, not an answer.
	 */
	data->mode = 1;
	gpv_evtchn_send(p0);
	while (!data->yields)
		gpv_sched_op(SCHEDOP_yield, NULL);
	before = data->yields;
	pair = measure(op_yield, &rc);
	gpv_test_eq(rc, 0, "yield with the domU yielding too");
	gpv_test_checkf(data->yields - before >= BATCHES * ITERS / 2,
			"the domU ran between dom0's yields (at least every other one)",
			"%lu domU yields for %u of dom0's", (unsigned long)(data->yields - before),
			BATCHES * ITERS);
	gpv_test_info("domU yields %lu for dom0's %u", (unsigned long)(data->yields - before),
		      BATCHES * ITERS);
	gpv_printf("BENCH: evtchn_roundtrip_interdomain %lu cycles/op\n", (unsigned long)rt);
	gpv_printf("BENCH: yield_alone %lu cycles/op\n", (unsigned long)alone);
	gpv_printf("BENCH: yield_pair_interdomain %lu cycles/op\n", (unsigned long)pair);
	gpv_printf("BENCH: vcpu_switch_interdomain %lu cycles/op\n",
		   (unsigned long)(pair / 2 > alone ? pair / 2 - alone : 0));
}

int gpv_main(void)
{
	struct xen_domctl op;

	gpv_test_area("interdomain");
	if (!gpv_test_eq(dc_scratch_init(), 0, "the scratch page's L1 entry"))
		return gpv_test_finish();
	dc_cfg(&op, 0);
	if (!gpv_test_eq(dc_domctl(&op), 0, "create the domU"))
		return gpv_test_finish();
	if (gpv_test_eq(build(op.domain), 0, "build it (memory, ports, tables, context)"))
		run(op.domain);
	dc_unmap_foreign();
	gpv_test_eq(dc_simple(XEN_DOMCTL_destroydomain, op.domain), 0, "destroy it");
	return gpv_test_finish();
}
