// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of the hypervisor's common event-channel and timer code
 * (hypervisor/common/event_channel.c, timer.c) and command-line parser
 * (common/cmdline.c), with a small harness standing in for the guest-memory
 * copy, the clock and the current vCPU. A "guest pointer" here is a host
 * pointer; BAD_PTR stands for one that faults.
 */
#include <lamina/arch.h>
#include <lamina/boot.h>
#include <lamina/domain.h>
#include <lamina/event.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/mm.h>
#include <lamina/timer.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include "cunit_run.h"
#include "host_harness.h"

#define BAD_PTR HARNESS_BAD_PTR

/* The harness: one domain with one vCPU, as domain_create would make it. */
static struct domain dom0;
static struct vcpu vcpu0;
static shared_info_t shinfo;
static uint64_t fake_now;

struct vcpu *arch_current_vcpu(void)
{
	return &vcpu0;
}

struct domain *domain_next(struct domain *d)
{
	return d ? NULL : &dom0;
}

uint64_t arch_now_ns(void)
{
	return fake_now;
}

/* The timer queue's hardware: one CPU, the last deadline programmed. */
static uint64_t programmed;

unsigned int arch_cpu_id(void)
{
	return 0;
}

void arch_timer_program(uint64_t deadline_ns)
{
	programmed = deadline_ns;
}

void arch_timer_kick(unsigned int cpu)
{
	(void)cpu;
}

void sched_tick(void)
{
}

struct domain *domain_find(domid_t id)
{
	return id == dom0.id ? &dom0 : NULL;
}

/* No guest frames here (tests/unit/common/event_fifo.c has them). */
void *evtchn_map_guest_frame(struct domain *d, uint64_t gfn)
{
	(void)d;
	(void)gfn;
	return NULL;
}

void evtchn_unmap_guest_frame(struct domain *d, uint64_t gfn)
{
	(void)d;
	(void)gfn;
}

static void reset(void)
{
	if (dom0.events.ops)
		evtchn_domain_teardown(&dom0);
	memset(&dom0, 0, sizeof(dom0));
	memset(&vcpu0, 0, sizeof(vcpu0));
	memset(&shinfo, 0, sizeof(shinfo));
	dom0.shared_info = &shinfo;
	dom0.max_vcpus = 1;
	dom0.vcpu[0] = &vcpu0;
	vcpu0.domain = &dom0;
	vcpu0.vcpu_info = &shinfo.vcpu_info[0];
	CU_ASSERT_EQUAL(evtchn_domain_init(&dom0), 0);
	timer_vcpu_kill(&vcpu0);
	timer_vcpu_init(&vcpu0);
	fake_now = 1000;
}

static long op(uint64_t cmd, void *arg)
{
	const uint64_t a[HYPERCALL_NR_ARGS] = { cmd, (uint64_t)arg };

	return do_event_channel_op(a);
}

static long set_timer_op(uint64_t timeout)
{
	const uint64_t a[HYPERCALL_NR_ARGS] = { timeout };

	return do_set_timer_op(a);
}

static bool pending(evtchn_port_t p)
{
	return (shinfo.evtchn_pending[p / 64] >> (p % 64)) & 1;
}

static long alloc_unbound(void)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	long rc = op(EVTCHNOP_alloc_unbound, &a);

	return rc ? rc : (long)a.port;
}

static void test_loopback(void)
{
	long a;
	struct evtchn_bind_interdomain b;
	struct evtchn_send s;
	struct evtchn_status st = { .dom = DOMID_SELF };

	reset();
	a = alloc_unbound();
	CU_ASSERT(a > 0);
	st.port = (evtchn_port_t)a;
	CU_ASSERT_EQUAL(op(EVTCHNOP_status, &st), 0);
	CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
	b = (struct evtchn_bind_interdomain){ .remote_dom = DOMID_SELF,
					      .remote_port = (evtchn_port_t)a };
	CU_ASSERT_EQUAL(op(EVTCHNOP_bind_interdomain, &b), 0);
	CU_ASSERT(b.local_port > 0 && b.local_port != (evtchn_port_t)a);
	/* Binding marks the new port pending, as Xen. */
	CU_ASSERT(pending(b.local_port));
	CU_ASSERT_EQUAL(shinfo.vcpu_info[0].evtchn_upcall_pending, 1);
	memset(shinfo.evtchn_pending, 0, sizeof(shinfo.evtchn_pending));
	shinfo.vcpu_info[0].evtchn_upcall_pending = 0;
	shinfo.vcpu_info[0].evtchn_pending_sel = 0;
	s.port = b.local_port;
	CU_ASSERT_EQUAL(op(EVTCHNOP_send, &s), 0);
	CU_ASSERT(pending((evtchn_port_t)a));
	CU_ASSERT(shinfo.vcpu_info[0].evtchn_pending_sel & (1UL << (a / 64)));
	CU_ASSERT_EQUAL(shinfo.vcpu_info[0].evtchn_upcall_pending, 1);
	/* Binding the same unbound port twice fails: it is bound now. */
	CU_ASSERT_EQUAL(op(EVTCHNOP_bind_interdomain, &b), -XEN_EINVAL);
}

static void test_mask_unmask(void)
{
	long a;
	struct evtchn_bind_interdomain b;
	struct evtchn_send s;
	struct evtchn_unmask u;

	reset();
	a = alloc_unbound();
	b = (struct evtchn_bind_interdomain){ .remote_dom = DOMID_SELF,
					      .remote_port = (evtchn_port_t)a };
	CU_ASSERT_EQUAL(op(EVTCHNOP_bind_interdomain, &b), 0);
	memset(shinfo.evtchn_pending, 0, sizeof(shinfo.evtchn_pending));
	shinfo.vcpu_info[0].evtchn_upcall_pending = 0;
	shinfo.vcpu_info[0].evtchn_pending_sel = 0;
	shinfo.evtchn_mask[0] = ~0UL;
	s.port = b.local_port;
	harness_poll_notifies = 0;
	CU_ASSERT_EQUAL(op(EVTCHNOP_send, &s), 0);
	CU_ASSERT(pending((evtchn_port_t)a));
	CU_ASSERT_EQUAL(shinfo.vcpu_info[0].evtchn_upcall_pending, 0);
	/* Pollers are looked at when the port becomes pending, not again while it is (Xen). */
	CU_ASSERT_EQUAL(harness_poll_notifies, 1);
	CU_ASSERT_EQUAL(op(EVTCHNOP_send, &s), 0);
	CU_ASSERT_EQUAL(harness_poll_notifies, 1);
	u.port = (evtchn_port_t)a;
	CU_ASSERT_EQUAL(op(EVTCHNOP_unmask, &u), 0);
	CU_ASSERT_EQUAL(shinfo.vcpu_info[0].evtchn_upcall_pending, 1);
	CU_ASSERT_FALSE((shinfo.evtchn_mask[0] >> a) & 1);
}

static void test_virq_and_timer(void)
{
	struct evtchn_bind_virq v = { .virq = VIRQ_TIMER, .vcpu = 0 };

	reset();
	CU_ASSERT_EQUAL(op(EVTCHNOP_bind_virq, &v), 0);
	CU_ASSERT(v.port > 0);
	CU_ASSERT_EQUAL(op(EVTCHNOP_bind_virq, &v), -XEN_EEXIST);
	v = (struct evtchn_bind_virq){ .virq = VIRQ_DEBUG, .vcpu = 1 };
	CU_ASSERT_EQUAL(op(EVTCHNOP_bind_virq, &v), -XEN_ENOENT);
	v = (struct evtchn_bind_virq){ .virq = NR_VIRQS, .vcpu = 0 };
	CU_ASSERT_EQUAL(op(EVTCHNOP_bind_virq, &v), -XEN_EINVAL);

	CU_ASSERT_EQUAL(set_timer_op(fake_now + 500), 0);
	CU_ASSERT_FALSE(shinfo.evtchn_pending[0]);
	CU_ASSERT_EQUAL(programmed, fake_now + 500); /* the hardware armed for it */
	fake_now += 499;
	timer_softirq();
	CU_ASSERT_FALSE(shinfo.evtchn_pending[0]);
	fake_now += 1;
	timer_softirq();
	CU_ASSERT(shinfo.evtchn_pending[0] != 0);
	CU_ASSERT_FALSE(timer_is_active(&vcpu0.timers.singleshot));
	/* A deadline in the past fires at once; 0 stops the timer. */
	memset(shinfo.evtchn_pending, 0, sizeof(shinfo.evtchn_pending));
	CU_ASSERT_EQUAL(set_timer_op(1), 0);
	CU_ASSERT(shinfo.evtchn_pending[0] != 0);
	memset(shinfo.evtchn_pending, 0, sizeof(shinfo.evtchn_pending));
	CU_ASSERT_EQUAL(set_timer_op(fake_now + 100), 0);
	CU_ASSERT_EQUAL(set_timer_op(0), 0);
	fake_now += 200;
	timer_softirq();
	CU_ASSERT_FALSE(shinfo.evtchn_pending[0]);
	/* Xen's wrapped-jiffies guard: 2^50 ns ahead or negative fires in 100 ms. */
	CU_ASSERT_EQUAL(set_timer_op(fake_now + (1ULL << 51)), 0);
	CU_ASSERT_EQUAL(vcpu0.timers.singleshot.expires, fake_now + 100000000ULL);
	CU_ASSERT_EQUAL(set_timer_op(1ULL << 63), 0);
	CU_ASSERT_EQUAL(vcpu0.timers.singleshot.expires, fake_now + 100000000ULL);
	timer_stop_singleshot(&vcpu0);
}

static void test_close_and_bad_input(void)
{
	long a;
	struct evtchn_bind_interdomain b;
	struct evtchn_close c;
	struct evtchn_send s = { .port = 100000 };
	struct evtchn_status st = { .dom = DOMID_SELF };
	struct evtchn_alloc_unbound au = { .dom = 7, .remote_dom = DOMID_SELF };

	reset();
	a = alloc_unbound();
	b = (struct evtchn_bind_interdomain){ .remote_dom = DOMID_SELF,
					      .remote_port = (evtchn_port_t)a };
	CU_ASSERT_EQUAL(op(EVTCHNOP_bind_interdomain, &b), 0);
	c.port = (evtchn_port_t)a;
	CU_ASSERT_EQUAL(op(EVTCHNOP_close, &c), 0);
	st.port = b.local_port;
	CU_ASSERT_EQUAL(op(EVTCHNOP_status, &st), 0);
	CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
	CU_ASSERT_EQUAL(op(EVTCHNOP_close, &c), -XEN_EINVAL);
	CU_ASSERT_EQUAL(op(EVTCHNOP_send, &s), -XEN_EINVAL);
	s.port = 0;
	CU_ASSERT_EQUAL(op(EVTCHNOP_send, &s), -XEN_EINVAL);
	CU_ASSERT_EQUAL(op(EVTCHNOP_send, (void *)BAD_PTR), -XEN_EFAULT);
	CU_ASSERT_EQUAL(op(99, NULL), -XEN_ENOSYS);
	CU_ASSERT_EQUAL(op(~0ULL, NULL), -XEN_ENOSYS);
	CU_ASSERT_EQUAL(op(EVTCHNOP_alloc_unbound, &au), -XEN_ESRCH);
}

static void test_exhaustion(void)
{
	long p = 0, n = 0;

	reset();
	while ((p = alloc_unbound()) > 0)
		n++;
	CU_ASSERT_EQUAL(p, -XEN_ENOSPC);
	CU_ASSERT_EQUAL(n, evtchn_2l_ops.max_ports - 1);
}

static void test_cmdline(void)
{
	struct boot_options o = { .loglvl = 2 };

	cmdline_parse("console=none loglvl=debug/all dom0_mem=64M,max:64M noreboot", &o);
	CU_ASSERT(o.console_none);
	CU_ASSERT_EQUAL(o.loglvl, 3);
	CU_ASSERT_EQUAL(o.dom0_mem, 64ULL << 20);
	CU_ASSERT(o.noreboot);
	o = (struct boot_options){ .loglvl = 2 };
	cmdline_parse("  dom0_mem=0x1000000   loglvl=none unknown=1 dom0_mem=max:1G", &o);
	CU_ASSERT_EQUAL(o.dom0_mem, 0x1000000ULL);
	CU_ASSERT_EQUAL(o.loglvl, -1);
	CU_ASSERT_FALSE(o.console_none);
	CU_ASSERT_FALSE(o.noreboot);
	o = (struct boot_options){ .loglvl = 2 };
	cmdline_parse("dom0_mem= loglvl= console=com1 lamina_selftest=hvfault", &o);
	CU_ASSERT_EQUAL(o.dom0_mem, 0);
	CU_ASSERT_EQUAL(o.loglvl, 2);
	CU_ASSERT(o.selftest_fault);
}

/* lamina_smp= and Xen's dom0_max_vcpus= forms: n, min-max, -max, min-; malformed ones refused. */
static void test_cmdline_vcpus(void)
{
	static const struct {
		const char *line;
		unsigned int min, max;
	} cases[] = {
		{ "dom0_max_vcpus=2", 2, 2 },	{ "dom0_max_vcpus=1-4", 1, 4 },
		{ "dom0_max_vcpus=-3", 1, 3 },	{ "dom0_max_vcpus=2-", 2, 8 },
		{ "dom0_max_vcpus=99", 8, 8 },	{ "dom0_max_vcpus=0", 0, 0 },
		{ "dom0_max_vcpus=4-2", 0, 0 }, { "dom0_max_vcpus=x", 0, 0 },
		{ "dom0_max_vcpus=2-y", 0, 0 }, { "dom0_max_vcpus=0-2", 0, 0 },
		{ "dom0_max_vcpus=", 0, 0 },
	};
	struct boot_options o;

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o = (struct boot_options){ .loglvl = 2 };
		cmdline_parse(cases[i].line, &o);
		CU_ASSERT_EQUAL(o.dom0_vcpus_min, cases[i].min);
		CU_ASSERT_EQUAL(o.dom0_vcpus_max, cases[i].max);
	}
	o = (struct boot_options){ .loglvl = 2 };
	cmdline_parse("lamina_smp=on", &o);
	CU_ASSERT(o.smp);
	cmdline_parse("lamina_smp=off", &o);
	CU_ASSERT_FALSE(o.smp);
	cmdline_parse("lamina_smp=yes", &o);
	CU_ASSERT(o.smp);
	cmdline_parse("lamina_smp=0", &o);
	CU_ASSERT_FALSE(o.smp);
	cmdline_parse("lamina_smp=maybe", &o); /* not a boolean: unchanged */
	CU_ASSERT_FALSE(o.smp);
	CU_ASSERT(boot_opts.smp); /* the default: every CPU schedules */
}

static const CU_TestInfo evtchn_tests[] = {
	{ "loopback pair: bind, send, pending/selector/upcall", test_loopback },
	{ "masked port: no upcall until unmask", test_mask_unmask },
	{ "VIRQ binding and the one-shot timer", test_virq_and_timer },
	{ "close, bad ports, bad pointers, unknown ops", test_close_and_bad_input },
	{ "port exhaustion gives -ENOSPC", test_exhaustion },
	CU_TEST_INFO_NULL,
};

static const CU_TestInfo cmdline_tests[] = {
	{ "Xen-style options", test_cmdline },
	{ "dom0_max_vcpus= and lamina_smp=", test_cmdline_vcpus },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = {
		{ "hv_evtchn", evtchn_tests },
		{ "hv_cmdline", cmdline_tests },
		{ NULL, NULL },
	};

	return cunit_run(suites);
}
