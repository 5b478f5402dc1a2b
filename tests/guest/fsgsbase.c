// SPDX-License-Identifier: MIT
/*
 * fsgsbase: CR4.FSGSBASE for a PV guest, as Xen 4.17 gives it (run on a
 * CPU model with FSGSBASE, two vCPUs). The guest's CPUID shows FSGSBASE;
 * its CR4 starts without it and rd/wr{fs,gs}base are #UD. Once it sets the
 * bit (a write asking for bits it may not have keeps them out), the
 * instructions work in kernel mode, the emulated MSRs read what they
 * wrote, set_segment_base's writes leave the other bases alone, and the
 * bases survive a user-mode round trip by iret and syscall and by an
 * exception (the kernel's GS base kept, the user's as user mode wrote it,
 * FS shared), a block on the timer, and a second vCPU doing the same
 * between yields (on Lamina with one CPU the two vCPUs take turns on it).
 * vCPU 1 starts with the CR4 and bases VCPUOP_initialise gave it.
 * SEGBASE_GS_USER_SEL loads %gs (RPL 3) from the guest's GDT and takes the
 * user GS base from it, a bad or null selector giving null and base 0,
 * and leaves the kernel's alone. Clearing
 * the bit makes the instructions #UD again, in kernel and in user mode.
 * On a CPU model without FSGSBASE the guest's CPUID does not show it, the
 * bit cannot be set and the instructions stay #UD.
 */
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/mm.h>
#include <gpv/probe.h>
#include <gpv/test.h>
#include <gpv/time.h>

#include "umode.h"
#include "vcpu-lib.h"

#define CR4_FSGSBASE (1UL << 16)
#define CR4_PAE (1UL << 5)
#define CR4_SMEP (1UL << 20)
#define MSR_FS_BASE 0xc0000100u
#define MSR_GS_BASE 0xc0000101u
#define MSR_SHADOW_GS_BASE 0xc0000102u
#define VEC_UD 6
#define MS 1000000ULL
#define ROUNDS 200

#define FS1 0x00007f1100001000UL
#define FS2 0x00007f1100002000UL
#define FS3 0x00007f1100003000UL
#define FS4 0x00007f1100004000UL
#define KGS1 0xffff888011110000UL
#define KGS2 0xffff888022220000UL
#define UGS1 0x00007f2200001000UL
#define UGS2 0x00007f2200002000UL
#define UGS3 0x00007f2200003000UL
#define UGS4 0x00007f2200004000UL
#define AP_FS 0x00007f3300000000UL
#define AP_GS 0xffff888033330000UL
#define SEL_BASE 0x12345000UL
/* A data descriptor (DPL 0: set_gdt raises it to 3) with base SEL_BASE. */
#define DESC_DATA_BASED \
	(0x00cf92000000ffffULL | ((SEL_BASE & 0xffffffULL) << 16) | ((SEL_BASE >> 24) << 56))

bool fg_rdfsbase(uint64_t *val);
bool fg_rdgsbase(uint64_t *val);
bool fg_wrfsbase(uint64_t val);
bool fg_wrgsbase(uint64_t val);
void fg_user_bases(void);
void fg_user_trap(void);
void fg_user_rdfsbase(void);

static struct vcpu_guest_context ctx;
static uint8_t ap_stack[8192] __attribute__((aligned(16)));
static volatile uint64_t ap_cr4, ap_fs, ap_gs;
static volatile unsigned long ap_rounds, ap_bad;
static volatile int ap_done;
static unsigned long timer_events;
static uint64_t gdt[512] __attribute__((aligned(4096)));

static uint64_t rd_cr4(void)
{
	uint64_t v = ~0UL;

	gpv_probe_read_cr(4, &v);
	return v;
}

static uint64_t rd_msr(uint32_t msr)
{
	uint64_t v = ~0UL;

	gpv_probe_rdmsr(msr, &v);
	return v;
}

static uint64_t rd_fs(void)
{
	uint64_t v = ~0UL;

	fg_rdfsbase(&v);
	return v;
}

static uint64_t rd_gs(void)
{
	uint64_t v = ~0UL;

	fg_rdgsbase(&v);
	return v;
}

/* The check "name: the FS and GS base are fs and gs" by the instructions. */
static void check_bases(uint64_t fs, uint64_t gs, const char *name)
{
	uint64_t f = rd_fs(), g = rd_gs();

	gpv_test_checkf(f == fs && g == gs, name, "fs %#lx gs %#lx, want %#lx %#lx",
			(unsigned long)f, (unsigned long)g, (unsigned long)fs, (unsigned long)gs);
}

static void check_ud(bool completed, const char *name)
{
	gpv_test_checkf(!completed && gpv_last_fault.vector == VEC_UD, name, "vector %lu",
			completed ? 999UL : (unsigned long)gpv_last_fault.vector);
}

static bool policy_has_fsgsbase(void)
{
	uint32_t r[4];

	gpv_cpuid(0, 0, r);
	if (r[0] < 7)
		return false;
	gpv_cpuid(7, 0, r);
	return r[1] & 1;
}

/* Without CR4.FSGSBASE (at start, or on a CPU model without it). */
static void check_without(const char *when)
{
	uint64_t v;

	gpv_test_area(when);
	gpv_test_check(!(rd_cr4() & CR4_FSGSBASE), "CR4.FSGSBASE reads clear");
	check_ud(fg_rdfsbase(&v), "rdfsbase in kernel mode is #UD");
	check_ud(fg_rdgsbase(&v), "rdgsbase in kernel mode is #UD");
	check_ud(fg_wrfsbase(FS1), "wrfsbase in kernel mode is #UD");
	check_ud(fg_wrgsbase(KGS1), "wrgsbase in kernel mode is #UD");
	gpv_test_eq(gpv_set_segment_base(SEGBASE_FS, FS4), 0, "set_segment_base(FS) = 0");
	gpv_test_check(rd_msr(MSR_FS_BASE) == FS4, "rdmsr FS_BASE reads it");
}

static void check_enable(void)
{
	uint64_t before = rd_cr4();

	gpv_test_area("fsgsbase: enable");
	gpv_test_check(before & CR4_PAE, "CR4 shows the host's PAE");
	gpv_test_check(gpv_probe_write_cr(4, before | CR4_FSGSBASE | CR4_SMEP),
		       "mov to CR4 with FSGSBASE (and SMEP) completes");
	gpv_test_checkf(rd_cr4() == (before | CR4_FSGSBASE), "CR4 reads FSGSBASE set, SMEP not",
			"cr4 %#lx", (unsigned long)rd_cr4());
}

static void check_kernel(void)
{
	gpv_test_area("fsgsbase: kernel mode");
	gpv_test_check(fg_wrfsbase(FS1), "wrfsbase completes");
	gpv_test_check(fg_wrgsbase(KGS1), "wrgsbase completes");
	check_bases(FS1, KGS1, "rd{fs,gs}base read what wr{fs,gs}base wrote");
	gpv_test_check(rd_msr(MSR_FS_BASE) == FS1, "rdmsr FS_BASE reads the wrfsbase value");
	gpv_test_check(rd_msr(MSR_GS_BASE) == KGS1, "rdmsr GS_BASE reads the wrgsbase value");
	gpv_test_eq(gpv_set_segment_base(SEGBASE_GS_USER, UGS1), 0,
		    "set_segment_base(GS_USER) = 0");
	check_bases(FS1, KGS1, "after set_segment_base(GS_USER): FS and kernel GS kept");
	gpv_test_check(rd_msr(MSR_SHADOW_GS_BASE) == UGS1, "rdmsr SHADOW_GS_BASE reads it");
	gpv_test_eq(gpv_set_segment_base(SEGBASE_FS, FS2), 0, "set_segment_base(FS) = 0");
	check_bases(FS2, KGS1, "after set_segment_base(FS): its FS, kernel GS kept");
	gpv_test_eq(gpv_set_segment_base(SEGBASE_GS_KERNEL, KGS2), 0,
		    "set_segment_base(GS_KERNEL) = 0");
	check_bases(FS2, KGS2, "after set_segment_base(GS_KERNEL): its GS, FS kept");
	gpv_test_check(rd_msr(MSR_SHADOW_GS_BASE) == UGS1, "the user GS base is still UGS1");
	gpv_test_check(gpv_probe_wrmsr(MSR_FS_BASE, FS1) && gpv_probe_wrmsr(MSR_GS_BASE, KGS1),
		       "wrmsr FS_BASE and GS_BASE complete");
	check_bases(FS1, KGS1, "rd{fs,gs}base read what wrmsr wrote");
}

/* One user-mode run of fn with rdi, rsi; true when it came back by vector vec. */
static bool user_run(void (*fn)(void), uint64_t rdi, uint64_t rsi, unsigned long vec)
{
	struct gpv_regs r;

	umode_regs(&r, fn);
	r.rdi = rdi;
	r.rsi = rsi;
	umode_run(&r);
	return umode_hits == 1 && umode_seen.vector == vec;
}

static void check_user(void)
{
	gpv_test_area("fsgsbase: user mode");
	if (!gpv_test_check(umode_init(), "user mode set up"))
		return;
	gpv_trap_set_hook(GPV_VEC_SYSCALL, umode_back);
	gpv_trap_set_hook(VEC_UD, umode_back);
	gpv_test_check(user_run(fg_user_bases, UGS2, FS3, GPV_VEC_SYSCALL),
		       "user mode ran rd/wr{fs,gs}base and syscalled back");
	gpv_test_checkf(umode_seen.rax == UGS1, "iret to user mode: rdgsbase reads the user GS",
			"%#lx", (unsigned long)umode_seen.rax);
	gpv_test_checkf(umode_seen.rbx == FS1, "and rdfsbase the FS base (shared)", "%#lx",
			(unsigned long)umode_seen.rbx);
	check_bases(FS3, KGS1, "after syscall: user's FS, kernel GS kept");
	gpv_test_check(rd_msr(MSR_SHADOW_GS_BASE) == UGS2,
		       "rdmsr SHADOW_GS_BASE reads what user mode wrote");
	gpv_test_check(fg_wrfsbase(FS4), "kernel wrfsbase before the next iret");
	gpv_test_check(user_run(fg_user_bases, UGS3, FS2, GPV_VEC_SYSCALL),
		       "a second user-mode run");
	gpv_test_checkf(umode_seen.rax == UGS2, "its GS base is what it wrote last time", "%#lx",
			(unsigned long)umode_seen.rax);
	gpv_test_checkf(umode_seen.rbx == FS4, "its FS base is the kernel's wrfsbase", "%#lx",
			(unsigned long)umode_seen.rbx);
	check_bases(FS2, KGS1, "after the second syscall: FS2, kernel GS kept");
	gpv_test_check(user_run(fg_user_trap, UGS4, 0, VEC_UD),
		       "user mode wrote its GS base and came back by #UD");
	check_bases(FS2, KGS1, "after the exception bounce: kernel GS kept");
	gpv_test_check(rd_msr(MSR_SHADOW_GS_BASE) == UGS4,
		       "and the user GS base is what user mode wrote");
}

static void on_timer(evtchn_port_t port, void *data)
{
	(void)port;
	(void)data;
	timer_events++;
}

static void check_block(void)
{
	long port;
	uint64_t t0, t1;

	gpv_test_area("fsgsbase: block");
	port = gpv_evtchn_bind_virq(VIRQ_TIMER);
	if (!gpv_test_checkf(port > 0, "bind VIRQ_TIMER", "rc %ld", port))
		return;
	gpv_evtchn_set_handler((evtchn_port_t)port, on_timer, NULL);
	/* Only set_timer_op raises the port (Xen's default 10 ms periodic timer off). */
	gpv_test_eq(gpv_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0,
		    "VCPUOP_stop_periodic_timer");
	check_bases(FS2, KGS1, "before the block");
	t0 = gpv_time_now();
	do {
		gpv_timer_set(t0 + 20 * MS);
		gpv_sched_op(SCHEDOP_block, NULL);
		gpv_events_mask(1);
	} while (gpv_time_now() < t0 + 20 * MS);
	t1 = gpv_time_now();
	gpv_test_checkf(timer_events > 0, "blocked until the timer's event, 20 ms on",
			"events %lu, %lu ns", timer_events, (unsigned long)(t1 - t0));
	check_bases(FS2, KGS1, "after the block: FS and kernel GS kept");
	gpv_test_check(rd_msr(MSR_SHADOW_GS_BASE) == UGS4, "and the user GS base");
}

static uint16_t gs_sel(void)
{
	uint16_t s;

	asm volatile("mov %%gs, %0" : "=r"(s));
	return s;
}

/* SEGBASE_GS_USER_SEL: %gs and the user GS base from the guest's GDT. */
static void check_gs_sel(void)
{
	unsigned long frame = gpv_virt_to_mfn(gdt);
	uint64_t pte = ((uint64_t)frame << 12) | 5; /* present, user, read-only */

	gpv_test_area("fsgsbase: GS_USER_SEL");
	gdt[2] = DESC_DATA_BASED;
	gpv_test_eq(gpv_update_va_mapping((unsigned long)gdt, pte, UVMF_INVLPG), 0,
		    "map a GDT page read-only");
	gpv_test_eq(gpv_set_gdt(&frame, 16), 0, "set_gdt with a data descriptor of base SEL_BASE");
	gpv_test_eq(gpv_set_segment_base(SEGBASE_GS_USER_SEL, 2 << 3), 0,
		    "set_segment_base(GS_USER_SEL, 0x10) = 0");
	gpv_test_eq(gs_sel(), (2 << 3) | 3, "%gs is the selector with RPL 3");
	gpv_test_checkf(rd_msr(MSR_SHADOW_GS_BASE) == SEL_BASE, "the user GS base is its base",
			"%#lx", (unsigned long)rd_msr(MSR_SHADOW_GS_BASE));
	check_bases(FS2, KGS1, "FS and the kernel GS base kept");
	gpv_test_check(user_run(fg_user_bases, UGS4, FS2, GPV_VEC_SYSCALL), "a user-mode run");
	gpv_test_checkf(umode_seen.rax == SEL_BASE,
			"user mode's rdgsbase reads the descriptor's base", "%#lx",
			(unsigned long)umode_seen.rax);
	gpv_test_eq(gpv_set_segment_base(SEGBASE_GS_USER_SEL, 100 << 3), 0,
		    "GS_USER_SEL of a selector past the GDT = 0 (never an error)");
	gpv_test_eq(gs_sel(), 0, "%gs is null");
	gpv_test_checkf(rd_msr(MSR_SHADOW_GS_BASE) == 0, "the user GS base is 0", "%#lx",
			(unsigned long)rd_msr(MSR_SHADOW_GS_BASE));
	gpv_test_eq(gpv_set_segment_base(SEGBASE_GS_USER_SEL, 2 << 3), 0, "GS_USER_SEL 0x10 again");
	gpv_test_eq(gpv_set_segment_base(SEGBASE_GS_USER_SEL, 0), 0, "then GS_USER_SEL 0");
	gpv_test_checkf(gs_sel() == 0 && rd_msr(MSR_SHADOW_GS_BASE) == 0,
			"a null selector leaves %gs null and the user GS base 0", "%#x %#lx",
			gs_sel(), (unsigned long)rd_msr(MSR_SHADOW_GS_BASE));
	check_bases(FS2, KGS1, "the kernel GS base still kept");
}

static void ap_main(void)
{
	uint64_t cr4, f = ~0UL, g = ~0UL;

	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	ap_cr4 = cr4;
	if (cr4 & CR4_FSGSBASE) {
		asm volatile("rdfsbase %0; rdgsbase %1" : "=r"(f), "=r"(g));
		ap_fs = f;
		ap_gs = g;
		for (unsigned long i = 0; i < ROUNDS; i++) {
			f = AP_FS + (i << 12);
			g = AP_GS + (i << 12);
			asm volatile("wrfsbase %0; wrgsbase %1" : : "r"(f), "r"(g));
			gpv_sched_op(SCHEDOP_yield, NULL);
			asm volatile("rdfsbase %0; rdgsbase %1" : "=r"(f), "=r"(g));
			if (f != AP_FS + (i << 12) || g != AP_GS + (i << 12))
				ap_bad++;
			ap_rounds++;
		}
	}
	ap_done = 1;
	for (;;)
		gpv_vcpu_op(VCPUOP_down, 1, NULL);
}

static void check_two_vcpus(void)
{
	unsigned long rounds = 0, bad = 0;
	uint64_t limit;

	gpv_test_area("fsgsbase: two vCPUs");
	if (!gpv_test_eq(gpv_vcpu_op(VCPUOP_is_up, 1, NULL), 0, "the domain has a vCPU 1"))
		return;
	vl_kernel_context(&ctx, ap_main, ap_stack + sizeof(ap_stack));
	ctx.ctrlreg[4] = CR4_FSGSBASE | CR4_SMEP;
	ctx.fs_base = AP_FS;
	ctx.gs_base_kernel = AP_GS;
	gpv_test_eq(gpv_vcpu_op(VCPUOP_initialise, 1, &ctx), 0, "initialise(1) with CR4.FSGSBASE");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_up, 1, NULL), 0, "up(1)");
	limit = gpv_time_now() + 20000 * MS;
	/* At least ROUNDS of its own: on two CPUs vCPU 1 may be done before vCPU 0 starts. */
	while ((!ap_done || rounds < ROUNDS) && gpv_time_now() < limit) {
		uint64_t f = FS3 + (rounds << 12), g = KGS2 + (rounds << 12);

		fg_wrfsbase(f);
		fg_wrgsbase(g);
		gpv_sched_op(SCHEDOP_yield, NULL);
		if (rd_fs() != f || rd_gs() != g)
			bad++;
		rounds++;
	}
	gpv_test_eq(ap_done, 1, "vCPU 1 ran to its end");
	gpv_test_checkf((ap_cr4 & (CR4_FSGSBASE | CR4_SMEP)) == CR4_FSGSBASE,
			"vCPU 1's CR4 has FSGSBASE from its context, not SMEP", "cr4 %#lx",
			(unsigned long)ap_cr4);
	gpv_test_checkf(ap_fs == AP_FS && ap_gs == AP_GS, "vCPU 1 started with its context's bases",
			"fs %#lx gs %#lx", (unsigned long)ap_fs, (unsigned long)ap_gs);
	gpv_test_checkf(ap_rounds == ROUNDS && ap_bad == 0, "vCPU 1's bases survived 200 yields",
			"%lu rounds, %lu bad", ap_rounds, ap_bad);
	gpv_test_checkf(rounds >= ROUNDS && bad == 0,
			"vCPU 0's bases survived its 200 or more yields", "%lu rounds, %lu bad",
			rounds, bad);
	gpv_test_info("vCPU 0 yielded %lu times", rounds);
}

static void check_disable(void)
{
	uint64_t v;

	gpv_test_area("fsgsbase: disable");
	gpv_test_check(gpv_probe_write_cr(4, rd_cr4() & ~CR4_FSGSBASE),
		       "mov to CR4 without FSGSBASE completes");
	gpv_test_check(!(rd_cr4() & CR4_FSGSBASE), "CR4.FSGSBASE reads clear");
	check_ud(fg_rdfsbase(&v), "rdfsbase in kernel mode is #UD again");
	check_ud(fg_wrgsbase(KGS1), "wrgsbase in kernel mode is #UD again");
	gpv_test_check(rd_msr(MSR_GS_BASE) != ~0UL && rd_msr(MSR_FS_BASE) != ~0UL,
		       "the bases still read by rdmsr");
	gpv_test_check(user_run(fg_user_rdfsbase, 0, 0, VEC_UD),
		       "rdfsbase in user mode is #UD, bounced to the kernel's handler");
}

int gpv_main(void)
{
	bool has = policy_has_fsgsbase();

	gpv_test_info("the guest's CPUID shows FSGSBASE: %s", has ? "yes" : "no");
	check_without(has ? "fsgsbase: at start" : "fsgsbase: CPU without FSGSBASE");
	if (!has) {
		uint64_t before = rd_cr4(), v;

		gpv_test_check(gpv_probe_write_cr(4, before | CR4_FSGSBASE),
			       "mov to CR4 with FSGSBASE completes");
		gpv_test_check(!(rd_cr4() & CR4_FSGSBASE), "and CR4.FSGSBASE still reads clear");
		check_ud(fg_rdfsbase(&v), "rdfsbase is still #UD");
		return gpv_test_finish();
	}
	check_enable();
	check_kernel();
	check_user();
	check_block();
	check_gs_sel();
	check_two_vcpus();
	check_disable();
	return gpv_test_finish();
}
