/* SPDX-License-Identifier: MIT */
/*
 * Probe instructions and their fixups. Each entry of gpv_probe_table is
 * (faulting instruction, fixup); each probe returns 1 in eax when the
 * instruction completed and 0 when the fixup ran.
 */
	.macro PROBE insn_label, fixup_label
	.pushsection .rodata.gpv_probe, "a"
	.quad \insn_label, \fixup_label
	.popsection
	.endm

	.text
	/* bool gpv_probe_read(addr, *val) */
	.globl gpv_probe_read
gpv_probe_read:
1:	movq (%rdi), %rax
	movq %rax, (%rsi)
	movl $1, %eax
	ret
2:	xorl %eax, %eax
	ret
	PROBE 1b, 2b

	.globl gpv_probe_write
gpv_probe_write:
1:	movq %rsi, (%rdi)
	movl $1, %eax
	ret
2:	xorl %eax, %eax
	ret
	PROBE 1b, 2b

	/* bool gpv_probe_rdmsr(msr, *val) */
	.globl gpv_probe_rdmsr
gpv_probe_rdmsr:
	movq %rsi, %r8
	movl %edi, %ecx
1:	rdmsr
	shlq $32, %rdx
	movl %eax, %eax
	orq %rdx, %rax
	movq %rax, (%r8)
	movl $1, %eax
	ret
2:	xorl %eax, %eax
	ret
	PROBE 1b, 2b

	.globl gpv_probe_wrmsr
gpv_probe_wrmsr:
	movl %edi, %ecx
	movq %rsi, %rax
	movq %rsi, %rdx
	shrq $32, %rdx
1:	wrmsr
	movl $1, %eax
	ret
2:	xorl %eax, %eax
	ret
	PROBE 1b, 2b

	/* bool gpv_probe_read_cr(cr, *val) */
	.globl gpv_probe_read_cr
gpv_probe_read_cr:
	cmpl $3, %edi
	je 3f
	cmpl $4, %edi
	je 4f
1:	movq %cr0, %rax
	jmp 5f
3:	movq %cr3, %rax
	jmp 5f
4:	movq %cr4, %rax
5:	movq %rax, (%rsi)
	movl $1, %eax
	ret
2:	xorl %eax, %eax
	ret
	PROBE 1b, 2b
	PROBE 3b, 2b
	PROBE 4b, 2b

	.globl gpv_probe_write_cr
gpv_probe_write_cr:
	cmpl $3, %edi
	je 3f
	cmpl $4, %edi
	je 4f
1:	movq %rsi, %cr0
	jmp 5f
3:	movq %rsi, %cr3
	jmp 5f
4:	movq %rsi, %cr4
5:	movl $1, %eax
	ret
2:	xorl %eax, %eax
	ret
	PROBE 1b, 2b
	PROBE 3b, 2b
	PROBE 4b, 2b

	/* void gpv_cpuid(leaf, subleaf, regs[4]) */
	.globl gpv_cpuid
gpv_cpuid:
	pushq %rbx
	movq %rdx, %r8
	movl %edi, %eax
	movl %esi, %ecx
	ud2a
	.ascii "xen"
	cpuid
	movl %eax, 0(%r8)
	movl %ebx, 4(%r8)
	movl %ecx, 8(%r8)
	movl %edx, 12(%r8)
	popq %rbx
	ret

	/* bool gpv_probe_inb(port, *val) */
	.globl gpv_probe_inb
gpv_probe_inb:
	movl %edi, %edx
	xorl %eax, %eax
1:	inb %dx, %al
	movb %al, (%rsi)
	movl $1, %eax
	ret
2:	xorl %eax, %eax
	ret
	PROBE 1b, 2b

	/* bool gpv_probe_outb(port, val) */
	.globl gpv_probe_outb
gpv_probe_outb:
	movl %edi, %edx
	movl %esi, %eax
1:	outb %al, %dx
	movl $1, %eax
	ret
2:	xorl %eax, %eax
	ret
	PROBE 1b, 2b

	.globl gpv_probe_cli
gpv_probe_cli:
1:	cli
	movl $1, %eax
	ret
2:	xorl %eax, %eax
	ret
	PROBE 1b, 2b

	.globl gpv_probe_sti
gpv_probe_sti:
1:	sti
	movl $1, %eax
	ret
2:	xorl %eax, %eax
	ret
	PROBE 1b, 2b
