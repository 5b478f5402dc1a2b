// SPDX-License-Identifier: MIT
/*
 * debugreg: the guest kernel's debug registers, as Xen 4.17 (set_debugreg
 * in pv/misc-hypercalls.c, x86emul_read_dr/write_dr): set_debugreg and
 * get_debugreg, and mov to/from %dr0-%dr7 emulated with the same checks -
 * %dr0-3 must not point into the hypervisor's range, %dr6/%dr7 have 32
 * bits with reserved bits forced, %dr7.GD and I/O breakpoints (without
 * CR4.DE) are refused, %dr4/5 alias %dr6/7 while CR4.DE is clear. The
 * values are live while the guest runs: an instruction and a data
 * breakpoint reach the guest's #DB handler with %dr6 telling which. Last,
 * Xen's advisory cases (XSA-260): a data breakpoint on a MOV SS that
 * shadows an int3 or a SYSCALL. On hardware it fires on the hypervisor's
 * first instruction of that entry, SYSCALL's still on the guest's stack,
 * which the hypervisor must survive (#DB on an IST stack) and not report
 * (Xen's do_debug in hypervisor context); QEMU TCG delivers it to the
 * guest before the instruction instead (and the hypercall's result is
 * not Xen's then: only printed). Either way the guest sees at most that
 * one #DB and the hypervisor survives.
 */
#include <gpv/gpv.h>
#include <gpv/probe.h>
#include <gpv/traps.h>
#include <gpv/test.h>

#define XENRANGE 0xffff830000000000UL
#define ABOVE_XEN 0xffff880000000000UL
#define DR6_DEFAULT 0xffff0ff0L
#define DR7_GD (1UL << 13)

bool t_write_dr0(unsigned long v);
bool t_read_dr0(unsigned long *v);
bool t_write_dr6(unsigned long v);
bool t_read_dr6(unsigned long *v);
bool t_write_dr7(unsigned long v);
bool t_read_dr7(unsigned long *v);
void t_bp(void);
void t_store(volatile uint64_t *p);
long t_movss_syscall(const uint16_t *sel, unsigned long rsp);
void t_movss_int3(const uint16_t *sel);
extern char t_bp_insn[], t_store_after[];

static unsigned int db_hits, bp_hits;
static unsigned long db_rip, db_dr6;
static volatile uint64_t watched;
static char xv_buf[XEN_EXTRAVERSION_LEN] __attribute__((aligned(8))) = { 0x7f };
static char alt_stack[4096] __attribute__((aligned(16)));
static uint16_t ss_word __attribute__((aligned(8))) = FLAT_KERNEL_SS;

static int on_db(struct gpv_regs *r)
{
	db_hits++;
	db_rip = r->rip;
	db_dr6 = (unsigned long)gpv_get_debugreg(6);
	gpv_set_debugreg(7, 0);
	return 0;
}

static int on_bp(struct gpv_regs *r)
{
	(void)r;
	bp_hits++;
	return 0;
}

static void check_hypercalls(void)
{
	gpv_test_area("debugreg: set_debugreg/get_debugreg");
	gpv_test_eq(gpv_set_debugreg(0, (unsigned long)t_bp), 0, "set_debugreg(0, kernel text)");
	gpv_test_eq(gpv_get_debugreg(0), (long)t_bp, "get_debugreg(0) reads it back");
	gpv_test_eq(gpv_set_debugreg(1, XENRANGE), -XEN_EPERM,
		    "%dr1 in the hypervisor's range = -EPERM");
	gpv_test_eq(gpv_set_debugreg(2, 0x8000000000000000UL), -XEN_EPERM,
		    "%dr2 non-canonical = -EPERM");
	gpv_test_eq(gpv_set_debugreg(3, ABOVE_XEN), 0, "%dr3 above the hypervisor's range is fine");
	gpv_test_eq(gpv_get_debugreg(3), (long)ABOVE_XEN, "and reads back");
	gpv_set_debugreg(3, 0);
	gpv_test_eq(gpv_set_debugreg(6, 1UL << 32), -XEN_EINVAL, "%dr6 above 32 bits = -EINVAL");
	gpv_test_eq(gpv_set_debugreg(6, 0), 0, "set_debugreg(6, 0)");
	gpv_test_eq(gpv_get_debugreg(6), DR6_DEFAULT, "%dr6 reads with its reserved bits forced");
	gpv_test_eq(gpv_set_debugreg(7, DR7_GD), -XEN_EPERM, "%dr7.GD = -EPERM");
	gpv_test_eq(gpv_set_debugreg(7, 1UL << 32), -XEN_EINVAL, "%dr7 above 32 bits = -EINVAL");
	gpv_test_eq(gpv_set_debugreg(7, 0x20001), -XEN_EPERM,
		    "an I/O breakpoint without CR4.DE = -EPERM");
	gpv_test_eq(gpv_set_debugreg(7, 0), 0, "set_debugreg(7, 0)");
	gpv_test_eq(gpv_get_debugreg(7), 0x400, "%dr7 reads with bit 10 set");
	gpv_test_eq(gpv_set_debugreg(8, 0), -XEN_ENODEV, "set_debugreg(8) = -ENODEV");
	gpv_test_eq(gpv_get_debugreg(8), -XEN_ENODEV, "get_debugreg(8) = -ENODEV");
}

static void check_alias(void)
{
	uint64_t cr4 = 0;

	gpv_probe_read_cr(4, &cr4);
	if (cr4 & 8) {
		gpv_test_eq(gpv_set_debugreg(4, 0), -XEN_ENODEV, "CR4.DE set: %dr4 = -ENODEV");
		return;
	}
	gpv_test_eq(gpv_set_debugreg(4, 0x1), 0, "CR4.DE clear: %dr4 writes %dr6");
	gpv_test_eq(gpv_get_debugreg(6), DR6_DEFAULT | 1, "%dr6 shows it");
	gpv_test_eq(gpv_get_debugreg(5), 0x400, "%dr5 reads %dr7");
	gpv_set_debugreg(6, 0);
}

static void check_mov(void)
{
	unsigned long v = 0;

	gpv_test_area("debugreg: mov to/from %dr");
	gpv_test_check(t_write_dr0((unsigned long)&watched), "mov to %dr0 is emulated");
	gpv_test_check(t_read_dr0(&v) && v == (unsigned long)&watched,
		       "mov from %dr0 reads it back");
	gpv_test_eq(gpv_get_debugreg(0), (long)&watched, "get_debugreg(0) sees the mov");
	gpv_test_check(!t_write_dr0(XENRANGE) && gpv_last_fault.vector == 13,
		       "mov of a hypervisor address to %dr0 is #GP");
	gpv_test_check(!t_write_dr7(DR7_GD) && gpv_last_fault.vector == 13,
		       "mov of GD to %dr7 is #GP");
	gpv_test_check(t_write_dr7(0), "mov of 0 to %dr7 is emulated");
	gpv_test_check(t_read_dr7(&v) && v == 0x400, "mov from %dr7 gives 0x400");
	gpv_test_check(t_write_dr6(0) && t_read_dr6(&v) && v == (unsigned long)DR6_DEFAULT,
		       "mov to and from %dr6 force its reserved bits");
	gpv_set_debugreg(0, 0);
}

static void check_breakpoints(void)
{
	gpv_test_area("debugreg: breakpoints");
	gpv_trap_set_hook(1, on_db);
	db_hits = 0;
	gpv_set_debugreg(6, 0);
	gpv_set_debugreg(0, (unsigned long)t_bp_insn);
	gpv_test_eq(gpv_set_debugreg(7, 0x1), 0, "enable an instruction breakpoint in %dr0");
	t_bp();
	gpv_test_eq(db_hits, 1, "it raised one #DB in the guest");
	gpv_test_eq((long)db_rip, (long)t_bp_insn, "at the instruction (a fault)");
	gpv_test_check(db_dr6 & 1, "%dr6.B0 is set");
	db_hits = 0;
	gpv_set_debugreg(6, 0);
	gpv_set_debugreg(1, (unsigned long)&watched);
	gpv_test_eq(gpv_set_debugreg(7, 0x900004), 0, "enable an 8-byte write breakpoint in %dr1");
	t_store(&watched);
	gpv_test_eq(db_hits, 1, "the store raised one #DB in the guest");
	gpv_test_eq((long)db_rip, (long)t_store_after, "after the store (a trap)");
	gpv_test_check(db_dr6 & 2, "%dr6.B1 is set");
	gpv_test_eq((long)watched, 0x5a5a, "the store happened");
	/* The hypervisor writing the watched word for a hypercall: a #DB in
	 * its own context, which Xen notes and drops (do_debug). */
	db_hits = 0;
	gpv_set_debugreg(1, (unsigned long)xv_buf);
	gpv_set_debugreg(7, 0xb00004); /* read/write, 8 bytes */
	gpv_test_eq(gpv_xen_version(XENVER_extraversion, xv_buf), 0,
		    "a hypercall writing a watched buffer completes");
	gpv_test_eq(db_hits, 0, "the hypervisor's own hit does not reach the guest");
	gpv_test_check(xv_buf[0] != 0x7f, "and the buffer was written");
	gpv_set_debugreg(7, 0);
	gpv_set_debugreg(1, 0);
}

static void check_movss(void)
{
	long rc;

	gpv_test_area("debugreg: MOV SS shadow");
	gpv_trap_set_hook(3, on_bp);
	db_hits = bp_hits = 0;
	gpv_set_debugreg(0, (unsigned long)&ss_word);
	gpv_test_eq(gpv_set_debugreg(7, 0x70001), 0, "watch the SS word (read/write, 2 bytes)");
	t_movss_int3(&ss_word);
	gpv_test_eq(bp_hits, 1, "MOV SS; int3: the #BP reached the guest");
	gpv_set_debugreg(7, 0x70001);
	gpv_test_check(db_hits <= 1, "at most one #DB reached the guest");
	db_hits = 0;
	gpv_set_debugreg(6, 0);
	gpv_set_debugreg(7, 0x70001);
	rc = t_movss_syscall(&ss_word, (unsigned long)alt_stack + sizeof(alt_stack));
	gpv_test_check(db_hits <= 1, "MOV SS; SYSCALL: at most one #DB reached the guest");
	gpv_test_info("MOV SS; SYSCALL: %u #DB (rip %lx dr6 %lx), hypercall result %ld", db_hits,
		      db_rip, db_dr6, rc);
	gpv_set_debugreg(7, 0);
	gpv_set_debugreg(0, 0);
	gpv_test_eq(gpv_xen_version(XENVER_pagesize, NULL), 4096, "the hypervisor still answers");
}

int gpv_main(void)
{
	check_hypercalls();
	check_alias();
	check_mov();
	check_breakpoints();
	check_movss();
	return gpv_test_finish();
}
