// SPDX-License-Identifier: GPL-2.0-only
/*
 * The small per-vCPU PV hypercalls (after xen/arch/x86/pv/misc-hypercalls.c
 * and physdev.c): stack_switch, fpu_taskswitch, set_segment_base, and
 * physdev_op's set_iopl. Each copies its argument in, checks it whole, then
 * changes the vCPU.
 */
#include <asm/pv/emul.h>
#include <asm/pv/hypercalls.h>
#include <asm/x86.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <xen/errno.h>
#include <xen/physdev.h>

long do_stack_switch(const uint64_t a[HYPERCALL_NR_ARGS])
{
	struct vcpu *v = current_vcpu();

	v->arch.kernel_ss = a[0] | 3;
	v->arch.kernel_sp = a[1];
	return 0;
}

long do_fpu_taskswitch(const uint64_t a[HYPERCALL_NR_ARGS])
{
	pv_set_vts(current_vcpu(), a[0] != 0);
	return 0;
}

long do_set_segment_base(const uint64_t a[HYPERCALL_NR_ARGS])
{
	struct vcpu *v = current_vcpu();
	uint64_t base = a[1];

	switch (a[0]) {
	case SEGBASE_FS:
		return pv_write_msr(v, MSR_FS_BASE, base) == PV_EMUL_OKAY ? 0 : -XEN_EINVAL;
	case SEGBASE_GS_USER:
		return pv_write_msr(v, MSR_SHADOW_GS_BASE, base) == PV_EMUL_OKAY ? 0 : -XEN_EINVAL;
	case SEGBASE_GS_KERNEL:
		return pv_write_msr(v, MSR_GS_BASE, base) == PV_EMUL_OKAY ? 0 : -XEN_EINVAL;
	case SEGBASE_GS_USER_SEL:
		/* Only the null and flat selectors exist (no guest GDT yet): base 0. */
		v->arch.gs_base_user = 0;
		return 0;
	default:
		return -XEN_EINVAL;
	}
}

long do_physdev_op(const uint64_t a[HYPERCALL_NR_ARGS])
{
	struct vcpu *v = current_vcpu();

	if (a[0] == PHYSDEVOP_set_iopl) {
		struct physdev_set_iopl si;

		if (copy_from_guest(&si, a[1], sizeof(si)))
			return -XEN_EFAULT;
		if (si.iopl > 3)
			return -XEN_EINVAL;
		v->arch.iopl = si.iopl;
		return 0;
	}
	return -XEN_ENOSYS;
}
