/* SPDX-License-Identifier: MIT */
/*
 * What the kernels that start further vCPUs of their own (tests/guest/
 * vcpu_smp.c, vcpu_race.c) share: a first context for VCPUOP_initialise.
 */
#ifndef VCPU_LIB_H
#define VCPU_LIB_H

#include <gpv/gpv.h>
#include <xen/vcpu.h>

/*
 * A context that starts entry in kernel mode with its stack ending at
 * stack_end, on the kernel's own page tables (start_info's pt_base).
 */
void vl_kernel_context(struct vcpu_guest_context *c, void (*entry)(void), void *stack_end);

#endif
