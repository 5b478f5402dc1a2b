// SPDX-License-Identifier: GPL-2.0-only
/*
 * Virtual CR0/CR2/CR3/CR4 and the emulated MSRs of a PV vCPU, with Xen's
 * choices (pv/emul-priv-op.c read_msr/write_msr, pv/domain.c):
 *   CR0   the host's, with the virtual TS; only TS may change.
 *   CR2   the last #PF address bounced to the guest.
 *   CR3   the current L4's machine address; a write must name a validated L4.
 *   CR4   PAE, MCE, OSFXSR, OSXMMEXCPT as the host has them; writes ignored.
 *   MSRs  the PV-logic policy (asm/msr_policy.h: Xen 4.17's set, host-tested);
 *         this file applies its effects (segment bases, hypercall page).
 */
#include <asm/x86.h>
#include <lamina/mm.h>
#include <asm/msr_policy.h>
#include <asm/pv/cpuid.h>
#include <asm/pv/dom0_build.h>
#include <asm/pv/emul.h>

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

/* The MSR policy's view of the host and of v. */
static void msr_ctx(struct pv_msr_ctx *c, struct pv_cpuid_ctx *cc, const struct vcpu *v,
		    struct pv_msr_vcpu *mv)
{
	struct pv_cpuid_leaf l0;

	pv_guest_cpuid_ctx(cc, v, false);
	cc->host(NULL, 0, 0, &l0);
	*c = (struct pv_msr_ctx){
		.cpuid = cc,
		.intel = l0.b == 0x756e6547, /* "Genu" */
		.host_efer = rdmsr(MSR_EFER),
		.host_misc_enable = l0.b == 0x756e6547 ? rdmsr(MSR_MISC_ENABLE) : 0,
		.tsc = rdtsc(),
		.apic_base = rdmsr(MSR_APIC_BASE),
	};
	*mv = (struct pv_msr_vcpu){
		.kernel_mode = v->arch.kernel_mode,
		.fs_base = v->arch.fs_base,
		.gs_base_kernel = v->arch.gs_base_kernel,
		.gs_base_user = v->arch.gs_base_user,
		.tsc_aux = v->arch.tsc_aux,
		.spec_ctrl = v->arch.spec_ctrl,
		.cpuid_faulting = v->arch.cpuid_faulting,
	};
}

int pv_read_msr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	struct pv_msr_ctx c;
	struct pv_cpuid_ctx cc;
	struct pv_msr_vcpu mv;

	msr_ctx(&c, &cc, v, &mv);
	return pv_msr_read(&c, &mv, msr, val) ? -1 : 0;
}

int pv_write_msr(struct vcpu *v, uint32_t msr, uint64_t val)
{
	struct pv_msr_ctx c;
	struct pv_cpuid_ctx cc;
	struct pv_msr_vcpu mv;
	struct pv_msr_effect eff;
	struct domain *d = v->domain;

	msr_ctx(&c, &cc, v, &mv);
	if (pv_msr_write(&c, &mv, msr, val, &eff))
		return -1;
	v->arch.fs_base = mv.fs_base;
	v->arch.gs_base_kernel = mv.gs_base_kernel;
	v->arch.gs_base_user = mv.gs_base_user;
	v->arch.tsc_aux = mv.tsc_aux;
	v->arch.spec_ctrl = mv.spec_ctrl;
	v->arch.cpuid_faulting = mv.cpuid_faulting;
	if (eff.load_fs_base)
		wrmsr(MSR_FS_BASE, v->arch.fs_base);
	if (eff.load_gs_base || eff.load_shadow_gs_base)
		wrmsr(MSR_GS_BASE,
		      v->arch.kernel_mode ? v->arch.gs_base_kernel : v->arch.gs_base_user);
	if (eff.hypercall_page && eff.hypercall_gfn < d->nr_pages)
		pv_write_hypercall_page(mfn_to_virt(_mfn(d->p2m_base + eff.hypercall_gfn)));
	return 0;
}
