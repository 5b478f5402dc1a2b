// SPDX-License-Identifier: MIT
/*
 * iretfault: an iret hypercall whose return the CPU refuses. Xen 4.17 does
 * not check the frame; its own IRETQ faults and the fault is delivered to
 * the guest kernel as if the guest had raised it at the target frame
 * (_ASM_PRE_EXTABLE on the exit IRETQ). So a non-canonical RIP or RSP from
 * user space (as Linux's sigreturn can produce) or a selector the CPU
 * refuses reach the guest kernel's trap handler, and the domain lives on.
 * The cases are ordered so that each one's failure is seen before the
 * next: before the fix, the first one crashed the domain.
 */
#include <gpv/gpv.h>
#include <gpv/test.h>
#include "umode.h"

#define NONCANON_RIP 0x8000000000001000UL
#define NONCANON_RSP 0x8000000000002000UL
#define BAD_SS 0x0fffUL /* GDT entry 511: the guest has no GDT */

void t_user_push(void);
extern char t_user_push_insn[];

static void check_user_rip(void)
{
	struct gpv_regs r;

	gpv_test_area("iretfault: from user mode");
	umode_regs(&r, t_user_push);
	r.rip = NONCANON_RIP;
	umode_run(&r);
	gpv_test_eq(umode_hits, 1,
		    "iret to a non-canonical user RIP: one fault reached the kernel");
	gpv_test_eq((long)umode_seen.vector, 13, "it is #GP");
	gpv_test_eq((long)umode_seen.error, 0, "error code 0");
	gpv_test_eq((long)umode_seen.rip, (long)NONCANON_RIP, "the frame's rip is the bad RIP");
	gpv_test_eq((long)(umode_seen.cs & 3), 3, "the frame is user mode (cs RPL 3)");
}

static void check_user_rsp(void)
{
	struct gpv_regs r;

	umode_regs(&r, t_user_push);
	r.rsp = NONCANON_RSP;
	umode_run(&r);
	gpv_test_eq(umode_hits, 1,
		    "iret to a non-canonical user RSP: one fault reached the kernel");
	gpv_test_checkf(umode_seen.vector == 12 || umode_seen.vector == 13,
			"it is #SS or #GP (the CPU's choice)", "vector %lu",
			(unsigned long)umode_seen.vector);
	gpv_test_eq((long)umode_seen.rip, (long)t_user_push_insn,
		    "the frame's rip is the user code's first instruction");
	gpv_test_eq((long)umode_seen.rsp, (long)NONCANON_RSP, "the frame's rsp is the bad RSP");
	gpv_test_info("non-canonical RSP: vector %lu error %lx", (unsigned long)umode_seen.vector,
		      (unsigned long)umode_seen.error);
}

static void check_user_ss(void)
{
	struct gpv_regs r;

	umode_regs(&r, t_user_push);
	r.ss = BAD_SS;
	umode_run(&r);
	gpv_test_eq(umode_hits, 1, "iret with an SS outside the GDT: one fault reached the kernel");
	gpv_test_eq((long)umode_seen.vector, 13, "it is #GP");
	gpv_test_eq((long)umode_seen.error, (long)(BAD_SS & ~3UL), "error code is the selector");
	gpv_test_eq((long)umode_seen.rip, (long)t_user_push_insn, "the frame's rip is the target");
}

static void check_kernel_rip(void)
{
	struct gpv_regs r;

	gpv_test_area("iretfault: to kernel mode");
	umode_regs(&r, t_user_push);
	r.cs = FLAT_KERNEL_CS & ~3;
	r.ss = FLAT_KERNEL_SS;
	r.rflags = 0x2;
	r.rip = NONCANON_RIP;
	umode_run(&r);
	gpv_test_eq(umode_hits, 1, "iret to a non-canonical kernel RIP: one fault");
	gpv_test_eq((long)umode_seen.vector, 13, "it is #GP");
	gpv_test_eq((long)umode_seen.rip, (long)NONCANON_RIP, "the frame's rip is the bad RIP");
	gpv_test_eq((long)(umode_seen.cs & 3), 0, "the frame is kernel mode (cs RPL cleared)");
}

int gpv_main(void)
{
	if (!gpv_test_check(umode_init(), "user mode set up"))
		return gpv_test_finish();
	gpv_trap_set_hook(13, umode_back);
	gpv_trap_set_hook(12, umode_back);
	gpv_trap_set_hook(14, umode_back);
	gpv_trap_set_hook(GPV_VEC_SYSCALL, umode_back);
	check_user_rip();
	check_user_rsp();
	check_user_ss();
	check_kernel_rip();
	gpv_test_eq(gpv_xen_version(XENVER_pagesize, NULL), 4096, "the domain still runs");
	return gpv_test_finish();
}
