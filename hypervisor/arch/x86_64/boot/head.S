/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * First instructions: the multiboot 1 and multiboot 2 headers (both with
 * address fields, so a loader places the flat image at HV_IMAGE_PHYS without
 * reading ELF), the 32-bit entry both loaders jump to, the boot page tables,
 * the switch to long mode and the jump to the image's high virtual address.
 *
 * Boot page tables: one L3 (boot_l3_low) with four L2s of 2 MiB pages maps
 * 0-4 GiB; it is installed at L4 slot 0 (identity, needed only while paging
 * is switched on and while APs start) and at slot 262 (the direct map).
 * boot_l3_img maps the image's 1 GiB at HV_IMAGE_VIRT (slot 261).
 */
#include <asm/layout.h>

#define MB1_MAGIC 0x1badb002
#define MB1_FLAGS 0x00010003 /* page-aligned modules, memory info, address fields */
#define MB2_MAGIC 0xe85250d6

	.section .multiboot, "a"
	.p2align 3
mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long -(MB1_MAGIC + MB1_FLAGS)
	.long PA(mb1_header)
	.long PA(_image_start)
	.long PA(_edata)
	.long PA(_end)
	.long PA(start32)

	.p2align 3
mb2_header:
	.long MB2_MAGIC
	.long 0
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + (mb2_header_end - mb2_header))
	/* address tag */
	.short 2, 0
	.long 24
	.long PA(mb2_header)
	.long PA(_image_start)
	.long PA(_edata)
	.long PA(_end)
	/* entry address tag */
	.short 3, 0
	.long 12
	.long PA(start32)
	.long 0
	/* end tag */
	.short 0, 0
	.long 8
mb2_header_end:

	.section .boot32, "ax"
	.code32
	.globl start32
start32:
	cli
	cld
	movl %eax, %edi /* loader magic */
	movl %ebx, %esi /* loader info */
	movl $PA(cpu_stacks + HV_STACK_SIZE), %esp

	/* boot_l2_low[0..2047]: 2 MiB pages for 0-4 GiB. */
	movl $PA(boot_l2_low), %ebx
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax /* present, writable, 2 MiB */
	movl %eax, (%ebx, %ecx, 8)
	movl %ecx, %eax
	shrl $11, %eax
	movl %eax, 4(%ebx, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jne 1b

	/* boot_l3_low[0..3] -> the four L2 pages. */
	movl $PA(boot_l3_low), %ebx
	movl $PA(boot_l2_low) + 3, %eax
	movl %eax, 0(%ebx)
	addl $4096, %eax
	movl %eax, 8(%ebx)
	addl $4096, %eax
	movl %eax, 16(%ebx)
	addl $4096, %eax
	movl %eax, 24(%ebx)

	/* boot_l3_img[321] -> first L2 (HV_IMAGE_VIRT maps phys 0). */
	movl $PA(boot_l3_img), %ebx
	movl $PA(boot_l2_low) + 3, %eax
	movl %eax, 321 * 8(%ebx)

	movl $PA(idle_pg_table), %ebx
	movl $PA(boot_l3_low) + 3, %eax
	movl %eax, 0(%ebx)
	movl %eax, 262 * 8(%ebx)
	movl $PA(boot_l3_img) + 3, %eax
	movl %eax, 261 * 8(%ebx)

	/* PAE, long mode (with NX when the CPU has it), paging with WP. */
	movl %cr4, %eax
	orl $0x20, %eax
	movl %eax, %cr4
	movl %ebx, %cr3
	movl $0x80000001, %eax
	cpuid
	movl $0x100, %ebx /* EFER.LME */
	btl $20, %edx
	jnc 2f
	orl $0x800, %ebx /* EFER.NXE */
2:	movl $0xc0000080, %ecx
	rdmsr
	orl %ebx, %eax
	wrmsr
	movl %cr0, %eax
	orl $0x80010001, %eax
	movl %eax, %cr0

	lgdt PA(boot_gdt_ptr)
	ljmp $0x08, $PA(start64_low)

	.code64
start64_low:
	movabsq $start64_high, %rax
	jmp *%rax

	.text
start64_high:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	/* The top of the stack is kept for the guest frame (cpu_guest_regs). */
	movabsq $(cpu_stacks + HV_STACK_SIZE - 256), %rsp
	lgdt boot_gdt_ptr_high(%rip)
	/* start_lamina(magic, info_phys) */
	call start_lamina
3:	cli
	hlt
	jmp 3b

	.section .rodata
	.p2align 3
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff /* 0x10: data */
boot_gdt_end:
	.short 0
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.long PA(boot_gdt)
	.short 0
boot_gdt_ptr_high:
	.short boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	.section .bss.page, "aw", @nobits
	.p2align 12
	.globl idle_pg_table
idle_pg_table:
	.fill 4096, 1, 0
	.globl boot_l3_low
boot_l3_low:
	.fill 4096, 1, 0
boot_l3_img:
	.fill 4096, 1, 0
	.globl boot_l2_low
boot_l2_low:
	.fill 4 * 4096, 1, 0

	/* Per-CPU stacks, aligned to their size; CPU 0 boots on the first. */
	.p2align 14
	.globl cpu_stacks
cpu_stacks:
	.fill HV_MAX_CPUS * HV_STACK_SIZE, 1, 0
