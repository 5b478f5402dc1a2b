/* SPDX-License-Identifier: MIT */
/*
 * Segment loads through the LDT for mmu_ldt, each a probe (a fault resumes
 * at its fixup, which returns -1): t_load_fs loads a selector into %fs and
 * reads it back, t_lar reads a descriptor's access rights, t_kcall makes a
 * far call through a selector to t_far_target, which returns the %cs it ran
 * with. t_user_ldt is user code: a %ds load and a far call, then syscall;
 * t_user_in_ldt is user code entered with an LDT CS (by iret).
 */
	.macro PROBE insn_label, fixup_label
	.pushsection .rodata.gpv_probe, "a"
	.quad \insn_label, \fixup_label
	.popsection
	.endm

	.text
	/* long t_load_fs(unsigned long sel) */
	.globl t_load_fs
t_load_fs:
1:	movw %di, %fs
	xorl %eax, %eax
	movw %fs, %ax
	xorl %ecx, %ecx
	movw %cx, %fs
	ret
2:	movq $-1, %rax
	ret
	PROBE 1b, 2b

	/* long t_lar(unsigned long sel): access rights, -2 if invalid */
	.globl t_lar
t_lar:
1:	larl %edi, %eax
	jnz 3f
	ret
3:	movq $-2, %rax
	ret
2:	movq $-1, %rax
	ret
	PROBE 1b, 2b

	/* long t_kcall(unsigned long sel) */
	.globl t_kcall
t_kcall:
	movw %di, t_kfar+4(%rip)
1:	lcall *t_kfar(%rip)
	ret
2:	movq $-1, %rax
	ret
	PROBE 1b, 2b

	.globl t_far_target
t_far_target:
	xorl %eax, %eax
	movw %cs, %ax
	lret

	.globl t_user_ldt
t_user_ldt:
	movw t_user_sel(%rip), %ax
	movw %ax, %ds
	movw %ds, t_user_ds(%rip)
	xorl %eax, %eax
	movw %ax, %ds
	lcall *t_ufar(%rip)
	movq %rax, t_user_cs(%rip)
	syscall
	ud2

	/* User code entered with an LDT code segment: records %cs, then syscall. */
	.globl t_user_in_ldt
t_user_in_ldt:
	xorl %eax, %eax
	movw %cs, %ax
	movq %rax, t_user_cs(%rip)
	syscall
	ud2

	.data
	.p2align 3
	.globl t_kfar
t_kfar:
	.long t_far_target, 0
	.globl t_ufar
t_ufar:
	.long t_far_target, 0
	.globl t_user_sel
t_user_sel:
	.quad 0
	.globl t_user_ds
t_user_ds:
	.quad 0
	.globl t_user_cs
t_user_cs:
	.quad 0
