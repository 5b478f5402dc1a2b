// SPDX-License-Identifier: GPL-2.0-only
/*
 * Virtual CR0/CR2/CR3/CR4 of a PV vCPU, with Xen's choices
 * (xen/arch/x86/pv/emul-priv-op.c, pv/domain.c); the MSRs are in msr.c:
 *   CR0   the host's, with the virtual TS; only TS may change.
 *   CR2   the last #PF address bounced to the guest.
 *   CR3   the current L4's machine address; a write is MMUEXT_NEW_BASEPTR's
 *         (pv/mmuext_op.c), #GP when refused.
 *   CR4   PAE, MCE, OSFXSR, OSXMMEXCPT as the host has them (Xen's
 *         PV_CR4_GUEST_VISIBLE_MASK), plus the bits the guest chose of those
 *         it may (Xen's PV_CR4_GUEST_MASK: TSD, DE, FSGSBASE, OSXSAVE), each
 *         only where its CPUID policy shows the feature (TSC, DE, FSGSBASE,
 *         XSAVE: Lamina shows no XSAVE, so OSXSAVE never sticks). A write
 *         never faults: what the guest may not have is left out, as Xen's
 *         pv_fixup_guest_cr4 leaves it out, and reads back as written.
 *
 * Of the guest's bits, TSD and FSGSBASE reach the real CR4 while the vCPU
 * runs (pv_load_cr4, as Xen's pv_make_cr4 for a 64-bit guest); DE is
 * emulated (%dr4/5 and I/O breakpoints, pv/debugreg.c) and OSXSAVE would
 * be the guest's view only.
 *
 * CR4.TSD: user-mode RDTSC/RDTSCP then raise #GP, which the guest gets;
 * its kernel's are emulated (pv/emul_priv_op.c), as Xen's x86_emulate
 * checks TSD only outside (virtual) ring 0. TSD is set too while a domain
 * with an emulated TSC runs, which traps both modes' reads (Xen's
 * pv_make_cr4).
 *
 * CR4.FSGSBASE: the guest may set it when its CPUID policy shows FSGSBASE
 * (which it does only where the CPU has it). rd/wr{fs,gs}base then work
 * for it in kernel and user mode and are #UD for every vCPU that did not
 * set it, and on a CPU without the instructions. Its FS and active GS
 * bases may then change behind the hypervisor's back: pv/domain.c's
 * pv_sync_bases reads them back wherever they are used.
 */
#include <asm/pv/cpuid.h>
#include <asm/pv/emul.h>
#include <asm/x86.h>
#include <lamina/domain.h>
#include <lamina/mm.h>

#define CR4_VISIBLE (0x20ULL | 0x40ULL | 0x200ULL | 0x400ULL)
#define CR4_DE (1ULL << 3)
#define CR4_OSXSAVE (1ULL << 18)
#define CR4_GUEST (X86_CR4_TSD | CR4_DE | X86_CR4_FSGSBASE | CR4_OSXSAVE)
#define CR4_LOADED (X86_CR4_TSD | X86_CR4_FSGSBASE) /* of CR4_GUEST, in the real CR4 */
#define CPUID1_EDX_DE (1u << 2)
#define CPUID1_EDX_TSC (1u << 4)
#define CPUID1_ECX_XSAVE (1u << 26)

/* Whether v's CPUID policy shows FSGSBASE and this CPU has it. */
static bool fsgsbase_allowed(const struct vcpu *v)
{
	struct pv_cpuid_leaf l;
	uint32_t a, b, c, d;

	cpuid_count(0, 0, &a, &b, &c, &d);
	if (a < 7)
		return false;
	cpuid_count(7, 0, &a, &b, &c, &d);
	pv_guest_cpuid(v, 7, 0, false, &l);
	return (b & l.b & CPUID7_EBX_FSGSBASE) != 0;
}

uint64_t pv_guest_cr4_bits(const struct vcpu *v, uint64_t cr4)
{
	struct pv_cpuid_leaf l;

	pv_guest_cpuid(v, 1, 0, false, &l);
	if (!(l.d & CPUID1_EDX_TSC))
		cr4 &= ~X86_CR4_TSD;
	if (!(l.d & CPUID1_EDX_DE))
		cr4 &= ~CR4_DE;
	if (!(l.c & CPUID1_ECX_XSAVE))
		cr4 &= ~CR4_OSXSAVE;
	if (!fsgsbase_allowed(v))
		cr4 &= ~X86_CR4_FSGSBASE;
	return cr4 & CR4_GUEST;
}

uint64_t pv_guest_cr4(const struct vcpu *v)
{
	return (read_cr4() & CR4_VISIBLE) | v->arch.vcr4;
}

void pv_load_cr4(const struct vcpu *v)
{
	uint64_t cr4 = read_cr4();
	uint64_t want = (cr4 & ~CR4_LOADED) | (v->arch.vcr4 & CR4_LOADED);

	/* TSD also while a domain whose TSC is emulated runs (its RDTSC traps: asm/tsc.h). */
	if (v->domain->arch.tsc.vtsc)
		want |= X86_CR4_TSD;

	if (want != cr4)
		write_cr4(want);
}

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
		*val = pv_guest_cr4(v);
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
		v->arch.vcr4 = pv_guest_cr4_bits(v, val);
		pv_load_cr4(v);
		return PV_EMUL_OKAY;
	default:
		return PV_EMUL_GP;
	}
}
