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
#include <lamina/timer.h>
#include <xen/errno.h>
#include <xen/sched.h>

static struct domain *domain_list, *dying_list;
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
	/* Committed: on the list, at its end. */
	for (struct domain **pp = &domain_list;; pp = &(*pp)->next)
		if (!*pp) {
			*pp = d;
			break;
		}
	*out = d;
	return 0;
}

void domain_get(struct domain *d)
{
	d->refcnt++;
}

void domain_put(struct domain *d)
{
	ASSERT(d->refcnt > 0);
	if (--d->refcnt)
		return;
	ASSERT(d->state == DOMAIN_DEAD);
	memory_map_free(d);
	mm_free_heap(d, sizeof(*d));
}

static struct domain *find_on(struct domain *list, domid_t id)
{
	for (struct domain *d = list; d; d = d->next)
		if (d->id == id)
			return d;
	return NULL;
}

struct domain *domain_find(domid_t id)
{
	return find_on(domain_list, id);
}

struct domain *domain_next(struct domain *d)
{
	return d ? d->next : domain_list;
}

struct domain *domain_find_dying(domid_t id)
{
	return find_on(dying_list, id);
}

struct domain *domain_next_dying(struct domain *d)
{
	return d ? d->next : dying_list;
}

unsigned int domain_count(void)
{
	unsigned int n = 0;

	for (struct domain *d = domain_list; d; d = d->next)
		n++;
	return n;
}

void domain_pause(struct domain *d)
{
	d->pause_count++;
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		sched_vcpu_sleep(d->vcpu[i]);
}

void domain_unpause(struct domain *d)
{
	ASSERT(d->pause_count > 0);
	if (d->pause_count > 0)
		d->pause_count--;
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
	*pp = d->next;
	d->next = NULL;
}

/* ALIVE or SHUTDOWN -> DYING: paused for good, off the live list, every unit still up. */
static void kill_begin(struct domain *d)
{
	domain_pause(d);
	list_remove(&domain_list, d);
	d->next = dying_list;
	dying_list = d;
	d->state = DOMAIN_DYING;
	d->units_left = ARRAY_SIZE(units);
	if (hardware_domain == d)
		hardware_domain = NULL;
}

/* DYING -> DEAD: off the dying list; the list's reference goes; the toolstack hears of it. */
static void kill_end(struct domain *d)
{
	list_remove(&dying_list, d);
	d->state = DOMAIN_DEAD;
	domain_put(d);
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

	do
		rc = domain_kill(d);
	while (rc == -HYPERCALL_ERESTART);
	return rc;
}
