/* SPDX-License-Identifier: MIT */
/*
 * The domU of the inter-domain benchmark (tests/bench/interdomain-kernel.c
 * builds it): position-independent bytes at the domU's virtual 0x4000, its
 * data page at 0x6000, its shared_info mapped at 0x7000. Its events are
 * masked (the port and the vCPU's upcalls): it only polls. Forever:
 *   mode 0 (ping-pong): poll its port, clear the port's pending bit, count
 *                       at 0x6010, send back
 *   mode 1 (yield):     SCHEDOP_yield, count at 0x6018
 * Data page: 0x6008 mode, 0x6020 struct sched_poll (its port), 0x6040
 * struct evtchn_send, 0x6048 the address of its pending word, 0x6050 the
 * bit in it.
 */
	.section .rodata
	.globl idb_domu_start, idb_domu_end
idb_domu_start:
1:	cmpl $0, 0x6008
	jne 2f
	movl $29, %eax		/* __HYPERVISOR_sched_op */
	movl $3, %edi		/* SCHEDOP_poll */
	movl $0x6020, %esi
	syscall
	movq 0x6048, %rdx
	movq 0x6050, %rcx
	lock btrq %rcx, (%rdx)
	incq 0x6010		/* counted before the answer, so dom0 sees it with the event */
	movl $32, %eax		/* __HYPERVISOR_event_channel_op */
	movl $4, %edi		/* EVTCHNOP_send */
	movl $0x6040, %esi
	syscall
	jmp 1b
2:	movl $29, %eax		/* __HYPERVISOR_sched_op */
	xorl %edi, %edi		/* SCHEDOP_yield */
	xorl %esi, %esi
	syscall
	incq 0x6018
	jmp 1b
idb_domu_end:
