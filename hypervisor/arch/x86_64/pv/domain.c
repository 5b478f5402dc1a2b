// SPDX-License-Identifier: GPL-2.0-only
/*
 * Running a PV vCPU (after xen/arch/x86/pv/domain.c): loading its context,
 * reading back the segment bases it may move itself (CR4.FSGSBASE), the
 * kernel/user toggle (page table and GS bases, as Xen's toggle_guest_mode). A vCPU's first entry is the scheduler's
 * (common/schedule.c), from the registers its builder set.
 */
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/pv/debugreg.h>
#include <asm/pv/dom0_build.h>
#include <asm/pv/emul.h>
#include <asm/pv/ldt.h>
#include <asm/traps.h>
#include <asm/x86.h>
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/runstate.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/timer.h>

void pv_load_context(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;
	mfn_t l4 = a->kernel_mode ? a->guest_table : a->guest_table_user;

	mm_tlb_loaded(v->domain);
	write_cr3(mfn_x(l4) << PAGE_SHIFT);
	pv_load_cr4(v); /* its CR4.FSGSBASE */
	/* The vCPU's TSC_AUX and SPEC_CTRL, where the CPU has them. */
	arch_wrmsr_safe(MSR_TSC_AUX, a->tsc_aux);
	arch_wrmsr_safe(MSR_SPEC_CTRL, a->spec_ctrl);
	pv_load_debugregs(v);
	pv_ldt_load(v);
}

/*
 * While v runs, its FS base and active GS base live in the CPU (the entry
 * paths leave MSR_GS_BASE the guest's); with CR4.FSGSBASE (the real bit is
 * v's, pv_load_cr4) they are read with the instructions, as Xen's
 * save_segments, else with RDMSR.
 */
static uint64_t live_base(const struct arch_vcpu *a, bool fs)
{
	uint64_t v;

	if (!(a->vcr4 & X86_CR4_FSGSBASE))
		return rdmsr(fs ? MSR_FS_BASE : MSR_GS_BASE);
	if (fs)
		asm volatile("rdfsbase %0" : "=r"(v));
	else
		asm volatile("rdgsbase %0" : "=r"(v));
	return v;
}

static void save_active_gs(struct arch_vcpu *a)
{
	uint64_t gs = live_base(a, false);

	if (a->kernel_mode)
		a->gs_base_kernel = gs;
	else
		a->gs_base_user = gs;
}

void pv_sync_bases(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;

	a->fs_base = live_base(a, true);
	save_active_gs(a);
}

/*
 * Kernel and user mode share the FS base, so only the L4 and the GS base
 * change (as Xen's toggle_guest_mode, which leaves FS alone): one WRMSR
 * fewer on every user/kernel switch, and an FS base the guest loaded
 * through a selector survives the switch as it does on Xen. The GS base
 * that becomes inactive is read back first (as Xen's toggle_guest_mode):
 * the guest may have moved it with wrgsbase or a selector load.
 */
void pv_toggle_guest_mode(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;

	save_active_gs(a);
	a->kernel_mode = !a->kernel_mode;
	write_cr3(mfn_x(a->kernel_mode ? a->guest_table : a->guest_table_user) << PAGE_SHIFT);
	wrmsr(MSR_GS_BASE, a->kernel_mode ? a->gs_base_kernel : a->gs_base_user);
}
