// SPDX-License-Identifier: GPL-2.0-only
/*
 * Time: the TSC, calibrated once against PIT channel 2, is the clock
 * (arch_now_ns); the boot CPU's local APIC timer, calibrated against the TSC,
 * ticks at TICK_HZ so an idle CPU wakes up to check timeouts.
 */
#include <asm/setup.h>
#include <asm/traps.h>
#include <asm/x86.h>
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/mm.h>

#define TICK_HZ 100
#define PIT_HZ 1193182
#define APIC_PHYS 0xfee00000UL
#define APIC_EOI 0xb0
#define APIC_SVR 0xf0
#define APIC_LVT_TIMER 0x320
#define APIC_TIMER_INIT 0x380
#define APIC_TIMER_CUR 0x390
#define APIC_TIMER_DIV 0x3e0
#define APIC_IRR 0x200 /* 8 registers, 16 bytes apart: vectors 32 per register */

static uint64_t tsc_hz, tsc_at_boot, apic_ticks_per_tick;
static uint64_t ns_per_tsc_32; /* ns per TSC tick, 32.32 fixed point */
static volatile uint64_t ticks;

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

static uint64_t calibrate_tsc(void)
{
	uint32_t latch = PIT_HZ / 20; /* 50 ms */
	uint64_t t0, t1;

	outb(0x61, (inb(0x61) & ~0x02) | 0x01);
	outb(0x43, 0xb0);
	outb(0x42, latch & 0xff);
	outb(0x42, latch >> 8);
	t0 = rdtsc();
	while (!(inb(0x61) & 0x20))
		;
	t1 = rdtsc();
	return (t1 - t0) * 20;
}

uint64_t arch_now_ns(void)
{
	unsigned __int128 d = rdtsc() - tsc_at_boot;

	return (uint64_t)((d * ns_per_tsc_32) >> 32);
}

uint64_t arch_tsc_hz(void)
{
	return tsc_hz;
}

void arch_time_scale(uint64_t *tsc, uint64_t *ns, uint32_t *mul, int8_t *shift)
{
	uint64_t m = ns_per_tsc_32;
	int8_t s = 0;

	while (m >= (1ULL << 32)) {
		m >>= 1;
		s++;
	}
	*tsc = rdtsc();
	*ns = (uint64_t)(((unsigned __int128)(*tsc - tsc_at_boot) * ns_per_tsc_32) >> 32);
	*mul = (uint32_t)m;
	*shift = s;
}

void arch_idle_wait(void)
{
	safe_halt();
}

void apic_timer_interrupt(void)
{
	ticks++;
	apic_write(APIC_EOI, 0);
	sched_tick();
}

bool apic_timer_pending(void)
{
	return apic_read(APIC_IRR + (VEC_TIMER / 32) * 0x10) & (1u << (VEC_TIMER % 32));
}

void apic_cpu_init(bool periodic)
{
	apic_write(APIC_SVR, 0x100 | VEC_SPURIOUS);
	if (!periodic)
		return;
	apic_write(APIC_TIMER_DIV, 0x3);
	apic_write(APIC_LVT_TIMER, VEC_TIMER | (1u << 17));
	apic_write(APIC_TIMER_INIT, (uint32_t)apic_ticks_per_tick);
}

static uint64_t calibrate_apic(void)
{
	uint64_t end;

	apic_write(APIC_SVR, 0x100 | VEC_SPURIOUS);
	apic_write(APIC_TIMER_DIV, 0x3);
	apic_write(APIC_LVT_TIMER, (1u << 16) | VEC_TIMER); /* masked, one-shot */
	apic_write(APIC_TIMER_INIT, 0xffffffff);
	end = rdtsc() + tsc_hz / 100;
	while (rdtsc() < end)
		cpu_relax();
	return (0xffffffffULL - apic_read(APIC_TIMER_CUR)) * 100 / TICK_HZ;
}

void time_init(void)
{
	paging_set_uncached(APIC_PHYS, APIC_PHYS + 0x1000);
	tsc_at_boot = rdtsc();
	tsc_hz = calibrate_tsc();
	if (tsc_hz < 1000000)
		tsc_hz = 1000000;
	ns_per_tsc_32 = (1000000000ULL << 32) / tsc_hz;
	apic_ticks_per_tick = calibrate_apic();
	if (!apic_ticks_per_tick)
		apic_ticks_per_tick = 100000;
	printk(LOG_INFO, "TSC %lu kHz, APIC timer %lu counts per %u Hz tick", tsc_hz / 1000,
	       apic_ticks_per_tick, TICK_HZ);
	apic_cpu_init(true);
}
