// SPDX-License-Identifier: GPL-2.0-only
/*
 * The local APIC: register access, and its timer as the one-shot hardware
 * timer under the timer queue (common/timer.c): arch_timer_program arms
 * this CPU's next deadline, arch_timer_kick makes another CPU reprogram
 * its own, apic_timer_interrupt runs the queue. Two modes:
 *
 *   TSC-deadline  (CPUID.1:ECX[24], and seen to fire at boot) the deadline
 *                 goes into IA32_TSC_DEADLINE as a TSC value: exact
 *   one-shot      the APIC's count register, at the rate calibrated
 *                 against the TSC (divide by 16); a wait longer than the
 *                 32-bit count is cut short and reprogrammed when it ends
 *
 * Either way an idle CPU sleeps until its first deadline: there is no tick.
 */
#include <asm/setup.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <asm/percpu.h>
#include <asm/x86.h>
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/mm.h>
#include <lamina/timer.h>

#define APIC_PHYS 0xfee00000UL
#define APIC_EOI 0xb0
#define APIC_SVR 0xf0
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310
#define APIC_LVT_TIMER 0x320
#define APIC_TIMER_INIT 0x380
#define APIC_TIMER_CUR 0x390
#define APIC_TIMER_DIV 0x3e0
#define APIC_IRR 0x200 /* 8 registers, 16 bytes apart: vectors 32 per register */
#define APIC_DIV_16 0x3
#define APIC_LVT_MASKED (1u << 16)
#define APIC_LVT_TSC_DEADLINE (2u << 17)
#define APIC_ICR_BUSY (1u << 12)
#define MSR_TSC_DEADLINE 0x6e0
#define CPUID1_ECX_TSC_DEADLINE (1u << 24)
#define CALIBRATE_NS 10000000ULL /* 10 ms */

static bool use_tsc_deadline;
static uint64_t apic_hz;	/* one-shot mode: counts per second after the divider */
static uint64_t apic_per_ns_32; /* the same per ns, 32.32 fixed point */

static volatile uint32_t *apic_reg(unsigned int off)
{
	return (volatile uint32_t *)maddr_to_virt(APIC_PHYS + off);
}

uint32_t apic_read(unsigned int off)
{
	return *apic_reg(off);
}

void apic_write(unsigned int off, uint32_t v)
{
	*apic_reg(off) = v;
}

bool apic_timer_pending(void)
{
	return apic_read(APIC_IRR + (VEC_TIMER / 32) * 0x10) & (1u << (VEC_TIMER % 32));
}

void arch_timer_program(uint64_t deadline_ns)
{
	uint64_t now, count;

	if (use_tsc_deadline) {
		/* 0 disarms; a value already past fires at once. */
		wrmsr(MSR_TSC_DEADLINE, deadline_ns ? time_ns_to_tsc(deadline_ns) | 1 : 0);
		return;
	}
	if (!deadline_ns) {
		apic_write(APIC_TIMER_INIT, 0);
		return;
	}
	now = arch_now_ns();
	/* Rounded up: the interrupt never comes before the deadline. */
	count = deadline_ns > now
			? (uint64_t)(((unsigned __int128)(deadline_ns - now) * apic_per_ns_32) >>
				     32) +
				  1
			: 1;
	apic_write(APIC_TIMER_INIT, (uint32_t)MIN(count, 0xffffffffULL));
}

void arch_timer_kick(unsigned int cpu)
{
	if (cpu >= HV_MAX_CPUS || !percpu[cpu].online)
		return;
	apic_write(APIC_ICR_HI, percpu[cpu].apic_id << 24);
	apic_write(APIC_ICR_LO, VEC_TIMER); /* fixed, physical destination */
	for (int i = 0; i < 100000 && (apic_read(APIC_ICR_LO) & APIC_ICR_BUSY); i++)
		cpu_relax();
}

void apic_timer_interrupt(void)
{
	apic_write(APIC_EOI, 0);
	timer_softirq();
}

static void lvt_setup(void)
{
	apic_write(APIC_TIMER_DIV, APIC_DIV_16);
	apic_write(APIC_LVT_TIMER, VEC_TIMER | (use_tsc_deadline ? APIC_LVT_TSC_DEADLINE : 0));
}

void apic_cpu_init(bool timer)
{
	apic_write(APIC_SVR, 0x100 | VEC_SPURIOUS);
	if (!timer)
		return;
	lvt_setup();
	timer_cpu_init();
}

/* The one-shot count rate, against the TSC (interrupt masked). */
static uint64_t calibrate_apic(void)
{
	uint64_t end;

	apic_write(APIC_TIMER_DIV, APIC_DIV_16);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | VEC_TIMER);
	apic_write(APIC_TIMER_INIT, 0xffffffff);
	end = rdtsc() + arch_tsc_hz() / (1000000000ULL / CALIBRATE_NS);
	while (rdtsc() < end)
		cpu_relax();
	return (0xffffffffULL - apic_read(APIC_TIMER_CUR)) * (1000000000ULL / CALIBRATE_NS);
}

/* TSC-deadline mode, if CPUID has it and a deadline 1 ms ahead fires within 100 ms. */
static bool tsc_deadline_works(void)
{
	uint32_t a, b, c, d;
	uint64_t end;
	bool fired = false;

	cpuid_count(1, 0, &a, &b, &c, &d);
	if (!(c & CPUID1_ECX_TSC_DEADLINE))
		return false;
	apic_write(APIC_LVT_TIMER, VEC_TIMER | APIC_LVT_TSC_DEADLINE);
	wrmsr(MSR_TSC_DEADLINE, time_ns_to_tsc(arch_now_ns() + 1000000));
	end = arch_now_ns() + 100000000;
	while (!fired && arch_now_ns() < end)
		fired = apic_timer_pending();
	wrmsr(MSR_TSC_DEADLINE, 0);
	if (fired) { /* take the interrupt now, with nothing queued yet */
		safe_halt();
	}
	return fired;
}

void apic_timer_init(void)
{
	paging_set_uncached(APIC_PHYS, APIC_PHYS + 0x1000);
	apic_write(APIC_SVR, 0x100 | VEC_SPURIOUS);
	apic_hz = calibrate_apic();
	if (!apic_hz)
		apic_hz = 10000000;
	apic_per_ns_32 = (apic_hz << 32) / 1000000000ULL;
	use_tsc_deadline = tsc_deadline_works();
	printk(LOG_INFO,
	       "timer: local APIC %s (one-shot rate %lu kHz), deadlines from the timer queue",
	       use_tsc_deadline ? "TSC-deadline" : "one-shot", apic_hz / 1000);
	apic_cpu_init(true);
}
