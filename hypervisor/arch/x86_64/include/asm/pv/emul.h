/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtual control registers and MSRs of a PV vCPU (ctrlreg.c), used by
 * the privileged-instruction emulator and the hypercalls. Each returns 0, or
 * -1 when the access must raise #GP in the guest.
 */
#ifndef LAMINA_ASM_PV_EMUL_H
#define LAMINA_ASM_PV_EMUL_H

#include <asm/regs.h>
#include <lamina/domain.h>

int pv_read_cr(struct vcpu *v, unsigned int cr, uint64_t *val);
int pv_write_cr(struct vcpu *v, unsigned int cr, uint64_t val);
int pv_read_msr(struct vcpu *v, uint32_t msr, uint64_t *val);
int pv_write_msr(struct vcpu *v, uint32_t msr, uint64_t val);
/* Sets or clears the virtual CR0.TS (and the real one, for the #NM). */
void pv_set_vts(struct vcpu *v, bool set);
/*
 * Switches the guest kernel's L4 to mfn (MMUEXT_NEW_BASEPTR): a general and
 * an L4 type ref on it, then the old one's go. 0 or the validation's -Exxx.
 */
int pv_new_guest_cr3(struct vcpu *v, mfn_t mfn);
/* Copies what is mapped at rip (up to 15 bytes) into buf; returns the count. */
size_t pv_fetch_insn(uint8_t *buf, uint64_t rip);
/* A write fault on a read-only L1 of the guest's, emulated (ptwr); true if done. */
bool pv_ro_page_fault(struct vcpu *v, struct cpu_regs *regs);
/* True when va is canonical. */
bool pv_canonical(uint64_t va);

#endif
