// SPDX-License-Identifier: MIT
/*
 * emul, part 4: the #DB an emulated instruction raises, as Xen 4.17's
 * emulate_privileged_op and pv_emul_instruction_done. With CR4.DE set, an
 * enabled I/O breakpoint (%dr7 RW = 10b) whose range (its address rounded
 * down to its length) meets the ports an in/out/ins/outs touches gives a
 * #DB after it with that breakpoint's B bit in %dr6; a rep form stops after
 * the iteration that hit, with RIP still on it. A guest single-stepping
 * (TF) over an emulated instruction (a port access, the forced CPUID) gets
 * the #DB with BS right after that instruction, not after the next one.
 * Both in kernel and user mode. Also: a rep insb into an unmapped buffer
 * is the #PF at that address, with the write bit, not a #GP.
 */
#include <gpv/gpv.h>
#include <gpv/probe.h>
#include <gpv/test.h>

#include "umode.h"

#define CR4_DE (1UL << 3)
#define VEC_DB 1
#define VEC_PF 14
#define PORT 0x80
/*
 * Single-stepped port access: the RTC index port, which Xen always emulates.
 * For a port dom0 may reach directly (0x80) Xen 4.17's x86_emulate ends with
 * X86EMUL_DONE and skips its singlestep check, so the #DB comes from the CPU
 * one instruction late; Lamina gives the architectural #DB right after it.
 */
#define PORT_EMULATED 0x70
#define DR6_DEFAULT 0xffff0ff0L
#define DR6_BS (1L << 14)
#define DR7_IO(i) ((2UL << (16 + 4 * (i))) | (1UL << (2 * (i)))) /* Li, RWi = I/O */
#define DR7_LEN4(i) (3UL << (18 + 4 * (i)))
#define UNMAPPED 0x00007f0000000000UL

void emul_check_db(void);
void db_outb(unsigned int port);
void db_inl(unsigned int port);
unsigned long db_rep_outsb(unsigned int port, const void *buf, unsigned long n);
bool db_rep_insb(unsigned int port, unsigned long buf, unsigned long n);
void db_step_outb(unsigned int port);
void db_step_cpuid(void);
void db_user_outb(void);
void db_user_cpuid(void);
extern char db_outb_after[], db_inl_after[], db_rep_insn[], db_rep_after[], db_insb_insn[];
extern char db_step_outb_after[], db_step_cpuid_after[], db_user_outb_after[];
extern char db_user_cpuid_after[];

static unsigned int db_hits;
static unsigned long db_rip[4], db_dr6[4];

static int on_db(struct gpv_regs *r)
{
	if (db_hits < 4) {
		db_rip[db_hits] = r->rip;
		db_dr6[db_hits] = (unsigned long)gpv_get_debugreg(6);
	}
	db_hits++;
	gpv_set_debugreg(6, 0);
	r->rflags &= ~0x100UL; /* stop single-stepping */
	return 0;
}

static long set_iopl(unsigned int iopl)
{
	struct physdev_set_iopl op = { .iopl = iopl };

	return gpv_physdev_op(PHYSDEVOP_set_iopl, &op);
}

static void arm(unsigned long dr0, unsigned long dr7)
{
	gpv_set_debugreg(6, 0);
	gpv_set_debugreg(0, dr0);
	gpv_set_debugreg(7, dr7);
	db_hits = 0;
}

static void check_io_breakpoints(void)
{
	static uint8_t buf[8];

	arm(PORT, DR7_IO(0));
	db_outb(PORT);
	gpv_test_eq(db_hits, 1, "outb to an I/O breakpoint's port: one #DB");
	gpv_test_eq((long)db_rip[0], (long)db_outb_after, "the #DB is after the outb");
	gpv_test_eq((long)db_dr6[0], DR6_DEFAULT | 1, "%dr6 shows B0");
	db_hits = 0;
	db_outb(PORT + 1);
	gpv_test_eq(db_hits, 0, "outb to the next port: no #DB (length 1)");

	arm(PORT + 2, DR7_IO(0) | DR7_LEN4(0));
	db_inl(PORT + 4);
	gpv_test_eq(db_hits, 0,
		    "inl of ports 0x84-0x87, breakpoint 0x82 length 4 (0x80-0x83): none");
	db_outb(PORT);
	gpv_test_eq(db_hits, 1, "outb to 0x80 hits 0x82 length 4 (rounded down to 0x80)");
	db_hits = 0;
	arm(PORT + 3, DR7_IO(0));
	db_inl(PORT);
	gpv_test_eq(db_hits, 1, "inl of 0x80-0x83 hits a breakpoint on 0x83");
	gpv_test_eq((long)db_rip[0], (long)db_inl_after, "the #DB is after the inl");

	arm(PORT, DR7_IO(0) & ~3UL);
	db_outb(PORT);
	gpv_test_eq(db_hits, 0, "an I/O breakpoint not enabled (L0, G0 clear): no #DB");

	gpv_set_debugreg(2, PORT);
	arm(0x1f0, DR7_IO(2) | DR7_IO(0));
	db_outb(PORT);
	gpv_test_eq(db_hits, 1, "breakpoint 2 on the port: one #DB");
	gpv_test_eq((long)db_dr6[0], DR6_DEFAULT | 4, "%dr6 shows B2 alone");
	gpv_set_debugreg(2, 0);

	arm(PORT, DR7_IO(0));
	gpv_test_eq((long)db_rep_outsb(PORT, buf, 3), 0, "rep outsb of 3 to the port completes");
	gpv_test_eq(db_hits, 3, "one #DB per iteration");
	gpv_test_check(db_rip[0] == (unsigned long)db_rep_insn &&
			       db_rip[1] == (unsigned long)db_rep_insn,
		       "the first two with RIP still on the rep outsb");
	gpv_test_eq((long)db_rip[2], (long)db_rep_after, "the last after it");
	gpv_set_debugreg(7, 0);
}

static void check_single_step(void)
{
	db_hits = 0;
	gpv_set_debugreg(6, 0);
	db_step_outb(PORT_EMULATED);
	gpv_test_eq(db_hits, 1, "TF over an emulated outb: one #DB");
	gpv_test_eq((long)db_rip[0], (long)db_step_outb_after, "right after the outb");
	gpv_test_eq((long)db_dr6[0], DR6_DEFAULT | DR6_BS, "%dr6 shows BS");
	db_hits = 0;
	db_step_cpuid();
	gpv_test_eq(db_hits, 1, "TF over the forced CPUID: one #DB");
	gpv_test_eq((long)db_rip[0], (long)db_step_cpuid_after, "right after the cpuid");
	gpv_test_eq((long)db_dr6[0], DR6_DEFAULT | DR6_BS, "%dr6 shows BS");
}

static void check_user(void)
{
	struct gpv_regs r;

	if (!gpv_test_check(umode_init(), "user mode set up"))
		return;
	gpv_trap_set_hook(VEC_DB, umode_back);
	gpv_trap_set_hook(GPV_VEC_SYSCALL, umode_back);
	gpv_test_eq(set_iopl(3), 0, "PHYSDEVOP_set_iopl(3): user mode may do I/O");
	arm(PORT, DR7_IO(0));
	umode_regs(&r, db_user_outb);
	r.rdx = PORT;
	umode_run(&r);
	gpv_test_eq((long)umode_seen.vector, VEC_DB, "user-mode outb to the port: #DB");
	gpv_test_eq((long)umode_seen.rip, (long)db_user_outb_after, "after the outb");
	gpv_test_eq(gpv_get_debugreg(6), DR6_DEFAULT | 1, "%dr6 shows B0");
	gpv_set_debugreg(7, 0);
	gpv_set_debugreg(6, 0);
	umode_regs(&r, db_user_cpuid);
	r.rflags |= 0x100;
	umode_run(&r);
	gpv_test_eq((long)umode_seen.vector, VEC_DB,
		    "user mode single-stepping the forced CPUID: #DB");
	gpv_test_eq((long)umode_seen.rip, (long)db_user_cpuid_after, "right after the cpuid");
	gpv_test_eq(gpv_get_debugreg(6), DR6_DEFAULT | DR6_BS, "%dr6 shows BS");
	gpv_set_debugreg(6, 0);
	gpv_trap_set_hook(VEC_DB, on_db);
	gpv_trap_set_hook(GPV_VEC_SYSCALL, NULL);
}

static void check_bad_buffer(void)
{
	gpv_set_debugreg(7, 0);
	gpv_last_fault.vector = 0;
	gpv_trap_set_hook(VEC_PF, NULL);
	if (!gpv_test_check(!db_rep_insb(PORT, UNMAPPED, 2),
			    "rep insb into an unmapped buffer faults"))
		return;
	gpv_test_eq((long)gpv_last_fault.vector, VEC_PF, "with #PF, not #GP");
	gpv_test_eq((long)gpv_last_fault.rip, (long)db_insb_insn, "at the rep insb");
	gpv_test_eq((long)gpv_last_fault.cr2, (long)UNMAPPED, "%cr2 is the buffer");
	gpv_test_eq((long)(gpv_last_fault.error & 2), 2, "error code: a write");
}

void emul_check_db(void)
{
	uint64_t cr4 = 0;

	gpv_test_area("emul: #DB after emulation");
	gpv_probe_read_cr(4, &cr4);
	gpv_test_eq(set_iopl(1), 0, "PHYSDEVOP_set_iopl(1)");
	gpv_trap_set_hook(VEC_DB, on_db);
	check_single_step();
	if (gpv_test_check(gpv_probe_write_cr(4, cr4 | CR4_DE), "CR4.DE set")) {
		check_io_breakpoints();
		check_user();
		arm(PORT, DR7_IO(0));
		gpv_probe_write_cr(4, cr4);
		db_outb(PORT);
		gpv_test_eq(db_hits, 0, "CR4.DE cleared with the breakpoint armed: no #DB");
	}
	set_iopl(1);
	check_bad_buffer();
	gpv_trap_set_hook(VEC_DB, NULL);
	set_iopl(0);
	gpv_set_debugreg(7, 0);
}
