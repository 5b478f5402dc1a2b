// SPDX-License-Identifier: GPL-2.0-only
/* vm_assist: enable or disable one of the assists Xen offers a 64-bit PV guest. */
#include <lamina/domain.h>
#include <lamina/hypercall.h>
#include <xen/errno.h>

long do_vm_assist(const uint64_t a[HYPERCALL_NR_ARGS])
{
	uint64_t cmd = a[0], type = a[1];
	struct domain *d = current_vcpu()->domain;

	if (type >= 64 || !(PV_VM_ASSIST_VALID & (1UL << type)))
		return -XEN_EINVAL;
	switch (cmd) {
	case VMASST_CMD_enable:
		d->vm_assist |= 1UL << type;
		return 0;
	case VMASST_CMD_disable:
		d->vm_assist &= ~(1UL << type);
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}
