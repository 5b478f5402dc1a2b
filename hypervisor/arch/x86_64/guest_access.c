// SPDX-License-Identifier: GPL-2.0-only
/* copy_from_guest / copy_to_guest: range check, then the faultable copy. */
#include <asm/layout.h>
#include <asm/traps.h>
#include <lamina/guest_access.h>
#include <xen/errno.h>

bool guest_range_ok(uint64_t va, uint64_t n)
{
	uint64_t last = va + n - 1;

	if (n == 0)
		return true;
	if (last < va)
		return false;
	/* Lower canonical half, or above the hypervisor's range. */
	if (last < 0x0000800000000000ULL)
		return true;
	return va >= HV_VIRT_END;
}

int copy_from_guest(void *dst, uint64_t src_va, uint64_t n)
{
	if (!guest_range_ok(src_va, n))
		return -XEN_EFAULT;
	return arch_copy_raw(dst, (const void *)src_va, n) ? -XEN_EFAULT : 0;
}

int copy_to_guest(uint64_t dst_va, const void *src, uint64_t n)
{
	if (!guest_range_ok(dst_va, n))
		return -XEN_EFAULT;
	return arch_copy_raw((void *)dst_va, src, n) ? -XEN_EFAULT : 0;
}
