/* SPDX-License-Identifier: GPL-2.0-only */
/* The PV hypercall handlers in arch/x86_64/guest/, in the table's form. */
#ifndef LAMINA_ASM_PV_HYPERCALLS_H
#define LAMINA_ASM_PV_HYPERCALLS_H

#include <asm/regs.h>

long pv_hc_set_trap_table(struct cpu_regs *r, const uint64_t a[6]);
long pv_hc_mmu_update(struct cpu_regs *r, const uint64_t a[6]);
long pv_hc_stack_switch(struct cpu_regs *r, const uint64_t a[6]);
long pv_hc_set_callbacks(struct cpu_regs *r, const uint64_t a[6]);
long pv_hc_fpu_taskswitch(struct cpu_regs *r, const uint64_t a[6]);
long pv_hc_update_va_mapping(struct cpu_regs *r, const uint64_t a[6]);
long pv_hc_update_va_mapping_otherdomain(struct cpu_regs *r, const uint64_t a[6]);
long pv_hc_iret(struct cpu_regs *r, const uint64_t a[6]);
long pv_hc_set_segment_base(struct cpu_regs *r, const uint64_t a[6]);
long pv_hc_mmuext_op(struct cpu_regs *r, const uint64_t a[6]);
long pv_hc_callback_op(struct cpu_regs *r, const uint64_t a[6]);
long pv_hc_update_descriptor(struct cpu_regs *r, const uint64_t a[6]);
long pv_hc_set_gdt(struct cpu_regs *r, const uint64_t a[6]);
long pv_hc_physdev_op(struct cpu_regs *r, const uint64_t a[6]);
long pv_hc_set_debugreg(struct cpu_regs *r, const uint64_t a[6]);
long pv_hc_get_debugreg(struct cpu_regs *r, const uint64_t a[6]);
/* multicall: runs each entry through the table; an iret ends the batch. */
long pv_multicall(struct cpu_regs *r, uint64_t list, uint64_t nr);

#endif
