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

/*
 * The wallclock at boot (ns since the epoch), read once: every domain gets
 * the same one, as Xen's one wc_sec (each reading the 1 s RTC again put
 * domains up to a second apart).
 */
static uint64_t boot_wallclock_ns(void)
{
	static uint64_t boot_ns;

	if (!boot_ns) {
		uint64_t now = arch_wallclock_now(), up = arch_now_ns();

		boot_ns = now * 1000000000ULL - MIN(up, now * 1000000000ULL);
	}
	return boot_ns;
}

/* shared_info's clock: every vcpu_info's time, and the wallclock at boot. */
static void shared_info_time(shared_info_t *s)
{
	uint64_t boot_ns = boot_wallclock_ns();

	for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++) {
		struct vcpu_time_info *t = &s->vcpu_info[i].time;

		arch_time_scale(&t->tsc_timestamp, &t->system_time, &t->tsc_to_system_mul,
				&t->tsc_shift);
		t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
	}
	s->wc_sec = (uint32_t)(boot_ns / 1000000000ULL);
	s->wc_sec_hi = (uint32_t)((boot_ns / 1000000000ULL) >> 32);
	s->wc_nsec = (uint32_t)(boot_ns % 1000000000ULL);
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
	shared_info_time(d->shared_info);
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
