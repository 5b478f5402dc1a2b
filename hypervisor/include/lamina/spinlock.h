/* SPDX-License-Identifier: GPL-2.0-only */
/* A test-and-set spinlock; interrupts are the caller's business. */
#ifndef LAMINA_SPINLOCK_H
#define LAMINA_SPINLOCK_H

typedef struct {
	volatile int locked;
} spinlock_t;

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (l->locked)
			asm volatile("pause");
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
