// SPDX-License-Identifier: GPL-2.0-only
/*
 * The spinlocks' debug state (lamina/spinlock.h): how many locks each CPU
 * holds, and the report of a broken locking rule.
 */
#include <lamina/console.h>
#include <lamina/spinlock.h>

unsigned int spin_nr_held[SPIN_MAX_CPUS];

void spin_debug_fail(const spinlock_t *l, const char *why)
{
	unsigned int me = arch_cpu_index();

	if (l)
		panic("spinlock %p: %s on CPU%u (held by CPU%d)", (const void *)l, why, me,
		      (int)l->owner - 1);
	panic("CPU%u holds %u lock%s %s", me, me < SPIN_MAX_CPUS ? spin_nr_held[me] : 0,
	      me < SPIN_MAX_CPUS && spin_nr_held[me] == 1 ? "" : "s", why);
}
