// SPDX-License-Identifier: GPL-2.0-only
/*
 * Xen's 64-bit PV hypercall page (see asm/hypercall_page.h), written as
 * instruction bytes.
 */
#include <asm/hypercall_page.h>

#include <xen/xen.h>

#define OP_PUSH_RCX 0x51
#define OP_PUSH_RAX 0x50
#define OP_POP_RCX 0x59
#define OP_REX_B 0x41 /* with 0x53 / 0x5b: push / pop %r11 */
#define OP_MOV_EAX 0xb8
#define OP_RET 0xc3
#define OP_INT3 0xcc

/* Emit one stub for hypercall @nr at @p; returns nothing, cannot fail. */
static void stub(uint8_t *p, uint32_t nr)
{
	unsigned int i = 0, k;

	p[i++] = OP_PUSH_RCX;
	p[i++] = OP_REX_B;
	p[i++] = 0x53; /* push %r11 */
	if (nr == __HYPERVISOR_iret)
		p[i++] = OP_PUSH_RAX;
	p[i++] = OP_MOV_EAX;
	for (k = 0; k < 4; k++)
		p[i++] = (uint8_t)(nr >> (8 * k));
	p[i++] = 0x0f; /* syscall */
	p[i++] = 0x05;
	if (nr == __HYPERVISOR_iret)
		return;
	p[i++] = OP_REX_B;
	p[i++] = 0x5b; /* pop %r11 */
	p[i++] = OP_POP_RCX;
	p[i++] = OP_RET;
}

void pv_hypercall_page_fill(uint8_t *page)
{
	uint32_t i;

	for (i = 0; i < PV_HYPERCALL_PAGE_SIZE; i++)
		page[i] = OP_INT3;
	for (i = 0; i < PV_HYPERCALL_PAGE_SIZE / PV_HYPERCALL_STUB_SIZE; i++)
		stub(page + i * PV_HYPERCALL_STUB_SIZE, i);
}
