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
#include <lamina/domctl.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
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
		/* Never an error, as Xen's (Linux BUG()s on one): a bad selector loads null. */
		pv_load_user_gs_sel(v, (uint16_t)base);
		return 0;
	default:
		return -XEN_EINVAL;
	}
}

/*
 * The PIRQs a domain may name, by Xen 4.17's formula (arch_hwdom_irqs and
 * domain_create): the GSIs plus, for the hardware domain, a vector space
 * per vCPU up to fls(CPUs), for any other 32, capped by the machine's IRQ
 * count (at least 8 per GSI, else the vectors of every CPU). Lamina reads
 * no IO-APIC: it takes the 24 GSIs of one IO-APIC (QEMU's, most PCs').
 */
#define PV_NR_GSI 24
#define PV_DYNAMIC_VECTORS 208 /* Xen's vectors 0x20-0xef */
#define PV_EXTRA_DOMU_IRQS 32

static unsigned int fls_u(unsigned int x)
{
	return x ? 32 - (unsigned int)__builtin_clz(x) : 0;
}

static unsigned int pv_nr_pirqs(const struct domain *d)
{
	unsigned int cpus = arch_nr_online_cpus() ?: 1, n = fls_u(cpus);
	unsigned int nr_irqs = MAX(cpus * PV_DYNAMIC_VECTORS, 8U * PV_NR_GSI);

	if (!d->is_privileged)
		return MIN(PV_NR_GSI + PV_EXTRA_DOMU_IRQS, nr_irqs);
	n = MIN(n, d->max_vcpus);
	return MIN(PV_NR_GSI + n * PV_DYNAMIC_VECTORS, MIN(nr_irqs, 32768U));
}

/*
 * PHYSDEVOP_irq_status_query as Xen's for a PV domain: an irq below the
 * domain's PIRQ count (else -EINVAL) needs an EOI; none is shared, as no
 * PIRQ is ever bound on Lamina.
 */
static long irq_status_query(struct domain *d, uint64_t arg)
{
	struct physdev_irq_status_query q;

	if (copy_from_guest(&q, arg, sizeof(q)))
		return -XEN_EFAULT;
	if ((int)q.irq < 0 || q.irq >= pv_nr_pirqs(d))
		return -XEN_EINVAL;
	q.flags = XENIRQSTAT_needs_eoi;
	return copy_to_guest(arg, &q, sizeof(q)) ? -XEN_EFAULT : 0;
}

long do_physdev_op(const uint64_t a[HYPERCALL_NR_ARGS])
{
	struct vcpu *v = current_vcpu();

	if (a[0] == PHYSDEVOP_irq_status_query)
		return irq_status_query(v->domain, a[1]);
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
