/* SPDX-License-Identifier: GPL-2.0-only */
/* Trap dispatch between the hypervisor's own faults, interrupts and guests. */
#ifndef LAMINA_ASM_TRAPS_H
#define LAMINA_ASM_TRAPS_H

#include <asm/regs.h>

#define TRAP_DE 0
#define TRAP_DB 1
#define TRAP_NMI 2
#define TRAP_BP 3
#define TRAP_OF 4
#define TRAP_BR 5
#define TRAP_UD 6
#define TRAP_NM 7
#define TRAP_DF 8
#define TRAP_TS 10
#define TRAP_NP 11
#define TRAP_SS 12
#define TRAP_GP 13
#define TRAP_PF 14
#define TRAP_MF 16
#define TRAP_AC 17
#define TRAP_MC 18
#define TRAP_XM 19

#define VEC_TIMER 0xf0
#define VEC_FLUSH 0xf1 /* TLB flush IPI (flush.c) */
#define VEC_SPURIOUS 0xff

void trap_dispatch(struct cpu_regs *regs);
/* VEC_FLUSH: this CPU's requested TLB flush (and call), acknowledged (flush.c). */
void arch_flush_ipi(void);

/* Guest entries, implemented by the PV code (arch/x86_64/pv/). */
void pv_guest_trap(struct cpu_regs *regs);
/* A 64-bit SYSCALL (entry.S calls it directly): a hypercall, or user mode's syscall. */
void pv_guest_syscall(struct cpu_regs *regs);
/* The exit of every guest trap: the scheduler's switch point, then pending events. */
void pv_exit_to_guest(struct cpu_regs *regs);
void pv_guest_sysenter(struct cpu_regs *regs);
void pv_guest_syscall32(struct cpu_regs *regs);
/* Last step before a guest frame is resumed: deliver pending events
 * (trap_dispatch() calls it only when an upcall is pending). */
void pv_return_to_guest(struct cpu_regs *regs);

/* Set when CR4.SMAP is on: entry.S's STAC/CLAC run only then (they #UD without SMAP). */
extern uint8_t hv_smap;
/* entry.S's IRETQ back to a guest; the SYSENTER entry, and where it has saved RFLAGS. */
extern char exit_iretq[], sysenter_entry[], sysenter_eflags_saved[];
/*
 * The hypervisor's IRETQ to a guest faulted (@regs: the fault, whose RSP is
 * the refused frame): deliver the fault to the guest as raised at that
 * frame, from this CPU's stack top, as Xen; never returns.
 */
void pv_exit_fault(struct cpu_regs *regs) __attribute__((noreturn));

/* The local APIC timer interrupt. */
void apic_timer_interrupt(void);

/* copy with fixup: returns the number of bytes not copied. */
uint64_t arch_copy_raw(void *dst, const void *src, uint64_t n);
/* WRMSR that returns -1 instead of faulting. */
int arch_wrmsr_safe(uint32_t msr, uint64_t val);

#endif
