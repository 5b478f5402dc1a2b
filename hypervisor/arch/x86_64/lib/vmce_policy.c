// SPDX-License-Identifier: GPL-2.0-only
/*
 * The machine-check MSRs a PV vCPU sees (asm/msr_policy.h), as Xen 4.17's
 * vMCE gives them (cpu/mcheck/vmce.c, mce_intel.c, mce_amd.c): two banks,
 * no MCG_CTL, no LMCE. Xen never injects a machine check into a guest here
 * (it would on a real #MC), so a bank's STATUS, ADDR and MISC only ever
 * hold 0, the one value a guest may write to them.
 *
 *   MCG_CAP (0x179)      2 banks; on an Intel host SER_P, TES_P, CMCI_P too;
 *                        writes ignored
 *   MCG_STATUS (0x17a)   the vCPU's own, any value written
 *   MCG_CTL (0x17b)      reads 0 (no MCG_CTL_P); writes ignored
 *   MCG_EXT_CTL (0x4d0)  #GP (no LMCE)
 *   MCi_CTL (0x400+4i)   banks 0-1 read all ones, writes ignored
 *   MCi_STATUS/ADDR/MISC banks 0-1 read 0; writing anything but 0 is #GP
 *   MCi_CTL2 (0x280+i)   Intel host, banks 0-1: the vCPU's own
 *   P5_MC_ADDR/TYPE      read 0 (writes are #GP: not vMCE's)
 *   the rest of 0x280-0x29f and 0x400-0x47f: read 0, writes ignored
 */
#include <asm/msr_policy.h>

#include <xen/errno.h>

#define VMCE_BANKS 2
#define MCG_CMCI_P (1ull << 10)
#define MCG_TES_P (1ull << 11)
#define MCG_SER_P (1ull << 24)

#define MSR_P5_MC_ADDR 0x0u
#define MSR_P5_MC_TYPE 0x1u
#define MSR_MCG_CAP 0x179u
#define MSR_MCG_STATUS 0x17au
#define MSR_MCG_CTL 0x17bu
#define MSR_MC0_CTL2 0x280u
#define MSR_MC31_CTL2 0x29fu
#define MSR_MC0_CTL 0x400u
#define MSR_MC31_MISC 0x47fu
#define MSR_MCG_EXT_CTL 0x4d0u

bool pv_vmce_msr(uint32_t msr, bool write)
{
	return (!write && (msr == MSR_P5_MC_ADDR || msr == MSR_P5_MC_TYPE)) ||
	       (msr >= MSR_MCG_CAP && msr <= MSR_MCG_CTL) ||
	       (msr >= MSR_MC0_CTL2 && msr <= MSR_MC31_CTL2) ||
	       (msr >= MSR_MC0_CTL && msr <= MSR_MC31_MISC) || msr == MSR_MCG_EXT_CTL;
}

/* A register of banks 0-1 (0x400-0x407): its bank, else -1. */
static int bank_of(uint32_t msr)
{
	return msr >= MSR_MC0_CTL && msr < MSR_MC0_CTL + 4 * VMCE_BANKS
		       ? (int)((msr - MSR_MC0_CTL) / 4)
		       : -1;
}

/* An Intel host's MCi_CTL2 of banks 0-1: its bank, else -1. */
static int ctl2_of(const struct pv_msr_ctx *ctx, uint32_t msr)
{
	return ctx->intel && msr >= MSR_MC0_CTL2 && msr < MSR_MC0_CTL2 + VMCE_BANKS
		       ? (int)(msr - MSR_MC0_CTL2)
		       : -1;
}

int pv_vmce_read(const struct pv_msr_ctx *ctx, const struct pv_msr_vcpu *v, uint32_t msr,
		 uint64_t *val)
{
	*val = 0;
	switch (msr) {
	case MSR_MCG_CAP:
		*val = VMCE_BANKS | (ctx->intel ? MCG_SER_P | MCG_TES_P | MCG_CMCI_P : 0);
		return 0;
	case MSR_MCG_STATUS:
		*val = v->mcg_status;
		return 0;
	case MSR_MCG_EXT_CTL:
		return -XEN_EPERM;
	}
	if (bank_of(msr) >= 0 && !(msr & 3))
		*val = ~0ull;
	else if (ctl2_of(ctx, msr) >= 0)
		*val = v->mci_ctl2[ctl2_of(ctx, msr)];
	return 0;
}

int pv_vmce_write(const struct pv_msr_ctx *ctx, struct pv_msr_vcpu *v, uint32_t msr, uint64_t val)
{
	switch (msr) {
	case MSR_MCG_STATUS:
		v->mcg_status = val;
		return 0;
	case MSR_MCG_EXT_CTL:
		return -XEN_EPERM;
	}
	if (bank_of(msr) >= 0 && (msr & 3))
		return val ? -XEN_EPERM : 0;
	if (ctl2_of(ctx, msr) >= 0)
		v->mci_ctl2[ctl2_of(ctx, msr)] = val;
	return 0;
}
