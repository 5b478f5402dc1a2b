/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor's virtual address layout, shared by C and assembly. Every
 * address the hypervisor maps lies in the range Xen reserves for itself in
 * each address space, L4 slots 256-271:
 *
 *   0xffff800000000000  slot 256  read-only machine-to-phys table (guest-readable)
 *   0xffff820000000000  slot 260  the per-CPU LDT shadow areas (64 KiB each)
 *   0xffff82d040000000  slot 261  the hypervisor image (phys 0.. at +0)
 *   0xffff830000000000  slot 262  the direct map of RAM below 4 GiB
 */
#ifndef LAMINA_ASM_LAYOUT_H
#define LAMINA_ASM_LAYOUT_H

#define HV_IMAGE_VIRT 0xffff82d040000000
#define HV_IMAGE_PHYS 0x100000
#define HV_DIRECTMAP 0xffff830000000000
#define HV_DIRECTMAP_SIZE 0x100000000 /* 4 GiB, 2 MiB pages */
#define HV_RO_MPT_VIRT 0xffff800000000000
#define HV_RO_MPT_SIZE 0x8000000000 /* one L4 slot */
#define HV_LDT_VIRT 0xffff820000000000
#define HV_LDT_AREA_SIZE 0x10000 /* 8192 descriptors: 16 pages per CPU */
#define HV_VIRT_START 0xffff800000000000
#define HV_VIRT_END 0xffff880000000000
#define HV_FIRST_SLOT 256
#define HV_LAST_SLOT 271

/*
 * Per-CPU stack slot, 32 KiB: the lowest HV_IST_COUNT pages are the stacks
 * the CPU switches to for #DF, NMI, #MC and #DB (interrupt stack table
 * entries 1..4), whatever RSP was; the rest, up to the top, is the CPU's stack with
 * the guest's frame at the very top. Keeping the IST stacks inside the slot
 * lets this_cpu() find the CPU from RSP on them too.
 */
#define HV_STACK_ORDER 5
#define HV_STACK_SIZE (4096 << HV_STACK_ORDER)
#define HV_IST_STACK_SIZE 4096
#define HV_IST_DF 1 /* IST index: the stack's top is at slot + index * 4 KiB */
#define HV_IST_NMI 2
#define HV_IST_MC 3
#define HV_IST_DB 4
#define HV_IST_COUNT 4
#define HV_MAX_CPUS 8

/* Selectors: Xen's reserved GDT entries, the first at 0xe000 (GDT page 14). */
#define HV_CS 0xe008
#define HV_DS 0xe010
#define HV_GUEST_CS32 0xe023
#define HV_GUEST_DS 0xe02b
#define HV_GUEST_CS64 0xe033
#define HV_TSS_SEL 0xe040
#define HV_LDT_SEL 0xe050	   /* the running vCPU's LDT (16 bytes), as Xen's LDT_ENTRY */
#define HV_GDT_FIRST_RESERVED 7168 /* 14 * 512 */
#define HV_GDT_ENTRIES 8192

/* isa-debug-exit (QEMU) and COM1. */
#define HV_DEBUG_EXIT_PORT 0xf4

#define PA(x) ((x)-HV_IMAGE_VIRT)

#endif
