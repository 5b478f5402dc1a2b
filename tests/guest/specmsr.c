// SPDX-License-Identifier: MIT
/*
 * specmsr: the MSRs a guest writes for its own protection, as Xen 4.17
 * (guest_wrmsr): TSC_AUX (with RDTSCP or RDPID) takes a 32-bit value that
 * RDTSCP then returns - the write is applied, not only remembered;
 * SPEC_CTRL (with IBRS/STIBP/SSBD in the guest's CPUID) takes only those
 * bits and reads back, and PRED_CMD (with IBPB) takes only IBPB and is
 * write-only; without the feature each is #GP, so a guest never believes
 * it set a protection it did not get.
 */
#include <gpv/gpv.h>
#include <gpv/probe.h>
#include <gpv/test.h>

#define MSR_SPEC_CTRL 0x48U
#define MSR_PRED_CMD 0x49U
#define MSR_TSC_AUX 0xc0000103U

static bool cpuid_bit(uint32_t leaf, unsigned int reg, unsigned int bit)
{
	uint32_t r[4];

	gpv_cpuid(leaf, 0, r);
	return (r[reg] >> bit) & 1;
}

static uint32_t rdtscp_aux(void)
{
	uint32_t lo, hi, aux;

	asm volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
	(void)lo, (void)hi;
	return aux;
}

static void check_tsc_aux(void)
{
	bool rdtscp = cpuid_bit(0x80000001, 3, 27);
	uint64_t v = 0;

	gpv_test_area("specmsr: TSC_AUX");
	if (!rdtscp && !cpuid_bit(7, 2, 22)) {
		gpv_test_check(!gpv_probe_wrmsr(MSR_TSC_AUX, 1), "no RDTSCP/RDPID: wrmsr is #GP");
		return;
	}
	gpv_test_check(gpv_probe_wrmsr(MSR_TSC_AUX, 0x2a), "wrmsr TSC_AUX 0x2a completes");
	gpv_test_check(gpv_probe_rdmsr(MSR_TSC_AUX, &v) && v == 0x2a, "rdmsr reads it back");
	if (rdtscp)
		gpv_test_eq(rdtscp_aux(), 0x2a, "RDTSCP returns it (the write was applied)");
	gpv_test_check(!gpv_probe_wrmsr(MSR_TSC_AUX, 1UL << 32), "a value above 32 bits is #GP");
	gpv_test_check(gpv_probe_wrmsr(MSR_TSC_AUX, 7) && (!rdtscp || rdtscp_aux() == 7),
		       "a second write is applied too");
}

static void check_spec_ctrl(void)
{
	bool ibrs = cpuid_bit(7, 3, 26), ssbd = cpuid_bit(7, 3, 31);
	bool ibpb = ibrs || cpuid_bit(0x80000008, 1, 12);
	uint64_t v = 0;

	gpv_test_area("specmsr: SPEC_CTRL and PRED_CMD");
	gpv_test_info("guest CPUID: IBRS %d SSBD %d IBPB %d", ibrs, ssbd, ibpb);
	if (ibrs) {
		gpv_test_check(gpv_probe_wrmsr(MSR_SPEC_CTRL, 1), "wrmsr SPEC_CTRL.IBRS completes");
		gpv_test_check(gpv_probe_rdmsr(MSR_SPEC_CTRL, &v) && v == 1, "and reads back");
		gpv_test_check(!gpv_probe_wrmsr(MSR_SPEC_CTRL, 1UL << 40), "a reserved bit is #GP");
		gpv_probe_wrmsr(MSR_SPEC_CTRL, 0);
	} else {
		gpv_test_check(!gpv_probe_wrmsr(MSR_SPEC_CTRL, 1),
			       "no IBRS: wrmsr SPEC_CTRL is #GP");
		gpv_test_check(!gpv_probe_rdmsr(MSR_SPEC_CTRL, &v), "and rdmsr is #GP");
	}
	if (ibpb) {
		gpv_test_check(gpv_probe_wrmsr(MSR_PRED_CMD, 1), "wrmsr PRED_CMD.IBPB completes");
		gpv_test_check(!gpv_probe_wrmsr(MSR_PRED_CMD, 2), "another bit is #GP");
	} else {
		gpv_test_check(!gpv_probe_wrmsr(MSR_PRED_CMD, 1), "no IBPB: wrmsr PRED_CMD is #GP");
	}
	gpv_test_check(!gpv_probe_rdmsr(MSR_PRED_CMD, &v), "PRED_CMD is write-only: rdmsr is #GP");
}

int gpv_main(void)
{
	check_tsc_aux();
	check_spec_ctrl();
	return gpv_test_finish();
}
