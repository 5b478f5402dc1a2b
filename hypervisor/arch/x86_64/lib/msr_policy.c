// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PV MSR policy (see asm/msr_policy.h). Reads and writes are decided in
 * full before any state changes; an unknown MSR is #GP.
 */
#include <asm/canonical.h>
#include <asm/msr_policy.h>

#include <xen/errno.h>

#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

#define MISC_ENABLE_PERF_AVAIL (1ull << 7)
#define MISC_ENABLE_BTS_UNAVAIL (1ull << 11)
#define MISC_ENABLE_PEBS_UNAVAIL (1ull << 12)
#define MISC_ENABLE_MONITOR (1ull << 18)
#define MISC_ENABLE_XTPR_DISABLE (1ull << 23)

#define APIC_BASE_X2APIC (1ull << 10)

#define SPEC_CTRL_IBRS (1u << 0)
#define SPEC_CTRL_STIBP (1u << 1)
#define SPEC_CTRL_SSBD (1u << 2)

static bool has(const struct pv_msr_ctx *ctx, unsigned int feat)
{
	return pv_cpuid_has(ctx->cpuid, feat);
}

static uint64_t guest_efer(const struct pv_msr_ctx *ctx)
{
	return ctx->host_efer & (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE);
}

static uint64_t guest_misc_enable(const struct pv_msr_ctx *ctx)
{
	uint64_t v = ctx->host_misc_enable & ~(MISC_ENABLE_PERF_AVAIL | MISC_ENABLE_MONITOR);

	return v | MISC_ENABLE_BTS_UNAVAIL | MISC_ENABLE_PEBS_UNAVAIL | MISC_ENABLE_XTPR_DISABLE;
}

static uint32_t spec_ctrl_bits(const struct pv_msr_ctx *ctx)
{
	uint32_t m = 0;

	if (has(ctx, PV_FEAT_IBRSB))
		m |= SPEC_CTRL_IBRS;
	if (has(ctx, PV_FEAT_STIBP))
		m |= SPEC_CTRL_STIBP;
	if (has(ctx, PV_FEAT_SSBD))
		m |= SPEC_CTRL_SSBD;
	return m;
}

static bool has_tsc_aux(const struct pv_msr_ctx *ctx)
{
	return has(ctx, PV_FEAT_RDTSCP) || has(ctx, PV_FEAT_RDPID);
}

int pv_msr_read(const struct pv_msr_ctx *ctx, const struct pv_msr_vcpu *v, uint32_t msr,
		uint64_t *val)
{
	if (!ctx || !v || !val)
		return -XEN_EPERM;
	switch (msr) {
	case PV_MSR_FS_BASE:
		*val = v->fs_base;
		return 0;
	case PV_MSR_GS_BASE:
		*val = v->kernel_mode ? v->gs_base_kernel : v->gs_base_user;
		return 0;
	case PV_MSR_SHADOW_GS_BASE:
		*val = v->kernel_mode ? v->gs_base_user : v->gs_base_kernel;
		return 0;
	case PV_MSR_EFER:
		*val = guest_efer(ctx);
		return 0;
	case PV_MSR_TSC:
		*val = ctx->tsc;
		return 0;
	case PV_MSR_APIC_BASE:
		*val = ctx->apic_base & ~APIC_BASE_X2APIC;
		return 0;
	case PV_MSR_FEATURE_CONTROL:
		if (!ctx->intel)
			return -XEN_EPERM;
		*val = 1; /* locked, VMX off */
		return 0;
	case PV_MSR_HYPERCALL:
		*val = 0;
		return 0;
	case PV_MSR_TSC_AUX:
		if (!has_tsc_aux(ctx))
			return -XEN_EPERM;
		*val = v->tsc_aux;
		return 0;
	case PV_MSR_CR_PAT:
		*val = PV_XEN_PAT;
		return 0;
	case PV_MSR_MISC_ENABLE:
		if (!ctx->host_has_misc_enable)
			return -XEN_EPERM;
		*val = guest_misc_enable(ctx);
		return 0;
	case PV_MSR_PLATFORM_INFO:
		*val = (uint64_t)ctx->cpuid_faulting << 31;
		return 0;
	case PV_MSR_MISC_FEATURES_ENABLES:
		*val = v->cpuid_faulting;
		return 0;
	case PV_MSR_UCODE_REV:
		if (!ctx->intel && !ctx->amd)
			return -XEN_EPERM;
		*val = ctx->host_ucode_rev;
		return 0;
	case PV_MSR_ARCH_CAPABILITIES:
		if (!has(ctx, PV_FEAT_ARCH_CAPS))
			return -XEN_EPERM;
		*val = ctx->arch_caps;
		return 0;
	case PV_MSR_PERF_CAPABILITIES:
		*val = 0;
		return 0;
	case PV_MSR_SPEC_CTRL:
		if (!spec_ctrl_bits(ctx))
			return -XEN_EPERM;
		*val = v->spec_ctrl;
		return 0;
	}
	if (pv_vmce_msr(msr, false))
		return pv_vmce_read(ctx, v, msr, val);
	return -XEN_EPERM;
}

static int write_base(struct pv_msr_vcpu *v, uint32_t msr, uint64_t val, struct pv_msr_effect *eff)
{
	bool active_kernel = (msr == PV_MSR_GS_BASE) == v->kernel_mode;

	if (!is_canonical_address(val))
		return -XEN_EPERM;
	if (msr == PV_MSR_FS_BASE) {
		v->fs_base = val;
		eff->load_fs_base = true;
	} else if (active_kernel) {
		v->gs_base_kernel = val;
	} else {
		v->gs_base_user = val;
	}
	if (msr == PV_MSR_GS_BASE)
		eff->load_gs_base = true;
	else if (msr == PV_MSR_SHADOW_GS_BASE)
		eff->load_shadow_gs_base = true;
	return 0;
}

int pv_msr_write(const struct pv_msr_ctx *ctx, struct pv_msr_vcpu *v, uint32_t msr, uint64_t val,
		 struct pv_msr_effect *eff)
{
	if (!ctx || !v || !eff)
		return -XEN_EPERM;
	*eff = (struct pv_msr_effect){ 0 };
	switch (msr) {
	case PV_MSR_FS_BASE:
	case PV_MSR_GS_BASE:
	case PV_MSR_SHADOW_GS_BASE:
		return write_base(v, msr, val, eff);
	case PV_MSR_EFER:
		return val == guest_efer(ctx) ? 0 : -XEN_EPERM;
	case PV_MSR_MISC_ENABLE:
		return 0; /* accepted and ignored, whatever the value (as Xen) */
	case PV_MSR_TSC_AUX:
		if (!has_tsc_aux(ctx) || val >> 32)
			return -XEN_EPERM;
		v->tsc_aux = (uint32_t)val;
		eff->load_tsc_aux = true;
		return 0;
	case PV_MSR_MISC_FEATURES_ENABLES:
		if (val & ~(uint64_t)ctx->cpuid_faulting)
			return -XEN_EPERM;
		v->cpuid_faulting = val & 1;
		return 0;
	case PV_MSR_SPEC_CTRL:
		if (!spec_ctrl_bits(ctx) || (val & ~(uint64_t)spec_ctrl_bits(ctx)))
			return -XEN_EPERM;
		v->spec_ctrl = (uint32_t)val;
		eff->load_spec_ctrl = true;
		return 0;
	case PV_MSR_PRED_CMD:
		if (!(has(ctx, PV_FEAT_IBRSB) || has(ctx, PV_FEAT_IBPB)) || (val & ~1ull))
			return -XEN_EPERM;
		eff->ibpb = val & 1;
		return 0;
	case PV_MSR_HYPERCALL:
		if (val & 0xfff) /* only page index 0: one hypercall page */
			return -XEN_EPERM;
		eff->hypercall_page = true;
		eff->hypercall_gfn = val >> 12;
		return 0;
	}
	if (pv_vmce_msr(msr, true))
		return pv_vmce_write(ctx, v, msr, val);
	return -XEN_EPERM;
}
