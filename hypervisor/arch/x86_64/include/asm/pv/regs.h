/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Between the hypervisor's vCPU and the PV-logic modules' view of it
 * (struct pv_vcpu_mode); the registers go over as struct pv_frame_regs.
 */
#ifndef LAMINA_ASM_PV_REGS_H
#define LAMINA_ASM_PV_REGS_H

#include <asm/bounce_frame.h>
#include <asm/regs.h>
#include <lamina/domain.h>

/* The vCPU state pv_bounce_regs() and pv_iret_regs() depend on (inline: hot paths). */
static inline void pv_vcpu_mode(const struct vcpu *v, struct pv_vcpu_mode *m)
{
	*m = (struct pv_vcpu_mode){
		.kernel_mode = v->arch.kernel_mode,
		.kernel_sp = v->arch.kernel_sp,
		.upcall_mask = v->vcpu_info->evtchn_upcall_mask,
		.arch_iopl = v->domain->vm_assist & (1UL << VMASST_TYPE_architectural_iopl),
		.iopl = v->arch.iopl << 12,
		.has_user_pt = mfn_x(v->arch.guest_table_user) != INVALID_MFN_RAW,
	};
}

#endif
