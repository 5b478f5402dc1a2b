/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memory_op's sub-ops that change memory (common/memory_reservation.c,
 * memory_exchange.c), for
 * do_memory_op (common/memory_op.c).
 */
#ifndef LAMINA_MEMORY_H
#define LAMINA_MEMORY_H

#include <lamina/types.h>
#include <xen/xen.h>

struct domain;

/* The domain a memory_op names: 0, -ESRCH (none), -EPERM (not privileged). */
int memory_target(domid_t id, struct domain **out);
/*
 * XENMEM_increase_reservation / populate_physmap / decrease_reservation
 * (op) from extent start on: the number of extents done, as Xen returns it.
 */
long memory_reservation(unsigned int op, uint64_t start, uint64_t arg);
/* XENMEM_exchange (common/memory_exchange.c): 0 or -Exxx, nr_exchanged written back. */
long memory_exchange(uint64_t arg);
/* XENMEM_add_to_physmap for a PV domain: Xen's checks, then -EACCES. */
long memory_add_to_physmap(uint64_t start, uint64_t arg);

/* XENMEM_acquire_resource from frame start on (common/memory_resource.c): 0 or -Exxx. */
long memory_acquire_resource(uint64_t start, uint64_t arg);
/* XENMEM_set_memory_map, XENMEM_memory_map (common/memory_map.c): 0 or -Exxx. */
long memory_set_map(uint64_t arg);
long memory_get_map(uint64_t arg);
/* Frees the map set for d (when d itself is freed). */
void memory_map_free(struct domain *d);

#endif
