/* SPDX-License-Identifier: MIT */
/*
 * User code for callgate: lcall through t_farptr (offset 0, the gate's
 * selector), then a syscall back. The gate's target records that it ran
 * and goes back with ud2.
 */
	.text
	.globl t_user_lcall
t_user_lcall:
	.globl t_user_lcall_insn
t_user_lcall_insn:
	lcall *t_farptr(%rip)
	syscall
	ud2

	.globl t_gate_target
t_gate_target:
	movq $1, t_gate_ran(%rip)
	ud2

	.data
	.p2align 3
	.globl t_farptr
t_farptr:
	.long 0, 0
	.globl t_gate_ran
t_gate_ran:
	.quad 0
