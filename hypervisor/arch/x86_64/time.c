// SPDX-License-Identifier: GPL-2.0-only
/*
 * Time: the TSC, calibrated once against PIT channel 2, is the clock
 * (arch_now_ns: ns since boot, Xen's system time). A guest reads it
 * through its vcpu_time_info (arch_vcpu_time_update) with the pvclock
 * formula, and the wallclock at system time 0 from shared_info
 * (time_wallclock_init). Both follow Xen's version protocol: the version
 * is odd while the fields change, so a reader retries.
 *
 * A domain whose TSC is emulated (tsc.c) gets its own TSC and scale in the
 * record instead of the host's. Because a scale changes only while its
 * domain is paused (settscinfo), a vCPU's record needs
 * writing only when it starts, when it moves its vcpu_info, and when it is
 * scheduled onto a CPU (the scheduler calls arch_vcpu_time_update, as
 * Xen's schedule() calls update_vcpu_system_time). The local APIC timer
 * (apic_timer.c) wakes a CPU for its next deadline.
 */
#include <asm/setup.h>
#include <asm/time.h>
#include <asm/tsc.h>
#include <asm/x86.h>
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/lib.h>

#define PIT_HZ 1193182
#define CPUID_INVARIANT_TSC (1u << 8) /* 0x80000007:EDX */

static uint64_t tsc_hz, tsc_at_boot;
static uint64_t ns_per_tsc_32; /* ns per TSC tick, 32.32 fixed point */
static uint64_t tsc_per_ns_32; /* TSC ticks per ns, 32.32 fixed point */
static bool tsc_stable;

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

static uint64_t tsc_to_ns(uint64_t tsc)
{
	return (uint64_t)(((unsigned __int128)(tsc - tsc_at_boot) * ns_per_tsc_32) >> 32);
}

uint64_t arch_now_ns(void)
{
	return tsc_to_ns(rdtsc());
}

uint64_t time_ns_to_tsc(uint64_t ns)
{
	return tsc_at_boot + (uint64_t)(((unsigned __int128)ns * tsc_per_ns_32) >> 32);
}

uint64_t arch_tsc_hz(void)
{
	return tsc_hz;
}

bool time_tsc_is_stable(void)
{
	return tsc_stable;
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
	*ns = tsc_to_ns(*tsc);
	*mul = (uint32_t)m;
	*shift = s;
}

void arch_vcpu_time_update(struct vcpu *v)
{
	volatile struct vcpu_time_info *t;
	struct vcpu_time_info n = { 0 };

	if (!v->vcpu_info)
		return;
	t = &v->vcpu_info->time;
	arch_time_scale(&n.tsc_timestamp, &n.system_time, &n.tsc_to_system_mul, &n.tsc_shift);
	if (v->domain->arch.tsc.vtsc) {
		/* An emulated TSC: the guest's own counter and scale (asm/tsc.h). */
		n.tsc_timestamp = tsc_gtime_to_gtsc(v->domain, n.system_time);
		n.tsc_to_system_mul = v->domain->arch.tsc.to_ns.mul_frac;
		n.tsc_shift = v->domain->arch.tsc.to_ns.shift;
	}
	/* Xen sets the bit only when its clock is the TSC; Lamina's always is. */
	n.flags = tsc_stable ? XEN_PVCLOCK_TSC_STABLE_BIT : 0;
	t->version = (t->version + 1) | 1;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	t->tsc_timestamp = n.tsc_timestamp;
	t->system_time = n.system_time;
	t->tsc_to_system_mul = n.tsc_to_system_mul;
	t->tsc_shift = n.tsc_shift;
	t->flags = n.flags;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	t->version++;
}

/*
 * The wallclock at boot (ns since the epoch), read once: every domain gets
 * the same one, as Xen's one wc_sec (reading the 1 s RTC again for each
 * domain put them up to a second apart).
 */
static uint64_t boot_wallclock_ns(void)
{
	static uint64_t boot_ns;

	if (!boot_ns) {
		uint64_t now = arch_wallclock_now(), up = arch_now_ns();

		boot_ns = now * 1000000000ULL - MIN(up, now * 1000000000ULL);
	}
	return boot_ns;
}

void time_wallclock_init(shared_info_t *s)
{
	uint64_t boot_ns = boot_wallclock_ns();
	volatile shared_info_t *vs = s;

	vs->wc_version = (vs->wc_version + 1) | 1;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	vs->wc_sec = (uint32_t)(boot_ns / 1000000000ULL);
	vs->wc_sec_hi = (uint32_t)((boot_ns / 1000000000ULL) >> 32);
	vs->wc_nsec = (uint32_t)(boot_ns % 1000000000ULL);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	vs->wc_version++;
}

void arch_idle_wait(void)
{
	safe_halt();
}

void time_init(void)
{
	uint32_t a, b, c, d;

	tsc_at_boot = rdtsc();
	tsc_hz = calibrate_tsc();
	if (tsc_hz < 1000000)
		tsc_hz = 1000000;
	ns_per_tsc_32 = (1000000000ULL << 32) / tsc_hz;
	tsc_per_ns_32 =
		((tsc_hz / 1000000000ULL) << 32) + ((tsc_hz % 1000000000ULL) << 32) / 1000000000ULL;
	cpuid_count(0x80000000, 0, &a, &b, &c, &d);
	if (a >= 0x80000007) {
		cpuid_count(0x80000007, 0, &a, &b, &c, &d);
		tsc_stable = d & CPUID_INVARIANT_TSC;
	}
	printk(LOG_INFO, "TSC %lu kHz%s", tsc_hz / 1000, tsc_stable ? ", invariant" : "");
	apic_timer_init();
}
