/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The smallest PV kernel that misbehaves: Xen ELF notes, then at its entry
 * a write of a marker to the console and a fault with no trap table
 * registered (a hypervisor must crash the domain, dump its registers, and
 * stay up). With "pf" in its command line it faults on a non-canonical
 * address instead of ud2; with "tf" it executes SYSENTER with the trap flag
 * set (no sysenter callback: a #GP for the guest, never a hypervisor fault).
 */
#include <xen/elfnote.h>

#define NOTE(type, body)                          \
	.pushsection .note.Xen, "a", @note;       \
	.p2align 2;                               \
	.long 2f - 1f;                            \
	.long 4f - 3f;                            \
	.long type;                               \
1:	.asciz "Xen";                             \
2:	.p2align 2;                               \
3:	body;                                     \
4:	.p2align 2;                               \
	.popsection

NOTE(XEN_ELFNOTE_GUEST_OS, .asciz "lamina-crash-test")
NOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
NOTE(XEN_ELFNOTE_LOADER, .asciz "generic")
NOTE(XEN_ELFNOTE_VIRT_BASE, .quad 0)
NOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad 0)
NOTE(XEN_ELFNOTE_ENTRY, .quad _start)
NOTE(XEN_ELFNOTE_SUPPORTED_FEATURES, .long (1 << 11))

	.text
	.globl _start
_start:
	movq %rsi, %r12 /* start_info */
	/* console_io(CONSOLEIO_write, len, msg) by an inline syscall. */
	movl $18, %eax
	movl $0, %edi
	movl $msg_end - msg, %esi
	leaq msg(%rip), %rdx
	syscall
	/* A marker register value for the dump. */
	movabsq $0x1badc0de5a5a5a5a, %rbx
	/* start_info->cmd_line starts at offset 128; "pf" selects the #PF. */
	cmpw $0x6670, 128(%r12)
	je 1f
	/* "tf": SYSENTER with the trap flag set (it reaches ring 0 with TF). */
	cmpw $0x6674, 128(%r12)
	je 2f
	ud2
2:	pushfq
	orq $0x100, (%rsp)
	popfq
	sysenter
1:	movabsq $0x8000000000000000, %rax
	movq (%rax), %rax
	hlt

	.section .rodata
msg:	.ascii "crash-guest: about to fault\n"
msg_end:
