/* SPDX-License-Identifier: MIT */
/* User code for sysenter: NT, DF and AC set by popf, rax 0x5e5e, SYSENTER. */
	.text
	.globl t_user_sysenter
t_user_sysenter:
	pushfq
	orq $0x44400, (%rsp)
	popfq
	movl $0x5e5e, %eax
	sysenter
	ud2
