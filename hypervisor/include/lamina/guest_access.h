/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest memory access: the only way the hypervisor reads or writes guest
 * memory. The address range must lie outside the hypervisor's range and be
 * canonical; the copy runs on the guest's page tables with a fault fixup, so
 * an unmapped or read-only page gives -EFAULT, never a crash.
 */
#ifndef LAMINA_GUEST_ACCESS_H
#define LAMINA_GUEST_ACCESS_H

#include <lamina/types.h>

/* True when [va, va + n) is a range a guest may name (no wrap, not ours). */
bool guest_range_ok(uint64_t va, uint64_t n);
/* 0 or -EFAULT (Xen's errno values). */
int copy_from_guest(void *dst, uint64_t src_va, uint64_t n);
int copy_to_guest(uint64_t dst_va, const void *src, uint64_t n);

#endif
