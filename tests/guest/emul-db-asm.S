/* SPDX-License-Identifier: MIT */
/*
 * Instructions for emul's #DB checks (emul-db.c): port accesses whose
 * labels say where a #DB after them must point, the same with TF set by
 * popf, the forced CPUID single-stepped, and their user-mode forms (each
 * ends in a syscall, back to the kernel).
 */
#include <gpv/probe-asm.h>

	.text
	/* db_outb(port): one outb to @port; db_outb_after follows it. */
	.globl db_outb
db_outb:
	movl %edi, %edx
	movb $0x5a, %al
	outb %al, %dx
	.globl db_outb_after
db_outb_after:
	ret

	/* db_inl(port): one inl from @port; db_inl_after follows it. */
	.globl db_inl
db_inl:
	movl %edi, %edx
	inl %dx, %eax
	.globl db_inl_after
db_inl_after:
	ret

	/* unsigned long db_rep_outsb(port, buf, count): rCX when it is done. */
	.globl db_rep_outsb
db_rep_outsb:
	movq %rdx, %rcx
	movl %edi, %edx
	.globl db_rep_insn
db_rep_insn:
	rep outsb
	.globl db_rep_after
db_rep_after:
	movq %rcx, %rax
	ret

	/*
	 * bool db_rep_insb(port, buf, count): rep insb into @buf; false after
	 * a fault (a probe: gpv_last_fault has it).
	 */
	.globl db_rep_insb
db_rep_insb:
	movq %rdi, %r8
	movq %rsi, %rdi
	movq %rdx, %rcx
	movl %r8d, %edx
	.globl db_insb_insn
db_insb_insn:
	GPV_PROBE_RET1 "rep insb"

	/* db_step_outb(port): outb with TF set (by popf); TF cleared after. */
	.globl db_step_outb
db_step_outb:
	movl %edi, %edx
	pushfq
	orq $0x100, (%rsp)
	popfq
	outb %al, %dx
	.globl db_step_outb_after
db_step_outb_after:
	nop
	pushfq
	andq $~0x100, (%rsp)
	popfq
	ret

	/* db_step_cpuid(): the forced CPUID (leaf 0) with TF set. */
	.globl db_step_cpuid
db_step_cpuid:
	pushq %rbx
	xorl %eax, %eax
	xorl %ecx, %ecx
	pushfq
	orq $0x100, (%rsp)
	popfq
	ud2
	.ascii "xen"
	cpuid
	.globl db_step_cpuid_after
db_step_cpuid_after:
	nop
	pushfq
	andq $~0x100, (%rsp)
	popfq
	popq %rbx
	ret

	/* User mode: outb %al, %dx (port in rdx), then back by syscall. */
	.globl db_user_outb
db_user_outb:
	outb %al, %dx
	.globl db_user_outb_after
db_user_outb_after:
	nop
	syscall
	ud2

	/*
	 * User mode, entered with TF (and rax, rcx 0): the forced CPUID first,
	 * as TF would trap after any other instruction, then back by syscall.
	 */
	.globl db_user_cpuid
db_user_cpuid:
	ud2
	.ascii "xen"
	cpuid
	.globl db_user_cpuid_after
db_user_cpuid_after:
	nop
	syscall
	ud2
