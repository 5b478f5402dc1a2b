/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PV-only hypercalls (arch/x86_64/pv/), in the table's one signature
 * (lamina/hypercall.h); pv/hypercall.c registers them.
 */
#ifndef LAMINA_ASM_PV_HYPERCALLS_H
#define LAMINA_ASM_PV_HYPERCALLS_H

#include <lamina/hypercall.h>

hypercall_fn do_set_trap_table, do_mmu_update, do_set_gdt, do_stack_switch, do_set_callbacks,
	do_fpu_taskswitch, do_update_descriptor, do_update_va_mapping,
	do_update_va_mapping_otherdomain, do_iret, do_set_segment_base, do_mmuext_op,
	do_callback_op, do_physdev_op, do_set_debugreg, do_get_debugreg;

#endif
