/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU state. A CPU finds its block from its stack pointer: stacks are
 * HV_STACK_SIZE-aligned slots of cpu_stacks, slot N belongs to CPU N. The
 * block's address also sits in MSR_SHADOW_GS_BASE for the SYSCALL entry,
 * which uses the first two fields (their offsets are fixed: 0 and 8).
 */
#ifndef LAMINA_ASM_PERCPU_H
#define LAMINA_ASM_PERCPU_H

#include <asm/cpu_index.h>
#include <asm/layout.h>
#include <asm/regs.h>
#include <lamina/types.h>

struct tss64 {
	uint32_t rsvd0;
	uint64_t rsp[3];
	uint64_t rsvd1;
	uint64_t ist[7];
	uint64_t rsvd2;
	uint16_t rsvd3;
	uint16_t iomap_base;
} __attribute__((packed));

struct vcpu;

struct percpu {
	uint64_t syscall_scratch; /* offset 0: guest RSP during SYSCALL entry */
	uint64_t stack_top;	  /* offset 8 */
	unsigned int id;
	uint32_t apic_id;
	bool online;
	struct vcpu *curr; /* the vCPU this CPU runs, or NULL */
	struct tss64 tss __attribute__((aligned(16)));
} __attribute__((aligned(256))); /* a power of two: this_cpu()'s index is a shift */

extern struct percpu percpu[HV_MAX_CPUS];
static inline struct percpu *this_cpu(void)
{
	uint64_t sp;

	/* arch_cpu_index() without its 32-bit truncation, one instruction fewer */
	asm volatile("mov %%rsp, %0" : "=r"(sp));
	return &percpu[(sp - (uint64_t)cpu_stacks) / HV_STACK_SIZE];
}

/* The vCPU this CPU runs (current_vcpu() without a call, for the hot paths). */
static inline struct vcpu *this_vcpu(void)
{
	return this_cpu()->curr;
}

/* The guest's frame on CPU cpu's stack (valid while it runs a guest). */
static inline struct cpu_regs *cpu_guest_regs(unsigned int cpu)
{
	return (struct cpu_regs *)(cpu_stacks[cpu] + HV_STACK_SIZE) - 1;
}

/* The guest's frame on this CPU's stack (cpu_guest_regs without a memory load). */
static inline struct cpu_regs *this_cpu_guest_regs(void)
{
	uint64_t sp;

	asm volatile("mov %%rsp, %0" : "=r"(sp));
	sp = (uint64_t)cpu_stacks +
	     ((sp - (uint64_t)cpu_stacks) / HV_STACK_SIZE + 1) * HV_STACK_SIZE;
	return (struct cpu_regs *)sp - 1;
}

/* Loads this CPU's GDT, TSS, IDT and entry MSRs (cpu: its index). */
void arch_cpu_init(unsigned int cpu);
/* CPU cpu's GDT (HV_GDT_ENTRIES descriptors). */
uint64_t *arch_cpu_gdt(unsigned int cpu);
/* Builds the shared IDT once, on the boot CPU. */
void arch_idt_init(void);
/* Leaves through the frame regs (on this CPU's stack). */
void arch_enter_frame(struct cpu_regs *regs) __attribute__((noreturn));

#endif
