/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domains and vCPUs. At this stage there is one domain, dom0, with one vCPU
 * that runs on the boot CPU; the structures are already shaped for more.
 */
#ifndef LAMINA_DOMAIN_H
#define LAMINA_DOMAIN_H

#include <asm/pv.h>
#include <lamina/boot.h>
#include <lamina/event.h>
#include <lamina/types.h>
#include <xen/xen.h>

struct domain;

struct vcpu {
	struct domain *domain;
	unsigned int id;
	vcpu_info_t *vcpu_info; /* in shared_info, or where the guest registered it */
	uint64_t runstate_area; /* guest address of its vcpu_runstate_info, or 0 */
	struct arch_vcpu arch;
};

struct domain {
	domid_t id;
	shared_info_t *shared_info;
	mfn_t shared_info_mfn;
	uint64_t nr_pages;
	uint64_t p2m_base; /* memory is contiguous: pfn N is mfn p2m_base + N */
	uint64_t vm_assist;
	bool is_shutdown;
	unsigned int shutdown_reason;
	int shutdown_code; /* SCHEDOP_shutdown_code, -1 when unset */
	struct vcpu vcpu0;
	struct evtchn evtchn[EVTCHN_MAX_PORTS];
	uint32_t virq_to_port[NR_VIRQS];
	uint64_t timer_deadline;	     /* set_timer_op: system time in ns, 0 = none */
	uint64_t periodic_ns, periodic_next; /* VCPUOP periodic timer, 0 = off */
};

extern struct domain dom0;

/* Builds dom0 from bi's first module (kernel) and second (initrd). */
int domain_build_dom0(const struct boot_info *bi);
/* Enters dom0's vCPU 0 for the first time; never returns. */
void domain_run_dom0(void) __attribute__((noreturn));
/*
 * Shuts the domain down with a SHUTDOWN_* reason. For dom0 this ends the
 * machine: the reason is the exit code (poweroff 0, reboot 1, crash 3).
 */
void domain_shutdown(struct domain *d, unsigned int reason) __attribute__((noreturn));
/* The periodic tick: fires the domains' due timers. */
void sched_tick(void);
/* Crashes the domain: prints why and the guest's registers, then shuts it down. */
void domain_crash(struct domain *d, const char *why) __attribute__((noreturn));

#endif
