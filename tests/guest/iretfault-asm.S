/* SPDX-License-Identifier: MIT */
/* User code for iretfault: a push (needs a valid stack), then a syscall back. */
	.text
	.globl t_user_push
t_user_push:
	.globl t_user_push_insn
t_user_push_insn:
	pushq $0
	syscall
	ud2
