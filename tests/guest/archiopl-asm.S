/* SPDX-License-Identifier: MIT */
/*
 * t_iret_iopl(rflags): an iret hypercall (inline syscall) back to the
 * kernel at 1: with @rflags, which sets the virtual IOPL under
 * architectural_iopl. t_user_inb: a user-mode in, then a syscall back.
 */
	.text
	.globl t_iret_iopl
t_iret_iopl:
	pushq %rbx
	movq %rsp, %rbx
	pushq $0xe02b		/* ss */
	pushq %rbx		/* rsp */
	pushq %rdi		/* rflags */
	pushq $0xe030		/* cs: kernel */
	leaq 1f(%rip), %rax
	pushq %rax		/* rip */
	pushq $0		/* flags */
	pushq $0		/* rcx */
	pushq $0		/* r11 */
	pushq $0		/* rax */
	movl $23, %eax		/* __HYPERVISOR_iret */
	syscall
1:	popq %rbx
	ret

	.globl t_user_inb
t_user_inb:
	inb $0x80, %al
	syscall
	ud2
