// SPDX-License-Identifier: GPL-2.0-only
/*
 * The timer queue (see lamina/timer.h), one per CPU:
 *
 *   queue[cpu].head -> timer (expires 5) -> timer (expires 9) -> NULL
 *
 * sorted by deadline, equal deadlines in the order they were set. The CPU's
 * hardware timer is programmed for the head (arch_timer_program); when it
 * fires, timer_softirq unlinks each due timer and runs its function with
 * the queue unlocked, so a function may re-arm its own timer (the periodic
 * timer does). A timer set on another CPU's queue that becomes its head
 * kicks that CPU (arch_timer_kick) so it reprograms its hardware.
 *
 * Locks: queue[cpu].lock guards the list and every field of the timers on
 * it. The hypervisor runs with interrupts off, so the interrupt that runs
 * timer_softirq never finds its own CPU holding the lock. Lock order: a
 * timer's queue lock is the innermost lock.
 */
#include <lamina/arch.h>
#include <lamina/domain.h>
#include <lamina/spinlock.h>
#include <lamina/timer.h>

struct timer_queue {
	spinlock_t lock;
	struct timer *head;
};

static struct timer_queue queue[TIMER_MAX_CPUS];
static struct timer sched_ticks[TIMER_MAX_CPUS];

static unsigned int valid_cpu(unsigned int cpu)
{
	return cpu < TIMER_MAX_CPUS ? cpu : 0;
}

/* Unlinks t from its queue (lock held); false if it was not armed. */
static bool unlink(struct timer_queue *q, struct timer *t)
{
	struct timer **pp = &q->head;

	if (!t->active)
		return false;
	while (*pp && *pp != t)
		pp = &(*pp)->next;
	if (*pp)
		*pp = t->next;
	t->next = NULL;
	t->active = false;
	return true;
}

/* Links t into its queue by deadline (lock held); true if it is the new head. */
static bool link(struct timer_queue *q, struct timer *t)
{
	struct timer **pp = &q->head;

	while (*pp && (*pp)->expires <= t->expires)
		pp = &(*pp)->next;
	t->next = *pp;
	*pp = t;
	t->active = true;
	return pp == &q->head;
}

/* lock_timer() when t moved to another CPU between the look and the lock. */
static __attribute__((noinline)) struct timer_queue *lock_moved_timer(struct timer *t)
{
	for (;;) {
		unsigned int cpu = __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE);
		struct timer_queue *q = &queue[cpu];

		spin_lock(&q->lock);
		if (cpu == t->cpu)
			return q;
		spin_unlock(&q->lock);
	}
}

/*
 * Locks t's queue; t->cpu cannot change while it is held. The first try
 * inline, the retry out of line: the common case is a short lock.
 */
static inline struct timer_queue *lock_timer(struct timer *t)
{
	unsigned int cpu = __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE);
	struct timer_queue *q = &queue[cpu];

	spin_lock(&q->lock);
	if (__builtin_expect(cpu == t->cpu, 1))
		return q;
	spin_unlock(&q->lock);
	return lock_moved_timer(t);
}

/* t became the head of its queue (lock held): reprogram here, or kick its CPU. */
static void head_changed(const struct timer *t)
{
	if (t->cpu == arch_cpu_id())
		arch_timer_program(t->expires ? t->expires : 1); /* 0 would disarm */
	else
		arch_timer_kick(t->cpu);
}

void timer_init(struct timer *t, void (*fn)(void *data), void *data, unsigned int cpu)
{
	*t = (struct timer){ .fn = fn, .data = data, .cpu = valid_cpu(cpu) };
}

void timer_set(struct timer *t, uint64_t expires)
{
	struct timer_queue *q = lock_timer(t);

	unlink(q, t);
	t->expires = expires;
	if (link(q, t))
		head_changed(t);
	spin_unlock(&q->lock);
}

void timer_stop(struct timer *t)
{
	struct timer_queue *q = lock_timer(t);

	/* A hardware timer left programmed for t finds nothing due: harmless. */
	unlink(q, t);
	spin_unlock(&q->lock);
}

void timer_migrate(struct timer *t, unsigned int cpu)
{
	struct timer_queue *q = lock_timer(t);
	bool armed;

	cpu = valid_cpu(cpu);
	if (cpu == t->cpu) {
		spin_unlock(&q->lock);
		return;
	}
	armed = unlink(q, t);
	__atomic_store_n(&t->cpu, cpu, __ATOMIC_RELEASE);
	spin_unlock(&q->lock);
	if (armed)
		timer_set(t, t->expires);
}

bool timer_is_active(const struct timer *t)
{
	return __atomic_load_n(&t->active, __ATOMIC_ACQUIRE);
}

uint64_t timer_next_deadline(unsigned int cpu)
{
	struct timer_queue *q = &queue[valid_cpu(cpu)];
	uint64_t next;

	spin_lock(&q->lock);
	next = q->head ? q->head->expires : 0;
	spin_unlock(&q->lock);
	return next;
}

/* Takes the first due timer off q, or NULL. */
static struct timer *pop_due(struct timer_queue *q, uint64_t now)
{
	struct timer *t;

	spin_lock(&q->lock);
	t = q->head;
	if (t && t->expires <= now)
		unlink(q, t);
	else
		t = NULL;
	spin_unlock(&q->lock);
	return t;
}

void timer_softirq(void)
{
	unsigned int cpu = arch_cpu_id();
	struct timer_queue *q = &queue[valid_cpu(cpu)];
	struct timer *t;

	/* now is read again after each function: one may take long. */
	while ((t = pop_due(q, arch_now_ns())))
		t->fn(t->data);
	arch_timer_program(timer_next_deadline(cpu));
}

static void sched_tick_fn(void *data)
{
	struct timer *t = data;

	sched_tick();
	timer_set(t, arch_now_ns() + SCHED_TICK_NS);
}

void timer_cpu_init(void)
{
	unsigned int cpu = valid_cpu(arch_cpu_id());
	struct timer *t = &sched_ticks[cpu];

	timer_init(t, sched_tick_fn, t, cpu);
	timer_set(t, arch_now_ns() + SCHED_TICK_NS);
}
