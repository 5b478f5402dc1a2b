/* SPDX-License-Identifier: MIT */
/*
 * User code for grant_user: GNTTABOP_map_grant_ref of t_user_op, issued
 * the way a guest kernel makes a hypercall (syscall with rax = 20). From
 * user mode it must reach the guest kernel's syscall callback instead.
 */
	.text
	.globl t_user_map
t_user_map:
	movq $20, %rax
	xorq %rdi, %rdi
	leaq t_user_op(%rip), %rsi
	movq $1, %rdx
	syscall
	ud2
