/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A PV vCPU's debug registers (arch/x86_64/pv/debugreg.c): Xen's checks on
 * the values, the hypercalls, the #DB paths.
 */
#ifndef LAMINA_ASM_PV_DEBUGREG_H
#define LAMINA_ASM_PV_DEBUGREG_H

#include <asm/regs.h>
#include <lamina/types.h>

struct vcpu;

/*
 * Set or read %dr<reg> of @v with Xen's checks: 0, -XEN_ENODEV (no such
 * register: #UD for mov), -XEN_EINVAL (a reserved bit) or -XEN_EPERM (a
 * value not allowed: both #GP for mov). A write to the running vCPU's
 * register is loaded into the CPU at once.
 */
int pv_set_debugreg(struct vcpu *v, unsigned int reg, uint64_t val);
int pv_get_debugreg(struct vcpu *v, unsigned int reg, uint64_t *val);
/* Loads @v's debug registers into this CPU (when @v is switched in). */
void pv_load_debugregs(const struct vcpu *v);
/*
 * Which of @v's I/O breakpoints an access to the ports [port, port + len)
 * hits (%dr6's B0-B3 bits; none without the guest's CR4.DE).
 */
unsigned int pv_io_breakpoints(struct vcpu *v, unsigned int port, unsigned int len);
/* The #DB after an emulated instruction: @hits (B0-B3, BS) join the guest's %dr6. */
void pv_emulated_db(struct vcpu *v, struct cpu_regs *regs, unsigned int hits);
/* A #DB from the guest: its %dr6 bits join the guest's, then #DB is bounced. */
void pv_debug_trap(struct vcpu *v, struct cpu_regs *regs);
/* A #DB in the hypervisor (on its IST stack): noted and dropped, as Xen. */
void pv_debug_trap_hv(struct cpu_regs *regs);

#endif
