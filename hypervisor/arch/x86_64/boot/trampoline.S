/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The application processors' start: real mode at TRAMP_BASE (SIPI vector
 * TRAMP_BASE >> 12), then protected mode, then long mode on the boot page
 * tables (whose slot-0 identity map is still present), then the CPU takes a
 * number with an atomic add, picks that stack in cpu_stacks and calls
 * ap_start(cpu). The code is copied to TRAMP_BASE; the BSP fills the
 * tramp_* words before sending the SIPIs.
 */
#include <asm/layout.h>

#define TRAMP_BASE 0x6000
#define T(x) (TRAMP_BASE + (x) - ap_trampoline_start)

	.section .rodata
	.p2align 4
	.globl ap_trampoline_start, ap_trampoline_end
	.globl tramp_cr3, tramp_efer, tramp_entry, tramp_stacks, tramp_count
	.code16
ap_trampoline_start:
	cli
	movw %cs, %ax
	movw %ax, %ds
	lgdtl tramp_gdt_ptr - ap_trampoline_start
	movl %cr0, %eax
	orl $1, %eax
	movl %eax, %cr0
	ljmpl $0x08, $T(tramp32)

	.code32
tramp32:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %ss
	movl %cr4, %eax
	orl $0x20, %eax
	movl %eax, %cr4
	movl T(tramp_cr3), %eax
	movl %eax, %cr3
	movl $0xc0000080, %ecx
	movl T(tramp_efer), %eax
	xorl %edx, %edx
	wrmsr
	movl %cr0, %eax
	orl $0x80010001, %eax
	movl %eax, %cr0
	ljmp $0x18, $T(tramp64)

	.code64
tramp64:
	movl $1, %eax
	lock xaddl %eax, T(tramp_count)
	cmpl $HV_MAX_CPUS, %eax
	jae 2f
	movl %eax, %edi
	movq %rdi, %rsp
	incq %rsp
	shlq $(12 + HV_STACK_ORDER), %rsp
	addq T(tramp_stacks), %rsp
	subq $256, %rsp
	movq T(tramp_entry), %rax
	call *%rax
2:	cli
	hlt
	jmp 2b

	.p2align 3
tramp_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff
	.quad 0x00cf92000000ffff
	.quad 0x00af9a000000ffff
tramp_gdt_ptr:
	.short 31
	.long T(tramp_gdt)
	.p2align 3
tramp_cr3:
	.quad 0
tramp_efer:
	.quad 0
tramp_entry:
	.quad 0
tramp_stacks:
	.quad 0
tramp_count:
	.long 1
ap_trampoline_end:
