// SPDX-License-Identifier: GPL-2.0-only
/*
 * The emulated MSRs of a PV vCPU (after xen/arch/x86/pv/emul-priv-op.c
 * read_msr/write_msr): the pure policy (asm/msr_policy.h: Xen 4.17's set,
 * host-tested) decides; this file gives it the host's and the vCPU's state
 * and applies the effects (segment bases, hypercall page, TSC_AUX and the
 * speculation controls). v is always this CPU's vCPU (the emulator's and
 * set_segment_base's), so its FS and active GS bases are read back from the
 * CPU first (pv_sync_bases): with CR4.FSGSBASE it may have moved them.
 */
#include <asm/msr_policy.h>
#include <asm/pv/cpuid.h>
#include <asm/pv/dom0_build.h>
#include <asm/pv/emul.h>
#include <asm/tsc.h>
#include <asm/x86.h>
#include <lamina/domain.h>
#include <lamina/mm.h>

/* RDMSR that may fault: true with *val, or false (a #GP, caught by the exception table). */
static bool rdmsr_safe(uint32_t msr, uint64_t *val)
{
	uint32_t lo = 0, hi = 0;
	int ok = 1;

	asm volatile("1: rdmsr\n\t"
		     "jmp 3f\n"
		     "2: xorl %2, %2\n"
		     "3:\n\t"
		     ".pushsection .ex_table, \"a\"\n\t"
		     ".quad 1b, 2b\n\t"
		     ".popsection"
		     : "=a"(lo), "=d"(hi), "+r"(ok)
		     : "c"(msr));
	*val = ((uint64_t)hi << 32) | lo;
	return ok;
}

/*
 * MISC_ENABLE and UCODE_REV as the host answers them (QEMU has MISC_ENABLE on
 * AMD models too; a real AMD CPU #GPs), read once: they do not change while
 * Lamina runs (it loads no microcode), and an RDMSR is costly under
 * virtualisation, so not twice on every emulated MSR access. Every CPU of a
 * machine answers the same; a race between two first readers stores the
 * same values.
 */
static void host_fixed_msrs(struct pv_msr_ctx *c)
{
	static bool read, has_misc_enable;
	static uint64_t misc_enable, ucode_rev;

	if (!__atomic_load_n(&read, __ATOMIC_ACQUIRE)) {
		has_misc_enable = rdmsr_safe(MSR_MISC_ENABLE, &misc_enable);
		if (!rdmsr_safe(0x8b /* UCODE_REV */, &ucode_rev))
			ucode_rev = 0;
		__atomic_store_n(&read, true, __ATOMIC_RELEASE);
	}
	c->host_has_misc_enable = has_misc_enable;
	c->host_misc_enable = misc_enable;
	c->host_ucode_rev = ucode_rev;
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
		.amd = l0.b == 0x68747541,   /* "Auth" */
		.host_efer = rdmsr(MSR_EFER),
		.tsc = tsc_guest_read(v), /* emulated when the domain's TSC is */
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
		.mcg_status = v->arch.mcg_status,
		.mci_ctl2 = { v->arch.mci_ctl2[0], v->arch.mci_ctl2[1] },
	};
	host_fixed_msrs(c);
}

/*
 * The hypercall-page MSR names a frame as Xen's guest_wrmsr_xen takes it
 * from a PV guest: a machine frame (a PV guest's gfn is its mfn), written
 * under a general and a writable type reference of the caller's. A page
 * table, a descriptor page or a frame not the caller's cannot get them:
 * #GP, with nothing written.
 */
static enum pv_emul_rc write_hypercall_page(struct vcpu *v, uint64_t mfn)
{
	struct mm_ctx c;
	int rc;

	mm_ctx_init(&c, v->domain, v->domain->id);
	spin_lock(&mm_lock);
	rc = mm_get_page_and_type(&c, mfn, v->domain->id, MM_PGT_WRITABLE);
	if (!rc) {
		pv_write_hypercall_page(mfn_to_virt(_mfn(mfn)));
		mm_put_page_and_type(&c, mfn);
	}
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
	return rc ? PV_EMUL_GP : PV_EMUL_OKAY;
}

enum pv_emul_rc pv_read_msr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	struct pv_msr_ctx c;
	struct pv_cpuid_ctx cc;
	struct pv_msr_vcpu mv;

	pv_sync_bases(v);
	msr_ctx(&c, &cc, v, &mv);
	return pv_msr_read(&c, &mv, msr, val) ? PV_EMUL_GP : PV_EMUL_OKAY;
}

enum pv_emul_rc pv_write_msr(struct vcpu *v, uint32_t msr, uint64_t val)
{
	struct pv_msr_ctx c;
	struct pv_cpuid_ctx cc;
	struct pv_msr_vcpu mv;
	struct pv_msr_effect eff;

	pv_sync_bases(v);
	msr_ctx(&c, &cc, v, &mv);
	if (pv_msr_write(&c, &mv, msr, val, &eff))
		return PV_EMUL_GP;
	if (eff.hypercall_page)
		return write_hypercall_page(v, eff.hypercall_gfn);
	v->arch.fs_base = mv.fs_base;
	v->arch.gs_base_kernel = mv.gs_base_kernel;
	v->arch.gs_base_user = mv.gs_base_user;
	v->arch.tsc_aux = mv.tsc_aux;
	v->arch.spec_ctrl = mv.spec_ctrl;
	v->arch.cpuid_faulting = mv.cpuid_faulting;
	v->arch.mcg_status = mv.mcg_status;
	v->arch.mci_ctl2[0] = mv.mci_ctl2[0];
	v->arch.mci_ctl2[1] = mv.mci_ctl2[1];
	if (eff.load_fs_base)
		wrmsr(MSR_FS_BASE, v->arch.fs_base);
	if (eff.load_gs_base || eff.load_shadow_gs_base)
		wrmsr(MSR_GS_BASE,
		      v->arch.kernel_mode ? v->arch.gs_base_kernel : v->arch.gs_base_user);
	/* What a guest sets for its own protection takes effect at once, as on
	 * Xen (the policy accepted it only where the CPU has the MSR). */
	if (eff.load_tsc_aux)
		wrmsr(MSR_TSC_AUX, v->arch.tsc_aux);
	if (eff.load_spec_ctrl)
		wrmsr(MSR_SPEC_CTRL, v->arch.spec_ctrl);
	if (eff.ibpb)
		wrmsr(MSR_PRED_CMD, 1);
	return PV_EMUL_OKAY;
}
