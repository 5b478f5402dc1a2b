// SPDX-License-Identifier: MIT
/*
 * callgate: a far call from guest user space through a call-gate selector
 * in the LDT, while the domain has no LDT (MMUEXT_SET_LDT never called).
 * Xen 4.17 loads a null LDT then, so the CPU refuses the selector and the
 * guest gets #GP(selector) at the lcall. A CPU whose LDTR was never loaded
 * still has its reset LDT (base 0, limit 0xffff): linear address 0, which
 * is this kernel's own image, so the gate below is what it would find.
 * The gate leads to t_gate_target with FLAT_KERNEL_CS; it must never run.
 */
#include <gpv/gpv.h>
#include <gpv/test.h>
#include "umode.h"

void t_user_lcall(void);
void t_gate_target(void);
extern char t_user_lcall_insn[];
extern volatile unsigned long t_gate_ran;
extern uint32_t t_farptr[2];

/* A 16-byte 64-bit call gate in the first 64 KiB of the kernel image. */
static uint64_t gate[2] __attribute__((section(".text.gate"), aligned(16)));

static void make_gate(uint64_t *g, unsigned long target, uint16_t cs)
{
	g[0] = (target & 0xffff) | (uint64_t)cs << 16 | 0xecULL << 40 |
	       ((target >> 16) & 0xffff) << 48;
	g[1] = target >> 32;
}

int gpv_main(void)
{
	unsigned long va = (unsigned long)gate;
	uint16_t sel = (uint16_t)(va | 7); /* LDT, RPL 3 */
	struct gpv_regs r;

	gpv_test_area("callgate: LDT selector without an LDT");
	if (!gpv_test_checkf(va < 0x10000 && !(va & 15), "the gate lies in the first 64 KiB",
			     "at %lx", va) ||
	    !gpv_test_check(umode_init(), "user mode set up"))
		return gpv_test_finish();
	make_gate(gate, (unsigned long)t_gate_target, FLAT_KERNEL_CS);
	t_farptr[0] = 0;
	t_farptr[1] = sel;
	gpv_trap_set_hook(13, umode_back);
	gpv_trap_set_hook(11, umode_back);
	gpv_trap_set_hook(6, umode_back);
	gpv_trap_set_hook(GPV_VEC_SYSCALL, umode_back);
	umode_regs(&r, t_user_lcall);
	umode_run(&r);
	gpv_test_eq((long)t_gate_ran, 0, "the gate's target never ran");
	gpv_test_eq(umode_hits, 1, "one trap reached the kernel");
	gpv_test_eq((long)umode_seen.vector, 13, "it is #GP");
	gpv_test_eq((long)umode_seen.error, (long)(sel & ~3u), "error code is the selector");
	gpv_test_eq((long)umode_seen.rip, (long)t_user_lcall_insn, "at the lcall");
	gpv_test_eq((long)(umode_seen.cs & 3), 3, "from user mode");
	gpv_test_info("gate selector %#x, trap vector %lu error %#lx", sel,
		      (unsigned long)umode_seen.vector, (unsigned long)umode_seen.error);
	gpv_test_eq(gpv_xen_version(XENVER_pagesize, NULL), 4096, "the domain still runs");
	return gpv_test_finish();
}
