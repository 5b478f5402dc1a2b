/* SPDX-License-Identifier: MIT */
/*
 * long t_cio_write(count, buf, mask): CONSOLEIO_write as an inline SYSCALL
 * hypercall, with the upcall mask *mask cleared by a plain store just
 * before it (no hypervisor entry in between).
 */
	.text
	.globl t_cio_write
t_cio_write:
	movq %rdx, %r8
	movq %rsi, %rdx		/* buf */
	movq %rdi, %rsi		/* count */
	xorl %edi, %edi		/* CONSOLEIO_write */
	movl $18, %eax		/* __HYPERVISOR_console_io */
	movb $0, (%r8)
	.globl t_cio_syscall
t_cio_syscall:
	syscall
	.globl t_cio_after
t_cio_after:
	ret
