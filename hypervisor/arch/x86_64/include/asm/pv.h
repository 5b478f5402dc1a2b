/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A PV vCPU's architectural state, as Xen keeps it: guest kernel/user mode
 * (both run in ring 3, each with its own L4), the trap table and callbacks,
 * the kernel stack for user->kernel switches, segment bases, and the virtual
 * control registers and IOPL.
 */
#ifndef LAMINA_ASM_PV_H
#define LAMINA_ASM_PV_H

#include <asm/regs.h>
#include <asm/tsc.h>
#include <lamina/types.h>
#include <xen/xen.h>

#define PV_NR_TRAPS 256
#define PV_FXSAVE_BYTES 512 /* the FXSAVE image: x87, MMX, SSE (XMM0-15, MXCSR) */

/* A callback: the address, and whether to mask events on entry. */
struct pv_callback {
	uint64_t eip;
	bool mask_events;
};

struct arch_vcpu {
	bool kernel_mode;
	mfn_t guest_table;	/* kernel L4 */
	mfn_t guest_table_user; /* user L4, INVALID_MFN_RAW when none */
	uint64_t mm_pending;	/* a DEMOTING table whose teardown v owes (0: none) */
	uint32_t mm_stops;	/* preemptions of the MMU hypercall under way */
	struct trap_info trap_ctxt[PV_NR_TRAPS];
	struct pv_callback event_cb, failsafe_cb, syscall_cb, syscall32_cb, sysenter_cb, nmi_cb;
	uint64_t kernel_ss, kernel_sp;
	uint64_t fs_base, gs_base_kernel, gs_base_user;
	uint64_t vcr0_ts, vcr2, vcr4;
	unsigned int iopl; /* virtual IOPL, 0-3, in EFLAGS position >> 12 */
	uint32_t tsc_aux, spec_ctrl;
	uint64_t dr[4];		 /* %dr0-3, checked by pv/debugreg.c */
	uint32_t dr6, dr7;	 /* as the guest reads them; dr6 0 = never written */
	uint64_t gdt_frames[14]; /* set_gdt: machine frames, gdt_ents descriptors */
	unsigned int gdt_nr_frames, gdt_ents;
	uint64_t ldt_base;	 /* MMUEXT_SET_LDT: linear address of ldt_ents descriptors */
	unsigned int ldt_ents;	 /* 0: no LDT (a null LDTR) */
	uint64_t ldt_shadow[16]; /* pv/ldt.c: frame mapped as LDT page n (a type ref), or 0 */
	bool cpuid_faulting;
	uint64_t mcg_status, mci_ctl2[2]; /* vMCE MSRs (lib/vmce_policy.c) */
	/* A vCPU not on a CPU: the guest registers it starts or resumes with (the
	 * context switch saves the frame here, domctl's setvcpucontext sets it). */
	struct cpu_regs user_regs;
	bool initialised; /* XEN_DOMCTL_setvcpucontext gave it a context */
	bool down;	  /* VCPUOP_down / a context without VGCF_online (SCHED_VPF_DOWN too) */
	uint64_t vgc_flags;
	/* Saved while the vCPU is switched out (arch/x86_64/context_switch.c). */
	uint16_t sel_ds, sel_es, sel_fs, sel_gs;		   /* its data segment selectors */
	uint8_t fpu[PV_FXSAVE_BYTES] __attribute__((aligned(16))); /* its FPU/SSE state */
};

/* The x86 part of a domain (struct domain's arch). */
struct arch_domain {
	struct domain_tsc tsc; /* its TSC mode (asm/tsc.h, tsc.c) */
};

struct cpu_regs;
struct vcpu;

/* Delivers exception vec with an error code (or -1) to the guest's handler. */
void pv_inject_exception(struct vcpu *v, struct cpu_regs *regs, unsigned int vec, int64_t err);
/* Delivers a software interrupt (int $n) the guest may raise. */
void pv_inject_softint(struct vcpu *v, struct cpu_regs *regs, unsigned int vec);
/* Delivers a callback (syscall, sysenter, ...) with a frame without error code. */
void pv_bounce_callback(struct vcpu *v, struct cpu_regs *regs, const struct pv_callback *cb);
/* The event callback, the upcall pending and unmasked (the exit to a guest). */
void pv_bounce_event(struct vcpu *v, struct cpu_regs *regs);
/* Switches between guest kernel and user mode: L4 and GS bases swap. */
void pv_toggle_guest_mode(struct vcpu *v);
/* Emulates a privileged instruction at regs->rip; true if handled. */
bool pv_emulate_privileged(struct vcpu *v, struct cpu_regs *regs);
/* Emulates the forced-CPUID prefix (ud2a; "xen"; cpuid); true if handled. */
bool pv_emulate_forced_cpuid(struct vcpu *v, struct cpu_regs *regs);
/* Loads the vCPU's current page table and segment bases on this CPU. */
void pv_load_context(struct vcpu *v);
/* Copies the vCPU's GDT entries (set_gdt's frames) into this CPU's GDT. */
void pv_load_gdt(struct vcpu *v);
/* A new vCPU's FPU/SSE image: FNINIT's state, MXCSR 0x1f80 (context_switch.c). */
void arch_fpu_init_state(struct vcpu *v);
/* Boot: refuses a CPU state the context switch does not save (CR4.OSXSAVE). */
void arch_fpu_check(void);

#endif
