// SPDX-License-Identifier: GPL-2.0-only
/*
 * Virtual CR0/CR2/CR3/CR4 of a PV vCPU, with Xen's choices
 * (xen/arch/x86/pv/emul-priv-op.c, pv/domain.c); the MSRs are in msr.c:
 *   CR0   the host's, with the virtual TS; only TS may change.
 *   CR2   the last #PF address bounced to the guest.
 *   CR3   the current L4's machine address; a write is MMUEXT_NEW_BASEPTR's
 *         (pv/mmuext_op.c), #GP when refused.
 *   CR4   PAE, MCE, OSFXSR, OSXMMEXCPT as the host has them; writes ignored.
 */
#include <asm/pv/emul.h>
#include <asm/x86.h>
#include <lamina/mm.h>

#define CR4_VISIBLE (0x20ULL | 0x40ULL | 0x200ULL | 0x400ULL)

void pv_set_vts(struct vcpu *v, bool set)
{
	v->arch.vcr0_ts = set ? X86_CR0_TS : 0;
	if (set)
		asm volatile("mov %%cr0, %%rax; or $8, %%rax; mov %%rax, %%cr0" ::: "rax");
	else
		asm volatile("clts");
}

enum pv_emul_rc pv_read_cr(struct vcpu *v, unsigned int cr, uint64_t *val)
{
	switch (cr) {
	case 0:
		*val = (read_cr0() & ~X86_CR0_TS) | v->arch.vcr0_ts;
		return PV_EMUL_OKAY;
	case 2:
		*val = v->arch.vcr2;
		return PV_EMUL_OKAY;
	case 3:
		*val = mfn_x(v->arch.kernel_mode ? v->arch.guest_table : v->arch.guest_table_user)
		       << PAGE_SHIFT;
		return PV_EMUL_OKAY;
	case 4:
		*val = read_cr4() & CR4_VISIBLE;
		return PV_EMUL_OKAY;
	default:
		return PV_EMUL_GP;
	}
}

enum pv_emul_rc pv_write_cr(struct vcpu *v, unsigned int cr, uint64_t val)
{
	switch (cr) {
	case 0:
		if ((val ^ read_cr0()) & ~X86_CR0_TS)
			return PV_EMUL_GP;
		pv_set_vts(v, val & X86_CR0_TS);
		return PV_EMUL_OKAY;
	case 2:
		v->arch.vcr2 = val;
		return PV_EMUL_OKAY;
	case 3:
		return pv_new_guest_cr3(v, _mfn(val >> PAGE_SHIFT)) ? PV_EMUL_GP : PV_EMUL_OKAY;
	case 4:
		return PV_EMUL_OKAY;
	default:
		return PV_EMUL_GP;
	}
}
