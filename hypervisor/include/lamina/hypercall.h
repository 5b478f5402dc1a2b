/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercall handlers: do_<name>(args...) with Xen's argument order, each
 * returning a value for the guest's RAX (>= 0, or -XEN_Exxx). The table that
 * maps __HYPERVISOR_* numbers to them is in arch/x86_64/pv/hypercall.c;
 * a number without a handler answers -ENOSYS.
 */
#ifndef LAMINA_HYPERCALL_H
#define LAMINA_HYPERCALL_H

#include <lamina/types.h>

struct vcpu;
struct cpu_regs;

long do_console_io(uint64_t cmd, uint64_t count, uint64_t buf);
long do_xen_version(uint64_t cmd, uint64_t arg);
long do_sched_op(uint64_t cmd, uint64_t arg);
long do_multicall(uint64_t list, uint64_t nr_calls);
long do_vm_assist(uint64_t cmd, uint64_t type);
long do_memory_op(uint64_t cmd, uint64_t arg);
long do_vcpu_op(uint64_t cmd, uint64_t vcpuid, uint64_t arg);

/* Returned by a handler (iret) that set the guest's registers itself. */
#define HYPERCALL_NO_RETURN_VALUE (-0x7fffffffL)

/* Runs hypercall nr with args[0..5] for the current vCPU; regs for iret. */
long hypercall_dispatch(struct cpu_regs *regs, uint64_t nr, const uint64_t args[6]);

/* The hypervisor's command line (XENVER_commandline). */
extern char hv_cmdline[1024];

#endif
