// SPDX-License-Identifier: GPL-2.0-only
/*
 * Virtual CR0/CR2/CR3/CR4 and the emulated MSRs of a PV vCPU, with Xen's
 * choices (pv/emul-priv-op.c read_msr/write_msr, pv/domain.c):
 *   CR0   the host's, with the virtual TS; only TS may change.
 *   CR2   the last #PF address bounced to the guest.
 *   CR3   the current L4's machine address; a write must name a validated L4.
 *   CR4   PAE, MCE, OSFXSR, OSXMMEXCPT as the host has them; writes ignored.
 *   MSRs  FS/GS/shadow-GS bases (canonical), EFER (read), APIC_BASE (read),
 *         PAT (Xen's value), TSC (read), MISC_ENABLE (read); the rest #GP.
 */
#include <asm/x86.h>
#include <lamina/mm.h>
#include "emul.h"

#define XEN_MSR_PAT 0x050100070406ULL
#define CR4_VISIBLE (0x20ULL | 0x40ULL | 0x200ULL | 0x400ULL)

bool pv_canonical(uint64_t va)
{
	return ((int64_t)va >> 47) == 0 || ((int64_t)va >> 47) == -1;
}

void pv_set_vts(struct vcpu *v, bool set)
{
	v->arch.vcr0_ts = set ? X86_CR0_TS : 0;
	if (set)
		asm volatile("mov %%cr0, %%rax; or $8, %%rax; mov %%rax, %%cr0" ::: "rax");
	else
		asm volatile("clts");
}

int pv_new_guest_cr3(struct vcpu *v, mfn_t mfn)
{
	if (mm_frame_type(mfn) != FT_GUEST_L4)
		return -1;
	v->arch.guest_table = mfn;
	if (v->arch.kernel_mode)
		write_cr3(mfn_x(mfn) << PAGE_SHIFT);
	return 0;
}

int pv_read_cr(struct vcpu *v, unsigned int cr, uint64_t *val)
{
	switch (cr) {
	case 0:
		*val = (read_cr0() & ~X86_CR0_TS) | v->arch.vcr0_ts;
		return 0;
	case 2:
		*val = v->arch.vcr2;
		return 0;
	case 3:
		*val = mfn_x(v->arch.kernel_mode ? v->arch.guest_table : v->arch.guest_table_user)
		       << PAGE_SHIFT;
		return 0;
	case 4:
		*val = read_cr4() & CR4_VISIBLE;
		return 0;
	default:
		return -1;
	}
}

int pv_write_cr(struct vcpu *v, unsigned int cr, uint64_t val)
{
	switch (cr) {
	case 0:
		if ((val ^ read_cr0()) & ~X86_CR0_TS)
			return -1;
		pv_set_vts(v, val & X86_CR0_TS);
		return 0;
	case 2:
		v->arch.vcr2 = val;
		return 0;
	case 3:
		return pv_new_guest_cr3(v, _mfn(val >> PAGE_SHIFT));
	case 4:
		return 0;
	default:
		return -1;
	}
}

int pv_read_msr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	switch (msr) {
	case MSR_FS_BASE:
		*val = v->arch.fs_base;
		return 0;
	case MSR_GS_BASE:
		*val = v->arch.kernel_mode ? v->arch.gs_base_kernel : v->arch.gs_base_user;
		return 0;
	case MSR_SHADOW_GS_BASE:
		*val = v->arch.kernel_mode ? v->arch.gs_base_user : v->arch.gs_base_kernel;
		return 0;
	case MSR_EFER:
		*val = rdmsr(MSR_EFER) & (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE);
		return 0;
	case MSR_APIC_BASE:
		*val = 0xfee00000ULL | (1ULL << 11) | (1ULL << 8);
		return 0;
	case MSR_PAT:
		*val = XEN_MSR_PAT;
		return 0;
	case MSR_TSC:
		*val = rdtsc();
		return 0;
	case MSR_MISC_ENABLE:
		*val = (1ULL << 0) | (1ULL << 11) | (1ULL << 12);
		return 0;
	default:
		return -1;
	}
}

int pv_write_msr(struct vcpu *v, uint32_t msr, uint64_t val)
{
	switch (msr) {
	case MSR_FS_BASE:
		if (!pv_canonical(val))
			return -1;
		v->arch.fs_base = val;
		wrmsr(MSR_FS_BASE, val);
		return 0;
	case MSR_GS_BASE:
	case MSR_SHADOW_GS_BASE: {
		bool kernel = v->arch.kernel_mode == (msr == MSR_GS_BASE);

		if (!pv_canonical(val))
			return -1;
		if (kernel)
			v->arch.gs_base_kernel = val;
		else
			v->arch.gs_base_user = val;
		if (msr == MSR_GS_BASE)
			wrmsr(MSR_GS_BASE, val);
		return 0;
	}
	case MSR_EFER: {
		uint64_t cur;

		pv_read_msr(v, MSR_EFER, &cur);
		return val == cur ? 0 : -1;
	}
	case MSR_PAT:
		return val == XEN_MSR_PAT ? 0 : -1;
	default:
		return -1;
	}
}
