/* SPDX-License-Identifier: MIT */
/*
 * The domU of domctl_tsc: position-independent bytes copied to the domU's
 * virtual 0x4000 (its TSC is emulated at 1 MHz by then). It reads Xen's
 * time leaf (CPUID 0x40000003 sub-leaves 0 and 1, by the forced-emulation
 * prefix), RDTSC twice, RDTSCP when CPUID 0x80000001 has it, RDMSR of the
 * TSC, stores each at 0x7000.. (layout in domctl_tsc.c) and powers off.
 */
#define FORCED_CPUID .byte 0x0f, 0x0b, 0x78, 0x65, 0x6e, 0x0f, 0xa2 /* ud2a; "xen"; cpuid */
#include "domctl-asm.inc"
	.section .rodata
	.globl tsc_domu_start, tsc_domu_end
tsc_domu_start:
	movl $0x40000003, %eax
	xorl %ecx, %ecx
	FORCED_CPUID
	movl %eax, 0x7000
	movl %ebx, 0x7004
	movl %ecx, 0x7008
	movl %edx, 0x700c
	movl $0x40000003, %eax
	movl $1, %ecx
	FORCED_CPUID
	movl %eax, 0x7010
	movl %ebx, 0x7014
	movl %ecx, 0x7018
	movl %edx, 0x701c
	rdtsc
	movl %eax, 0x7020
	movl %edx, 0x7024
	rdtsc
	movl %eax, 0x7028
	movl %edx, 0x702c
	movl $0x80000001, %eax
	xorl %ecx, %ecx
	FORCED_CPUID
	movl %edx, 0x703c
	btl $27, %edx
	jnc 1f
	rdtscp
	movl %eax, 0x7030
	movl %edx, 0x7034
	movl %ecx, 0x7038
1:	movl $0x10, %ecx	/* MSR_IA32_TSC */
	rdmsr
	movl %eax, 0x7040
	movl %edx, 0x7044
	DOMU_POWEROFF
tsc_domu_end:
