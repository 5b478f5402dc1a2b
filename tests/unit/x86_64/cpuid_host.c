// SPDX-License-Identifier: GPL-2.0-only
/*
 * A bare multiboot kernel (32-bit, no paging) that prints the CPU's own
 * CPUID for every leaf of hv_cpuid_leaves.h on COM1 as "HOST ..." lines and
 * ends QEMU through isa-debug-exit: the host table cpuid_vs_xen.sh feeds
 * to x86_64/lib/cpuid_policy, taken from the same QEMU CPU model Xen runs on.
 */
#include <stdint.h>

#include "cpuid_leaves.h"

__asm__(".section .multiboot, \"a\"\n"
	".align 4\n"
	".long 0x1badb002, 0, -0x1badb002\n"
	".text\n"
	".globl hv_start\n"
	"hv_start:\n"
	"	mov $hv_stack_top, %esp\n"
	"	call hv_main\n"
	"1:	hlt\n"
	"	jmp 1b\n");

static uint8_t hv_stack[8192] __attribute__((used, aligned(16)));
__asm__(".set hv_stack_top, hv_stack + 8192");

void hv_main(void);

static void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static void putc_com1(char c)
{
	outb(0x3f8, (uint8_t)c);
}

static void put_hex(uint32_t v)
{
	for (int i = 28; i >= 0; i -= 4)
		putc_com1("0123456789abcdef"[(v >> i) & 0xf]);
	putc_com1(' ');
}

static void dump(uint32_t leaf, uint32_t sub)
{
	uint32_t a = leaf, b, c = sub, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	for (const char *p = "HOST "; *p; p++)
		putc_com1(*p);
	put_hex(leaf);
	put_hex(sub);
	put_hex(a);
	put_hex(b);
	put_hex(c);
	put_hex(d);
	putc_com1('\n');
}

void hv_main(void)
{
	HV_CPUID_FOR_EACH(dump);
	outb(0xf4, 0); /* verdict 0 */
}
