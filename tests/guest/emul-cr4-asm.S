/* SPDX-License-Identifier: MIT */
/*
 * User-mode code for tests/guest/emul's CR4 checks: each reads the TSC
 * once and returns to the kernel with syscall (EDX:EAX the value read),
 * unless the read raised #GP (CR4.TSD) or #UD first.
 */
	.text
	.globl cr4_user_rdtsc
cr4_user_rdtsc:
	xorl %eax, %eax
	xorl %edx, %edx
	rdtsc
	syscall
	ud2

	.globl cr4_user_rdtscp
cr4_user_rdtscp:
	xorl %eax, %eax
	xorl %edx, %edx
	rdtscp
	syscall
	ud2
