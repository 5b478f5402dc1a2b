/* SPDX-License-Identifier: MIT */
/*
 * For the position-independent domUs of the domctl kernels
 * (domctl-guest.S, domctl_tsc-guest.S): SCHEDOP_shutdown(poweroff) by
 * the 64-bit syscall, with a reason word of its own, never returning.
 */
	.macro DOMU_POWEROFF
	movl $29, %eax		/* __HYPERVISOR_sched_op: SCHEDOP_shutdown, poweroff */
	movl $2, %edi
	leaq 8f(%rip), %rsi
	syscall
9:	jmp 9b
8:	.long 0
	.endm
