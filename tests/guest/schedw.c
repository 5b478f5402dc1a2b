// SPDX-License-Identifier: MIT
/*
 * Credit2's and credit1's weights and credit2's caps measured in guests, on
 * Xen 4.17 and on Lamina alike: dom0 builds two CPU-bound domUs with domctl
 * (schedw-guest.S: each counts in a word of its own memory), gives them a
 * cpupool of their own (CPU 1; dom0 keeps CPU 0 for itself, so its reading
 * does not disturb them), and reads their counters through foreign mappings
 * and their CPU time through getvcpuinfo over windows of WINDOW_MS:
 *
 *   RMCPU     first, of CPU 1 from pool 0 while a domU pinned there counts:
 *             it returns 0 (Xen says -EAGAIN until the vCPU has left; the
 *             call is repeated as libxc does; Lamina continues the call
 *             itself), the domU goes on counting on CPU 0
 *   weights   256 : 512 in a credit2 pool: their CPU times within 5 % of 2
 *             on Lamina (a window outside is measured again, at most 3 in
 *             all: under TCG on a loaded host a QEMU CPU thread can stall
 *             for most of a second), and the guests' own counts within 15 %
 *             (TCG's soft-TLB flush at each switch costs the domain with the
 *             shorter slices more of its time: its counts run 3-12 % below
 *             its share); on Xen 4.17 under TCG credit2 gets 1.0-1.9 here,
 *             so there the check is only that the heavier domain gets more
 *             (ratio above 1.2), and the figures are printed for comparison
 *   cap       the first capped at 25 %, the second uncapped: the capped one
 *             runs but gets at most 30 % of the window (a cap respected; it
 *             gets less than its cap where its rival has more credit: 20 %
 *             on Lamina, 6 % on Xen), the uncapped one at least 65 %
 *   credit    the domUs moved (paused, through pool 0) into a credit1 pool
 *             on CPU 1: weights 256 : 512 within 5 % (by CPU time) and 15 %
 *             (by counts) on Lamina (1.92-1.99); on Xen (2.01-2.04, but 1.58
 *             in a first window on a loaded host) as for credit2; then they
 *             are destroyed there, and the pool is emptied and destroyed
 *
 * Each window's figures are printed as BENCH lines. Needs two CPUs.
 */
#include "domctl-lib.h"
#include <gpv/mm.h>
#include <gpv/test.h>
#include <gpv/time.h>

#define PAGES 8
#define CODE_VA 0x4000UL
#define COUNTER_PFN 5
#define STACK_TOP 0x8000UL /* page 7 */
#define WARMUP_MS 1000ULL
#define WINDOW_MS 3000ULL
#define MS 1000000ULL

extern const char spin_code_start[], spin_code_end[];

struct spinner {
	long id;
	xen_pfn_t mfn[PAGES];
	uint64_t count, ns; /* at the window's start */
};

static struct spinner dom[2];
static bool on_lamina;

/* The page pfn of s as it starts: a table, the code or nothing. */
static void fill_page(const struct spinner *s, unsigned int pfn, uint64_t *e)
{
	memset(e, 0, 4096);
	switch (pfn) {
	case 0: /* L4 -> L3 -> L2 -> L1, each entry 0 */
	case 1:
	case 2:
		e[0] = (s->mfn[pfn + 1] << 12) | DC_P | DC_RW | DC_US | DC_AD;
		break;
	case 3: /* the L1: every page, the tables read-only */
		for (unsigned int i = 0; i < PAGES; i++)
			e[i] = (s->mfn[i] << 12) | DC_P | DC_US | DC_AD | (i >= 4 ? DC_RW : 0);
		break;
	case 4:
		memcpy(e, spin_code_start, (size_t)(spin_code_end - spin_code_start));
		break;
	default:
		break;
	}
}

/* A domU of PAGES pages running the spinner, paused, its L4 pinned and its vCPU set up. */
static bool build(struct spinner *s)
{
	struct mmuext_op pin = { .cmd = MMUEXT_PIN_L4_TABLE };
	struct vcpu_guest_context c;
	struct xen_domctl op;

	s->id = dc_make_small_domu(s->mfn, PAGES);
	if (s->id < 0)
		return false;
	for (unsigned int pfn = 0; pfn < PAGES; pfn++) {
		if (dc_map_foreign(s->mfn[pfn], (domid_t)s->id))
			return gpv_test_check(false, "its pages mapped (foreign mmu_update)");
		fill_page(s, pfn, (uint64_t *)dc_scratch);
		dc_unmap_foreign();
	}
	pin.arg1.mfn = s->mfn[0];
	if (!gpv_test_eq(gpv_mmuext_op(&pin, 1, NULL, (domid_t)s->id), 0, "its L4 pinned"))
		return false;
	memset(&c, 0, sizeof(c));
	c.flags = VGCF_in_kernel | VGCF_online;
	c.user_regs.rip = c.event_callback_eip = c.failsafe_callback_eip = CODE_VA;
	c.user_regs.rsp = c.kernel_sp = STACK_TOP;
	c.user_regs.cs = FLAT_KERNEL_CS;
	c.user_regs.ss = c.kernel_ss = FLAT_KERNEL_SS;
	c.user_regs.ds = c.user_regs.es = FLAT_KERNEL_DS;
	c.ctrlreg[3] = xen_pfn_to_cr3(s->mfn[0]);
	dc_dinit(&op, XEN_DOMCTL_setvcpucontext, (domid_t)s->id);
	set_xen_guest_handle(op.u.vcpucontext.ctxt, &c);
	return gpv_test_eq(dc_domctl(&op), 0, "its vCPU context set");
}

static uint64_t counter(const struct spinner *s)
{
	uint64_t v;

	if (dc_map_foreign(s->mfn[COUNTER_PFN], (domid_t)s->id))
		return 0;
	v = *(volatile uint64_t *)dc_scratch;
	dc_unmap_foreign();
	return v;
}

static uint64_t cpu_ns(const struct spinner *s)
{
	struct xen_domctl op;

	dc_dinit(&op, XEN_DOMCTL_getvcpuinfo, (domid_t)s->id);
	return dc_domctl(&op) ? 0 : op.u.getvcpuinfo.cpu_time;
}

static uint32_t sched_id = XEN_SCHEDULER_CREDIT2; /* of the pool measured */
static unsigned int eagains;			  /* the last pool_op's -EAGAIN answers */

static long pool_op(uint32_t cmd, uint32_t pool, uint32_t arg)
{
	struct xen_sysctl op;
	long rc;

	dc_sinit(&op, XEN_SYSCTL_cpupool_op);
	op.u.cpupool_op.op = cmd;
	op.u.cpupool_op.cpupool_id = pool;
	op.u.cpupool_op.sched_id = sched_id;
	op.u.cpupool_op.cpu = arg;
	op.u.cpupool_op.domid = (domid_t)arg;
	/* As libxc's do_sysctl_save: Xen's RMCPU of a CPU a vCPU runs on says -EAGAIN. */
	eagains = 0;
	while ((rc = dc_sysctl(&op)) == -XEN_EAGAIN && eagains < 100000)
		eagains++;
	return rc;
}

static void wait_ms(uint64_t ms)
{
	uint64_t end = gpv_time_now() + ms * MS;

	while (gpv_time_now() < end)
		gpv_sched_op(SCHEDOP_yield, NULL);
}

static void window_start(void)
{
	for (unsigned int i = 0; i < 2; i++) {
		dom[i].count = counter(&dom[i]);
		dom[i].ns = cpu_ns(&dom[i]);
	}
}

/* The window's counts and CPU times since window_start; printed. */
static void window_end(const char *name, uint64_t *count, uint64_t *ns)
{
	for (unsigned int i = 0; i < 2; i++) {
		count[i] = counter(&dom[i]) - dom[i].count;
		ns[i] = cpu_ns(&dom[i]) - dom[i].ns;
	}
	gpv_printf("BENCH: schedw: %s: counts %lu %lu, CPU ms %lu %lu over %lu ms\n", name,
		   (unsigned long)count[0], (unsigned long)count[1], (unsigned long)(ns[0] / MS),
		   (unsigned long)(ns[1] / MS), (unsigned long)WINDOW_MS);
}

static void set_params(const struct spinner *s, uint16_t weight, uint16_t cap, const char *what)
{
	gpv_test_eq(dc_schedop((domid_t)s->id, sched_id, XEN_DOMCTL_SCHEDOP_putinfo, &weight, &cap),
		    0, what);
}

/* Within 5 % of 2, in thousandths. */
static bool near_2(unsigned long permille)
{
	return permille >= 1900 && permille <= 2100;
}

/* Weights 256:512 in their pool (sched_id's scheduler); they run from here on. */
static void measure_weights(const char *area, const char *name)
{
	uint64_t count[2], ns[2];
	unsigned long by_count = 0, by_time = 0;
	/*
	 * Xen 4.17 under TCG: credit2 1.0-1.9, credit1 2.01-2.04 on a quiet host
	 * but 1.58 in a first window at load 9: checked only on Lamina.
	 */
	bool strict = on_lamina;

	gpv_test_area(area);
	set_params(&dom[0], 256, 0, "first domU: weight 256");
	set_params(&dom[1], 512, 0, "second domU: weight 512");
	for (unsigned int i = 0; i < 2; i++)
		gpv_test_eq(dc_simple(XEN_DOMCTL_unpausedomain, (domid_t)dom[i].id), 0,
			    "unpause a domU");
	wait_ms(WARMUP_MS);
	for (unsigned int run = 1; run <= 3; run++) {
		window_start();
		wait_ms(WINDOW_MS);
		window_end(name, count, ns);
		by_count = count[0] ? (unsigned long)(count[1] * 1000 / count[0]) : 0;
		by_time = ns[0] ? (unsigned long)(ns[1] * 1000 / ns[0]) : 0;
		if (!strict || near_2(by_time))
			break;
	}
	if (strict) {
		gpv_test_checkf(by_count >= 1700 && by_count <= 2300,
				"counts 1:2 within 15% (measured in the guests)", "ratio %lu/1000",
				by_count);
		gpv_test_checkf(near_2(by_time), "CPU time 1:2 within 5% (getvcpuinfo)",
				"ratio %lu/1000", by_time);
	} else {
		gpv_test_checkf(by_count > 1200 && by_time > 1200,
				"the heavier domain gets more (Xen under TCG: not within 5%)",
				"ratios %lu/1000 %lu/1000", by_count, by_time);
	}
}

static void measure_cap(void)
{
	uint64_t count[2], ns[2];
	unsigned long permille;

	gpv_test_area("schedw: a cap of 25%");
	set_params(&dom[0], 256, 25, "first domU: cap 25");
	set_params(&dom[1], 256, 0, "second domU: weight 256, no cap");
	wait_ms(WARMUP_MS);
	window_start();
	wait_ms(WINDOW_MS);
	window_end("cap 25%", count, ns);
	permille = (unsigned long)(ns[0] * 1000 / (WINDOW_MS * MS));
	gpv_test_checkf(permille > 0 && permille <= 300,
			"the capped domU ran, and got at most 30% of the CPU", "%lu/1000",
			permille);
	permille = (unsigned long)(ns[1] * 1000 / (WINDOW_MS * MS));
	gpv_test_checkf(permille >= 650, "the uncapped one got the rest (at least 65%)", "%lu/1000",
			permille);
}

static long vcpu_cpu(const struct spinner *s)
{
	struct xen_domctl op;

	dc_dinit(&op, XEN_DOMCTL_getvcpuinfo, (domid_t)s->id);
	return dc_domctl(&op) ? -1 : (long)op.u.getvcpuinfo.cpu;
}

static long pin(const struct spinner *s, uint8_t cpus)
{
	struct xen_domctl op;
	uint8_t soft = 0;

	dc_dinit(&op, XEN_DOMCTL_setvcpuaffinity, (domid_t)s->id);
	op.u.vcpuaffinity.flags = XEN_VCPUAFFINITY_HARD;
	set_xen_guest_handle(op.u.vcpuaffinity.cpumap_hard.bitmap, &cpus);
	set_xen_guest_handle(op.u.vcpuaffinity.cpumap_soft.bitmap, &soft);
	op.u.vcpuaffinity.cpumap_hard.nr_bits = op.u.vcpuaffinity.cpumap_soft.nr_bits = 8;
	return dc_domctl(&op);
}

/*
 * RMCPU of the CPU a CPU-bound domU runs on (pinned there), from dom0 on
 * CPU 0: it returns, the domU goes on running on CPU 0 (its affinity
 * broken), CPU 1 is free. dom[0] is paused again after.
 */
static void check_rmcpu_busy(void)
{
	uint64_t t0, c0;
	long rc;

	gpv_test_area("schedw: RMCPU of a CPU a busy domU runs on");
	gpv_test_eq(pin(&dom[0], 0x02), 0, "first domU pinned to CPU 1");
	gpv_test_eq(dc_simple(XEN_DOMCTL_unpausedomain, (domid_t)dom[0].id), 0, "unpaused");
	wait_ms(300);
	c0 = counter(&dom[0]);
	gpv_test_checkf(c0 > 0 && vcpu_cpu(&dom[0]) == 1, "it counts, on CPU 1",
			"count %lu, CPU %ld", (unsigned long)c0, vcpu_cpu(&dom[0]));
	t0 = gpv_time_now();
	rc = pool_op(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 0, 1);
	gpv_printf("BENCH: schedw: RMCPU of the busy CPU took %lu us, %u times -EAGAIN first\n",
		   (unsigned long)((gpv_time_now() - t0) / 1000), eagains);
	gpv_test_eq(rc, 0, "RMCPU CPU 1 from pool 0: 0 (after -EAGAIN retries on Xen)");
	wait_ms(300);
	gpv_test_checkf(vcpu_cpu(&dom[0]) == 0 && counter(&dom[0]) > c0,
			"the domU goes on counting, on CPU 0", "CPU %ld", vcpu_cpu(&dom[0]));
	gpv_test_eq(dc_simple(XEN_DOMCTL_pausedomain, (domid_t)dom[0].id), 0, "paused again");
}

/* Both domUs paused into pool 0, CPU 1 into a new pool of sched, the domUs into it. */
static bool new_pool(uint32_t from, uint32_t to, uint32_t sched)
{
	bool ok = true;

	for (unsigned int i = 0; i < 2 && from; i++) {
		/*
		 * The cap off first: Xen's credit2 parks a capped vCPU out of
		 * budget and, if it leaves the pool parked, it never runs again.
		 */
		set_params(&dom[i], 256, 0, "the domU's cap off");
		ok &= gpv_test_eq(dc_simple(XEN_DOMCTL_pausedomain, (domid_t)dom[i].id), 0,
				  "a domU paused");
		ok &= gpv_test_eq(pool_op(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, 0, (uint32_t)dom[i].id),
				  0, "the domU into pool 0 (paused)");
	}
	if (from)
		ok &= gpv_test_eq(pool_op(XEN_SYSCTL_CPUPOOL_OP_RMCPU, from, 1), 0,
				  "CPU 1 out of the old pool");
	sched_id = sched;
	ok &= gpv_test_eq(pool_op(XEN_SYSCTL_CPUPOOL_OP_CREATE, to, 0), 0, "a new cpupool");
	ok &= gpv_test_eq(pool_op(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, to, 1), 0, "CPU 1 into it");
	for (unsigned int i = 0; i < 2; i++)
		ok &= gpv_test_eq(
			pool_op(XEN_SYSCTL_CPUPOOL_OP_MOVEDOMAIN, to, (uint32_t)dom[i].id), 0,
			"the domU into it");
	return ok;
}

int gpv_main(void)
{
	static xen_changeset_info_t cs;

	on_lamina = gpv_xen_version(XENVER_changeset, &cs) == 0 && !strcmp(cs, "lamina");
	gpv_test_area("schedw: set-up");
	if (!gpv_test_eq(dc_scratch_init(), 0, "the scratch page's L1 entry"))
		return gpv_test_finish();
	for (unsigned int i = 0; i < 2; i++)
		if (!build(&dom[i]))
			return gpv_test_finish();
	check_rmcpu_busy();
	if (!new_pool(0, 1, XEN_SCHEDULER_CREDIT2))
		return gpv_test_finish();
	measure_weights("schedw: weights 256:512 on one CPU of their own pool", "weights 256:512");
	measure_cap();
	if (new_pool(1, 2, XEN_SCHEDULER_CREDIT))
		measure_weights("schedw: credit: weights 256:512 on one CPU of their own pool",
				"credit weights 256:512");
	gpv_test_area("schedw: teardown");
	/* The domUs die in their pool: Xen's domain_kill takes them out of it. */
	for (unsigned int i = 0; i < 2; i++)
		gpv_test_eq(dc_simple(XEN_DOMCTL_destroydomain, (domid_t)dom[i].id), 0,
			    "destroydomain");
	gpv_test_eq(pool_op(XEN_SYSCTL_CPUPOOL_OP_RMCPU, 2, 1), 0, "CPU 1 out of the credit pool");
	gpv_test_eq(pool_op(XEN_SYSCTL_CPUPOOL_OP_ADDCPU, 0, 1), 0, "CPU 1 back in pool 0");
	gpv_test_eq(pool_op(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 2, 0), 0, "the credit pool destroyed");
	gpv_test_eq(pool_op(XEN_SYSCTL_CPUPOOL_OP_DESTROY, 1, 0), 0, "cpupool 1 destroyed");
	return gpv_test_finish();
}
