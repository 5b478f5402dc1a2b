/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What CPUID shows a 64-bit PV guest, as Xen 4.17 shows it (cpuid.c,
 * cpu-policy.c, traps.c cpuid_hypervisor_leaves), for the forced-emulation
 * CPUID and any other CPUID the hypervisor emulates. Checked leaf by leaf
 * against real Xen 4.17.7 on QEMU CPUs (tests/unit/x86_64/cpuid_vs_xen.sh).
 *
 *   0x00000000-0x0000000d  host values, feature words filtered to the 'A'
 *                          (all guests) set of <xen/arch-x86/cpufeatureset.h>
 *                          with the adjustments below; leaves past the max
 *                          leaf read as zero
 *   0x40000000-0x40000005  Xen's leaves: "XenVMMXenVMM", version 4.17, one
 *                          hypercall page and MSR base 0x40000000,
 *                          MMU_PT_UPDATE_PRESERVE_AD, the time leaf, the PV
 *                          machine-address width
 *   0x80000000-...         host values, filtered the same way, up to
 *                          0x80000008 (Intel) or 0x80000021 (AMD, Hygon)
 *   anything else          zero
 *
 * As Xen: APIC is shown to the hardware domain; MTRR too, from kernel mode,
 * in leaf 1 and 0x80000001 EDX ("common leaf-1 adjustments"); HYPERVISOR is
 * always set; OSXSAVE follows the guest's virtual CR4.OSXSAVE, and the
 * enlightened view also shows the hypervisor's own (Xen's de-facto PV ABI);
 * SEP is hidden on AMD; leaf 1 EAX loses the processor type and EBX[31:24]
 * (initial APIC ID) reads 0; leaves 3, 5, 6 and 8-0xc read as zero; AMD
 * hosts get no leaf 2/3/4, Intel hosts no extended vendor string,
 * 0x80000001 EAX/EBX or 0x80000005; 0x80000008 shows at most 48
 * linear-address bits; XSAVE components x87, SSE, AVX and AVX-512 only
 * (XSAVES hidden), AVX and what builds on it hidden without the YMM state or
 * with hide_avx (Xen's GDS mitigation under a hypervisor), AVX-512 without
 * the opmask/ZMM states.
 *
 * Lamina's choices where Xen decides per host or has more: basic leaves
 * stop at 0xd; leaf 7 sub-leaves above 1 read as zero; ARCH_CAPS only when
 * the caller sets ctx->arch_caps (Xen 4.17.7 synthesizes it on Intel hosts,
 * with a value from the host's speculative-execution state, and hides it on
 * AMD). The caller says how it was asked: kernel_mode, enlightened, and
 * host_osxsave (whether the hypervisor itself runs with CR4.OSXSAVE).
 */
#ifndef LAMINA_ASM_CPUID_POLICY_H
#define LAMINA_ASM_CPUID_POLICY_H

#include <stdbool.h>
#include <stdint.h>

/* Feature numbers (word * 32 + bit) named as Xen's featureset: PV_FEAT_AVX... */
enum pv_feat {
#define XEN_CPUFEATURE(name, value) PV_FEAT_##name = (value),
#include <xen/arch-x86/cpufeatureset.h>
#undef XEN_CPUFEATURE
	PV_FEAT_NR_WORDS = 12 /* words 0-11: the ones Lamina filters */
};

struct pv_cpuid_leaf {
	uint32_t a, b, c, d;
};

/* The host's CPUID, as the hypervisor reads it (or a test's table). */
typedef void (*pv_cpuid_host_fn)(void *arg, uint32_t leaf, uint32_t subleaf,
				 struct pv_cpuid_leaf *res);

struct pv_cpuid_ctx {
	pv_cpuid_host_fn host;
	void *host_arg;
	bool hardware_domain;
	bool guest_osxsave;  /* the guest's virtual CR4.OSXSAVE */
	bool kernel_mode;    /* asked from guest kernel mode */
	bool enlightened;    /* the forced-emulation CPUID, from guest kernel mode */
	bool host_osxsave;   /* the hypervisor's own CR4.OSXSAVE */
	bool arch_caps;	     /* show ARCH_CAPS (MSR_ARCH_CAPABILITIES is emulated) */
	bool hide_avx;	     /* the hypervisor keeps AVX from guests (Xen: GDS) */
	uint64_t guest_xcr0; /* the guest's XCR0 (leaf 0xd EBX); x87|SSE if 0 */

	/* Leaf 0x40000003 (time): sub-leaf 0, 1 and 2 values. */
	bool vtsc;
	bool host_tsc_safe;
	uint32_t tsc_mode;
	uint32_t tsc_khz;
	uint32_t incarnation;
	uint64_t vtsc_offset;
	uint32_t tsc_to_ns_mul;
	int8_t tsc_to_ns_shift;
	uint32_t cpu_khz;

	/* Leaf 0x40000005 EBX: bits of the highest machine address. */
	uint32_t machine_addr_bits;
};

/* The leaf @leaf, sub-leaf @subleaf, as the guest sees it. Never fails. */
void pv_cpuid(const struct pv_cpuid_ctx *ctx, uint32_t leaf, uint32_t subleaf,
	      struct pv_cpuid_leaf *res);

/*
 * True when the guest sees feature @feat, a featureset bit number as in
 * <xen/arch-x86/cpufeatureset.h> (word * 32 + bit); used by the MSR policy.
 */
bool pv_cpuid_has(const struct pv_cpuid_ctx *ctx, unsigned int feat);

#endif
