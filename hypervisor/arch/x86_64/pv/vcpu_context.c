// SPDX-License-Identifier: GPL-2.0-only
/*
 * vcpu_op's x86 hooks: whether a vCPU has a context (dom0's first vCPU has
 * the builder's tables, any other one what arch_set_info_guest gave it,
 * arch/x86_64/domctl.c, shared with XEN_DOMCTL_setvcpucontext as in Xen),
 * its down flag for VCPUOP_up/down, and VCPUOP_get_physid.
 */
#include <asm/layout.h>
#include <asm/percpu.h>
#include <lamina/arch.h>
#include <lamina/domain.h>
#include <xen/errno.h>

bool arch_vcpu_has_context(const struct vcpu *v)
{
	return v->arch.initialised || mfn_x(v->arch.guest_table) != INVALID_MFN_RAW;
}

void arch_vcpu_set_down(struct vcpu *v, bool down)
{
	v->arch.down = down;
}

/*
 * VCPUOP_get_physid, as Xen: only for a vCPU of the hardware domain that
 * can run on one CPU alone (Xen's is_hwdom_pinned_vcpu: with one CPU
 * online every dom0 vCPU is). The answer is the APIC id of the CPU with the
 * vCPU's index, and in the upper half its ACPI processor id, which Lamina
 * takes to be that index (as in QEMU's MADT).
 */
int arch_vcpu_physid(const struct vcpu *v, uint64_t *id)
{
	unsigned int online = 0;

	for (unsigned int i = 0; i < HV_MAX_CPUS; i++)
		online += percpu[i].online;
	if (v->domain != hardware_domain || online != 1 || v->id >= HV_MAX_CPUS)
		return -XEN_EINVAL;
	*id = percpu[v->id].apic_id | ((uint64_t)v->id << 32);
	return 0;
}
