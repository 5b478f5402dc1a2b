/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every way into the hypervisor: the 256 IDT stubs, SYSCALL (LSTAR) and
 * SYSENTER. Each builds a struct cpu_regs and calls trap_dispatch() (a
 * 64-bit SYSCALL calls pv_guest_syscall(), the hypercall path, itself); the
 * return path restores it and leaves with IRETQ, or with SYSRETQ when the
 * guest came in by SYSCALL (see exit_sysret). SYSCALL does not switch
 * stacks, so its entry finds the CPU's stack through the per-CPU block in
 * MSR_SHADOW_GS_BASE (offset 0: scratch, 8: stack top), with a SWAPGS pair
 * that leaves the guest's GS base in place before any C runs.
 */
#include <asm/layout.h>
#include <asm/regs.h>

	/*
	 * The entry and exit paths, and the guest-memory copy below, go to
	 * .text.hot.* sections that lamina.lds places on one page with the C
	 * functions of the hot paths (see there why).
	 */
	/*
	 * SMAP (where the CPU has it, hv_smap): guest memory is touched only
	 * between STAC and CLAC in arch_copy_raw, and no entry keeps a guest's
	 * AC (an exception does not clear it: trap_common does).
	 */
	.macro SMAP_STAC
	testb $1, hv_smap(%rip)
	jz 99f
	stac
99:
	.endm
	.macro SMAP_CLAC
	testb $1, hv_smap(%rip)
	jz 99f
	clac
99:
	.endm

	/*
	 * The general registers, in struct cpu_regs's order from its end
	 * (r9 first: rdi..r9, a hypercall's arguments, end up as one array).
	 * Then no flag of the guest's that C would trip over stays: DF, and
	 * AC (an exception does not clear it).
	 */
	.macro SAVE_GPRS
	cld
	SMAP_CLAC
	PUSH_GPRS
	.endm
	/* SAVE_GPRS less CLD and CLAC: SYSCALL cleared DF and AC (MSR_SFMASK). */
	.macro PUSH_GPRS
	pushq %r9
	pushq %r8
	pushq %r10
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rcx
	pushq %rax
	pushq %r11
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	.endm

	/* The frame's first six words (struct cpu_regs), both exits' first pops. */
	.macro POP_RBX_TO_R15
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	.endm

	.section .text.hot.entry, "ax"
	.p2align 4
trap_common:
	SAVE_GPRS
	movq %rsp, %rdi
	call trap_dispatch
	.globl ret_from_trap
ret_from_trap:
	cmpq $VEC_SYSCALL, REGS_VECTOR(%rsp)
	je exit_sysret
exit_iret:
	POP_RBX_TO_R15
	popq %r11
	popq %rax
	popq %rcx
	popq %rdi
	popq %rsi
	popq %rdx
	popq %r10
	popq %r8
	popq %r9
	addq $16, %rsp
	/*
	 * If the CPU refuses the guest's frame (a non-canonical RIP, a bad
	 * selector), the fault's RIP is this IRETQ and its RSP the frame:
	 * hv_fault() hands it to pv_exit_fault(), which delivers it to the
	 * guest as Xen does (its exit IRETQ's _ASM_PRE_EXTABLE).
	 */
	.globl exit_iretq
exit_iretq:
	iretq

	/*
	 * Back to a 64-bit guest that came in by SYSCALL (a hypercall, or its
	 * user mode's syscall; the event or trap bounced on its way out keeps
	 * the mark): SYSRETQ, as Xen's restore_all_guest for TRAP_syscall,
	 * cheaper than IRETQ on hardware and under emulation. RCX and R11 are
	 * dead there (SYSCALL clobbered them; a bounce saved them in its
	 * frame): SYSRETQ loads RIP from RCX and RFLAGS from R11 (IOPL and VM
	 * cleared, IF set, as Xen). do_iret, which gives the guest its RCX and
	 * R11 back, clears the mark. Only to the flat 64-bit CS and SS that
	 * MSR_STAR names, and never with a non-canonical RIP (SYSRETQ would
	 * #GP in ring 0 on the guest's stack: CVE-2012-0217). Between loading
	 * the guest's RSP and SYSRETQ interrupts are off, and NMI, #MC and #DB
	 * arrive on stacks of their own (IST).
	 */
exit_sysret:
	cmpq $HV_GUEST_CS64, REGS_CS(%rsp)
	jne exit_iret
	cmpq $HV_GUEST_DS, REGS_SS(%rsp)
	jne exit_iret
	movq REGS_RIP(%rsp), %rcx
	movq %rcx, %r11
	sarq $47, %r11
	incq %r11		/* 0 or 1 when bits 63-47 are all equal */
	cmpq $1, %r11
	ja exit_iret
	POP_RBX_TO_R15
	addq $8, %rsp		/* r11 */
	popq %rax
	addq $8, %rsp		/* rcx: holds RIP */
	popq %rdi
	popq %rsi
	popq %rdx
	popq %r10
	popq %r8
	popq %r9
	/* vector, error_code, rip, cs, rflags, rsp, ss */
	movq 32(%rsp), %r11
	andq $~0x23000, %r11	/* EFLAGS.IOPL, VM */
	orq $0x200, %r11	/* EFLAGS.IF */
	movq 40(%rsp), %rsp
	sysretq

/* arch_enter_frame(regs): leave through regs (a frame on this CPU's stack). */
	.globl arch_enter_frame
arch_enter_frame:
	movq %rdi, %rsp
	jmp ret_from_trap

	.p2align 4
	.globl syscall_entry
syscall_entry:
	swapgs
	movq %rsp, %gs:0
	movq %gs:8, %rsp
	pushq $HV_GUEST_DS
	pushq %gs:0
	swapgs
	pushq %r11
	pushq $HV_GUEST_CS64
	pushq %rcx
	pushq $0
	pushq $VEC_SYSCALL
	/* Straight to the hypercall (or user syscall) path, not trap_dispatch. */
	PUSH_GPRS
	movq %rsp, %rdi
	call pv_guest_syscall
	jmp ret_from_trap

	/* SYSCALL from compatibility mode: the same, with the 32-bit CS. */
	.text
	.p2align 4
	.globl cstar_entry
cstar_entry:
	swapgs
	movq %rsp, %gs:0
	movq %gs:8, %rsp
	pushq $HV_GUEST_DS
	pushq %gs:0
	swapgs
	pushq %r11
	pushq $HV_GUEST_CS32
	pushq %rcx
	pushq $0
	pushq $VEC_SYSCALL32
	jmp trap_common

	/*
	 * SYSENTER: RSP is the CPU's stack top (MSR_SYSENTER_ESP), RFLAGS the
	 * guest's less IF, VM and RF. Xen's frame: SS FLAT_USER_SS, RSP 0, the
	 * guest's RFLAGS with IF (its user mode always runs with IF), CS 3,
	 * RIP 0. Then no flag of the guest's stays live: NT would make the
	 * exit IRETQ fault, DF and AC break C and SMAP, TF single-steps (it is
	 * let run until the flags are saved, see pv_debug_trap_hv()).
	 */
	.p2align 4
	.globl sysenter_entry
sysenter_entry:
	pushq $HV_GUEST_DS
	pushq $0
	pushfq
	.globl sysenter_eflags_saved
sysenter_eflags_saved:
	pushq $2
	popfq
	orq $0x200, (%rsp)	/* EFLAGS.IF */
	pushq $3
	pushq $0
	pushq $0
	pushq $VEC_SYSENTER
	jmp trap_common

/* The IDT stubs, 16 bytes each: vectors with a CPU error code push only the vector. */
	.section .text.hot.stubs, "ax"
	.p2align 4
	.globl idt_stubs
idt_stubs:
	vec = 0
	.rept 256
	.p2align 4
	.if (vec == 8) || (vec == 10) || (vec == 11) || (vec == 12) || (vec == 13) || (vec == 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	pushq $vec
	.elseif vec == 1
	pushq $0
	pushq $vec
	jmp db_entry
	.else
	pushq $0
	pushq $vec
	.endif
	jmp trap_common
	vec = vec + 1
	.endr

	/*
	 * #DB arrives on its IST stack wherever RSP was. From the hypervisor
	 * it is handled there; from a guest its frame first moves to this
	 * CPU's stack top, as every guest entry's: delivering it writes the
	 * guest's stack, which may hit a data breakpoint and nest another
	 * #DB on the IST stack.
	 */
	.text
db_entry:
	testb $3, 24(%rsp)		/* the interrupted CS */
	jz trap_common
	swapgs
	movq %rax, %gs:0
	movq %gs:8, %rax		/* this CPU's stack top */
	subq $56, %rax
	pushq %rcx
	.irp i, 0, 1, 2, 3, 4, 5, 6	/* vector, error, rip, cs, rflags, rsp, ss */
	movq 8 + 8 * \i(%rsp), %rcx
	movq %rcx, 8 * \i(%rax)
	.endr
	popq %rcx
	movq %rax, %rsp
	movq %gs:0, %rax
	swapgs
	jmp trap_common

/*
 * copy_raw(dst, src, n): rep movsq when everything is 8-byte aligned (much
 * cheaper under emulation), else rep movsb, with fixups; returns the bytes
 * NOT copied (a multiple of 8 after a fault in the qword copy). These are
 * the only instructions that may fault on a guest address.
 */
	.section .text.hot.copy, "ax"
	.globl arch_copy_raw
arch_copy_raw:
	SMAP_STAC
	movq %rdx, %rcx
	movq %rdi, %rax
	orq %rsi, %rax
	orq %rdx, %rax
	testb $7, %al
	jnz 3f
	shrq $3, %rcx
1:	rep movsq
2:	shlq $3, %rcx
	movq %rcx, %rax
	SMAP_CLAC
	ret
3:	rep movsb
4:	movq %rcx, %rax
	SMAP_CLAC
	ret
	.section .ex_table, "a"
	.quad 1b, 2b
	.quad 3b, 4b
	.previous

/*
 * arch_read_guest_insn_u8 etc. are built on arch_copy_raw. wrmsr_safe(msr, val):
 * returns 0, or -1 if the WRMSR faulted.
 */
	.text
	.globl arch_wrmsr_safe
arch_wrmsr_safe:
	movl %edi, %ecx
	movl %esi, %eax
	shrq $32, %rsi
	movl %esi, %edx
3:	wrmsr
	xorl %eax, %eax
	ret
4:	movl $-1, %eax
	ret
	.section .ex_table, "a"
	.quad 3b, 4b
	.previous
