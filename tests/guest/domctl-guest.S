/* SPDX-License-Identifier: MIT */
/*
 * The domU the domctl kernel builds: position-independent bytes copied to
 * the domU's virtual 0x4000 (tests/guest/domctl.c has its layout). It asks
 * for two domctls, a sysctl, SCHEDOP_remote_shutdown of dom0 and a
 * pausedomain of dom0 as an unprivileged domain and stores the answers at
 * 0x7f00.. (if either of the last two were allowed, dom0 would stop), writes its line into its console ring's out[] at
 * 0x6400 and sets out_prod (0x6c0c), then shuts itself down (poweroff).
 */
#include "domctl-asm.inc"
	.section .rodata
	.globl domu_code_start, domu_code_end
domu_code_start:
	movl $36, %eax		/* __HYPERVISOR_domctl: getdomaininfo of dom0 */
	movl $0x7000, %edi
	syscall
	movq %rax, 0x7f00
	movl $36, %eax		/* __HYPERVISOR_domctl: a wrong interface version */
	movl $0x7400, %edi
	syscall
	movq %rax, 0x7f08
	movl $35, %eax		/* __HYPERVISOR_sysctl: physinfo */
	movl $0x7800, %edi
	syscall
	movq %rax, 0x7f10
	movl $29, %eax		/* __HYPERVISOR_sched_op: SCHEDOP_remote_shutdown of dom0 */
	movl $4, %edi
	movl $0x7e00, %esi
	syscall
	movq %rax, 0x7f18
	movl $36, %eax		/* __HYPERVISOR_domctl: pausedomain of dom0 */
	movl $0x7c00, %edi
	syscall
	movq %rax, 0x7f20
	leaq domu_msg(%rip), %rsi
	movl $0x6400, %edi
	movl $(domu_msg_end - domu_msg), %ecx
	rep movsb
	movl $(domu_msg_end - domu_msg), 0x6c0c
	DOMU_POWEROFF
domu_msg:
	.ascii "hello from domU\n"
domu_msg_end:
domu_code_end:
