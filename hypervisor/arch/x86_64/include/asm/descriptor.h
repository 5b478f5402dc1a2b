/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Segment descriptors a 64-bit PV guest puts in its GDT or LDT (set_gdt,
 * update_descriptor, LDT pages), checked and fixed up as Xen 4.17's
 * check_descriptor does:
 *
 *   - not present: accepted as is (it can only fault);
 *   - code and data: accepted, DPL raised to 3 (the guest kernel runs in
 *     ring 3); no base or limit checks for a 64-bit guest;
 *   - a present system descriptor of type 0 (the upper half of a 16-byte
 *     call gate): accepted as is;
 *   - a 64-bit call gate to a guest selector (below Xen's reserved GDT
 *     entries), to FLAT_KERNEL_CS or into the LDT, with no parameter count
 *     or reserved bits: accepted with DPL 0 and the (raised) DPL kept in the
 *     target selector's RPL, so that its use faults and can be emulated;
 *   - anything else (TSS, LDT, interrupt and trap gates...): refused.
 *
 * Checked against real Xen 4.17.7's update_descriptor on QEMU
 * (tests/unit/x86_64/bounce_vs_xen.sh).
 */
#ifndef LAMINA_ASM_DESCRIPTOR_H
#define LAMINA_ASM_DESCRIPTOR_H

#include <stdbool.h>
#include <stdint.h>

/* Check *@desc; true with *@desc fixed up, false (unchanged) when refused. */
bool pv_check_descriptor(uint64_t *desc);

#endif
