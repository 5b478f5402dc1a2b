// SPDX-License-Identifier: GPL-2.0-only
/*
 * A domain's end (after xen/common/domain.c domain_shutdown and
 * xen/common/shutdown.c): shutdown with a SHUTDOWN_* reason, crash. A shut
 * down domain keeps its memory until the toolstack destroys it; its vCPUs
 * never run again. The hardware domain's end is the machine's: its reason
 * (or the SCHEDOP_shutdown_code of a poweroff) becomes the exit code, and a
 * reboot resets the machine unless the noreboot option is set.
 */
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/event.h>
#include <lamina/schedule.h>
#include <lamina/lib.h>
#include <xen/sched.h>

static const char *reason_name(unsigned int reason)
{
	static const char *const names[] = { "poweroff", "reboot",   "suspend",
					     "crash",	 "watchdog", "soft_reset" };

	return reason < ARRAY_SIZE(names) ? names[reason] : "unknown";
}

static void __attribute__((noreturn)) hwdom_shutdown(struct domain *d, unsigned int reason)
{
	unsigned int code = reason;

	if (reason == SHUTDOWN_poweroff && d->shutdown_code > 0)
		code = (unsigned int)d->shutdown_code;
	/*
	 * Boot-time domUs being killed (on other CPUs too) finish first: up to
	 * 2 s, as a kill waits for two grace periods, each for every CPU (whose
	 * QEMU thread a loaded host may not run for a while).
	 */
	sched_finish_reaps(2000000000ULL);
	printk(LOG_INFO, "dom%u shut down: %s (%u); ending the machine with code %u", d->id,
	       reason_name(reason), reason, code);
	arch_domain_shutdown(d);
	arch_machine_exit(code, reason == SHUTDOWN_reboot);
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
	enum domain_state alive = DOMAIN_ALIVE;

	/* As Xen: the first reason stands (two vCPUs may race here). */
	if (!__atomic_compare_exchange_n(&d->state, &alive, DOMAIN_SHUTDOWN, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return;
	d->shutdown_reason = reason;
	if (d == hardware_domain)
		hwdom_shutdown(d, reason);
	/* As Xen's vcpu_pause_nosync: its vCPUs on other CPUs leave them soon. */
	domain_pause_nosync(d);
	arch_domain_shutdown(d);
	printk(LOG_INFO, "dom%u shut down: %s (%u)", d->id, reason_name(reason), reason);
	/* As Xen: the hardware domain (the toolstack) hears of it. */
	if (hardware_domain)
		evtchn_send_virq(hardware_domain, VIRQ_DOM_EXC);
}

void domain_crash(struct domain *d, const char *why)
{
	struct vcpu *v = current_vcpu();

	printk(LOG_ERR, "dom%u crashed: %s", d->id, why);
	if (v && v->domain == d)
		arch_dump_guest_regs(v);
	domain_shutdown(d, SHUTDOWN_crash);
}

/* The running vCPU's domain has ended: this CPU runs another vCPU or idles. */
static void __attribute__((noreturn)) leave_dead_vcpu(void)
{
	sched_leave_dead_vcpu();
}

void domain_shutdown_current(unsigned int reason)
{
	domain_shutdown(current_vcpu()->domain, reason);
	leave_dead_vcpu();
}

void domain_crash_current(const char *why)
{
	domain_crash(current_vcpu()->domain, why);
	leave_dead_vcpu();
}
