/* SPDX-License-Identifier: MIT */
/*
 * umode_run(regs): save the callee-saved registers and the kernel stack,
 * then iret to @regs; umode_back() resumes the kernel at umode_resume with
 * rsp = umode_kernel_rsp, where umode_run() returns.
 */
	.text
	.globl umode_run
umode_run:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, umode_kernel_rsp(%rip)
	movl $0, umode_hits(%rip)
	call gpv_iret_regs
	.globl umode_resume
umode_resume:
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret

	.data
	.globl umode_kernel_rsp
umode_kernel_rsp:
	.quad 0
