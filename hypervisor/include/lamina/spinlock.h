/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Spinlocks (after Xen's xen/spinlock.h, a test-and-set lock here).
 *
 * The hypervisor runs with interrupts off (they are on only in a guest and
 * in the idle loop), so a lock is never taken by an interrupt on the CPU
 * that holds it; the _irqsave variants exist for code that may run with
 * interrupts on (the idle loop's callers) and restore what they found.
 *
 * Two rules every lock user keeps, which the debug checks below enforce:
 *   - no recursion: a CPU that takes a lock it holds panics (it would hang);
 *   - no lock held where the CPU leaves the hypervisor or waits for other
 *     CPUs (context switch, idle, grace periods): spin_assert_none_held().
 * A CPU spinning on a lock serves the TLB flushes other CPUs asked of it
 * (arch_lock_relax), so a CPU that holds a lock and waits for a flush IPI's
 * answer never waits for a CPU that spins on that lock with interrupts off.
 *
 * Host tests (single-threaded, __STDC_HOSTED__) get the bare flag without
 * the hooks.
 */
#ifndef LAMINA_SPINLOCK_H
#define LAMINA_SPINLOCK_H

#include <lamina/types.h>

#define SPIN_MAX_CPUS 8 /* as HV_MAX_CPUS */

typedef struct {
	volatile int locked;
	volatile uint16_t owner; /* 1 + the CPU holding it (debug), 0 when free */
} spinlock_t;

#if __STDC_HOSTED__
static inline void spin_lock(spinlock_t *l)
{
	l->locked = 1;
}

static inline int spin_trylock(spinlock_t *l)
{
	if (l->locked)
		return 0;
	l->locked = 1;
	return 1;
}

static inline void spin_unlock(spinlock_t *l)
{
	l->locked = 0;
}

static inline bool spin_is_locked(const spinlock_t *l)
{
	return l->locked;
}

static inline void spin_assert_none_held(const char *where)
{
	(void)where;
}
#else
#include <asm/cpu_index.h>

/* Spinning on a lock: serve what other CPUs wait for from this one (flush IPIs). */
void arch_lock_relax(void);
/* A broken rule (recursion, a lock held where none may be): says which, panics. */
void spin_debug_fail(const spinlock_t *l, const char *why) __attribute__((noreturn));
/* Locks each CPU holds now (the debug count). */
extern unsigned int spin_nr_held[SPIN_MAX_CPUS];

/*
 * The debug state kept: the owner (1 + CPU, set while held, cleared before
 * the release), so a CPU taking a lock it holds panics instead of hanging,
 * and each CPU's count of locks held, for spin_assert_none_held(). A CPU's
 * index is always below SPIN_MAX_CPUS (every stack it runs on, IST ones
 * included, is in its cpu_stacks slot), so the count needs no bound check;
 * the owner is only ever this CPU's number while this CPU holds the lock,
 * so the recursion check reads the owner alone.
 */
_Static_assert(SPIN_MAX_CPUS >= HV_MAX_CPUS, "a count for every CPU");

static inline void spin_lock(spinlock_t *l)
{
	unsigned int me = arch_cpu_index();

	if (__builtin_expect(l->owner == me + 1, 0))
		spin_debug_fail(l, "recursion");
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (l->locked)
			arch_lock_relax();
	l->owner = (uint16_t)(me + 1);
	spin_nr_held[me]++;
}

/* 1 and the lock held, or 0 (it was taken). */
static inline int spin_trylock(spinlock_t *l)
{
	unsigned int me = arch_cpu_index();

	if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		return 0;
	l->owner = (uint16_t)(me + 1);
	spin_nr_held[me]++;
	return 1;
}

static inline void spin_unlock(spinlock_t *l)
{
	unsigned int me = arch_cpu_index();

	/* The panic path breaks the console lock of another CPU: no count to drop. */
	if (__builtin_expect(l->owner == me + 1, 1))
		spin_nr_held[me]--;
	l->owner = 0;
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(const spinlock_t *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_ACQUIRE);
}

/* Where this CPU must hold no lock (it switches, idles or waits for others). */
static inline void spin_assert_none_held(const char *where)
{
	unsigned int me = arch_cpu_index();

	if (me < SPIN_MAX_CPUS && spin_nr_held[me])
		spin_debug_fail(NULL, where);
}

static inline unsigned long spin_irq_save(void)
{
	unsigned long flags;

	asm volatile("pushf; pop %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static inline void spin_irq_restore(unsigned long flags)
{
	if (flags & (1UL << 9)) /* RFLAGS.IF */
		asm volatile("sti" ::: "memory");
}

#define spin_lock_irqsave(l, flags)        \
	do {                               \
		(flags) = spin_irq_save(); \
		spin_lock(l);              \
	} while (0)

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	spin_unlock(l);
	spin_irq_restore(flags);
}
#endif

#endif
