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

	/*
	 * hv_do_iret(uint64_t out[8], uint64_t flags, uint64_t rflags): the iret
	 * hypercall with a made-up context (rax 0x7777, r11 0xdddd, rcx 0xcccc,
	 * cs 0xe030 and ss 0xe028 with RPL 0, rip hv_iret_landing, rsp 128 bytes
	 * down); out[] gets rax, rcx, r11, rflags, rsp, cs, ss at the landing and
	 * the rsp asked for.
	 */
	.globl hv_do_iret
hv_do_iret:
	pushq %rbx
	pushq %rbp
	movq %rdi, %rbx
	movq %rsp, %rbp
	leaq -128(%rsp), %r8
	movq %r8, 56(%rbx)
	pushq $0xe028
	pushq %r8
	pushq %rdx
	pushq $0xe030
	leaq hv_iret_landing(%rip), %r9
	pushq %r9
	pushq %rsi
	pushq $0xcccc
	pushq $0xdddd
	pushq $0x7777
	movl $HYPERCALL_IRET, %eax
	syscall
	ud2
	.globl hv_iret_landing
hv_iret_landing:
	movq %rax, 0(%rbx)
	movq %rcx, 8(%rbx)
	movq %r11, 16(%rbx)
	movq %rsp, 32(%rbx)
	pushfq
	popq 24(%rbx)
	xorl %eax, %eax
	movw %cs, %ax
	movq %rax, 40(%rbx)
	movw %ss, %ax
	movq %rax, 48(%rbx)
	movq %rbp, %rsp
	popq %rbp
	popq %rbx
	ret

	/* A gate handler that only notes it ran (no error code), and its triggers. */
	.globl hv_soft_handler
hv_soft_handler:
	movb $1, hv_soft_hit(%rip)
	popq %rcx
	popq %r11
	pushq $0
	pushq %rcx
	pushq %r11
	pushq %rax
	movl $HYPERCALL_IRET, %eax
	syscall
	ud2

	.globl hv_int90, hv_int91, hv_int92, hv_int93
hv_int90:
	int $0x90
	ret
hv_int91:
	int $0x91
	ret
hv_int92:
	int $0x92
	ret
hv_int93:
	int $0x93
	ret

	.data
	.globl hv_soft_hit
hv_soft_hit:
	.byte 0
	.globl hv_frame, hv_frame_addr
	.balign 8
hv_frame:
	.fill 8, 8, 0
hv_frame_addr:
	.quad 0
