/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domains and vCPUs (after xen/include/xen/sched.h and xen/common/domain.c):
 * the generic model; the architecture's part of each is struct arch_domain /
 * struct arch_vcpu (<asm/pv.h>), set up and torn down by the arch_domain_*
 * and arch_vcpu_* hooks of <lamina/arch.h>.
 *
 *   domain_list -> struct domain (id, state, refs, pause_count, ...)
 *                    vcpu[0 .. max_vcpus) -> struct vcpu (timers, arch)
 *                    events (ports, lamina/event.h), memory (nr_pages frames from p2m_base)
 *
 * Lifecycle:
 *   domain_create ---> ALIVE, paused once (the creator's pause)
 *   (the builder fills memory and vCPU 0; dom0: arch/x86_64/pv/dom0_build.c)
 *   domain_unpause --> runs;  domain_pause / domain_unpause nest
 *   domain_shutdown(reason) / domain_crash --> SHUTDOWN (vCPUs paused)
 *   domain_kill -----> DYING: paused, off the list (domain_find_dying
 *                      still finds it), subsystems torn down in reverse,
 *                      preemptibly (-ERESTART: call again) --> DEAD
 *   (a grace period later the list's reference goes: readers of the dying
 *   list never find it freed)
 *   last domain_put -> the structures are freed
 * The hardware domain (dom0) is an ordinary domain, except that its
 * shutdown ends the machine (the exit code is its reason, see
 * docs/hypervisor.md), as Xen reboots or halts the host.
 *
 * Locks: the list is read without a lock and changed under domlist_lock; a
 * destroyed domain is torn down after a grace period (domain.c says how).
 * pause_count, refcnt and a vCPU's pause_count/pause_flags change atomically;
 * the scheduler's state is under its pool lock (common/schedule.c).
 */
#ifndef LAMINA_DOMAIN_H
#define LAMINA_DOMAIN_H

#include <asm/pv.h>
#include <lamina/arch.h>
#include <lamina/event.h>
#include <lamina/hypercall.h>
#include <lamina/schedule.h>
#include <lamina/scheduler.h>
#include <lamina/spinlock.h>
#include <lamina/timer.h>
#include <lamina/types.h>
#include <xen/xen.h>
#include <xen/vcpu.h>

/* The assists Xen offers a 64-bit PV guest (vm_assist, and a vCPU context's vm_assist). */
#define PV_VM_ASSIST_VALID                                                                     \
	((1UL << VMASST_TYPE_4gb_segments) | (1UL << VMASST_TYPE_4gb_segments_notify) |        \
	 (1UL << VMASST_TYPE_writable_pagetables) | (1UL << VMASST_TYPE_pae_extended_cr3) |    \
	 (1UL << VMASST_TYPE_architectural_iopl) | (1UL << VMASST_TYPE_runstate_update_flag) | \
	 (1UL << VMASST_TYPE_m2p_strict))

#define DOMAIN_MAX_VCPUS 8 /* per domain, Lamina's limit (Xen's PV guests: up to 8192) */

enum domain_state {
	DOMAIN_ALIVE,	 /* created; runs when not paused */
	DOMAIN_SHUTDOWN, /* shut down or crashed: its vCPUs never run again */
	DOMAIN_DYING,	 /* being destroyed: on the dying list, units being torn down */
	DOMAIN_DEAD,	 /* torn down, off every list, waiting for its last reference */
};

struct domain;

/* The multicall a vCPU runs (common/multicall.c). */
struct multicall_state {
	bool active;			  /* inside do_multicall */
	bool stop;			  /* an entry (iret) ended the batch */
	bool preempted;			  /* the entry running made a continuation... */
	uint64_t args[HYPERCALL_NR_ARGS]; /* ...with these arguments */
};

struct vcpu {
	struct domain *domain;
	unsigned int id;
	int pause_count;		    /* > 0: must not run */
	vcpu_info_t *vcpu_info;		    /* in shared_info, or where the guest registered it */
	uint64_t runstate_area;		    /* guest address of its vcpu_runstate_info, or 0 */
	struct vcpu_runstate_info runstate; /* its state and times (vcpu_runstate.c) */
	struct vcpu_timers timers;
	struct multicall_state mc;
	/* Scheduling (common/schedule.c, lamina/schedule.h). */
	unsigned int pause_flags; /* SCHED_VPF_* */
	bool polling;		  /* in SCHEDOP_poll: poll_port, until poll_deadline */
	int poll_port;		  /* the one port polled, or -1 for several */
	uint64_t poll_deadline;	  /* system time in ns, 0 = none */
	struct sched_unit sched;
	struct arch_vcpu arch;
};

struct domain {
	domid_t id;
	enum domain_state state;
	int refcnt;	 /* the list's reference + one per holder (domain_get) */
	int pause_count; /* > 0: no vCPU of the domain runs */
	bool is_privileged;
	unsigned int shutdown_reason; /* SHUTDOWN_*, valid in DOMAIN_SHUTDOWN */
	int shutdown_code;	      /* SCHEDOP_shutdown_code, -1 when unset */
	unsigned int max_vcpus;
	struct vcpu *vcpu[DOMAIN_MAX_VCPUS];
	spinlock_t domain_lock;	   /* Xen's: vCPU initialise/up/down (vcpu_op.c) */
	struct domain *next;	   /* domain_list, by creation; kept when it leaves it */
	struct domain *next_dying; /* dying_list (DYING); kept when it leaves it */
	struct domain *next_dead;  /* the freeing list (DEAD, under domlist_lock) */
	bool killing;		   /* a CPU is in domain_kill for it (one at a time) */
	unsigned int units_left;   /* DYING: units [0, units_left) still to tear down */
	unsigned int rel_left;	   /* DYING: units [0, rel_left) still to relinquish */
	struct sched_grace grace;  /* when it left the live list (teardown waits), then */
				   /* the dying list (the list's reference waits) */

	/* Memory: one contiguous run, pfn N is mfn p2m_base + N (domain_memory.c). */
	uint64_t nr_pages;
	uint64_t tot_pages; /* every page it owns (memory_op changes it); max_pages the limit */
	uint64_t max_pages;
	mfn_t p2m_base;
	unsigned int mm_teardown_phase; /* mm_relinquish_tables' place: phase, */
	uint64_t mm_teardown_next;	/* next frame or vCPU, */
	uint64_t mm_teardown_pending;	/* a pin's table whose teardown stopped (0: none) */
	shared_info_t *shared_info;
	mfn_t shared_info_mfn;
	uint64_t vm_assist;
	void *e820;	      /* XENMEM_set_memory_map's entries (common/memory_map.c) */
	unsigned int nr_e820; /* 0: none set */

	/* Event channels (event_channel.c) and grant tables (grant_table.c). */
	struct evtchn_domain events;
	spinlock_t grant_lock; /* Xen's grant-table lock: grant_table's entries, active */
			       /* entries and maptrack (lamina/grant_table.h); lives */
			       /* as long as d, so it outlasts the table */
	struct grant_table *grant_table;

	/* The toolstack's view (common/domctl.c): set by domctl, read by getdomaininfo. */
	xen_domain_handle_t handle;
	int controller_pause_count; /* pausedomain's pauses, part of pause_count */
	bool vcpus_hidden;	    /* created by domctl, before its XEN_DOMCTL_max_vcpus */
	int64_t time_offset;	    /* XEN_DOMCTL_settimeoffset, seconds */
	uint32_t cdf;		    /* the XEN_DOMCTL_CDF_* flags it was created with */
	uint32_t max_evtchn_port, max_grant_frames, max_maptrack_frames;

	/* Scheduling: weight, cap, budget (common/schedule.c). */
	struct sched_dom sched;
	/* Boot-time domUs (domain_build.c): no toolstack destroys them yet. */
	bool destroy_on_shutdown;
	uint64_t free_pages_before; /* the allocator's free pages before it was built */
	/* console_io for a domain other than the hardware one (Xen's is_console). */
	bool is_console;
	unsigned int cons_len; /* its partial output line, printed as "(dN) ..." */
	char cons_buf[128];
	struct arch_domain arch; /* the arch's per-domain state (<asm/pv.h>) */
};

/*
 * Creates domain id with max_vcpus vCPUs (ids 0..max_vcpus-1), every
 * per-domain subsystem set up, paused once. 0 and *out, or -EEXIST (id in
 * use), -EINVAL (bad id or vCPU count), -ENOMEM; on failure nothing is left.
 */
int domain_create(domid_t id, unsigned int max_vcpus, bool privileged, struct domain **out);
/* Takes a reference (the domain stays allocated until the matching put). */
void domain_get(struct domain *d);
/* Drops a reference; the last one frees the domain (after domain_destroy). */
void domain_put(struct domain *d);
/* The live domain with this id, or NULL (no reference taken). */
struct domain *domain_find(domid_t id);
/* Fault injection for the self-test: unit n (1-based) of domain_create fails; 0 = none. */
void domain_inject_failure(unsigned int unit);
/* How many per-domain units domain_create sets up. */
unsigned int domain_nr_units(void);
/* The number of domains on the list. */
unsigned int domain_count(void);
/* The domain after d on the list (the first with NULL), or NULL. */
struct domain *domain_next(struct domain *d);

/*
 * Pause and unpause, nesting (no vCPU of the domain runs while paused).
 * domain_pause returns once none of its vCPUs is on a CPU (but the caller's
 * own); domain_pause_nosync only asks their CPUs to switch (Xen's vcpu_pause_nosync).
 */
void domain_pause(struct domain *d);
void domain_pause_nosync(struct domain *d);
void domain_unpause(struct domain *d);
bool domain_is_paused(const struct domain *d);

/*
 * Shuts d down with a SHUTDOWN_* reason: it stops for good and waits to be
 * destroyed. For the hardware domain this ends the machine (the reason is
 * the exit code: poweroff 0, reboot 1, crash 3; a poweroff after a
 * SCHEDOP_shutdown_code uses that code). Does not return when d is the
 * domain of the running vCPU.
 */
void domain_shutdown(struct domain *d, unsigned int reason);
/* Crashes d: says why, dumps the running guest's registers, shuts it down. */
void domain_crash(struct domain *d, const char *why);
/* Shuts the running vCPU's own domain down; never returns. */
void domain_shutdown_current(unsigned int reason) __attribute__((noreturn));
/* Crashes the running vCPU's own domain; never returns. */
void domain_crash_current(const char *why) __attribute__((noreturn));

/*
 * Xen's domain_kill, for a domain that is not running on this CPU: the
 * first call pauses it (waiting until its vCPUs are off their CPUs) and
 * takes it off the list (DYING); each call tears its subsystems down in
 * reverse order of set-up from where the last one stopped, and returns
 * -HYPERCALL_ERESTART at a preemption point, or while other CPUs may still
 * hold it from the list (its grace period, SMP), (call again, from a
 * hypercall continuation) or 0 once everything is given back (DEAD;
 * VIRQ_DOM_EXC to the hardware domain); the structures go with the last
 * reference. -EINVAL once dead; -ERESTART while another CPU is killing it.
 */
int domain_kill(struct domain *d);
/*
 * domain_kill to the end, not preemptible (boot, self-tests, a failed
 * build); the caller holds no pointer found on a domain list but d.
 */
int domain_destroy(struct domain *d);
/*
 * Drops the list's reference of each DEAD domain whose grace period has
 * ended (domain_kill, the scheduler's reaps); whether any is left waiting.
 */
bool domain_free_dead(void);
/* A domain being killed (DYING) with this id, or NULL; the next one on that list. */
struct domain *domain_find_dying(domid_t id);
struct domain *domain_next_dying(struct domain *d);
/* How many kills are under way (begun, not yet DEAD). */
unsigned int domain_kills_under_way(void);

/* The vCPU running on this CPU, or NULL (the arch keeps it). */
static inline struct vcpu *current_vcpu(void)
{
	return arch_current_vcpu();
}

/* The machine frame of d's guest frame gfn (memory is contiguous; gfn < nr_pages). */
static inline mfn_t domain_gfn_to_mfn(const struct domain *d, gfn_t gfn)
{
	return mfn_add(d->p2m_base, gfn_x(gfn));
}

/* Gives d nr_pages contiguous frames of its own (pfn N = mfn base + N). */
int domain_alloc_memory(struct domain *d, uint64_t nr_pages);

/* dom0: creates it, builds it from the first module (kernel) and the second (initrd). */
struct boot_info;
int domain_build_dom0(const struct boot_info *bi);
/* Enters dom0's vCPU 0 for the first time; never returns. */
void domain_run_dom0(void) __attribute__((noreturn));
/* The hardware domain (dom0), once built. */
extern struct domain *hardware_domain;

/* lamina_selftest=domains: the lifecycle loop with its baseline checks (domain_selftest.c). */
void domain_selftest(void);

#endif
