// SPDX-License-Identifier: MIT
/*
 * sysenter: SYSENTER from guest user space with EFLAGS.NT (and DF, AC) set
 * by a popf. The CPU enters the hypervisor with those flags live; Xen 4.17
 * clears NT before it can IRETQ and bounces to the registered sysenter
 * callback (running with NT, TF, RF and VM clear), or without a callback
 * delivers #GP(0) through the trap table. The saved frame keeps the user's
 * flags. Before the fix, the hypervisor's own IRETQ faulted on NT and the
 * domain was crashed: this kernel runs alone for that reason. It cannot run
 * on Xen in this rig (Xen 4.17 double-faults on SYSENTER under QEMU TCG's
 * Intel model, see on-xen.sh): what it asserts is read from Xen's
 * x86_64/entry.S (sysenter_entry, create_bounce_frame).
 */
#include <gpv/gpv.h>
#include <gpv/probe.h>
#include <gpv/test.h>
#include "umode.h"

#define EFLAGS_DF 0x400UL
#define EFLAGS_NT 0x4000UL
#define EFLAGS_AC 0x40000UL

void t_user_sysenter(void);

static void run(void)
{
	struct gpv_regs r;

	umode_regs(&r, t_user_sysenter);
	umode_run(&r);
}

static void check_no_callback(void)
{
	gpv_test_area("sysenter: no callback");
	run();
	gpv_test_eq(umode_hits, 1, "SYSENTER with NT set and no callback: one trap");
	gpv_test_eq((long)umode_seen.vector, 13, "it is #GP");
	gpv_test_eq((long)umode_seen.error, 0, "error code 0");
	gpv_test_check(!(umode_flags & EFLAGS_NT), "the #GP handler runs with NT clear");
	gpv_test_info("no-callback frame: rip %lx cs %lx rflags %lx rsp %lx ss %lx",
		      (unsigned long)umode_seen.rip, (unsigned long)umode_seen.cs,
		      (unsigned long)umode_seen.rflags, (unsigned long)umode_seen.rsp,
		      (unsigned long)umode_seen.ss);
}

static void check_callback(void)
{
	struct callback_register cb = {
		.type = CALLBACKTYPE_sysenter,
		.address = (unsigned long)gpv_syscall_entry,
	};

	gpv_test_area("sysenter: callback");
	gpv_test_eq(gpv_callback_op(CALLBACKOP_register, &cb), 0, "register the sysenter callback");
	run();
	gpv_test_eq(umode_hits, 1, "SYSENTER with NT set reaches the sysenter callback once");
	gpv_test_eq((long)umode_seen.vector, GPV_VEC_SYSCALL, "through the callback entry");
	gpv_test_eq((long)umode_seen.rax, 0x5e5e, "rax from user mode is preserved");
	gpv_test_check(umode_seen.rflags & EFLAGS_NT, "the frame keeps the user's NT");
	gpv_test_check(umode_seen.rflags & EFLAGS_DF, "the frame keeps the user's DF");
	gpv_test_check(!(umode_flags & EFLAGS_NT), "the callback runs with NT clear");
	/* Xen's sysenter_entry saves no user RIP/RSP: it pushes 0, CS 3, FLAT_USER_SS. */
	gpv_test_check(umode_seen.rip == 0 && umode_seen.rsp == 0 && umode_seen.cs == 3 &&
			       umode_seen.ss == FLAT_USER_SS,
		       "the frame is Xen's: rip 0, cs 3, rsp 0, ss FLAT_USER_SS");
	gpv_test_info("callback frame: rip %lx cs %lx rflags %lx rsp %lx ss %lx; ran with %lx",
		      (unsigned long)umode_seen.rip, (unsigned long)umode_seen.cs,
		      (unsigned long)umode_seen.rflags, (unsigned long)umode_seen.rsp,
		      (unsigned long)umode_seen.ss, umode_flags);
	run();
	gpv_test_eq(umode_hits, 1, "and again");
}

int gpv_main(void)
{
	uint32_t r[4];

	/* AMD CPUs raise #UD for SYSENTER in long mode: the scripts boot this
	 * kernel on an Intel-branded CPU model (GPV_CPU_sysenter). */
	gpv_cpuid(0, 0, r);
	if (!gpv_test_checkf(r[1] == 0x756e6547, "the CPU is GenuineIntel", "vendor %.4s",
			     (const char *)&r[1]) ||
	    !gpv_test_check(umode_init(), "user mode set up"))
		return gpv_test_finish();
	gpv_trap_set_hook(13, umode_back);
	gpv_trap_set_hook(6, umode_back);
	gpv_trap_set_hook(GPV_VEC_SYSCALL, umode_back);
	check_no_callback();
	check_callback();
	gpv_test_eq(gpv_xen_version(XENVER_pagesize, NULL), 4096, "the domain still runs");
	return gpv_test_finish();
}
