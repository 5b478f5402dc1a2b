/* SPDX-License-Identifier: GPL-2.0-only */
/* Basic types: fixed-width integers, bool, and typed frame numbers. */
#ifndef LAMINA_TYPES_H
#define LAMINA_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t ssize_t;
typedef uint64_t paddr_t;
typedef uint64_t vaddr_t;

/* A machine frame number: a frame of the host's RAM. */
typedef struct {
	uint64_t m;
} mfn_t;
/* A guest (pseudo-physical) frame number. */
typedef struct {
	uint64_t g;
} gfn_t;

#define _mfn(x) ((mfn_t){ (x) })
#define mfn_x(x) ((x).m)
#define _gfn(x) ((gfn_t){ (x) })
#define gfn_x(x) ((x).g)
#define INVALID_MFN_RAW (~0ULL)
#define INVALID_MFN _mfn(INVALID_MFN_RAW)

static inline mfn_t mfn_add(mfn_t m, uint64_t n)
{
	return _mfn(mfn_x(m) + n);
}

static inline bool mfn_eq(mfn_t a, mfn_t b)
{
	return mfn_x(a) == mfn_x(b);
}

#define PAGE_SHIFT 12
#define PAGE_SIZE 4096UL
#define PAGE_MASK (~(PAGE_SIZE - 1))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define ROUNDUP(x, a) (((x) + (a)-1) & ~((uint64_t)(a)-1))

#endif
