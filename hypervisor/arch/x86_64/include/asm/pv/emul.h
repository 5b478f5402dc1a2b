/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtual control registers and MSRs of a PV vCPU (ctrlreg.c, msr.c),
 * used by the privileged-instruction emulator and the hypercalls. An access
 * returns a named result (as Xen's X86EMUL_*), never a bare -1.
 */
#ifndef LAMINA_ASM_PV_EMUL_H
#define LAMINA_ASM_PV_EMUL_H

#include <asm/regs.h>
#include <lamina/domain.h>

/* An emulated access is done, or the guest gets #GP(0) and nothing changed. */
enum pv_emul_rc {
	PV_EMUL_OKAY = 0,
	PV_EMUL_GP = 1,
};

enum pv_emul_rc pv_read_cr(struct vcpu *v, unsigned int cr, uint64_t *val);
enum pv_emul_rc pv_write_cr(struct vcpu *v, unsigned int cr, uint64_t val);
enum pv_emul_rc pv_read_msr(struct vcpu *v, uint32_t msr, uint64_t *val);
enum pv_emul_rc pv_write_msr(struct vcpu *v, uint32_t msr, uint64_t val);
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

#endif
