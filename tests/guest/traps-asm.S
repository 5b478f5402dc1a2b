/* SPDX-License-Identifier: MIT */
/*
 * Instruction sequences the traps kernel needs at known addresses: the
 * faulting instruction (t_*_insn) and the one after it (t_*_after).
 */
	.text
	/* int3 with known rcx and r11, to see the two words Xen saves. */
	.globl t_int3
t_int3:
	pushq %rbx
	movabsq $0x1111222233334444, %rcx
	movabsq $0x5555666677778888, %r11
	.globl t_int3_insn
t_int3_insn:
	int3
	.globl t_int3_after
t_int3_after:
	popq %rbx
	ret

	.globl t_ud2
t_ud2:
	.globl t_ud2_insn
t_ud2_insn:
	ud2
	ret

	/* int $0x80 has no gate: #GP with error (0x80 << 3) | 2. */
	.globl t_int80
t_int80:
	.globl t_int80_insn
t_int80_insn:
	int $0x80
	ret

	/* int $0x81 gets a DPL3 gate from the test. */
	.globl t_int81
t_int81:
	int $0x81
	.globl t_int81_after
t_int81_after:
	ret

	.globl t_fpu
t_fpu:
	.globl t_fpu_insn
t_fpu_insn:
	fnop
	ret

	/*
	 * t_run_user(regs): save the callee-saved registers and the stack,
	 * then iret to user mode with @regs. A hook brings the kernel back to
	 * t_user_resume with rsp = t_kernel_rsp.
	 */
	.globl t_run_user
t_run_user:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, t_kernel_rsp(%rip)
	call gpv_iret_regs
	.globl t_user_resume
t_user_resume:
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret

	/* User-mode code: a syscall with rax 0x5151, then int3, then int $0x80. */
	.globl t_user_syscall
t_user_syscall:
	movl $0x5151, %eax
	syscall
	.globl t_user_syscall_after
t_user_syscall_after:
	ud2
	.globl t_user_int3
t_user_int3:
	int3
	ud2
	.globl t_user_int80
t_user_int80:
	int $0x80
	ud2

	/*
	 * t_mc_iret(calls, n): a multicall whose entries include an iret. The
	 * iret frame is built on the stack the syscall runs on, and returns to
	 * t_mc_resume with rax 0x7777. Returns what rax held at the end.
	 */
	.globl t_mc_iret
t_mc_iret:
	pushq %rbx
	pushq %rbp
	movq %rsp, %rbp
	pushq $0xe02b		/* ss */
	pushq %rbp		/* rsp */
	pushq $0x2		/* rflags: IF clear, events stay masked */
	pushq $0xe030		/* cs: kernel */
	leaq t_mc_resume(%rip), %rax
	pushq %rax		/* rip */
	pushq $0		/* flags */
	pushq $0		/* rcx */
	pushq $0		/* r11 */
	pushq $0x7777		/* rax */
	movl $13, %eax		/* __HYPERVISOR_multicall */
	syscall
	movq %rbp, %rsp		/* the multicall returned normally */
	.globl t_mc_resume
t_mc_resume:
	popq %rbp
	popq %rbx
	ret

	.data
	.globl t_kernel_rsp
t_kernel_rsp:
	.quad 0

	/*
	 * t_iret_words(flags): an iret hypercall (inline syscall) whose frame
	 * holds rax 0x1234, r11 0xbbbb, rcx 0xaaaa and @flags; it lands at
	 * 1: with rsp back where it was, and stores what rax, rcx and r11
	 * then hold in t_iret_seen[0..2].
	 */
	.globl t_iret_words
t_iret_words:
	pushq %rbx
	movq %rsp, %rbx
	pushq $0xe02b
	pushq %rbx
	pushq $0x2
	pushq $0xe030
	leaq 1f(%rip), %rax
	pushq %rax
	pushq %rdi		/* flags */
	pushq $0xaaaa		/* rcx */
	pushq $0xbbbb		/* r11 */
	pushq $0x1234		/* rax */
	movl $23, %eax
	syscall
	.globl t_iret_land
t_iret_land:
1:	movq %rax, t_iret_seen(%rip)
	movq %rcx, t_iret_seen + 8(%rip)
	movq %r11, t_iret_seen + 16(%rip)
	popq %rbx
	ret

	.data
	.globl t_iret_seen
t_iret_seen:
	.quad 0, 0, 0

	/* User-mode read of an unmapped page. */
	.text
	.globl t_user_pf
t_user_pf:
	movabsq 0x00007f0000002000, %rax
	ud2

	/* User mode: read %gs:0 (the user GS base) into rax, then syscall. */
	.globl t_user_gs
t_user_gs:
	movq %gs:0, %rax
	syscall
	ud2

	.text
	.globl t_int82
t_int82:
	int $0x82
	ret
	.globl t_int83
t_int83:
	.globl t_int83_insn
t_int83_insn:
	int $0x83
	ret
