// SPDX-License-Identifier: MIT
/* The probe table lookup (see gpv/probe.h and arch/probe.S). */
#include <gpv/probe.h>
#include <gpv/traps.h>

struct probe_entry {
	unsigned long insn, fixup;
};

extern const struct probe_entry __probe_start[], __probe_end[];

struct gpv_fault gpv_last_fault;

unsigned long gpv_probe_fixup(unsigned long rip)
{
	const struct probe_entry *e;

	for (e = __probe_start; e < __probe_end; e++)
		if (e->insn == rip)
			return e->fixup;
	return 0;
}
