// SPDX-License-Identifier: MIT
/*
 * vCPU bring-up races on a running domain (run with three CPUs: Xen's
 * dom0 gets one vCPU per CPU). vCPU 1 is brought up first; then, at once:
 *   vCPU 1  calls VCPUOP_up(2) in a loop until it succeeds
 *   vCPU 0  calls VCPUOP_initialise(2) with a context that carries a
 *           magic value in rbx and r12 (a vCPU started from a half-loaded
 *           context would miss them)
 * Every up before the context is in place is -EINVAL (never another
 * error), the first 0 comes only after the initialise, and vCPU 2 starts
 * with the whole context: it checks the magic, counts itself and takes
 * itself down. Then a second initialise(2) is -EEXIST, and vCPU 1 and 2
 * both end up down while vCPU 0 runs on.
 */
#include <gpv/gpv.h>
#include <gpv/mm.h>
#include <gpv/test.h>
#include <gpv/time.h>

#include "vcpu-lib.h"

#define MAGIC_RBX 0x5eed5eed12345678UL
#define MAGIC_R12 0x0badcafe87654321UL
#define WAIT_NS 10000000000ULL

static struct vcpu_guest_context ctx1, ctx2;
static uint8_t stack1[8192] __attribute__((aligned(16)));
static uint8_t stack2[8192] __attribute__((aligned(16)));
static volatile int go, up_done, v2_ran, v2_magic_ok;
static volatile long up_einval, up_other, up_rc = 1;

static void down_self(unsigned int id)
{
	for (;;)
		gpv_vcpu_op(VCPUOP_down, id, NULL);
}

/* vCPU 2: was its context whole? */
static void __attribute__((used)) v2_check(unsigned long rbx, unsigned long r12)
{
	v2_magic_ok = rbx == MAGIC_RBX && r12 == MAGIC_R12;
	v2_ran = 1;
	down_self(2);
}

/* vCPU 2's entry: hands rbx and r12 to v2_check before C code can touch them. */
void v2_entry(void);
asm(".pushsection .text\n"
    ".globl v2_entry\n"
    "v2_entry:\n\t"
    "mov %rbx, %rdi\n\t"
    "mov %r12, %rsi\n\t"
    "and $-16, %rsp\n\t"
    "call v2_check\n\t"
    "ud2\n"
    ".popsection");

/* vCPU 1: waits for the start, then tries to bring vCPU 2 up until it works. */
static void v1_main(void)
{
	while (!go)
		;
	for (;;) {
		long rc = gpv_vcpu_op(VCPUOP_up, 2, NULL);

		if (!rc) {
			up_rc = 0;
			break;
		}
		if (rc == -XEN_EINVAL)
			up_einval++;
		else
			up_other++;
	}
	up_done = 1;
	down_self(1);
}

/* Yields until *flag is set or the time runs out; whether it was set. */
static bool wait_for(volatile int *flag)
{
	uint64_t limit = gpv_time_now() + WAIT_NS;

	while (!*flag && gpv_time_now() < limit)
		gpv_sched_op(SCHEDOP_yield, NULL);
	return *flag;
}

static void check_race(void)
{
	long rc;

	gpv_test_area("vcpu_race: up(2) against initialise(2)");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_up, 2, NULL), -XEN_EINVAL,
		    "up(2) of a vCPU never initialised = -EINVAL");
	vl_kernel_context(&ctx1, v1_main, stack1 + sizeof(stack1));
	gpv_test_eq(gpv_vcpu_op(VCPUOP_initialise, 1, &ctx1), 0, "initialise(1) = 0");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_up, 1, NULL), 0, "up(1) = 0");
	vl_kernel_context(&ctx2, v2_entry, stack2 + sizeof(stack2));
	ctx2.user_regs.rbx = MAGIC_RBX;
	ctx2.user_regs.r12 = MAGIC_R12;
	go = 1;
	/* Give vCPU 1 time to fail a few ups first (it may also be slower to start). */
	for (int i = 0; i < 20 && !up_einval; i++)
		gpv_sched_op(SCHEDOP_yield, NULL);
	rc = gpv_vcpu_op(VCPUOP_initialise, 2, &ctx2);
	gpv_test_eq(rc, 0, "initialise(2) while vCPU 1 tries to bring it up = 0");
	gpv_test_check(wait_for(&up_done), "vCPU 1's up(2) succeeded in the end");
	gpv_test_eq(up_rc, 0, "its last up(2) = 0");
	gpv_test_eq(up_other, 0, "every up(2) that failed was -EINVAL (no other error)");
	gpv_test_info("vcpu_race: %ld up(2) calls were -EINVAL before the context was in",
		      up_einval);
	gpv_test_check(wait_for(&v2_ran), "vCPU 2 ran");
	gpv_test_check(v2_magic_ok, "vCPU 2 started with the whole context (rbx, r12)");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_initialise, 2, &ctx2), -XEN_EEXIST,
		    "a second initialise(2) = -EEXIST");
}

static bool down_soon(unsigned int id)
{
	uint64_t limit = gpv_time_now() + WAIT_NS;

	while (gpv_vcpu_op(VCPUOP_is_up, id, NULL) != 0 && gpv_time_now() < limit)
		gpv_sched_op(SCHEDOP_yield, NULL);
	return gpv_vcpu_op(VCPUOP_is_up, id, NULL) == 0;
}

int gpv_main(void)
{
	gpv_test_area("vcpu_race");
	if (!gpv_test_eq(gpv_vcpu_op(VCPUOP_is_up, 2, NULL), 0, "the domain has a vCPU 2"))
		return gpv_test_finish();
	check_race();
	gpv_test_check(down_soon(1), "vCPU 1 took itself down");
	gpv_test_check(down_soon(2), "vCPU 2 took itself down");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_is_up, 0, NULL), 1, "vCPU 0 is still up");
	return gpv_test_finish();
}
