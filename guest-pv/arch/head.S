/* SPDX-License-Identifier: MIT */
/*
 * Start of day for a guest-pv kernel: the Xen ELF notes the domain builder
 * reads, the entry point Xen jumps to (RSI = start_info, events masked), the
 * hypercall page Xen fills, and the boot stack. The entry records the
 * registers exactly as the builder left them (gpv_boot_regs) before it
 * touches any, clears .bss and calls gpv_start().
 */
#include <xen/elfnote.h>

#define GPV_NOTE(type, body)                      \
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

GPV_NOTE(XEN_ELFNOTE_GUEST_OS, .asciz "lamina-guest-pv")
GPV_NOTE(XEN_ELFNOTE_GUEST_VERSION, .asciz "1")
GPV_NOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
GPV_NOTE(XEN_ELFNOTE_LOADER, .asciz "generic")
GPV_NOTE(XEN_ELFNOTE_VIRT_BASE, .quad 0)
GPV_NOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad 0)
GPV_NOTE(XEN_ELFNOTE_ENTRY, .quad _start)
GPV_NOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .quad gpv_hypercall_page)
GPV_NOTE(XEN_ELFNOTE_FEATURES, .asciz "!writable_page_tables")
/* Bit 11 is XENFEAT_dom0: without it Xen 4.17 refuses to build us as dom0. */
GPV_NOTE(XEN_ELFNOTE_SUPPORTED_FEATURES, .long (1 << 11))
GPV_NOTE(XEN_ELFNOTE_PAE_MODE, .asciz "yes")

	.section .text.head, "ax"
	.code64
	.globl _start
_start:
	/* Record the builder's registers before anything changes them. */
	movq %rax, gpv_boot_regs + 0(%rip)
	movq %rbx, gpv_boot_regs + 8(%rip)
	movq %rcx, gpv_boot_regs + 16(%rip)
	movq %rdx, gpv_boot_regs + 24(%rip)
	movq %rsi, gpv_boot_regs + 32(%rip)
	movq %rdi, gpv_boot_regs + 40(%rip)
	movq %rbp, gpv_boot_regs + 48(%rip)
	movq %rsp, gpv_boot_regs + 56(%rip)
	movw %cs, gpv_boot_regs + 64(%rip)
	movw %ss, gpv_boot_regs + 72(%rip)
	movw %ds, gpv_boot_regs + 80(%rip)
	pushfq
	popq gpv_boot_regs + 88(%rip)

	leaq gpv_boot_stack_top(%rip), %rsp
	movq %rsi, %rbx
	/* Clear .bss (the builder zeroes it on Xen; do not rely on it). */
	leaq __bss_start(%rip), %rdi
	leaq __bss_end(%rip), %rcx
	subq %rdi, %rcx
	xorl %eax, %eax
	cld
	rep stosb
	movq %rbx, %rdi
	call gpv_start
1:	hlt
	jmp 1b

	/* Xen writes its stubs here: stub N at gpv_hypercall_page + 32 * N. */
	.section .text.hypercall_page, "ax"
	.p2align 12
	.globl gpv_hypercall_page
gpv_hypercall_page:
	.fill 4096, 1, 0xcc

	.data
	.p2align 3
	.globl gpv_boot_regs
gpv_boot_regs:
	.fill 12, 8, 0

	.bss
	.p2align 12
	.globl gpv_boot_stack
gpv_boot_stack:
	.fill 16384, 1, 0
	.globl gpv_boot_stack_top
gpv_boot_stack_top:
