// SPDX-License-Identifier: MIT
/*
 * The FPU mode of two-domain-domu: a pattern derived from the seed (the
 * script gives each domain its own) is loaded into XMM0-15, MXCSR (its
 * rounding mode) and the x87 control word (its precision), the vCPU yields
 * and spins so that other vCPUs run (by yield and by timer preemption),
 * then the registers are read back and compared.
 */
#include <gpv/gpv.h>

#include "two-domain.h"

#define TD_FPU_BYTES 264

void td_fpu_load(const void *pat);
void td_fpu_save(void *out);
void td_fpu_run(long rounds, unsigned int seed, long *bad);

static void make_pattern(uint8_t *pat, unsigned int seed, long round)
{
	uint32_t mxcsr = 0x1f80 | ((seed & 3) << 13);
	uint16_t fcw = (uint16_t)(0x037f & ~((seed & 1) << 9));
	uint64_t x = 0x9e3779b97f4a7c15ULL * (seed + 1) + (uint64_t)round;

	for (int i = 0; i < 256; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(pat + i, &x, 8);
	}
	memcpy(pat + 256, &mxcsr, 4);
	memcpy(pat + 260, &fcw, 2);
	memset(pat + 262, 0, 2);
}

void td_fpu_run(long rounds, unsigned int seed, long *bad)
{
	static uint8_t pat[TD_FPU_BYTES], got[TD_FPU_BYTES];

	for (long r = 0; r < rounds; r++) {
		make_pattern(pat, seed, r);
		td_fpu_load(pat);
		gpv_sched_op(SCHEDOP_yield, NULL);
		for (volatile int i = 0; i < 2000; i++)
			;
		memset(got, 0, sizeof(got));
		td_fpu_save(got);
		if (memcmp(pat, got, 262))
			(*bad)++;
	}
}
