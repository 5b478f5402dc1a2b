// SPDX-License-Identifier: MIT
/*
 * emul: privileged instructions a PV kernel issues and Xen emulates from
 * the fault they raise: CPUID behind the forced-emulation prefix (Xen's
 * hypervisor leaves, sub-leaves), rdmsr/wrmsr (an emulated set, #GP for the
 * rest, canonical checks on FS/GS base, the vMCE MSRs), and moves from/to CR0, CR3, CR4
 * (which CR4 bits a guest may change and what CR4.TSD does to user mode's
 * RDTSC: emul-cr4.c).
 */
#include <gpv/gpv.h>
#include <gpv/mm.h>
#include <gpv/probe.h>
#include <gpv/test.h>

#define MSR_FS_BASE 0xc0000100U
#define MSR_GS_BASE 0xc0000101U
#define MSR_SHADOW_GS_BASE 0xc0000102U
#define MSR_PAT 0x00000277U
#define MSR_BOGUS 0x00001234U
#define MSR_MCG_CAP 0x179U
#define MSR_MCG_STATUS 0x17aU
#define MSR_MC0_CTL 0x400U
#define MSR_MC0_STATUS 0x401U
#define MSR_MCG_EXT_CTL 0x4d0U
#define NONCANON 0x8000000000000000UL

static void check_cpuid(void)
{
	uint32_t r[4], n[4];
	char sig[13];

	gpv_test_area("emul: cpuid");
	gpv_cpuid(0x40000000, 0, r);
	memcpy(sig, &r[1], 4);
	memcpy(sig + 4, &r[2], 4);
	memcpy(sig + 8, &r[3], 4);
	sig[12] = '\0';
	gpv_test_checkf(strcmp(sig, "XenVMMXenVMM") == 0, "leaf 0x40000000 signature XenVMMXenVMM",
			"'%s'", sig);
	gpv_test_checkf(r[0] >= 0x40000002 && r[0] < 0x40000100, "leaf 0x40000000 max leaf", "%#x",
			r[0]);
	gpv_cpuid(0x40000001, 0, r);
	gpv_test_eq(r[0], (4 << 16) | 17, "leaf 0x40000001 eax = version 4.17");
	gpv_cpuid(0x40000002, 0, r);
	gpv_test_eq(r[0], 1, "leaf 0x40000002 eax = 1 hypercall page");
	gpv_test_eq(r[1], 0x40000000, "leaf 0x40000002 ebx = hypercall page MSR");

	gpv_cpuid(0, 0, r);
	asm volatile("cpuid" : "=a"(n[0]), "=b"(n[1]), "=c"(n[2]), "=d"(n[3]) : "a"(0), "c"(0));
	gpv_test_check(r[1] == n[1] && r[2] == n[2] && r[3] == n[3],
		       "leaf 0 vendor matches the CPU's");
	gpv_test_checkf(r[0] >= 7, "leaf 0 max leaf >= 7", "%#x", r[0]);
	gpv_cpuid(1, 0, r);
	gpv_test_check(r[2] & (1U << 31), "leaf 1 ecx.hypervisor set");
	gpv_test_check(!(r[2] & (1U << 5)), "leaf 1 ecx.vmx clear");
	gpv_cpuid(7, 0, r);
	gpv_test_check(!(r[1] & (1U << 20)), "leaf 7.0 ebx.smap hidden from PV");
	gpv_cpuid(0xd, 1, n);
	gpv_cpuid(0xd, 0, r);
	gpv_test_info("leaf 0xd.0 eax %#x ebx %#x, 0xd.1 eax %#x", r[0], r[1], n[0]);
	gpv_cpuid(0x80000000, 0, r);
	gpv_test_checkf(r[0] >= 0x80000001, "leaf 0x80000000 max extended leaf", "%#x", r[0]);
}

static void check_msr(void)
{
	static uint64_t target = 0x5a5a5a5a12345678UL;
	uint64_t v = 0, fs;

	gpv_test_area("emul: msr");
	gpv_test_check(gpv_probe_rdmsr(MSR_PAT, &v), "rdmsr PAT is emulated");
	gpv_test_eq((long)v, 0x050100070406L, "PAT reads Xen's value 0x050100070406");
	gpv_test_check(!gpv_probe_rdmsr(MSR_BOGUS, &v), "rdmsr of an unknown MSR faults");
	gpv_test_eq((long)gpv_last_fault.vector, 13, "it is #GP");
	gpv_test_eq((long)gpv_last_fault.error, 0, "#GP error 0");
	gpv_test_check(!gpv_probe_wrmsr(MSR_BOGUS, 1), "wrmsr of an unknown MSR faults (#GP)");
	gpv_test_check(gpv_probe_wrmsr(MSR_FS_BASE, (unsigned long)&target),
		       "wrmsr FS_BASE canonical is emulated");
	asm volatile("movq %%fs:0, %0" : "=r"(fs));
	gpv_test_eq((long)fs, (long)target, "%fs:0 reads through the written base");
	gpv_test_check(gpv_probe_rdmsr(MSR_FS_BASE, &v) && v == (unsigned long)&target,
		       "rdmsr FS_BASE reads it back");
	gpv_test_check(!gpv_probe_wrmsr(MSR_FS_BASE, NONCANON), "wrmsr FS_BASE non-canonical: #GP");
	gpv_test_check(!gpv_probe_wrmsr(MSR_GS_BASE, NONCANON), "wrmsr GS_BASE non-canonical: #GP");
	gpv_test_check(!gpv_probe_wrmsr(MSR_SHADOW_GS_BASE, NONCANON),
		       "wrmsr SHADOW_GS_BASE non-canonical: #GP");
	gpv_probe_wrmsr(MSR_FS_BASE, 0);
	/* Xen 4.17's vMCE: two banks (more flags on Intel), MC0_CTL all ones, MCG_STATUS kept. */
	gpv_test_check(gpv_probe_rdmsr(MSR_MCG_CAP, &v) && (v & 0xff) == 2, "MCG_CAP: two banks");
	gpv_test_check(gpv_probe_rdmsr(MSR_MC0_CTL, &v) && v == ~0UL, "MC0_CTL reads all ones");
	gpv_test_check(gpv_probe_wrmsr(MSR_MCG_STATUS, 5) && gpv_probe_rdmsr(MSR_MCG_STATUS, &v) &&
			       v == 5,
		       "MCG_STATUS keeps what is written");
	gpv_probe_wrmsr(MSR_MCG_STATUS, 0);
	gpv_test_check(gpv_probe_wrmsr(MSR_MC0_STATUS, 0), "MC0_STATUS takes 0");
	gpv_test_check(!gpv_probe_wrmsr(MSR_MC0_STATUS, 1),
		       "MC0_STATUS refuses anything else (#GP)");
	gpv_test_check(!gpv_probe_rdmsr(MSR_MCG_EXT_CTL, &v), "MCG_EXT_CTL: #GP (no LMCE)");
}

static void check_cr(void)
{
	uint64_t cr0 = 0, cr3 = 0, cr4 = 0, v = 0;

	gpv_test_area("emul: control registers");
	gpv_test_check(gpv_probe_read_cr(0, &cr0), "mov from cr0 is emulated");
	gpv_test_check((cr0 & 0x80000001UL) == 0x80000001UL, "cr0 has PE and PG");
	gpv_fpu_taskswitch(1);
	gpv_probe_read_cr(0, &v);
	gpv_test_check(v & 8, "cr0.TS follows fpu_taskswitch(1)");
	gpv_fpu_taskswitch(0);
	gpv_probe_read_cr(0, &v);
	gpv_test_check(!(v & 8), "cr0.TS follows fpu_taskswitch(0)");
	gpv_test_check(gpv_probe_write_cr(0, cr0 | 8), "mov to cr0 setting TS is emulated");
	gpv_probe_read_cr(0, &v);
	gpv_test_check(v & 8, "cr0.TS set by mov to cr0");
	gpv_probe_write_cr(0, cr0 & ~8UL);
	gpv_test_check(gpv_probe_read_cr(3, &cr3), "mov from cr3 is emulated");
	gpv_test_eq((long)(cr3 >> 12), (long)gpv_virt_to_mfn((void *)gpv_start_info->pt_base),
		    "cr3 is the machine address of pt_base");
	gpv_test_check(gpv_probe_write_cr(3, cr3), "mov to cr3 with the same table is emulated");
	gpv_test_check(gpv_probe_read_cr(4, &cr4), "mov from cr4 is emulated");
	gpv_test_check(cr4 & (1U << 5), "cr4 has PAE");
	gpv_test_info("cr0 %lx cr3 %lx cr4 %lx", cr0, cr3, cr4);
}

void emul_check_iopl(void);
void emul_check_cpuid_all(void);
void emul_check_cr4(void);
void emul_check_db(void);

int gpv_main(void)
{
	check_cpuid();
	emul_check_cpuid_all();
	check_msr();
	check_cr();
	emul_check_cr4();
	emul_check_iopl();
	emul_check_db();
	return gpv_test_finish();
}
