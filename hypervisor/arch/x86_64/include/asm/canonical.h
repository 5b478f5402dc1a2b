/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one canonical-address check (pure: the x86 lib modules and the PV
 * code both use it). 48-bit virtual addresses: bits 63..47 all equal.
 */
#ifndef LAMINA_ASM_CANONICAL_H
#define LAMINA_ASM_CANONICAL_H

#include <stdbool.h>
#include <stdint.h>

static inline bool is_canonical_address(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

#endif
