/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A multiboot 1 probe image for testing scripts/qemu-run.sh itself. It reads
 * its command line: "print TEXT" writes TEXT to COM1, "exit N" (N < 100)
 * writes N to isa-debug-exit, "hang" spins forever, "reset" triple-faults
 * (QEMU with -no-reboot then stops without a verdict); words run in order.
 */
	.set MB_MAGIC, 0x1badb002
	.set MB_FLAGS, 0
	.set COM1, 0x3f8
	.set DEBUG_EXIT, 0xf4

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.text
	.code32
	.globl _start
_start:
	mov $stack_top, %esp
	/* Multiboot info in %ebx; flags bit 2 says cmdline is valid. */
	testl $4, (%ebx)
	jz halt
	mov 16(%ebx), %esi		/* cmdline */
next_word:
	call skip_spaces
	cmpb $0, (%esi)
	je halt
	cmpl $0x6e697270, (%esi)	/* "prin" */
	je do_print
	cmpl $0x74697865, (%esi)	/* "exit" */
	je do_exit
	cmpl $0x676e6168, (%esi)	/* "hang" */
	je do_hang
	cmpl $0x65736572, (%esi)	/* "rese" */
	je do_reset
	call skip_word			/* the image name and unknown words */
	jmp next_word

do_print:
	add $5, %esi			/* "print" */
	call skip_spaces
1:	movb (%esi), %al
	test %al, %al
	jz 2f
	cmp $' ', %al
	je 2f
	call putc
	inc %esi
	jmp 1b
2:	mov $'\n', %al
	call putc
	jmp next_word

do_exit:
	add $4, %esi
	call skip_spaces
	xor %eax, %eax
1:	movzbl (%esi), %ecx
	sub $'0', %ecx
	cmp $9, %ecx
	ja 2f
	imul $10, %eax
	add %ecx, %eax
	inc %esi
	jmp 1b
2:	mov $DEBUG_EXIT, %dx
	outl %eax, %dx
	jmp halt

do_hang:
	jmp do_hang

do_reset:
	lidt null_idt			/* no IDT: int3 faults, then double, then triple */
	int3
	jmp halt

/* putc: %al to COM1, waiting for the transmitter. */
putc:
	mov %eax, %ecx
	mov $COM1 + 5, %dx
1:	inb %dx, %al
	test $0x20, %al
	jz 1b
	mov $COM1, %dx
	mov %ecx, %eax
	outb %al, %dx
	ret

skip_spaces:
1:	cmpb $' ', (%esi)
	jne 2f
	inc %esi
	jmp 1b
2:	ret

skip_word:
1:	movb (%esi), %al
	test %al, %al
	jz 2f
	cmp $' ', %al
	je 2f
	inc %esi
	jmp 1b
2:	ret

halt:
	cli
	hlt
	jmp halt

	.data
	.align 8
null_idt:
	.word 0
	.long 0

	.bss
	.align 16
	.space 4096
stack_top:
