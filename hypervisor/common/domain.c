// SPDX-License-Identifier: GPL-2.0-only
/*
 * The domain lifecycle (after xen/common/domain.c; see lamina/domain.h):
 * create, reference counting, pause/unpause, shutdown with a reason, crash,
 * destroy. A domain's per-domain subsystems are the units below, set up in
 * table order by domain_create and torn down in reverse by the one unwind
 * path, unit_teardown_from(), which a failed create takes; a destroy
 * (domain_kill) tears them down in the same reverse order, preemptibly.
 *
 *   domain_list -> d -> d -> ...   live domains by creation (->next); the
 *                                  list holds one reference
 *   dying_list  -> d -> ...        domains being killed (DYING, ->next_dying),
 *                                  the same reference: domain_find_dying only
 *   dead_list   -> d -> ...        DEAD, off both (->next_dead), the list's
 *                                  reference still held: no walker sees them
 *
 * Locking: domlist_lock serialises the changes of the three lists (create,
 * kill_begin, kill_end, domain_free_dead); readers walk the first two
 * without it, on pointers published with release stores, as RCU readers: a
 * domain that leaves a list keeps its link to the next one, so a walker
 * standing on it goes on along the list it was walking. A killed domain's
 * teardown waits for a grace period (sched_grace_*: every other scheduling
 * CPU left the hypervisor or idled since it left the live list), so no CPU
 * still holds it from the live list; domain_kill answers -ERESTART
 * meanwhile. Once DEAD it waits for a second one on the dead list before
 * the list's reference goes, so no CPU still holds it from the dying list.
 * One CPU at a time kills a domain (d->killing; another gets -ERESTART).
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

static struct domain *domain_list, *dying_list, *dead_list;
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
 * A killed domain first gives back, unit by unit in reverse order, what it
 * holds of others and what others hold of it (Xen's domain_kill:
 * gnttab_release_mappings, evtchn_destroy, then relinquish_resources'
 * page tables and pages), and only then does any unit free its own
 * structures: no teardown frees what another unit's relinquish still
 * refers to (the page tables' go through the vCPUs' base pointers).
 * relinquish, where a unit has one, is that first part: 0 when done or
 * -HYPERCALL_ERESTART when it stopped at a preemption point with its
 * progress kept in d (it is called again and resumes). early: the unit's
 * teardown is its relinquish (it frees nothing another unit refers to):
 * it runs in the first part, in its place, and not again.
 */
struct domain_unit {
	const char *name;
	int (*init)(struct domain *d);
	void (*teardown)(struct domain *d);
	int (*relinquish)(struct domain *d);
	bool early;
};

/* Set up in this order, torn down in reverse. */
static const struct domain_unit units[] = {
	{ "arch", arch_domain_create, arch_domain_destroy, NULL, false }, /* shared_info */
	{ "memory", domain_memory_init, domain_memory_teardown, memory_relinquish, false },
	{ "vcpus", vcpus_init, vcpus_teardown, NULL, false },
	{ "events", evtchn_domain_init, evtchn_domain_teardown, NULL, true },
	{ "grants", gnttab_domain_init, gnttab_domain_teardown, NULL, true },
	{ "scheduler", sched_domain_init, sched_domain_teardown, NULL, false },
	{ "timers", timers_init, timers_teardown, NULL, false },
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
	uint64_t before;
	domid_t id;

	ASSERT(d->refcnt > 0);
	if (__atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_SEQ_CST))
		return;
	ASSERT(d->state == DOMAIN_DEAD);
	memory_map_free(d);
	id = d->id;
	before = d->free_pages_before;
	mm_free_heap(d, sizeof(*d));
	/* A boot-time domU's whole memory is back now (tests/guest/two-domain.sh compares). */
	if (before)
		printk(LOG_INFO, "dom%u destroyed: %lu pages free, %lu before it was built", id,
		       mm_free_pages(), before);
}

/* d's link on the live list, or on the dying list. */
static struct domain **link_of(struct domain *d, bool dying)
{
	return dying ? &d->next_dying : &d->next;
}

static struct domain *find_on(struct domain *list, domid_t id, bool dying)
{
	for (struct domain *d = list; d; d = __atomic_load_n(link_of(d, dying), __ATOMIC_ACQUIRE))
		if (d->id == id)
			return d;
	return NULL;
}

struct domain *domain_find(domid_t id)
{
	return find_on(__atomic_load_n(&domain_list, __ATOMIC_ACQUIRE), id, false);
}

struct domain *domain_next(struct domain *d)
{
	return __atomic_load_n(d ? &d->next : &domain_list, __ATOMIC_ACQUIRE);
}

struct domain *domain_find_dying(domid_t id)
{
	return find_on(__atomic_load_n(&dying_list, __ATOMIC_ACQUIRE), id, true);
}

struct domain *domain_next_dying(struct domain *d)
{
	return __atomic_load_n(d ? &d->next_dying : &dying_list, __ATOMIC_ACQUIRE);
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

/* Takes d off the live or dying list at *head (it is on it); its own link stays. */
static void list_remove(struct domain **head, struct domain *d, bool dying)
{
	struct domain **pp = head;

	while (*pp && *pp != d)
		pp = link_of(*pp, dying);
	ASSERT(*pp == d);
	__atomic_store_n(pp, *link_of(d, dying), __ATOMIC_RELEASE);
}

/* ALIVE or SHUTDOWN -> DYING: paused for good, off the live list, every unit still up. */
static void kill_begin(struct domain *d)
{
	domain_pause(d);
	spin_lock(&domlist_lock);
	__atomic_add_fetch(&kills_under_way, 1, __ATOMIC_SEQ_CST);
	list_remove(&domain_list, d, false);
	__atomic_store_n(&d->state, DOMAIN_DYING, __ATOMIC_SEQ_CST);
	d->units_left = d->rel_left = ARRAY_SIZE(units);
	__atomic_store_n(&d->next_dying, dying_list, __ATOMIC_RELEASE);
	__atomic_store_n(&dying_list, d, __ATOMIC_RELEASE);
	if (hardware_domain == d)
		hardware_domain = NULL;
	spin_unlock(&domlist_lock);
	sched_grace_start(&d->grace);
}

/*
 * DYING -> DEAD: off the dying list onto the dead list, where the list's
 * reference goes after a grace period (domain_free_dead); the toolstack
 * hears of it.
 */
static void kill_end(struct domain *d)
{
	spin_lock(&domlist_lock);
	list_remove(&dying_list, d, true);
	__atomic_store_n(&d->state, DOMAIN_DEAD, __ATOMIC_SEQ_CST);
	sched_grace_start(&d->grace);
	d->next_dead = dead_list;
	__atomic_store_n(&dead_list, d, __ATOMIC_RELEASE);
	spin_unlock(&domlist_lock);
	__atomic_sub_fetch(&kills_under_way, 1, __ATOMIC_SEQ_CST);
	if (hardware_domain)
		evtchn_send_virq(hardware_domain, VIRQ_DOM_EXC);
}

bool domain_free_dead(void)
{
	struct domain *ready = NULL, **pp;
	bool left;

	if (!__atomic_load_n(&dead_list, __ATOMIC_ACQUIRE))
		return false;
	spin_lock(&domlist_lock);
	for (pp = &dead_list; *pp;) {
		struct domain *d = *pp;

		if (!sched_grace_elapsed(&d->grace)) {
			pp = &d->next_dead;
			continue;
		}
		*pp = d->next_dead;
		d->next_dead = ready;
		ready = d;
	}
	left = dead_list != NULL;
	spin_unlock(&domlist_lock);
	while (ready) {
		struct domain *d = ready;

		ready = d->next_dead;
		domain_put(d);
	}
	return left;
}

static int kill_steps(struct domain *d)
{
	if (__atomic_load_n(&d->state, __ATOMIC_SEQ_CST) == DOMAIN_DEAD)
		return -XEN_EINVAL;
	if (d->state != DOMAIN_DYING)
		kill_begin(d);
	/* No teardown while another CPU may still hold d from the live list. */
	if (d->rel_left == ARRAY_SIZE(units) && !sched_grace_elapsed(&d->grace))
		return -HYPERCALL_ERESTART;
	/* First every unit's relinquish, then the teardowns (see struct domain_unit). */
	while (d->rel_left) {
		const struct domain_unit *u = &units[d->rel_left - 1];
		int rc = 0;

		if (u->early)
			u->teardown(d);
		else if (u->relinquish)
			rc = u->relinquish(d);
		if (rc)
			return rc;
		d->rel_left--;
		if (d->rel_left && hypercall_preempt_check())
			return -HYPERCALL_ERESTART;
	}
	while (d->units_left) {
		const struct domain_unit *u = &units[d->units_left - 1];

		if (!u->early)
			u->teardown(d);
		d->units_left--;
		if (d->units_left && hypercall_preempt_check())
			return -HYPERCALL_ERESTART;
	}
	kill_end(d);
	return 0;
}

int domain_kill(struct domain *d)
{
	int rc;

	ASSERT(!current_vcpu() || current_vcpu()->domain != d);
	if (__atomic_exchange_n(&d->killing, true, __ATOMIC_ACQUIRE))
		return -HYPERCALL_ERESTART; /* another CPU is at it: call again */
	rc = kill_steps(d);
	__atomic_store_n(&d->killing, false, __ATOMIC_RELEASE);
	if (!rc)
		domain_free_dead(); /* d itself at once, if no other CPU may hold it */
	return rc;
}

/*
 * The wait is a quiescent point of this CPU (its callers hold no pointer
 * found on a list but d), so two CPUs destroying at once never wait for
 * each other; the grace period's IPI bounds it.
 */
int domain_destroy(struct domain *d)
{
	int rc;

	do {
		rc = domain_kill(d);
		if (rc == -HYPERCALL_ERESTART) {
			sched_quiescent();
			arch_lock_relax(); /* other CPUs may want a flush meanwhile */
		}
	} while (rc == -HYPERCALL_ERESTART);
	return rc;
}
