/* SPDX-License-Identifier: MIT */
/*
 * Instructions for the debugreg kernel: probed mov to/from %dr0, %dr6 and
 * %dr7 (1 in eax when the instruction completed, 0 after a fault), an
 * instruction to break on, a store to watch, and the MOV-SS shadow cases.
 */
	.macro PROBE insn_label, fixup_label
	.pushsection .rodata.gpv_probe, "a"
	.quad \insn_label, \fixup_label
	.popsection
	.endm

	.macro DR_PROBES n
	.globl t_write_dr\n
t_write_dr\n:
1:	movq %rdi, %dr\n
	movl $1, %eax
	ret
2:	xorl %eax, %eax
	ret
	PROBE 1b, 2b
	.globl t_read_dr\n
t_read_dr\n:
1:	movq %dr\n, %rax
	movq %rax, (%rdi)
	movl $1, %eax
	ret
2:	xorl %eax, %eax
	ret
	PROBE 1b, 2b
	.endm

	.text
	/* bool t_write_drN(value); bool t_read_drN(*value) */
	DR_PROBES 0
	DR_PROBES 6
	DR_PROBES 7

	.globl t_bp
t_bp:
	.globl t_bp_insn
t_bp_insn:
	nop
	ret

	/* t_store(p): one 8-byte store to *p; t_store_after follows it. */
	.globl t_store
t_store:
	movq $0x5a5a, (%rdi)
	.globl t_store_after
t_store_after:
	ret

	/*
	 * long t_movss_syscall(sel_ptr, bad_rsp): load %ss from *sel_ptr (the
	 * watched word) with xen_version(XENVER_pagesize) as an inline syscall
	 * in its shadow, so the data breakpoint fires on the first instruction
	 * of the hypervisor's SYSCALL entry, with rsp = bad_rsp. Returns rax.
	 */
	.globl t_movss_syscall
t_movss_syscall:
	pushq %r12
	movq %rsp, %r12
	movq %rdi, %r8
	movq %rsi, %rsp
	movl $17, %eax
	movl $5, %edi
	xorl %esi, %esi
	movw (%r8), %ss
	syscall
	movq %r12, %rsp
	popq %r12
	ret

	/* t_movss_int3(sel_ptr): the same shadow over an int3. */
	.globl t_movss_int3
t_movss_int3:
	movw (%rdi), %ss
	int3
	ret
