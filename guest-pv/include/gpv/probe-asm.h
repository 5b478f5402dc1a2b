/* SPDX-License-Identifier: MIT */
/*
 * Probes written in assembly (for .S files): GPV_PROBE_RET1 runs one
 * instruction (or a short sequence) and returns 1 in eax; if its first
 * instruction faults, the trap code resumes at the fixup, which returns 0
 * (gpv_last_fault tells what happened; see probe.h).
 */
#ifndef GPV_PROBE_ASM_H
#define GPV_PROBE_ASM_H

#ifdef __ASSEMBLY__
/* clang-format off */
	.macro GPV_PROBE_RET1 insn
1:	\insn
	movl $1, %eax
	ret
2:	xorl %eax, %eax
	ret
	.pushsection .rodata.gpv_probe, "a"
	.quad 1b, 2b
	.popsection
	.endm
/* clang-format on */
#endif

#endif
