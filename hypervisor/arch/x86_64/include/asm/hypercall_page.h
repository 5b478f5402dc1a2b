/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypercall page Xen 4.17 writes for a 64-bit PV kernel that asks for
 * one (XEN_ELFNOTE_HYPERCALL_PAGE, or the hypercall-page MSR): 0xcc
 * everywhere, then for each hypercall N a 32-byte stub at N * 32:
 *
 *   push %rcx; push %r11; mov $N, %eax; syscall; pop %r11; pop %rcx; ret
 *
 * except iret (23), which pushes %rax too and does not return:
 *
 *   push %rcx; push %r11; push %rax; mov $23, %eax; syscall
 *
 * Byte for byte as real Xen 4.17.7 writes it (tests/unit/x86_64/bounce_vs_xen.sh
 * compares a guest's page).
 */
#ifndef LAMINA_ASM_HYPERCALL_PAGE_H
#define LAMINA_ASM_HYPERCALL_PAGE_H

#include <stdint.h>

#define PV_HYPERCALL_PAGE_SIZE 4096
#define PV_HYPERCALL_STUB_SIZE 32

/* Fill @page (PV_HYPERCALL_PAGE_SIZE bytes) with the stubs. */
void pv_hypercall_page_fill(uint8_t *page);

#endif
