/* SPDX-License-Identifier: MIT */
/*
 * User-mode code for tests/guest/time: t_user_timer_syscall asks for
 * set_timer_op(1) (a deadline long past) the way the hypercall page does,
 * with syscall; t_user_timer_int82 tries int $0x82. Neither may reach the
 * hypervisor from guest user mode: the first is the guest kernel's syscall,
 * the second a #GP.
 */
	.text
	.globl t_user_timer_syscall
t_user_timer_syscall:
	movl $15, %eax		/* __HYPERVISOR_set_timer_op */
	movl $1, %edi
	syscall
	ud2

	.globl t_user_timer_int82
t_user_timer_int82:
	movl $15, %eax
	movl $1, %edi
	int $0x82
	ud2
