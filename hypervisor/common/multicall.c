// SPDX-License-Identifier: GPL-2.0-only
/*
 * multicall (after xen/common/multicall.c): the entries of the guest's list
 * run one by one through the hypercall table, each result written back into
 * its entry. A long list is preempted between entries, and an entry that
 * makes a continuation has its new arguments written back into its entry;
 * either way the multicall continues from that entry (list and count
 * advanced), as Xen's. An iret inside a multicall ends the batch (the guest
 * is elsewhere then); a nested multicall is refused.
 */
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <xen/errno.h>
#include <xen/xen.h>

/* The multicall's own continuation: from entry list[i], nr - i left. */
static long continue_from(uint64_t list, uint64_t nr, uint64_t i)
{
	uint64_t a[HYPERCALL_NR_ARGS] = { list + i * sizeof(struct multicall_entry), nr - i };

	return hypercall_create_continuation(__HYPERVISOR_multicall, a);
}

/* Runs entry p; 0, 1 when the batch must stop (iret, continuation), or -EFAULT. */
static long run_entry(struct vcpu *v, uint64_t p)
{
	struct multicall_entry e;
	long res;

	if (copy_from_guest(&e, p, sizeof(e)))
		return -XEN_EFAULT;
	v->mc.preempted = false;
	res = hypercall_dispatch(e.op, (const uint64_t *)e.args);
	if (v->mc.stop)
		return 1;
	if (v->mc.preempted) {
		/* The entry runs again, with the arguments it left. */
		memcpy(e.args, v->mc.args, sizeof(e.args));
		return copy_to_guest(p + offsetof(struct multicall_entry, args), e.args,
				     sizeof(e.args))
			       ? -XEN_EFAULT
			       : 1;
	}
	e.result = (uint64_t)res;
	return copy_to_guest(p + offsetof(struct multicall_entry, result), &e.result,
			     sizeof(e.result))
		       ? -XEN_EFAULT
		       : 0;
}

long do_multicall(const uint64_t a[HYPERCALL_NR_ARGS])
{
	struct vcpu *v = current_vcpu();
	uint64_t list = a[0], nr = (uint32_t)a[1], i;
	long rc = 0;

	if (v->mc.active)
		return -XEN_EINVAL;
	v->mc = (struct multicall_state){ .active = true };
	for (i = 0; i < nr; i++) {
		if (i && hypercall_preempt_check())
			break;
		rc = run_entry(v, list + i * sizeof(struct multicall_entry));
		if (rc)
			break;
	}
	v->mc.active = false;
	if (v->mc.stop)
		return HYPERCALL_NO_RETURN_VALUE;
	if (rc < 0)
		return rc;
	if (i < nr)
		return continue_from(list, nr, i);
	return 0;
}
