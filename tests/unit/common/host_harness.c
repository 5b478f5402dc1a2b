// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest-memory copies and the heap for the host tests of
 * hypervisor/common/ (host_harness.h).
 */
#include <lamina/guest_access.h>
#include <lamina/mm.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>

#include "host_harness.h"

int copy_from_guest(void *dst, uint64_t src, uint64_t n)
{
	if (src == HARNESS_BAD_PTR)
		return -XEN_EFAULT;
	memcpy(dst, (const void *)src, n);
	return 0;
}

int copy_to_guest(uint64_t dst, const void *src, uint64_t n)
{
	if (dst == HARNESS_BAD_PTR)
		return -XEN_EFAULT;
	memcpy((void *)dst, src, n);
	return 0;
}

void *mm_alloc_heap(size_t bytes)
{
	return calloc(1, bytes);
}

void mm_free_heap(void *p, size_t bytes)
{
	(void)bytes;
	free(p);
}
