/* SPDX-License-Identifier: MIT */
/*
 * fsgsbase: the four instructions as kernel-mode probes (return 1, or 0
 * when they faulted: gpv_last_fault says how), and the user-mode code.
 */
#include <gpv/probe-asm.h>

	/* A probe: 1 in eax when insn completed, 0 when it faulted (the fixup). */
	.macro FG_PROBE name, insn
	.globl \name
\name:
	GPV_PROBE_RET1 "\insn"
	.endm

	.text
	/* bool fg_rdfsbase(uint64_t *val), fg_rdgsbase(uint64_t *val) */
	FG_PROBE fg_rdfsbase, "rdfsbase %rax; movq %rax, (%rdi)"
	FG_PROBE fg_rdgsbase, "rdgsbase %rax; movq %rax, (%rdi)"
	/* bool fg_wrfsbase(uint64_t val), fg_wrgsbase(uint64_t val) */
	FG_PROBE fg_wrfsbase, "wrfsbase %rdi"
	FG_PROBE fg_wrgsbase, "wrgsbase %rdi"

	/*
	 * User mode: rax = the GS base, rbx = the FS base it finds; then it
	 * writes rdi as its GS base and rsi as the FS base and syscalls back.
	 */
	.globl fg_user_bases
fg_user_bases:
	rdgsbase %rax
	rdfsbase %rbx
	wrgsbase %rdi
	wrfsbase %rsi
	syscall
	ud2

	/* User mode: writes rdi as its GS base, then back by an exception (#UD). */
	.globl fg_user_trap
fg_user_trap:
	wrgsbase %rdi
	ud2

	/* User mode: rdfsbase (#UD once CR4.FSGSBASE is clear), then syscall. */
	.globl fg_user_rdfsbase
fg_user_rdfsbase:
	rdfsbase %rax
	syscall
	ud2
