// SPDX-License-Identifier: MIT
/*
 * emul's CR4 checks: what a PV guest may change in its CR4, as Xen 4.17's
 * pv_fixup_guest_cr4 and pv_make_cr4 give it. Of the guest's bits (TSD,
 * DE, FSGSBASE, OSXSAVE) each sticks where its CPUID shows the feature
 * (TSC, DE, FSGSBASE, XSAVE), every other bit written is dropped without a
 * fault, and the host's visible bits (PAE, MCE, OSFXSR, OSXMMEXCPT) can be
 * neither cleared nor set. CR4.TSD: the kernel's RDTSC still completes
 * (emulated), user mode's RDTSC and RDTSCP raise #GP, and clearing it gives
 * user mode the TSC again. CR4.DE: %dr4 is -ENODEV and an I/O breakpoint
 * is taken while it is set (tests/guest/debugreg checks the clear side).
 * FSGSBASE has its own test.
 */
#include <gpv/gpv.h>
#include <gpv/probe.h>
#include <gpv/test.h>
#include <gpv/time.h>

#include "umode.h"

#define CR4_TSD (1UL << 2)
#define CR4_DE (1UL << 3)
#define CR4_PAE (1UL << 5)
#define CR4_PGE (1UL << 7)
#define CR4_VMXE (1UL << 13)
#define CR4_FSGSBASE (1UL << 16)
#define CR4_OSXSAVE (1UL << 18)
#define CR4_SMEP (1UL << 20)
#define CR4_VISIBLE (CR4_PAE | (1UL << 6) | (1UL << 9) | (1UL << 10))
#define DR7_IO_BP0 0x20001L /* L0, RW0 = 10b: I/O */
#define VEC_UD 6
#define VEC_GP 13

void emul_check_cr4(void);
void cr4_user_rdtsc(void);
void cr4_user_rdtscp(void);

static uint64_t rd_cr4(void)
{
	uint64_t v = ~0UL;

	gpv_probe_read_cr(4, &v);
	return v;
}

static bool cpuid_bit(uint32_t leaf, unsigned int reg, unsigned int bit)
{
	uint32_t r[4];

	gpv_cpuid(leaf & 0x80000000U, 0, r);
	if (r[0] < leaf)
		return false;
	gpv_cpuid(leaf, 0, r);
	return (r[reg] >> bit) & 1;
}

/* Runs @fn in user mode; the vector that brought it back (and its frame in umode_seen). */
static unsigned long user_run(void (*fn)(void))
{
	struct gpv_regs r;

	umode_regs(&r, fn);
	umode_run(&r);
	return umode_hits == 1 ? umode_seen.vector : ~0UL;
}

/* User-mode RDTSC (and RDTSCP where CPUID has it) with CR4.TSD as @tsd. */
static void check_user_tsc(bool tsd, bool rdtscp)
{
	unsigned long want = tsd ? VEC_GP : GPV_VEC_SYSCALL;
	unsigned long vec;

	vec = user_run(cr4_user_rdtsc);
	gpv_test_checkf(vec == want,
			tsd ? "CR4.TSD: user-mode rdtsc raises #GP"
			    : "TSD clear: user-mode rdtsc reads",
			"vector %#lx", vec);
	if (tsd)
		gpv_test_eq((long)umode_seen.rip, (long)cr4_user_rdtsc + 4,
			    "the #GP is at the rdtsc, nothing completed");
	else
		gpv_test_check(umode_seen.rax | umode_seen.rdx, "it read a TSC value");
	if (!rdtscp)
		return;
	vec = user_run(cr4_user_rdtscp);
	gpv_test_checkf(vec == want,
			tsd ? "CR4.TSD: user-mode rdtscp raises #GP"
			    : "TSD clear: user-mode rdtscp reads",
			"vector %#lx", vec);
}

void emul_check_cr4(void)
{
	uint64_t cr4 = rd_cr4(), want, t0, t1;
	bool has_tsc = cpuid_bit(1, 3, 4), has_de = cpuid_bit(1, 3, 2);
	bool has_xsave = cpuid_bit(1, 2, 26), rdtscp = cpuid_bit(0x80000001, 3, 27);

	gpv_test_area("emul: CR4");
	gpv_test_checkf(!(cr4 & (CR4_TSD | CR4_DE | CR4_OSXSAVE | CR4_FSGSBASE)),
			"CR4 starts without TSD, DE, OSXSAVE, FSGSBASE", "cr4 %#lx",
			(unsigned long)cr4);
	gpv_test_check(has_tsc && has_de, "CPUID shows TSC and DE");
	if (!gpv_test_check(umode_init(), "user mode set up"))
		return;
	gpv_trap_set_hook(VEC_GP, umode_back);
	gpv_trap_set_hook(VEC_UD, umode_back);
	gpv_trap_set_hook(GPV_VEC_SYSCALL, umode_back);
	check_user_tsc(false, rdtscp);

	gpv_test_check(
		gpv_probe_write_cr(4, cr4 | CR4_TSD | CR4_DE | CR4_PGE | CR4_VMXE | CR4_SMEP),
		"mov to CR4 with TSD, DE (and PGE, VMXE, SMEP) completes");
	want = cr4 | (has_tsc ? CR4_TSD : 0) | (has_de ? CR4_DE : 0);
	gpv_test_checkf(rd_cr4() == want, "CR4 reads TSD and DE set, PGE, VMXE, SMEP not",
			"cr4 %#lx want %#lx", (unsigned long)rd_cr4(), (unsigned long)want);
	gpv_test_eq(gpv_set_debugreg(4, 0), -XEN_ENODEV, "CR4.DE set: %dr4 = -ENODEV");
	gpv_test_eq(gpv_set_debugreg(0, 0x80), 0, "%dr0 = port 0x80");
	gpv_test_eq(gpv_set_debugreg(7, DR7_IO_BP0), 0, "CR4.DE set: an I/O breakpoint is taken");
	gpv_test_eq(gpv_get_debugreg(7), DR7_IO_BP0 | 0x400, "%dr7 reads it back (bit 10 set)");
	gpv_test_eq(gpv_set_debugreg(7, 0), 0, "%dr7 cleared");
	t0 = gpv_rdtsc();
	t1 = gpv_rdtsc();
	gpv_test_checkf(t1 > t0, "CR4.TSD: the kernel's rdtsc still reads (emulated), forward",
			"%#lx then %#lx", (unsigned long)t0, (unsigned long)t1);
	check_user_tsc(true, rdtscp);

	gpv_test_check(gpv_probe_write_cr(4, 0), "mov to CR4 of 0 completes");
	gpv_test_checkf(rd_cr4() == (cr4 & CR4_VISIBLE),
			"CR4 of 0 reads the host's visible bits (PAE stays)", "cr4 %#lx",
			(unsigned long)rd_cr4());
	gpv_test_check(rd_cr4() & CR4_PAE, "PAE cannot be cleared");
	gpv_test_eq(gpv_set_debugreg(4, 0x1), 0, "CR4.DE clear again: %dr4 writes %dr6");
	check_user_tsc(false, rdtscp);

	gpv_probe_write_cr(4, cr4 | CR4_OSXSAVE);
	gpv_test_checkf(!!(rd_cr4() & CR4_OSXSAVE) == has_xsave,
			"CR4.OSXSAVE sticks exactly when CPUID shows XSAVE", "cr4 %#lx xsave %d",
			(unsigned long)rd_cr4(), has_xsave);
	gpv_probe_write_cr(4, cr4);
	gpv_test_checkf(rd_cr4() == cr4, "CR4 written back reads as at start", "cr4 %#lx",
			(unsigned long)rd_cr4());
	gpv_trap_set_hook(VEC_GP, NULL);
	gpv_trap_set_hook(VEC_UD, NULL);
	gpv_trap_set_hook(GPV_VEC_SYSCALL, NULL);
}
