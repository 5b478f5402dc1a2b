/* SPDX-License-Identifier: GPL-2.0-only */
/* x86-64 page-table entry bits and the hypervisor's mapping helpers. */
#ifndef LAMINA_ASM_PAGING_H
#define LAMINA_ASM_PAGING_H

#include <lamina/types.h>

#define PTE_P 0x001ULL
#define PTE_RW 0x002ULL
#define PTE_US 0x004ULL
#define PTE_PWT 0x008ULL
#define PTE_PCD 0x010ULL
#define PTE_A 0x020ULL
#define PTE_D 0x040ULL
#define PTE_PSE 0x080ULL
#define PTE_PAT 0x080ULL
#define PTE_G 0x100ULL
#define PTE_NX (1ULL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL

/* The idle (hypervisor) L4; slots 256-271 are copied into guest L4s. */
uint64_t *paging_idle_l4(void);
/* Maps one 4 KiB page at va in the hypervisor's tables; 0 or -ENOMEM. */
int paging_map_page(uint64_t va, mfn_t mfn, uint64_t flags);
/*
 * The L1 entry of va in the hypervisor's tables, its L3-L1 tables allocated
 * if absent (supervisor, writable); NULL when out of memory. Call it before
 * the first guest L4 exists for a slot the guests share.
 */
uint64_t *paging_l1e(uint64_t va);

#endif
