// SPDX-License-Identifier: GPL-2.0-only
/*
 * Switching the vCPU a CPU runs (after xen/arch/x86/domain.c's
 * context_switch, __context_switch, save_segments and load_segments).
 *
 * The hypervisor is entered from a guest with the guest's frame at the very
 * top of the CPU's stack and leaves through that frame (entry.S), and it
 * never switches inside a hypercall: a hypercall that blocks only marks the
 * vCPU and asks for a reschedule, which runs on the way out, after the
 * return value is in the frame (common/schedule.c). So a switch is a copy:
 *
 *   stack top frame --save--> prev->arch.user_regs
 *   next->arch.user_regs --load--> stack top frame, then exit as usual
 *
 * plus the state that lives in the CPU rather than in the frame:
 *   - page tables (CR3, the kernel or the user L4), CR4.FSGSBASE (the
 *     vCPU's own, pv/ctrlreg.c), TSC_AUX, SPEC_CTRL, debug registers:
 *     pv_load_context();
 *   - the FS base and the active (kernel or user) GS base: read back on
 *     the way out (pv_sync_bases: the guest may have moved them with
 *     wr{fs,gs}base or a selector load), written on the way in after the
 *     selectors; the inactive GS base is never in the CPU (MSR_SHADOW_GS_BASE
 *     is the hypervisor's per-CPU block, entry.S) and only the hypervisor
 *     changes it (pv/domain.c's toggle, MSR and set_segment_base);
 *   - the guest's GDT entries (copied into the per-CPU GDT) and its data
 *     selectors DS, ES, FS, GS (a selector that no longer loads becomes
 *     null, as Xen's load_segments falls back);
 *   - the LDT (pv/ldt.c's pv_ldt_load, from pv_load_context), before the
 *     selectors, which may name LDT entries;
 *   - the FPU/SSE state: eager, FXSAVE on the way out and FXRSTOR on the
 *     way in, at every switch. Xen's PV uses CR0.TS to switch lazily
 *     (fpu_taskswitch sets the virtual TS only); Lamina's real TS mirrors
 *     the guest's virtual TS alone, so the lazy scheme's #NM traps and its
 *     state-leak class (CVE-2018-3665, which made Xen default to eager
 *     switching on affected CPUs) do not arise. The hypervisor is built
 *     without SSE, so between the save and the restore nothing touches it.
 *     XSAVE state (AVX and beyond) is not switched: Lamina never sets
 *     CR4.OSXSAVE, so guests see no XSAVE (arch_fpu_check refuses to run
 *     if a CPU has it set).
 * The idle "vCPU" is NULL: the CPU halts in common/schedule.c's idle loop
 * on the hypervisor's own page tables.
 */
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/pv/debugreg.h>
#include <asm/pv/emul.h>
#include <asm/traps.h>
#include <asm/x86.h>
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/lib.h>
#include <lamina/mm.h>

#define CR4_OSXSAVE (1ULL << 18)
#define FX_FCW 0x037f	/* FNINIT's control word */
#define FX_MXCSR 0x1f80 /* the power-on MXCSR: every exception masked */
#define FX_MXCSR_OFF 24 /* offset of MXCSR in the FXSAVE image */

void arch_fpu_init_state(struct vcpu *v)
{
	uint8_t *fx = v->arch.fpu;
	uint16_t fcw = FX_FCW;
	uint32_t mxcsr = FX_MXCSR;

	memset(fx, 0, PV_FXSAVE_BYTES);
	memcpy(fx, &fcw, sizeof(fcw));
	memcpy(fx + FX_MXCSR_OFF, &mxcsr, sizeof(mxcsr));
}

void arch_fpu_check(void)
{
	if (read_cr4() & CR4_OSXSAVE)
		panic("CR4.OSXSAVE is set but the context switch saves FXSAVE state only");
}

static void fpu_save(struct vcpu *v)
{
	asm volatile("clts; fxsave64 %0" : "=m"(*(uint8_t(*)[PV_FXSAVE_BYTES])v->arch.fpu));
}

static void fpu_restore(struct vcpu *v)
{
	asm volatile("clts; fxrstor64 %0" : : "m"(*(const uint8_t(*)[PV_FXSAVE_BYTES])v->arch.fpu));
	/* The real TS mirrors the guest's virtual TS (pv/ctrlreg.c). */
	if (v->arch.vcr0_ts)
		pv_set_vts(v, true);
}

/*
 * Reads and loads a data selector; one that faults (the guest changed its GDT since)
 * becomes null. The fault's fixup is the exception table's (traps.c).
 * Loading FS or GS writes that base (GS: the active one, the guest's here,
 * as the entry paths leave it): load_cpu_state rewrites both after.
 */
#define SEG_ACCESS(seg)                                          \
	static uint16_t read_sel_##seg(void)                     \
	{                                                        \
		uint16_t s;                                      \
                                                                 \
		asm volatile("mov %%" #seg ", %0" : "=r"(s));    \
		return s;                                        \
	}                                                        \
	static void load_sel_##seg(uint16_t sel)                 \
	{                                                        \
		asm volatile("1: mov %w0, %%" #seg "\n\t"        \
			     "jmp 3f\n"                          \
			     "2: xor %k0, %k0\n\t"               \
			     "mov %w0, %%" #seg "\n"             \
			     "3:\n\t"                            \
			     ".pushsection .ex_table, \"a\"\n\t" \
			     ".quad 1b, 2b\n\t"                  \
			     ".popsection"                       \
			     : "+r"(sel));                       \
	}
SEG_ACCESS(ds)
SEG_ACCESS(es)
SEG_ACCESS(fs)
SEG_ACCESS(gs)

/*
 * SEGBASE_GS_USER_SEL as Xen's do_set_segment_base: %gs gets sel (RPL 3
 * unless null; one that does not load becomes null) and the base that load
 * gave becomes the user GS base; the kernel's active GS base is put back.
 * The flat user data selector goes in first, so that a null selector leaves
 * base 0 on AMD too (which keeps the old base on a null load).
 */
void pv_load_user_gs_sel(struct vcpu *v, uint16_t sel)
{
	struct arch_vcpu *a = &v->arch;

	pv_sync_bases(v); /* the kernel's live GS base, which the loads clobber */
	load_sel_gs(HV_GUEST_DS);
	load_sel_gs(sel > 3 ? sel | 3 : sel);
	a->gs_base_user = rdmsr(MSR_GS_BASE);
	wrmsr(MSR_GS_BASE, a->gs_base_kernel);
}

/* What of prev lives in the CPU: selectors, FS/GS bases as loaded, FPU. */
static void save_cpu_state(struct vcpu *prev)
{
	struct arch_vcpu *a = &prev->arch;

	a->sel_ds = read_sel_ds();
	a->sel_es = read_sel_es();
	a->sel_fs = read_sel_fs();
	a->sel_gs = read_sel_gs();
	/* A selector load or wr{fs,gs}base may have moved a base behind the hypervisor's back. */
	pv_sync_bases(prev);
	fpu_save(prev);
}

/*
 * CR3, CR4, MSRs, debug registers and the LDT first (pv_load_context):
 * a data selector may name an LDT entry. Then the GDT and the selectors,
 * whose loads clobber the FS and GS bases, which are written again last.
 */
static void load_cpu_state(struct vcpu *next)
{
	struct arch_vcpu *a = &next->arch;

	pv_load_context(next); /* CR3, CR4, TSC_AUX, SPEC_CTRL, DRs, LDT */
	pv_load_gdt(next);
	load_sel_ds(a->sel_ds);
	load_sel_es(a->sel_es);
	load_sel_fs(a->sel_fs);
	load_sel_gs(a->sel_gs);
	wrmsr(MSR_FS_BASE, a->fs_base);
	wrmsr(MSR_GS_BASE, a->kernel_mode ? a->gs_base_kernel : a->gs_base_user);
	fpu_restore(next);
}

unsigned int arch_cpu_id(void)
{
	return this_cpu()->id;
}

void arch_context_switch(struct vcpu *prev, struct vcpu *next)
{
	struct percpu *pc = this_cpu();
	struct cpu_regs *top = cpu_guest_regs(pc->id);

	if (prev) {
		prev->arch.user_regs = *top;
		save_cpu_state(prev);
	}
	pc->curr = next;
	if (!next) {
		/* Idle: the hypervisor's tables (prev's may be about to go). */
		write_cr3(image_virt_to_maddr(paging_idle_l4()));
		return;
	}
	*top = next->arch.user_regs;
	load_cpu_state(next);
}

void arch_vcpu_enter(struct vcpu *v)
{
	struct cpu_regs *top = cpu_guest_regs(this_cpu()->id);

	ASSERT(this_cpu()->curr == v);
	if (v->vcpu_info->evtchn_upcall_pending)
		pv_return_to_guest(top);
	arch_enter_frame(top);
}
