// SPDX-License-Identifier: GPL-2.0-only
/*
 * XEN_DOMCTL_settscinfo and XEN_DOMCTL_gettscinfo (Xen 4.17's
 * xen/arch/x86/domctl.c): a domain's TSC mode, frequency, elapsed time and
 * incarnation (asm/tsc.h), set and read with the domain paused. The
 * caller's own domain is -EINVAL (it cannot be paused); an unknown mode is
 * -EINVAL and changes nothing; get copies the request back.
 */
#include <asm/tsc.h>
#include <lamina/domain.h>
#include <lamina/domctl.h>
#include <xen/errno.h>

long arch_domctl_gettscinfo(struct xen_domctl *op, struct domain *d, uint64_t uop, bool *copyback)
{
	struct xen_domctl_tsc_info *t = &op->u.tsc_info;

	(void)uop;
	if (d == current_vcpu()->domain)
		return -XEN_EINVAL;
	domain_pause(d);
	tsc_get_info(d, &t->tsc_mode, &t->elapsed_nsec, &t->gtsc_khz, &t->incarnation);
	domain_unpause(d);
	*copyback = true;
	return 0;
}

long arch_domctl_settscinfo(struct xen_domctl *op, struct domain *d, uint64_t uop, bool *copyback)
{
	const struct xen_domctl_tsc_info *t = &op->u.tsc_info;
	int rc;

	(void)uop;
	(void)copyback;
	if (d == current_vcpu()->domain)
		return -XEN_EINVAL;
	domain_pause(d);
	rc = tsc_set_info(d, t->tsc_mode, t->elapsed_nsec, t->gtsc_khz, t->incarnation);
	domain_unpause(d);
	return rc;
}
