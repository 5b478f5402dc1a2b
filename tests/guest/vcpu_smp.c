// SPDX-License-Identifier: MIT
/*
 * A second vCPU, as Xen 4.17 brings one up for a PV guest (run with two
 * CPUs: Xen's dom0 gets one vCPU per CPU, the second down and without a
 * context). First the refusals: vCPU 1 is down and offline, up without a
 * context is -EINVAL, the one-shot timer ops on another vCPU are -EINVAL,
 * and every bad vcpu_guest_context VCPUOP_initialise is given is -EINVAL
 * and leaves nothing behind (non-canonical rip, kernel_sp and trap handler,
 * an unaligned LDT, 8193 LDT entries, user mode without a user page table,
 * 7169 GDT entries, a data page as the L4 or as a GDT frame, a frame that
 * is not the domain's). Then a good context on the kernel's own L4: 0, a
 * second time -EEXIST, still down until VCPUOP_up; once up, vCPU 1 adds
 * 1000 to a shared counter and takes itself down; vCPU 0 sees the counter,
 * vCPU 1 down again, and its runstate with time spent running.
 */
#include <gpv/gpv.h>
#include <gpv/mm.h>
#include <gpv/test.h>
#include <gpv/time.h>

#include "vcpu-lib.h"

#define AP_ADDS 1000
#define NONCANON 0x8000000000001000UL

static struct vcpu_guest_context ctx;
static uint8_t ap_stack[8192] __attribute__((aligned(16)));
static uint8_t data_page[4096] __attribute__((aligned(4096)));
static volatile unsigned long counter;
static volatile int ap_done;

static void ap_main(void)
{
	for (int i = 0; i < AP_ADDS; i++)
		__atomic_add_fetch(&counter, 1, __ATOMIC_SEQ_CST);
	ap_done = 1;
	for (;;)
		gpv_vcpu_op(VCPUOP_down, 1, NULL);
}

/* A context that starts ap_main in kernel mode on the kernel's own page tables. */
static void good_context(struct vcpu_guest_context *c)
{
	vl_kernel_context(c, ap_main, ap_stack + sizeof(ap_stack));
}

static long init1(void)
{
	return gpv_vcpu_op(VCPUOP_initialise, 1, &ctx);
}

static void check_down_vcpu(void)
{
	struct vcpu_runstate_info r;
	struct vcpu_set_singleshot_timer st = { .timeout_abs_ns = gpv_time_now() + 1000000 };
	struct vcpu_set_periodic_timer pt = { .period_ns = 10000000 };

	gpv_test_area("vcpu_smp: vCPU 1 before it has a context");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_is_up, 1, NULL), 0, "is_up(1) = 0");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_get_runstate_info, 1, &r), 0, "get_runstate_info(1)");
	gpv_test_eq(r.state, RUNSTATE_offline, "vCPU 1 is offline");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_up, 1, NULL), -XEN_EINVAL,
		    "up(1) without a context = -EINVAL");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_set_singleshot_timer, 1, &st), -XEN_EINVAL,
		    "set_singleshot_timer on another vCPU = -EINVAL");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_stop_singleshot_timer, 1, NULL), -XEN_EINVAL,
		    "stop_singleshot_timer on another vCPU = -EINVAL");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_set_periodic_timer, 1, &pt), 0,
		    "set_periodic_timer on another vCPU = 0");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_stop_periodic_timer, 1, NULL), 0,
		    "stop_periodic_timer on another vCPU = 0");
}

static void check_bad_contexts(void)
{
	unsigned long data_mfn = gpv_virt_to_mfn(data_page);

	gpv_test_area("vcpu_smp: bad contexts");
	good_context(&ctx);
	ctx.user_regs.rip = NONCANON;
	gpv_test_eq(init1(), -XEN_EINVAL, "non-canonical rip = -EINVAL");
	good_context(&ctx);
	ctx.kernel_sp = NONCANON;
	gpv_test_eq(init1(), -XEN_EINVAL, "non-canonical kernel_sp = -EINVAL");
	good_context(&ctx);
	ctx.trap_ctxt[14].vector = 14;
	ctx.trap_ctxt[14].address = NONCANON;
	gpv_test_eq(init1(), -XEN_EINVAL, "non-canonical trap handler = -EINVAL");
	good_context(&ctx);
	ctx.ldt_base = (unsigned long)data_page + 8;
	ctx.ldt_ents = 1;
	gpv_test_eq(init1(), -XEN_EINVAL, "unaligned LDT = -EINVAL");
	good_context(&ctx);
	ctx.ldt_base = (unsigned long)data_page;
	ctx.ldt_ents = 8193;
	gpv_test_eq(init1(), -XEN_EINVAL, "8193 LDT entries = -EINVAL");
	good_context(&ctx);
	ctx.flags = 0;
	gpv_test_eq(init1(), -XEN_EINVAL, "user mode without a user page table = -EINVAL");
	good_context(&ctx);
	ctx.gdt_ents = 7169;
	gpv_test_eq(init1(), -XEN_EINVAL, "7169 GDT entries = -EINVAL");
	good_context(&ctx);
	ctx.gdt_ents = 1;
	ctx.gdt_frames[0] = data_mfn;
	gpv_test_eq(init1(), -XEN_EINVAL, "a writable data page as GDT frame = -EINVAL");
	good_context(&ctx);
	ctx.ctrlreg[3] = xen_pfn_to_cr3(data_mfn);
	gpv_test_eq(init1(), -XEN_EINVAL, "a writable data page as the L4 = -EINVAL");
	good_context(&ctx);
	ctx.ctrlreg[3] = xen_pfn_to_cr3(1);
	gpv_test_eq(init1(), -XEN_EINVAL, "a frame not the domain's as the L4 = -EINVAL");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_is_up, 1, NULL), 0, "vCPU 1 still down");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_up, 1, NULL), -XEN_EINVAL, "and still without a context");
	data_page[0] = 1; /* still an ordinary writable page */
	gpv_test_eq(data_page[0], 1, "the data page is still writable");
}

static void check_bring_up(void)
{
	struct vcpu_runstate_info r;
	uint64_t limit;

	gpv_test_area("vcpu_smp: bring-up");
	good_context(&ctx);
	gpv_test_eq(init1(), 0, "initialise(1) with a good context = 0");
	gpv_test_eq(init1(), -XEN_EEXIST, "a second initialise(1) = -EEXIST");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_is_up, 1, NULL), 0, "still down until up");
	gpv_test_eq((long)counter, 0, "and it has not run");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_up, 1, NULL), 0, "up(1) = 0");
	limit = gpv_time_now() + 10000000000ULL;
	while (!ap_done && gpv_time_now() < limit)
		gpv_sched_op(SCHEDOP_yield, NULL);
	gpv_test_eq(ap_done, 1, "vCPU 1 ran to its end");
	gpv_test_eq((long)counter, AP_ADDS, "it added 1000 to the shared counter");
	limit = gpv_time_now() + 10000000000ULL;
	while (gpv_vcpu_op(VCPUOP_is_up, 1, NULL) != 0 && gpv_time_now() < limit)
		gpv_sched_op(SCHEDOP_yield, NULL);
	gpv_test_eq(gpv_vcpu_op(VCPUOP_is_up, 1, NULL), 0, "it took itself down");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_get_runstate_info, 1, &r), 0, "get_runstate_info(1)");
	gpv_test_check(r.time[RUNSTATE_running] > 0, "vCPU 1 has time spent running");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_down, 1, NULL), 0, "down(1) of a vCPU already down = 0");
}

int gpv_main(void)
{
	gpv_test_area("vcpu_smp");
	if (!gpv_test_eq(gpv_vcpu_op(VCPUOP_is_up, 1, NULL), 0, "the domain has a vCPU 1"))
		return gpv_test_finish();
	check_down_vcpu();
	check_bad_contexts();
	check_bring_up();
	return gpv_test_finish();
}
