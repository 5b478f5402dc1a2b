/* SPDX-License-Identifier: MIT */
/*
 * Exception and callback entry. One 32-byte stub per vector at
 * gpv_trap_stubs + 32 * vector makes the frame uniform (a 0 error code where
 * the CPU pushes none, then the vector), gpv_trap_common saves the general
 * registers as struct gpv_regs, calls gpv_trap_dispatch, and returns through
 * gpv_trap_return: restore, then the iret hypercall, which takes
 * rax, r11, rcx, flags, rip, cs, rflags, rsp, ss from the stack.
 */
#define HYPERCALL_IRET 23

	.text
	.p2align 5
	.globl gpv_trap_stubs
gpv_trap_stubs:
	.set vec, 0
	.rept 256
	.p2align 5
	.if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	pushq $vec
	.else
	popq %rcx
	popq %r11
	pushq $0
	pushq %r11
	pushq %rcx
	pushq $vec
	.endif
	jmp gpv_trap_common
	.set vec, vec + 1
	.endr

	.p2align 5
	.globl gpv_event_entry
gpv_event_entry:
	popq %rcx
	popq %r11
	pushq $0
	pushq %r11
	pushq %rcx
	pushq $256
	jmp gpv_trap_common

	.globl gpv_syscall_entry
gpv_syscall_entry:
	popq %rcx
	popq %r11
	pushq $0
	pushq %r11
	pushq %rcx
	pushq $257
	jmp gpv_trap_common

	/* Failsafe frame: rcx, r11, ds, es, fs, gs, rip...; drop the selectors. */
	.globl gpv_failsafe_entry
gpv_failsafe_entry:
	popq %rcx
	popq %r11
	addq $32, %rsp
	pushq $0
	pushq %r11
	pushq %rcx
	pushq $258
	jmp gpv_trap_common

gpv_trap_common:
	pushq %rax
	pushq %rbx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	cld
	call gpv_trap_dispatch
	jmp gpv_trap_return

	/* gpv_iret_regs(regs): copy @regs onto the stack and return through it. */
	.globl gpv_iret_regs
gpv_iret_regs:
	subq $176, %rsp
	andq $~15, %rsp
	movq %rdi, %rsi
	movq %rsp, %rdi
	movl $22, %ecx
	cld
	rep movsq

gpv_trap_return:
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rbx
	popq %rax
	addq $8, %rsp
	popq %rcx
	popq %r11
	addq $8, %rsp
	pushq $0
	cmpb $0, gpv_iret_syscall(%rip)
	jne 1f
	jmp gpv_hypercall_page + 32 * HYPERCALL_IRET
1:	pushq %rcx
	pushq %r11
	pushq %rax
	movl $HYPERCALL_IRET, %eax
	syscall
	ud2

	.data
	.globl gpv_iret_syscall
gpv_iret_syscall:
	.byte 0
