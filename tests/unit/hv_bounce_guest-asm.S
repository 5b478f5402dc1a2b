/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv_bounce_guest's #BP and #GP handlers and triggers. A handler copies the
 * frame Xen built (RCX, R11, [error code], RIP, CS, RFLAGS, RSP, SS from its
 * RSP up: 8 words) and its address, then returns with the iret hypercall
 * (the #GP one skips the 2-byte "int $0x80" that raised it). A trigger
 * records RSP and RFLAGS just before the instruction, with known RCX, R11.
 */
#define HYPERCALL_IRET 23

	.text
/* Copy the 8 words above the caller's return address, and their address. */
hv_copy_frame:
	pushq %rax
	leaq 16(%rsp), %rax
	movq %rax, hv_frame_addr(%rip)
	movq 16(%rsp), %rax
	movq %rax, hv_frame+0(%rip)
	movq 24(%rsp), %rax
	movq %rax, hv_frame+8(%rip)
	movq 32(%rsp), %rax
	movq %rax, hv_frame+16(%rip)
	movq 40(%rsp), %rax
	movq %rax, hv_frame+24(%rip)
	movq 48(%rsp), %rax
	movq %rax, hv_frame+32(%rip)
	movq 56(%rsp), %rax
	movq %rax, hv_frame+40(%rip)
	movq 64(%rsp), %rax
	movq %rax, hv_frame+48(%rip)
	movq 72(%rsp), %rax
	movq %rax, hv_frame+56(%rip)
	popq %rax
	ret

	.globl hv_bp_handler
hv_bp_handler:
	call hv_copy_frame
	popq %rcx
	popq %r11
	pushq $0 /* iret flags */
	pushq %rcx
	pushq %r11
	pushq %rax
	movl $HYPERCALL_IRET, %eax
	syscall
	ud2

	/* hv_do_int3(uint64_t pre[2], unsigned long shift): int3 at RSP - shift */
	.globl hv_do_int3
hv_do_int3:
	pushq %rbx
	movq %rdi, %rbx
	subq %rsi, %rsp
	movabsq $0x1111222233334444, %rcx
	movabsq $0x5555666677778888, %r11
	pushfq
	popq 8(%rbx)
	movq %rsp, 0(%rbx)
	int3
	.globl hv_after_int3
hv_after_int3:
	addq %rsi, %rsp
	popq %rbx
	ret

	.globl hv_gp_handler
hv_gp_handler:
	call hv_copy_frame
	popq %rcx
	popq %r11
	addq $8, %rsp /* the error code */
	addq $2, (%rsp) /* past "int $0x80" */
	pushq $0
	pushq %rcx
	pushq %r11
	pushq %rax
	movl $HYPERCALL_IRET, %eax
	syscall
	ud2

	/* hv_do_int80(uint64_t pre[2], unsigned long shift): int $0x80, no gate */
	.globl hv_do_int80
hv_do_int80:
	pushq %rbx
	movq %rdi, %rbx
	subq %rsi, %rsp
	movabsq $0x1111222233334444, %rcx
	movabsq $0x5555666677778888, %r11
	pushfq
	popq 8(%rbx)
	movq %rsp, 0(%rbx)
	.globl hv_at_int80
hv_at_int80:
	int $0x80
	addq %rsi, %rsp
	popq %rbx
	ret

	.data
	.globl hv_frame, hv_frame_addr
	.balign 8
hv_frame:
	.fill 8, 8, 0
hv_frame_addr:
	.quad 0
