// SPDX-License-Identifier: GPL-2.0-only
/*
 * The domain lifecycle (after xen/common/domain.c; see lamina/domain.h):
 * create, reference counting, pause/unpause, shutdown with a reason, crash,
 * destroy. A domain's per-domain subsystems are the units below, set up in
 * table order by domain_create and torn down in reverse by the one unwind
 * path, unit_teardown_from(), which a failed create takes; a destroy
 * (domain_kill) tears them down in the same reverse order, preemptibly.
 *
 *   domain_list -> d -> d -> ...   live domains by creation; the list holds
 *                                  one reference
 *   dying_list  -> d -> ...        domains being killed (DYING), the same
 *                                  reference: found by domain_find_dying only
 *
 * Locking: domlist_lock serialises the changes of both lists (create,
 * kill_begin, kill_end); readers walk them without it, on pointers
 * published with release stores. A killed domain's first teardown waits
 * for a grace period (sched_grace_*: every other scheduling CPU left the
 * hypervisor or idled since it left the live list), so no CPU still holds
 * it from a walk of the live list; domain_kill answers -ERESTART meanwhile.
 * Not covered yet: a reader that finds it on the dying list, and a walker
 * standing on it as it moves there (it goes on along the dying list).
 */
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/runstate.h>
#include <lamina/grant_table.h>
#include <lamina/event.h>
#include <lamina/lib.h>
#include <lamina/memory.h>
#include <lamina/mm.h>
#include <lamina/schedule.h>
#include <lamina/spinlock.h>
#include <lamina/timer.h>
#include <xen/errno.h>
#include <xen/sched.h>

static struct domain *domain_list, *dying_list;
static spinlock_t domlist_lock;
static unsigned int kills_under_way; /* from kill_begin to kill_end */
struct domain *hardware_domain;
/* Fault injection (domain_inject_failure): this unit's set-up fails, 0 = none. */
static unsigned int inject_fail_unit;

static int vcpus_init(struct domain *d);
static void vcpus_teardown(struct domain *d);
static int timers_init(struct domain *d);
static void timers_teardown(struct domain *d);
static int memory_relinquish(struct domain *d);

/*
 * relinquish, where a unit has one, runs before its teardown when a domain
 * is killed: the long part of the teardown (Xen's relinquish_resources),
 * 0 when done or -HYPERCALL_ERESTART when it stopped at a preemption point with
 * its progress kept in d (it is called again and resumes).
 */
struct domain_unit {
	const char *name;
	int (*init)(struct domain *d);
	void (*teardown)(struct domain *d);
	int (*relinquish)(struct domain *d);
};

/* Set up in this order, torn down in reverse. */
static const struct domain_unit units[] = {
	{ "arch", arch_domain_create, arch_domain_destroy, NULL }, /* shared_info */
	{ "memory", domain_memory_init, domain_memory_teardown, memory_relinquish },
	{ "vcpus", vcpus_init, vcpus_teardown, NULL },
	{ "events", evtchn_domain_init, evtchn_domain_teardown, NULL },
	{ "grants", gnttab_domain_init, gnttab_domain_teardown, NULL },
	{ "scheduler", sched_domain_init, sched_domain_teardown, NULL },
	{ "timers", timers_init, timers_teardown, NULL },
};

/* The one unwind path: tears down units [0, n) of d in reverse order. */
static void unit_teardown_from(struct domain *d, unsigned int n)
{
	while (n-- > 0)
		units[n].teardown(d);
}

static int vcpus_init(struct domain *d)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = mm_alloc_heap(sizeof(*v));
		int rc;

		if (!v)
			goto err;
		*v = (struct vcpu){ .domain = d, .id = i };
		runstate_init(v);
		rc = arch_vcpu_create(v);
		if (rc) {
			mm_free_heap(v, sizeof(*v));
			goto err;
		}
		d->vcpu[i] = v;
	}
	return 0;
err:
	vcpus_teardown(d);
	return -XEN_ENOMEM;
}

static void vcpus_teardown(struct domain *d)
{
	for (unsigned int i = d->max_vcpus; i-- > 0;) {
		if (!d->vcpu[i])
			continue;
		arch_vcpu_destroy(d->vcpu[i]);
		mm_free_heap(d->vcpu[i], sizeof(*d->vcpu[i]));
		d->vcpu[i] = NULL;
	}
}

static int timers_init(struct domain *d)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		timer_vcpu_init(d->vcpu[i]);
	return 0;
}

static void timers_teardown(struct domain *d)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		timer_vcpu_kill(d->vcpu[i]);
}

/*
 * The memory unit's long part: the page-table trees torn down preemptibly
 * (mm_relinquish_tables; -MM_ERESTART is -HYPERCALL_ERESTART); the frames
 * themselves go back in domain_memory_teardown.
 */
static int memory_relinquish(struct domain *d)
{
	return mm_relinquish_tables(d);
}

void domain_inject_failure(unsigned int unit)
{
	inject_fail_unit = unit;
}

unsigned int domain_nr_units(void)
{
	return ARRAY_SIZE(units);
}

static int create_units(struct domain *d)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(units); i++) {
		int rc = inject_fail_unit == i + 1 ? -XEN_ENOMEM : units[i].init(d);

		if (rc) {
			printk(LOG_DEBUG, "dom%u: %s set-up failed (%d)", d->id, units[i].name, rc);
			unit_teardown_from(d, i);
			return rc;
		}
	}
	return 0;
}

int domain_create(domid_t id, unsigned int max_vcpus, bool privileged, struct domain **out)
{
	struct domain *d;
	int rc;

	if (id >= DOMID_FIRST_RESERVED || !max_vcpus || max_vcpus > DOMAIN_MAX_VCPUS)
		return -XEN_EINVAL;
	if (domain_find(id))
		return -XEN_EEXIST;
	d = mm_alloc_heap(sizeof(*d));
	if (!d)
		return -XEN_ENOMEM;
	d->id = id;
	d->max_vcpus = max_vcpus;
	d->is_privileged = privileged;
	d->shutdown_code = -1;
	d->pause_count = 1; /* the creator unpauses once the domain is built */
	d->refcnt = 1;	    /* the list's */
	rc = create_units(d);
	if (rc) {
		mm_free_heap(d, sizeof(*d));
		return rc;
	}
	/* Committed: on the list, at its end, unless the id was taken meanwhile. */
	spin_lock(&domlist_lock);
	if (domain_find(id) || domain_find_dying(id)) {
		spin_unlock(&domlist_lock);
		unit_teardown_from(d, ARRAY_SIZE(units));
		mm_free_heap(d, sizeof(*d));
		return -XEN_EEXIST;
	}
	for (struct domain **pp = &domain_list;; pp = &(*pp)->next)
		if (!*pp) {
			__atomic_store_n(pp, d, __ATOMIC_RELEASE);
			break;
		}
	spin_unlock(&domlist_lock);
	*out = d;
	return 0;
}

void domain_get(struct domain *d)
{
	__atomic_add_fetch(&d->refcnt, 1, __ATOMIC_SEQ_CST);
}

void domain_put(struct domain *d)
{
	ASSERT(d->refcnt > 0);
	if (__atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_SEQ_CST))
		return;
	ASSERT(d->state == DOMAIN_DEAD);
	memory_map_free(d);
	mm_free_heap(d, sizeof(*d));
}

static struct domain *find_on(struct domain *list, domid_t id)
{
	for (struct domain *d = list; d; d = __atomic_load_n(&d->next, __ATOMIC_ACQUIRE))
		if (d->id == id)
			return d;
	return NULL;
}

struct domain *domain_find(domid_t id)
{
	return find_on(__atomic_load_n(&domain_list, __ATOMIC_ACQUIRE), id);
}

struct domain *domain_next(struct domain *d)
{
	return __atomic_load_n(d ? &d->next : &domain_list, __ATOMIC_ACQUIRE);
}

struct domain *domain_find_dying(domid_t id)
{
	return find_on(__atomic_load_n(&dying_list, __ATOMIC_ACQUIRE), id);
}

struct domain *domain_next_dying(struct domain *d)
{
	return __atomic_load_n(d ? &d->next : &dying_list, __ATOMIC_ACQUIRE);
}

unsigned int domain_count(void)
{
	unsigned int n = 0;

	for (struct domain *d = domain_next(NULL); d; d = domain_next(d))
		n++;
	return n;
}

unsigned int domain_kills_under_way(void)
{
	return __atomic_load_n(&kills_under_way, __ATOMIC_SEQ_CST);
}

void domain_pause_nosync(struct domain *d)
{
	__atomic_add_fetch(&d->pause_count, 1, __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		sched_vcpu_sleep(d->vcpu[i]);
}

/* As Xen's domain_pause: returns once none of d's vCPUs is on a CPU (but this one's). */
void domain_pause(struct domain *d)
{
	domain_pause_nosync(d);
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		sched_vcpu_sleep_sync(d->vcpu[i]);
}

void domain_unpause(struct domain *d)
{
	int old = __atomic_load_n(&d->pause_count, __ATOMIC_SEQ_CST);

	ASSERT(old > 0);
	while (old > 0 && !__atomic_compare_exchange_n(&d->pause_count, &old, old - 1, false,
						       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		;
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		sched_vcpu_wake(d->vcpu[i]);
}

bool domain_is_paused(const struct domain *d)
{
	return d->pause_count > 0;
}

/* Takes d off the list at *head (it is on it). */
static void list_remove(struct domain **head, struct domain *d)
{
	struct domain **pp = head;

	while (*pp && *pp != d)
		pp = &(*pp)->next;
	ASSERT(*pp == d);
	__atomic_store_n(pp, d->next, __ATOMIC_RELEASE);
}

/* ALIVE or SHUTDOWN -> DYING: paused for good, off the live list, every unit still up. */
static void kill_begin(struct domain *d)
{
	domain_pause(d);
	spin_lock(&domlist_lock);
	__atomic_add_fetch(&kills_under_way, 1, __ATOMIC_SEQ_CST);
	list_remove(&domain_list, d);
	__atomic_store_n(&d->state, DOMAIN_DYING, __ATOMIC_SEQ_CST);
	d->units_left = ARRAY_SIZE(units);
	__atomic_store_n(&d->next, dying_list, __ATOMIC_RELEASE);
	__atomic_store_n(&dying_list, d, __ATOMIC_RELEASE);
	if (hardware_domain == d)
		hardware_domain = NULL;
	spin_unlock(&domlist_lock);
	sched_grace_start(&d->grace);
}

/* DYING -> DEAD: off the dying list; the list's reference goes; the toolstack hears of it. */
static void kill_end(struct domain *d)
{
	spin_lock(&domlist_lock);
	list_remove(&dying_list, d);
	d->state = DOMAIN_DEAD;
	spin_unlock(&domlist_lock);
	domain_put(d);
	__atomic_sub_fetch(&kills_under_way, 1, __ATOMIC_SEQ_CST);
	if (hardware_domain)
		evtchn_send_virq(hardware_domain, VIRQ_DOM_EXC);
}

int domain_kill(struct domain *d)
{
	if (d->state == DOMAIN_DEAD)
		return -XEN_EINVAL;
	ASSERT(!current_vcpu() || current_vcpu()->domain != d);
	if (d->state != DOMAIN_DYING)
		kill_begin(d);
	/* No teardown while another CPU may still hold d from the live list. */
	if (d->units_left == ARRAY_SIZE(units) && !sched_grace_elapsed(&d->grace))
		return -HYPERCALL_ERESTART;
	while (d->units_left) {
		const struct domain_unit *u = &units[d->units_left - 1];

		if (u->relinquish) {
			int rc = u->relinquish(d);

			if (rc)
				return rc;
		}
		u->teardown(d);
		d->units_left--;
		if (d->units_left && hypercall_preempt_check())
			return -HYPERCALL_ERESTART;
	}
	kill_end(d);
	return 0;
}

int domain_destroy(struct domain *d)
{
	int rc;

	do {
		rc = domain_kill(d);
		if (rc == -HYPERCALL_ERESTART)
			arch_lock_relax(); /* a grace period: other CPUs may want a flush meanwhile */
	} while (rc == -HYPERCALL_ERESTART);
	return rc;
}
