// SPDX-License-Identifier: MIT
/*
 * hcfuzz rows: memory reservations, vCPUs, scheduling and the small
 * hypercalls. A reservation the hypervisor grows is given back at once by
 * the row (and must be); decrease_reservation names only frames that are
 * not the guest's to give (the hypervisor's, impossible ones). vCPU rows
 * never take vCPU 0 down nor send it an NMI; timers are stopped at
 * teardown. Nothing here can end the domain on purpose.
 */
#include <gpv/time.h>

#include "hcfuzz.h"

static bool gen_xen_version(struct hcf_state *s, struct hcf_call *c)
{
	c->nr = __HYPERVISOR_xen_version;
	uint32_t *in = (uint32_t *)(s->edge + 2048);

	c->arg[0] = hcf_chance(s, 90) ? hcf_below(s, 12) : hcf_rand(s) & 0xffffffffUL;
	/*
	 * What get_features (submap_idx) and build_id (len) read is written
	 * here: the scratch page holds what earlier calls left, which differs
	 * between the hypervisors.
	 */
	if (c->arg[0] == XENVER_get_features)
		in[0] = hcf_chance(s, 70) ? 0 : hcf_below(s, 4);
	if (c->arg[0] == XENVER_build_id)
		in[0] = hcf_chance(s, 30) ? 0 : 1 + hcf_below(s, 64);
	/* Answers of up to 1 KiB (capabilities, command line): in the scratch page. */
	c->arg[1] = hcf_ptr(s, in);
	hcf_desc(c, "xen_version %lu %#lx", c->arg[0], c->arg[1]);
	return true;
}

static bool gen_mem_query(struct hcf_state *s, struct hcf_call *c)
{
	static const unsigned int cmds[] = { XENMEM_current_reservation,
					     XENMEM_maximum_reservation,
					     XENMEM_maximum_ram_page,
					     XENMEM_maximum_gpfn,
					     XENMEM_memory_map,
					     XENMEM_machine_memory_map,
					     99 };
	struct xen_memory_map *mm = (void *)&c->buf[8];

	c->buf[0] = hcf_dom(s);
	mm->nr_entries = hcf_chance(s, 80) ? 8 : (unsigned int)hcf_count(s, 64);
	set_xen_guest_handle(mm->buffer, (void *)hcf_ptr(s, s->edge));
	c->nr = __HYPERVISOR_memory_op;
	c->arg[0] = cmds[hcf_below(s, GPV_ARRAY_SIZE(cmds))];
	c->arg[1] = hcf_ptr(s, c->arg[0] >= XENMEM_memory_map ? (void *)mm : (void *)c->buf);
	hcf_desc(c, "memory_op %lu %#lx", c->arg[0], c->arg[1]);
	return true;
}

/*
 * Where the extents go: c->buf for a few, the last 4 slots before the hole
 * for a huge count (the hypervisor faults writing the 5th).
 */
static xen_pfn_t *extents(struct hcf_state *s, struct hcf_call *c, unsigned long n)
{
	return n > 4 ? (xen_pfn_t *)(s->hole - 4 * sizeof(xen_pfn_t)) : (xen_pfn_t *)&c->buf[8];
}

static bool gen_reservation(struct hcf_state *s, struct hcf_call *c)
{
	static const unsigned int cmds[] = { XENMEM_increase_reservation,
					     XENMEM_decrease_reservation, XENMEM_populate_physmap };
	struct xen_memory_reservation *r = (void *)c->buf;
	unsigned int cmd = cmds[hcf_below(s, GPV_ARRAY_SIZE(cmds))];
	xen_pfn_t *ext;

	r->nr_extents = hcf_chance(s, 80) ? 1 + hcf_below(s, 2) : hcf_count(s, 4);
	r->extent_order = hcf_chance(s, 85) ? 0 : hcf_below(s, 64);
	r->mem_flags = hcf_chance(s, 90) ? 0 : (unsigned int)hcf_rand(s);
	r->domid = hcf_chance(s, 80) ? DOMID_SELF : hcf_dom(s);
	ext = extents(s, c, r->nr_extents);
	/* decrease: frames not ours to give; populate: pfns far above ours. */
	for (unsigned int i = 0; i < 4; i++)
		ext[i] = cmd == XENMEM_decrease_reservation
				 ? hcf_frame(s, hcf_chance(s, 50) ? HCF_FR_M2P : HCF_FR_HUGE)
				 : 0x3f000 + i;
	set_xen_guest_handle(r->extent_start, (xen_pfn_t *)hcf_ptr(s, ext));
	c->nr = __HYPERVISOR_memory_op;
	c->arg[0] = cmd;
	c->arg[1] = hcf_ptr(s, r);
	hcf_desc(c, "memory_op %u n %lu order %u flags %#x dom %#x ext0 %#lx", cmd, r->nr_extents,
		 r->extent_order, r->mem_flags, r->domid, (unsigned long)ext[0]);
	return true;
}

/*
 * Give back at once what increase/populate gave (the machine frames are in
 * the extent list, for PV); that must work. The detail says what happened.
 */
static void after_reservation(struct hcf_state *s, struct hcf_call *c, long rc)
{
	struct xen_memory_reservation *r = (void *)c->buf;
	xen_pfn_t *ext = extents(s, c, r->nr_extents);
	struct xen_memory_reservation back = { .extent_order = r->extent_order,
					       .domid = DOMID_SELF };
	long rb;

	if (rc <= 0 || c->arg[0] == XENMEM_decrease_reservation)
		return;
	if (c->arg[1] != (unsigned long)r || r->extent_start.p != ext || rc > 4 ||
	    (r->domid != DOMID_SELF && r->domid != 0)) {
		c->detail = -1000; /* grown where the fuzzer cannot give it back */
		return;
	}
	back.nr_extents = (unsigned long)rc;
	set_xen_guest_handle(back.extent_start, ext);
	rb = gpv_memory_op(XENMEM_decrease_reservation, &back);
	c->detail = rb == rc ? rc : -2000 - rb;
}

static bool gen_vcpu(struct hcf_state *s, struct hcf_call *c)
{
	static const int cmds[] = { VCPUOP_is_up,
				    VCPUOP_get_runstate_info,
				    VCPUOP_set_singleshot_timer,
				    VCPUOP_stop_singleshot_timer,
				    VCPUOP_set_periodic_timer,
				    VCPUOP_stop_periodic_timer,
				    VCPUOP_initialise,
				    VCPUOP_up,
				    VCPUOP_down,
				    VCPUOP_get_physid,
				    VCPUOP_send_nmi,
				    VCPUOP_register_vcpu_info,
				    99 };
	int cmd = cmds[hcf_below(s, GPV_ARRAY_SIZE(cmds))];
	uint32_t vcpu = hcf_vcpu(s);
	void *arg = c->buf;

	switch (cmd) {
	case VCPUOP_set_singleshot_timer: {
		struct vcpu_set_singleshot_timer *t = arg;

		t->timeout_abs_ns =
			hcf_chance(s, 50) ? gpv_time_now() + 50000000 : hcf_rand(s) >> 8;
		t->flags = hcf_chance(s, 70) ? VCPU_SSHOTTMR_future : (uint32_t)hcf_rand(s);
		s->timers_set = true;
		break;
	}
	case VCPUOP_set_periodic_timer:
		c->buf[0] = hcf_chance(s, 50) ? 10000000 : hcf_rand(s) >> hcf_below(s, 64);
		s->timers_set = true;
		break;
	case VCPUOP_down:
	case VCPUOP_send_nmi:
		if (vcpu == 0)
			vcpu = 1; /* never vCPU 0: that would end or trap the fuzzer */
		break;
	case VCPUOP_register_vcpu_info: {
		struct vcpu_register_vcpu_info *vi = arg;

		/* Only refusable ones: a once-only move of vcpu_info would stay. */
		vi->mfn = hcf_frame(s, (enum hcf_frame)(HCF_FR_SHINFO + hcf_below(s, 4)));
		vi->offset = hcf_chance(s, 50) ? 4096 - 8 : 0;
		if (vi->mfn != s->m2p_mfn && vi->mfn != s->l4_mfn)
			vi->offset = 4096 + hcf_below(s, 100);
		break;
	}
	}
	c->nr = __HYPERVISOR_vcpu_op;
	c->arg[0] = (unsigned long)cmd;
	c->arg[1] = vcpu;
	c->arg[2] = hcf_ptr(s, arg);
	hcf_desc(c, "vcpu_op %d vcpu %u %#lx %#lx", cmd, vcpu, c->arg[2], (unsigned long)c->buf[0]);
	return true;
}

static bool gen_sched(struct hcf_state *s, struct hcf_call *c)
{
	struct sched_poll *p = (void *)c->buf;
	evtchn_port_t *ports = (evtchn_port_t *)&c->buf[8];
	unsigned int what = hcf_below(s, 4);

	c->nr = __HYPERVISOR_sched_op;
	c->arg[0] = SCHEDOP_yield;
	c->arg[1] = hcf_ptr(s, c->buf);
	if (what == 0) {
		for (unsigned int i = 0; i < 3; i++)
			ports[i] = hcf_port(s);
		set_xen_guest_handle(p->ports, (evtchn_port_t *)hcf_ptr(s, ports));
		p->nr_ports =
			hcf_chance(s, 80) ? 1 + hcf_below(s, 3) : (unsigned int)hcf_count(s, 4);
		p->timeout = gpv_time_now() + 1000000; /* 1 ms: never blocks for long */
		c->arg[0] = SCHEDOP_poll;
		/* Not from readable memory: a zeroed poll (no port, no timeout) sleeps for good. */
		c->arg[1] = hcf_in_ptr(s, p, sizeof(*p));
	} else if (what == 1) {
		struct sched_remote_shutdown *r = (void *)c->buf;

		r->domain_id = hcf_chance(s, 50) ? 7 : 0x7ff0 + hcf_below(s, 16);
		r->reason = hcf_below(s, 6);
		c->arg[0] = SCHEDOP_remote_shutdown;
		/* Not from readable memory: zeros name domain 0, ourselves. */
		c->arg[1] = hcf_in_ptr(s, r, sizeof(*r));
	} else if (what == 2) {
		c->arg[0] = 10 + hcf_below(s, 50); /* unknown (and the watchdog's 6 left out) */
	}
	hcf_desc(c, "sched_op %lu %#lx %#lx", c->arg[0], c->arg[1], (unsigned long)c->buf[0]);
	return true;
}

static bool gen_small(struct hcf_state *s, struct hcf_call *c)
{
	struct physdev_irq_status_query *irq = (void *)c->buf;

	switch (hcf_below(s, 8)) {
	case 0:
		c->nr = __HYPERVISOR_set_timer_op;
		c->arg[0] = hcf_chance(s, 50) ? 0 : gpv_time_now() + hcf_below(s, 3) * 1000000;
		s->timers_set = true;
		break;
	case 1:
		c->nr = __HYPERVISOR_console_io;
		c->arg[0] = hcf_chance(s, 50) ? CONSOLEIO_read : CONSOLEIO_write;
		c->arg[1] = hcf_chance(s, 50) ? 0 : hcf_count(s, 64);
		c->arg[2] = hcf_ptr(s, s->edge) | (c->arg[0] == CONSOLEIO_write ? 1UL << 63 : 0);
		break;
	case 2:
		c->nr = __HYPERVISOR_vm_assist;
		c->arg[0] = hcf_below(s, 3);
		c->arg[1] = hcf_chance(s, 80) ? hcf_below(s, 6) : hcf_below(s, 64);
		break;
	case 3:
		c->nr = __HYPERVISOR_get_debugreg;
		c->arg[0] = hcf_below(s, 10);
		break;
	case 4:
		c->nr = __HYPERVISOR_set_debugreg;
		c->arg[0] = hcf_below(s, 4); /* DR0-3 only: DR7 would arm them */
		c->arg[1] = hcf_chance(s, 50) ? (unsigned long)s->edge : hcf_ptr(s, s->edge);
		s->debugreg_set = true;
		break;
	case 5:
		c->nr = __HYPERVISOR_fpu_taskswitch;
		c->arg[0] = hcf_below(s, 3);
		s->fpu_ts = true;
		break;
	case 6:
		c->nr = __HYPERVISOR_physdev_op;
		c->arg[0] = hcf_chance(s, 50) ? PHYSDEVOP_irq_status_query : 99;
		irq->irq = (uint32_t)hcf_rand(s);
		c->arg[1] = hcf_ptr(s, c->buf);
		break;
	default:
		/* Numbers no one has: 43-47 and 56-63 (not the arch_N ones). */
		c->nr = hcf_chance(s, 40) ? 43 + hcf_below(s, 5) : 56 + hcf_below(s, 8);
		c->arg[0] = hcf_rand(s);
		c->arg[1] = hcf_ptr(s, c->buf);
		break;
	}
	hcf_desc(c, "hypercall %u %#lx %#lx %#lx", c->nr, c->arg[0], c->arg[1], c->arg[2]);
	return true;
}

const struct hcf_op hcf_misc_ops[] = {
	{ .name = "xen_version", .weight = 2, .gen = gen_xen_version },
	{ .name = "memory_query", .weight = 3, .gen = gen_mem_query },
	{ .name = "reservation",
	  .weight = 4,
	  .gen = gen_reservation,
	  .after = after_reservation,
	  .writes_back = true,
	  .no_multi = true,
	  .moves_reservation = true },
	{ .name = "vcpu_op", .weight = 5, .gen = gen_vcpu },
	{ .name = "sched_op", .weight = 3, .gen = gen_sched },
	{ .name = "small", .weight = 4, .gen = gen_small },
	{ .name = NULL },
};
