// SPDX-License-Identifier: GPL-2.0-only
/*
 * The x86 domctl sub-ops about a domain's frames and width, and the x86
 * part of physinfo (Xen 4.17's xen/arch/x86/domctl.c and sysctl.c):
 *
 *   getpageframeinfo3   for each of up to 1024 MFNs (a PV domain is not
 *                       translated) of the domain: XEN_DOMCTL_PFINFO_L1TAB ..
 *                       L4TAB with LPINTAB when pinned, NOTAB for a page of
 *                       no table type or one not validated, XTAB for a frame
 *                       not the domain's or a hypervisor page it shares
 *   hypercall_init      Xen's hypercall page written into a frame of the
 *                       domain's (gmfn is the MFN): not its own -EINVAL,
 *                       one that cannot be made writable (a table, a
 *                       descriptor page) -EPERM
 *   get_address_size    64
 *   set_address_size    64: 0; 32: -EINVAL (no 32-bit PV on Lamina, where
 *                       Xen would switch the domain to compat); else -EINVAL
 *   physinfo (arch)     the boot CPU's feature words, PV only
 */
#include <asm/page_info.h>
#include <asm/pv/dom0_build.h>
#include <asm/percpu.h>
#include <asm/x86.h>
#include <lamina/domain.h>
#include <lamina/domctl.h>
#include <lamina/guest_access.h>
#include <lamina/mm.h>
#include <xen/errno.h>

#define PFINFO_MAX 1024

/* The type word Xen reports for frame mfn of d (mm_lock held). */
static uint64_t frame_type(const struct domain *d, uint64_t mfn)
{
	const struct page_info *pg = mm_env_page(mfn);
	static const uint64_t tab[] = {
		[MM_PGT_L1] = XEN_DOMCTL_PFINFO_L1TAB,
		[MM_PGT_L2] = XEN_DOMCTL_PFINFO_L2TAB,
		[MM_PGT_L3] = XEN_DOMCTL_PFINFO_L3TAB,
		[MM_PGT_L4] = XEN_DOMCTL_PFINFO_L4TAB,
	};
	uint64_t t = XEN_DOMCTL_PFINFO_NOTAB;

	if (!pg || pg->owner != d->id || !pg->count || (pg->flags & MM_PGF_XEN_HEAP))
		return XEN_DOMCTL_PFINFO_XTAB;
	if (pg->type < ARRAY_SIZE(tab))
		t = tab[pg->type];
	if (pg->flags & MM_PGF_PINNED)
		t |= XEN_DOMCTL_PFINFO_LPINTAB;
	else if (!(pg->flags & MM_PGF_VALIDATED))
		t = XEN_DOMCTL_PFINFO_NOTAB;
	return t;
}

long arch_domctl_getpageframeinfo3(struct xen_domctl *op, struct domain *d, uint64_t uop,
				   bool *copyback)
{
	uint64_t num = op->u.getpageframeinfo3.num, arr = (uint64_t)op->u.getpageframeinfo3.array.p;
	long rc = 0;

	(void)uop;
	(void)copyback;
	if (num > PFINFO_MAX)
		return -XEN_E2BIG;
	for (uint64_t i = 0; i < num && !rc; i++) {
		uint64_t gfn, type;

		if (copy_from_guest(&gfn, arr + i * 8, 8))
			return -XEN_EFAULT;
		spin_lock(&mm_lock);
		type = frame_type(d, gfn);
		spin_unlock(&mm_lock);
		if (copy_to_guest(arr + i * 8, &type, 8))
			rc = -XEN_EFAULT;
	}
	return rc;
}

long arch_domctl_hypercall_init(struct xen_domctl *op, struct domain *d, uint64_t uop,
				bool *copyback)
{
	uint64_t mfn = op->u.hypercall_init.gmfn;
	struct mm_ctx c;
	int rc = 0;

	(void)uop;
	(void)copyback;
	mm_ctx_init(&c, d, d->id);
	spin_lock(&mm_lock);
	if (!mm_get_page(mfn, d->id)) {
		rc = -XEN_EINVAL;
	} else if (mm_get_page_type(&c, mfn, MM_PGT_WRITABLE)) {
		mm_put_page(&c, mfn);
		rc = -XEN_EPERM;
	} else {
		pv_write_hypercall_page(mfn_to_virt(_mfn(mfn)));
		mm_put_page_and_type(&c, mfn);
	}
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
	return rc;
}

long arch_domctl_get_address_size(struct xen_domctl *op, struct domain *d, uint64_t uop,
				  bool *copyback)
{
	(void)d;
	(void)uop;
	op->u.address_size.size = 64;
	*copyback = true;
	return 0;
}

long arch_domctl_set_address_size(struct xen_domctl *op, struct domain *d, uint64_t uop,
				  bool *copyback)
{
	(void)d;
	(void)uop;
	(void)copyback;
	return op->u.address_size.size == 64 ? 0 : -XEN_EINVAL;
}

unsigned int arch_nr_online_cpus(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < HV_MAX_CPUS; i++)
		n += percpu[i].online;
	return n;
}

void arch_sysctl_physinfo(struct xen_sysctl_physinfo *pi)
{
	/* Xen's featureset words 0-7: 1.edx, 1.ecx, e1.edx, e1.ecx, 0xd.1.eax, 7.0.ebx, 7.0.ecx, e7.edx. */
	uint32_t a, b, c, dx, max_ext;

	cpuid_count(1, 0, &a, &b, &c, &dx);
	pi->hw_cap[0] = dx;
	pi->hw_cap[1] = c;
	cpuid_count(0x80000000, 0, &max_ext, &b, &c, &dx);
	if (max_ext >= 0x80000001) {
		cpuid_count(0x80000001, 0, &a, &b, &c, &dx);
		pi->hw_cap[2] = dx;
		pi->hw_cap[3] = c;
	}
	cpuid_count(0xd, 1, &a, &b, &c, &dx);
	pi->hw_cap[4] = a;
	cpuid_count(7, 0, &a, &b, &c, &dx);
	pi->hw_cap[5] = b;
	pi->hw_cap[6] = c;
	if (max_ext >= 0x80000007) {
		cpuid_count(0x80000007, 0, &a, &b, &c, &dx);
		pi->hw_cap[7] = dx;
	}
	pi->capabilities |= XEN_SYSCTL_PHYSCAP_pv;
	pi->cpu_khz = (uint32_t)(arch_tsc_hz() / 1000);
}
