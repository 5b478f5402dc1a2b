/* SPDX-License-Identifier: MIT */
/*
 * One iret round trip for the benchmark: build an iret_context that returns
 * to the next instruction in kernel mode with events masked, then enter the
 * iret stub of the hypercall page (which pushes rcx, r11 and rax itself).
 */
	.text
	.globl bench_iret_once
bench_iret_once:
	pushq %rbx
	movq %rsp, %rbx
	pushq $0xe02b		/* ss */
	pushq %rbx		/* rsp after the return */
	pushq $0x2		/* rflags: IF clear */
	pushq $0xe030		/* cs: kernel mode */
	leaq 1f(%rip), %rax
	pushq %rax		/* rip */
	pushq $0		/* flags */
	jmp gpv_hypercall_page + 32 * 23
1:	popq %rbx
	ret
