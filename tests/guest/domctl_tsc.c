// SPDX-License-Identifier: MIT
/*
 * domctl_tsc: XEN_DOMCTL_settscinfo and XEN_DOMCTL_gettscinfo as Xen 4.17
 * answers them for a PV domU (xen/arch/x86/time.c tsc_set_info and
 * tsc_get_info), and dom0's own time leaf (CPUID 0x40000003):
 *   - the caller's own domain: -EINVAL both; an unknown domain -ESRCH
 *   - a new domU: mode DEFAULT, incarnation 1, the host's frequency;
 *     emulated (elapsed = its age) when the host TSC is not safe, native
 *     (elapsed = the host TSC in ns) when it is
 *   - modes 3 (PVRDTSCP, gone in 4.17), 4 and ~0: -EINVAL, nothing changed
 *   - ALWAYS_EMULATE with an elapsed time and frequency: both come back,
 *     the elapsed time grown by at most the test's run, incarnation + 1
 *   - NEVER_EMULATE: elapsed 0, frequency 0
 *   - DEFAULT at another frequency: emulated at that frequency
 *   - a domU that runs with ALWAYS_EMULATE at 1 MHz (domctl_tsc-guest.S)
 *     sees it: its time leaf (emulated, mode 1, 1000 kHz, incarnation,
 *     offset 0, the 1 MHz scale), RDTSC, RDTSCP (with TSC_AUX 0) and
 *     RDMSR(TSC) counting its own microseconds, never backwards, and its
 *     vcpu_time_info carries that scale and TSC
 * Whether the host TSC is safe is dom0's time leaf's bit 1 (QEMU's TCG has
 * no invariant TSC: then Xen emulates a DEFAULT domU's TSC).
 *
 * The running domU's results page (its pfn 7): 0x00 leaf 0x40000003.0
 * EAX-EDX, 0x10 sub-leaf 1, 0x20 and 0x28 two RDTSCs, 0x30 RDTSCP's
 * EAX/EDX/ECX, 0x3c CPUID 0x80000001 EDX, 0x40 RDMSR(TSC).
 */
#include "domctl-lib.h"
#include <gpv/test.h>
#include <gpv/time.h>
#include <gpv/probe.h>
#include <gpv/hypercall.h>

#define SEC 1000000000ULL
#define MS 1000000ULL
#define MODE_DEFAULT 0
#define MODE_ALWAYS_EMULATE 1
#define MODE_NEVER_EMULATE 2
#define MODE_PVRDTSCP 3	      /* Xen 4.16 had it; 4.17 refuses it */
#define SLACK (60 * SEC)      /* the most the test itself takes under TCG */
#define MHZ_1_MUL 4194304000U /* Xen's set_time_scale(1 MHz): 0.9765625 << 32, */
#define MHZ_1_SHIFT 10	      /* with shift 10 */
#define UNSET 0x5a5a5a5aU

extern const char tsc_domu_start[], tsc_domu_end[];

struct tsc {
	uint32_t mode, khz, inc;
	uint64_t elapsed;
};

static uint32_t host_khz;
static bool host_safe;

static long get_tsc(domid_t dom, struct tsc *t)
{
	struct xen_domctl op;
	long rc;

	dc_dinit(&op, XEN_DOMCTL_gettscinfo, dom);
	op.u.tsc_info.tsc_mode = 0x5a5a;
	rc = dc_domctl(&op);
	*t = (struct tsc){ op.u.tsc_info.tsc_mode, op.u.tsc_info.gtsc_khz,
			   op.u.tsc_info.incarnation, op.u.tsc_info.elapsed_nsec };
	return rc;
}

static long set_tsc(domid_t dom, uint32_t mode, uint64_t elapsed, uint32_t khz, uint32_t inc)
{
	struct xen_domctl op;

	dc_dinit(&op, XEN_DOMCTL_settscinfo, dom);
	op.u.tsc_info.tsc_mode = mode;
	op.u.tsc_info.elapsed_nsec = elapsed;
	op.u.tsc_info.gtsc_khz = khz;
	op.u.tsc_info.incarnation = inc;
	return dc_domctl(&op);
}

/* The host TSC now in ns at the host's frequency (what a native get reports). */
static uint64_t host_tsc_ns(void)
{
	uint64_t tsc = gpv_rdtsc();

	return tsc / host_khz * 1000000ULL + tsc % host_khz * 1000000ULL / host_khz;
}

static bool near(uint64_t got, uint64_t want, uint64_t slack)
{
	return got >= want && got - want <= slack;
}

static void check_dom0(void)
{
	struct xen_sysctl op;
	struct tsc t;
	uint32_t r[4];

	gpv_test_area("dom0");
	dc_sinit(&op, XEN_SYSCTL_physinfo);
	gpv_test_eq(dc_sysctl(&op), 0, "physinfo");
	host_khz = op.u.physinfo.cpu_khz;
	gpv_test_check(host_khz > 1000, "physinfo: a TSC frequency");
	gpv_cpuid(0x40000003, 0, r);
	host_safe = r[0] & 2;
	gpv_test_info("host %u kHz, TSC %s, RDTSCP %s", host_khz, host_safe ? "safe" : "not safe",
		      r[0] & 4 ? "yes" : "no");
	gpv_test_eq(r[0] & 1, 0, "time leaf: dom0's TSC is native");
	gpv_test_eq(r[1], MODE_DEFAULT, "time leaf: dom0's mode DEFAULT");
	gpv_test_eq(r[2], 0, "time leaf: dom0's frequency 0 (never set for a PV dom0)");
	gpv_test_eq(r[3], 0, "time leaf: dom0's incarnation 0");
	gpv_cpuid(0x40000003, 1, r);
	gpv_test_check(!r[0] && !r[1] && !r[2] && !r[3], "time leaf 1: no offset, no scale");
	gpv_cpuid(0x40000003, 2, r);
	gpv_test_eq(r[0], host_khz, "time leaf 2: the host's frequency, physinfo's");
	gpv_test_eq(get_tsc(0, &t), -XEN_EINVAL, "gettscinfo of itself: -EINVAL");
	gpv_test_eq(set_tsc(0, MODE_DEFAULT, 0, 0, 0), -XEN_EINVAL,
		    "settscinfo of itself: -EINVAL");
	gpv_test_eq(get_tsc(DOMID_SELF, &t), -XEN_ESRCH, "gettscinfo of DOMID_SELF: -ESRCH");
	gpv_test_eq(get_tsc(0x7000, &t), -XEN_ESRCH, "gettscinfo of no domain: -ESRCH");
	gpv_test_eq(set_tsc(0x7000, MODE_DEFAULT, 0, 0, 0), -XEN_ESRCH,
		    "settscinfo of no domain: -ESRCH");
}

/* What DEFAULT at the host's frequency reports: native if the host TSC is safe. */
static void check_default(domid_t id, uint32_t inc, const char *what)
{
	struct tsc t;
	uint64_t before = host_tsc_ns();

	gpv_test_eq(get_tsc(id, &t), 0, "gettscinfo");
	gpv_test_eq(t.mode, MODE_DEFAULT, "mode DEFAULT");
	gpv_test_eq(t.khz, host_khz, "the host's frequency");
	gpv_test_eq(t.inc, inc, what);
	if (host_safe)
		gpv_test_checkf(near(t.elapsed + 2 * SEC, before, 4 * SEC),
				"native: elapsed is the host TSC in ns", "%lu ns, TSC %lu ns",
				(unsigned long)t.elapsed, (unsigned long)before);
	else
		gpv_test_checkf(t.elapsed < SLACK, "emulated: elapsed is the domain's age",
				"%lu ns", (unsigned long)t.elapsed);
}

static void check_domu(domid_t id)
{
	struct tsc t;

	gpv_test_area("new domU");
	check_default(id, 1, "incarnation 1 (created with 0, + 1)");

	gpv_test_area("bad modes");
	gpv_test_eq(set_tsc(id, MODE_PVRDTSCP, 0, 0, 5), -XEN_EINVAL, "PVRDTSCP (3): -EINVAL");
	gpv_test_eq(set_tsc(id, 4, 0, 0, 5), -XEN_EINVAL, "mode 4: -EINVAL");
	gpv_test_eq(set_tsc(id, ~0u, 0, 0, 5), -XEN_EINVAL, "mode ~0: -EINVAL");
	gpv_test_eq(get_tsc(id, &t), 0, "gettscinfo");
	gpv_test_check(t.mode == MODE_DEFAULT && t.inc == 1, "still DEFAULT, incarnation 1");

	gpv_test_area("always emulate");
	gpv_test_eq(set_tsc(id, MODE_ALWAYS_EMULATE, 5 * SEC, 1000, 7), 0,
		    "ALWAYS_EMULATE, 5 s elapsed, 1 MHz, incarnation 7");
	gpv_test_eq(get_tsc(id, &t), 0, "gettscinfo");
	gpv_test_eq(t.mode, MODE_ALWAYS_EMULATE, "mode ALWAYS_EMULATE");
	gpv_test_eq(t.khz, 1000, "1000 kHz");
	gpv_test_eq(t.inc, 8, "incarnation 8");
	gpv_test_checkf(near(t.elapsed, 5 * SEC, SLACK), "elapsed 5 s and what ran since", "%lu ns",
			(unsigned long)t.elapsed);
	gpv_test_eq(set_tsc(id, MODE_ALWAYS_EMULATE, 0, 0, 0), 0, "ALWAYS_EMULATE, frequency 0");
	gpv_test_eq(get_tsc(id, &t), 0, "gettscinfo");
	gpv_test_eq(t.khz, host_khz, "frequency 0 is the host's");
	gpv_test_checkf(t.elapsed < SLACK, "elapsed from 0", "%lu ns", (unsigned long)t.elapsed);

	gpv_test_area("native");
	gpv_test_eq(set_tsc(id, MODE_NEVER_EMULATE, 9 * SEC, 2000, 8), 0, "NEVER_EMULATE");
	gpv_test_eq(get_tsc(id, &t), 0, "gettscinfo");
	gpv_test_eq(t.mode, MODE_NEVER_EMULATE, "mode NEVER_EMULATE");
	gpv_test_check(t.elapsed == 0 && t.khz == 0, "elapsed 0, frequency 0");
	gpv_test_eq(t.inc, 9, "incarnation 9");

	gpv_test_area("default");
	gpv_test_eq(set_tsc(id, MODE_DEFAULT, 0, host_khz / 2, 0), 0,
		    "DEFAULT at half the host's frequency");
	gpv_test_eq(get_tsc(id, &t), 0, "gettscinfo");
	gpv_test_check(t.mode == MODE_DEFAULT && t.khz == host_khz / 2 && t.inc == 1,
		       "DEFAULT, that frequency, incarnation 1");
	gpv_test_checkf(t.elapsed < SLACK, "emulated (another frequency): elapsed from 0", "%lu ns",
			(unsigned long)t.elapsed);
	gpv_test_eq(set_tsc(id, MODE_DEFAULT, 0, 0, 3), 0, "DEFAULT, frequency 0, incarnation 3");
	check_default(id, 4, "incarnation 4");
}

static void fill_page(unsigned int pfn, char *page)
{
	if (pfn == 4)
		memcpy(page, tsc_domu_start, (size_t)(tsc_domu_end - tsc_domu_start));
	if (pfn == 7)
		memset(page, 0x5a, 0x100);
}

static uint64_t u64_at(const char *page, unsigned int off)
{
	const uint32_t *w = (const uint32_t *)(page + off);

	return (uint64_t)w[1] << 32 | w[0];
}

/* What the emulating domU saw (its results page, mapped at dc_scratch). */
static void check_seen(const char *page, uint32_t dom0_leaf_a)
{
	const uint32_t *w = (const uint32_t *)page;
	uint64_t t1 = u64_at(page, 0x20), t2 = u64_at(page, 0x28), t3 = u64_at(page, 0x30);
	uint64_t t4 = u64_at(page, 0x40);
	bool rdtscp = w[0x3c / 4] & (1u << 27);

	gpv_test_eq(w[0] & 1, 1, "time leaf: emulated");
	gpv_test_eq(w[0] & 6, dom0_leaf_a & 6, "time leaf: safe and RDTSCP bits as dom0's");
	gpv_test_eq(w[1], MODE_ALWAYS_EMULATE, "time leaf: mode ALWAYS_EMULATE");
	gpv_test_eq(w[2], 1000, "time leaf: 1000 kHz");
	gpv_test_eq(w[3], 1, "time leaf: incarnation 1");
	gpv_test_check(!w[4] && !w[5], "time leaf 1: offset 0 (applied to the emulated TSC)");
	gpv_test_eq(w[6], MHZ_1_MUL, "time leaf 1: the 1 MHz multiplier");
	gpv_test_eq(w[7], MHZ_1_SHIFT, "time leaf 1: shift 10");
	gpv_test_checkf(t1 > 0 && t1 < SLACK / 1000, "RDTSC: its microseconds since the set", "%lu",
			(unsigned long)t1);
	gpv_test_checkf(t2 >= t1, "a second RDTSC: not back", "%lu, %lu", (unsigned long)t1,
			(unsigned long)t2);
	if (rdtscp) {
		gpv_test_checkf(t3 >= t2 && t3 < SLACK / 1000, "RDTSCP: the same counter",
				"%lu after %lu", (unsigned long)t3, (unsigned long)t2);
		gpv_test_eq(w[0x38 / 4], 0, "RDTSCP: ECX is TSC_AUX (0)");
	} else {
		gpv_test_info("no RDTSCP in the domU's CPUID: not run");
		t3 = t2;
	}
	gpv_test_checkf(t4 >= t3 && t4 < SLACK / 1000, "RDMSR(TSC): the same counter",
			"%lu after %lu", (unsigned long)t4, (unsigned long)t3);
}

/* Its vCPU's time record: the emulated scale, a TSC stamp in its own counter. */
static void check_time_info(domid_t id, uint64_t set_from, uint64_t set_to)
{
	struct xen_domctl_getdomaininfo di;
	uint64_t zero;
	const shared_info_t *si = (const void *)dc_scratch;

	gpv_test_eq(dc_info(id, &di), 0, "getdomaininfo");
	if (!gpv_test_eq(dc_map_foreign(di.shared_info_frame, id), 0,
			 "map its shared_info (foreign mmu_update)"))
		return;
	gpv_test_eq(si->vcpu_info[0].time.tsc_to_system_mul, MHZ_1_MUL,
		    "vcpu_time_info: the 1 MHz multiplier");
	gpv_test_eq(si->vcpu_info[0].time.tsc_shift, MHZ_1_SHIFT, "vcpu_time_info: shift 10");
	/*
	 * The stamp is the guest's TSC at system_time (Xen takes a CPU's last
	 * calibration stamp, which may be before the set: then it is negative),
	 * so system_time - stamp at 1 MHz is when the guest's TSC was 0: the set.
	 */
	zero = si->vcpu_info[0].time.system_time -
	       (uint64_t)((int64_t)si->vcpu_info[0].time.tsc_timestamp * 1000);
	gpv_test_checkf(zero + MS >= set_from && zero <= set_to + MS,
			"vcpu_time_info: the stamp counts from the set",
			"TSC 0 at %lu, set in %lu-%lu", (unsigned long)zero,
			(unsigned long)set_from, (unsigned long)set_to);
	dc_unmap_foreign();
}

/* A domU run with its TSC emulated at 1 MHz. */
static void check_running(void)
{
	static struct vcpu_guest_context c;
	xen_pfn_t mfn[DC_NR_PAGES];
	struct xen_domctl op;
	uint32_t r[4], flags;
	uint64_t set_from, set_to;
	long id;

	gpv_test_area("running domU");
	gpv_cpuid(0x40000003, 0, r);
	id = dc_make_small_domu(mfn, DC_NR_PAGES);
	if (id < 0 || !gpv_test_eq(dc_scratch_init(), 0, "the scratch page's L1 entry") ||
	    dc_fill_small_domu((domid_t)id, mfn, fill_page))
		return;
	dc_small_ctx(&c, mfn[0]);
	dc_dinit(&op, XEN_DOMCTL_setvcpucontext, (domid_t)id);
	set_xen_guest_handle(op.u.vcpucontext.ctxt, &c);
	gpv_test_eq(dc_domctl(&op), 0, "setvcpucontext");
	set_from = gpv_time_now();
	gpv_test_eq(set_tsc((domid_t)id, MODE_ALWAYS_EMULATE, 0, 1000, 0), 0,
		    "ALWAYS_EMULATE at 1 MHz from 0");
	set_to = gpv_time_now();
	flags = dc_run_until_shutdown((domid_t)id, 10);
	gpv_test_check(flags & XEN_DOMINF_shutdown, "it ran and shut itself down");
	gpv_test_eq(flags >> XEN_DOMINF_shutdownshift, SHUTDOWN_poweroff,
		    "poweroff (no fault on the way)");
	if (gpv_test_eq(dc_map_foreign(mfn[7], (domid_t)id), 0, "map its results page")) {
		check_seen(dc_scratch, r[0]);
		dc_unmap_foreign();
	}
	check_time_info((domid_t)id, set_from, set_to);
	gpv_test_eq(dc_simple(XEN_DOMCTL_destroydomain, (domid_t)id), 0, "destroydomain");
}

int gpv_main(void)
{
	struct xen_domctl op;
	struct tsc t;

	check_dom0();
	gpv_test_area("createdomain");
	dc_cfg(&op, 0);
	if (gpv_test_eq(dc_domctl(&op), 0, "a PV domU")) {
		domid_t id = op.domain;

		check_domu(id);
		gpv_test_area("destroy");
		gpv_test_eq(dc_simple(XEN_DOMCTL_destroydomain, id), 0, "destroydomain");
		gpv_test_eq(get_tsc(id, &t), -XEN_ESRCH, "gettscinfo after destroy: -ESRCH");
	}
	check_running();
	return gpv_test_finish();
}
