/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * RDMSR/WRMSR from a 64-bit PV guest kernel, as Xen 4.17 answers them
 * (pv/emul-priv-op.c read_msr/write_msr, msr.c guest_rdmsr/guest_wrmsr).
 * Since 4.15 Xen injects #GP for any MSR it does not handle explicitly
 * ("msr_relaxed" off, the default); so does Lamina. Handled:
 *
 *   FS_BASE, GS_BASE, SHADOW_GS_BASE  the vCPU's bases (GS_BASE is the active
 *                                     one: the kernel's in kernel mode);
 *                                     writes must be canonical
 *   EFER           read: host EFER's SCE|LME|LMA|NXE; write: #GP unless it
 *                  writes the value a read returns (as Xen)
 *   TSC            read: the TSC the caller passes; write: #GP
 *   TSC_AUX        if RDTSCP or RDPID is visible: read/write, 32-bit values
 *   CR_PAT         read: Xen's PAT 0x0000050100070406; write: #GP, even of
 *                  that value (as Xen 4.17.7)
 *   MISC_ENABLE    read: host value with PERF_AVAIL and MONITOR cleared and
 *                  BTS_UNAVAIL, PEBS_UNAVAIL, XTPR_DISABLE set (Xen's
 *                  guest_misc_enable), #GP where the host has none (an AMD
 *                  CPU); write: accepted and ignored (as Xen)
 *   APIC_BASE      read: the host's, x2APIC enable cleared; write #GP
 *   FEATURE_CONTROL  Intel: read 1 (locked, no VMX); write #GP
 *   PLATFORM_INFO  read CPUID-faulting support (bit 31) as the caller
 *                  says; write #GP (any vendor, as Xen 4.17)
 *   MISC_FEATURES_ENABLES  read; bit 0 (CPUID faulting) writable only when
 *                  supported (any vendor)
 *   UCODE_REV      Intel or AMD host: read the host's; write #GP
 *   PERF_CAPABILITIES      read 0 (PDCM hidden; any vendor)
 *   SPEC_CTRL      if IBRSB or SSBD visible: read/write IBRS|STIBP|SSBD bits
 *                  the CPUID policy shows
 *   PRED_CMD       if IBRSB or IBPB visible: write IBPB (bit 0); read #GP
 *   ARCH_CAPABILITIES  if the CPUID policy shows ARCH_CAPS: read the value
 *                  the caller gives (Xen synthesizes it); write #GP
 *   0x0, 0x1, 0x179-0x17b, 0x280-0x29f, 0x400-0x47f, 0x4d0
 *                  the virtual machine-check MSRs (lib/vmce_policy.c)
 *   0x40000000     Xen's hypercall-page MSR: reads 0; a write asks for the
 *                  hypercall page at frame val >> 12 (page index val & 0xfff
 *                  must be 0)
 * The readable set and a set of writes were compared with Xen 4.17.7's on
 * QEMU (Westmere, an Intel model, and max, an AMD one under TCG) by
 * tests/unit/lib/xenver_vs_xen.sh.
 * Everything else: #GP(0).
 */
#ifndef LAMINA_ASM_MSR_POLICY_H
#define LAMINA_ASM_MSR_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include <asm/cpuid_policy.h>

#define PV_MSR_TSC 0x00000010u
#define PV_MSR_APIC_BASE 0x0000001bu
#define PV_MSR_FEATURE_CONTROL 0x0000003au
#define PV_MSR_SPEC_CTRL 0x00000048u
#define PV_MSR_PRED_CMD 0x00000049u
#define PV_MSR_UCODE_REV 0x0000008bu
#define PV_MSR_ARCH_CAPABILITIES 0x0000010au
#define PV_MSR_PLATFORM_INFO 0x000000ceu
#define PV_MSR_MISC_FEATURES_ENABLES 0x00000140u
#define PV_MSR_MISC_ENABLE 0x000001a0u
#define PV_MSR_CR_PAT 0x00000277u
#define PV_MSR_PERF_CAPABILITIES 0x00000345u
#define PV_MSR_HYPERCALL 0x40000000u
#define PV_MSR_EFER 0xc0000080u
#define PV_MSR_FS_BASE 0xc0000100u
#define PV_MSR_GS_BASE 0xc0000101u
#define PV_MSR_SHADOW_GS_BASE 0xc0000102u
#define PV_MSR_TSC_AUX 0xc0000103u

#define PV_XEN_PAT 0x0000050100070406ull

/* Per-vCPU MSR state the policy reads and writes. */
struct pv_msr_vcpu {
	bool kernel_mode; /* guest kernel (true) or guest user mode */
	uint64_t fs_base;
	uint64_t gs_base_kernel;
	uint64_t gs_base_user;
	uint32_t tsc_aux;
	uint32_t spec_ctrl;
	bool cpuid_faulting;
	uint64_t mcg_status;  /* vMCE: MCG_STATUS as last written */
	uint64_t mci_ctl2[2]; /* vMCE: MC0_CTL2, MC1_CTL2 (Intel hosts) */
};

/* Host facts and the guest's CPUID view. */
struct pv_msr_ctx {
	const struct pv_cpuid_ctx *cpuid;
	bool intel;
	bool amd;
	uint64_t host_efer;
	bool host_has_misc_enable; /* RDMSR(MISC_ENABLE) works on the host */
	uint64_t host_misc_enable;
	uint64_t host_ucode_rev;
	uint64_t tsc;	     /* the value RDMSR(TSC) returns now */
	uint64_t arch_caps;  /* MSR_ARCH_CAPABILITIES, when ARCH_CAPS is shown */
	uint64_t apic_base;  /* the host's MSR_APIC_BASE on this CPU */
	bool cpuid_faulting; /* CPUID faulting can be offered (PLATFORM_INFO) */
};

/* What a successful write asks of the caller beyond the state update. */
struct pv_msr_effect {
	bool load_fs_base, load_gs_base, load_shadow_gs_base, load_tsc_aux, load_spec_ctrl;
	bool ibpb;		/* issue an IBPB */
	bool hypercall_page;	/* write the hypercall page at ... */
	uint64_t hypercall_gfn; /* ... this guest frame */
};

/* Read @msr into *val. Returns 0, or -XEN_EPERM: inject #GP(0). */
int pv_msr_read(const struct pv_msr_ctx *ctx, const struct pv_msr_vcpu *v, uint32_t msr,
		uint64_t *val);

/* lib/vmce_policy.c: whether @msr is a vMCE one (for a read or a write), and its read/write. */
bool pv_vmce_msr(uint32_t msr, bool write);
int pv_vmce_read(const struct pv_msr_ctx *ctx, const struct pv_msr_vcpu *v, uint32_t msr,
		 uint64_t *val);
int pv_vmce_write(const struct pv_msr_ctx *ctx, struct pv_msr_vcpu *v, uint32_t msr, uint64_t val);

/*
 * Write @val to @msr: checks first, then updates @v and fills @eff (zeroed
 * first). Returns 0, or -XEN_EPERM: inject #GP(0), nothing changed.
 */
int pv_msr_write(const struct pv_msr_ctx *ctx, struct pv_msr_vcpu *v, uint32_t msr, uint64_t val,
		 struct pv_msr_effect *eff);

#endif
