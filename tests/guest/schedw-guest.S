/* SPDX-License-Identifier: MIT */
/*
 * The CPU-bound domU of tests/guest/schedw.c: position-independent bytes
 * copied to the domU's virtual 0x4000. It counts, for ever, in the 64-bit
 * word at 0x5000 (its page 5, which dom0 reads through a foreign mapping):
 * the guest's own measure of the CPU time it got.
 */
	.section .rodata
	.globl spin_code_start, spin_code_end
spin_code_start:
1:	incq 0x5000
	jmp 1b
spin_code_end:
