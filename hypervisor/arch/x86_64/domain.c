// SPDX-License-Identifier: GPL-2.0-only
/*
 * The x86 side of domains and vCPUs (lamina/arch.h's arch_domain_* and
 * arch_vcpu_* hooks, after xen/arch/x86/domain.c): a domain's shared_info
 * page (event bits, vcpu_info, the clock), a vCPU's PV state at creation,
 * and which vCPU this CPU runs.
 */
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/pv.h>
#include <asm/pv/mm.h>
#include <asm/time.h>
#include <asm/tsc.h>
#include <asm/x86.h>
#include <lamina/arch.h>
#include <lamina/domain.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <xen/errno.h>

struct vcpu *arch_current_vcpu(void)
{
	return this_cpu()->curr;
}

int arch_domain_create(struct domain *d)
{
	mfn_t m = mm_alloc_page();

	if (mfn_x(m) == INVALID_MFN_RAW)
		return -XEN_ENOMEM;
	d->shared_info_mfn = m;
	d->shared_info = mfn_to_virt(m);
	mm_share_xen_page(m, d->id);
	for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
		d->shared_info->vcpu_info[i].evtchn_upcall_mask = 1;
	time_wallclock_init(d->shared_info);
	tsc_domain_init(d);
	return 0;
}

void arch_domain_destroy(struct domain *d)
{
	mm_free_page(d->shared_info_mfn);
	d->shared_info = NULL;
	d->shared_info_mfn = _mfn(INVALID_MFN_RAW);
}

void arch_domain_shutdown(struct domain *d)
{
	struct vcpu *v = this_vcpu();

	/* Back on the hypervisor's own tables before the guest's go away. */
	if (v && v->domain == d)
		write_cr3(image_virt_to_maddr(paging_idle_l4()));
}

int arch_vcpu_create(struct vcpu *v)
{
	v->arch.guest_table = _mfn(INVALID_MFN_RAW);
	v->arch.guest_table_user = _mfn(INVALID_MFN_RAW);
	arch_fpu_init_state(v);
	if (v->id < XEN_LEGACY_MAX_VCPUS)
		v->vcpu_info = &v->domain->shared_info->vcpu_info[v->id];
	arch_vcpu_time_update(v);
	return 0;
}

void arch_vcpu_destroy(struct vcpu *v)
{
	pv_mm_vcpu_release(v);
	if (this_cpu()->curr == v)
		this_cpu()->curr = NULL;
}

void arch_dump_guest_regs(const struct vcpu *v)
{
	(void)v; /* its frame is at the top of this CPU's stack (the only CPU running guests) */
	arch_dump_regs("guest registers:", cpu_guest_regs(this_cpu()->id));
}
