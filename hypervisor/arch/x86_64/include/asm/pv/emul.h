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
/*
 * CR4: of cr4, the bits v may choose (TSD, DE, FSGSBASE, OSXSAVE where its
 * CPUID policy, and for FSGSBASE the CPU, have them), as kept in arch.vcr4;
 * what v reads (the host's visible bits and its own); the real CR4 for v
 * (its TSD and FSGSBASE), written only when it changes (the context switch
 * and v's own CR4 writes).
 */
uint64_t pv_guest_cr4_bits(const struct vcpu *v, uint64_t cr4);
uint64_t pv_guest_cr4(const struct vcpu *v);
void pv_load_cr4(const struct vcpu *v);
/*
 * Reads v's live FS and active GS bases (the guest may have moved them with
 * wr{fs,gs}base or a selector load) into arch.fs_base and gs_base_kernel or
 * gs_base_user; v is this CPU's vCPU. The inactive GS base is the
 * hypervisor's alone (the guest has no SWAPGS), so it is never stale.
 */
void pv_sync_bases(struct vcpu *v);
/* SEGBASE_GS_USER_SEL for v, this CPU's vCPU in kernel mode (context_switch.c). */
void pv_load_user_gs_sel(struct vcpu *v, uint16_t sel);
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
