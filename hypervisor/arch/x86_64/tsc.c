// SPDX-License-Identifier: GPL-2.0-only
/*
 * A domain's TSC mode and its emulated TSC (asm/tsc.h says what each mode
 * does; after Xen 4.17's tsc_set_info, tsc_get_info, pv_soft_rdtsc and
 * gtime_to_gtsc in xen/arch/x86/time.c). The scales are Xen's fixed-point
 * ones (set_time_scale, scale_reciprocal), so a guest sees the same
 * tsc_to_system_mul and tsc_shift for a frequency as on Xen.
 */
#include <asm/time.h>
#include <asm/tsc.h>
#include <asm/x86.h>
#include <lamina/arch.h>
#include <lamina/domain.h>
#include <xen/errno.h>

#define NS_PER_SEC 1000000000ULL
#define MUL_FRAC_ONE 0x80000000U /* 0.5: Xen's _TS_MUL_FRAC_IDENTITY */

uint64_t tsc_scale_delta(uint64_t delta, const struct tsc_scale *s)
{
	if (s->shift < 0)
		delta >>= -s->shift;
	else
		delta <<= s->shift;
	return (uint64_t)(((unsigned __int128)delta * s->mul_frac) >> 32);
}

/* The scale from ticks at hz to ns: mul_frac in [0.5, 1), as Xen's set_time_scale. */
static struct tsc_scale scale_for_hz(uint64_t hz)
{
	int8_t shift = 0;
	uint32_t hz32;

	while (hz > 2 * NS_PER_SEC) {
		hz >>= 1;
		shift--;
	}
	hz32 = (uint32_t)hz;
	while (hz32 <= NS_PER_SEC) {
		hz32 <<= 1;
		shift++;
	}
	return (struct tsc_scale){ (uint32_t)((NS_PER_SEC << 32) / hz32), shift };
}

/* The inverse scale (ns -> ticks), as Xen's scale_reciprocal. */
static struct tsc_scale scale_inverse(struct tsc_scale s)
{
	uint32_t dividend = MUL_FRAC_ONE;
	int8_t shift = (int8_t)(1 - s.shift);

	while (dividend >= s.mul_frac) {
		dividend >>= 1;
		shift++;
	}
	return (struct tsc_scale){ (uint32_t)(((uint64_t)dividend << 32) / s.mul_frac), shift };
}

bool tsc_host_is_safe(void)
{
	return time_tsc_is_stable();
}

static uint32_t cpu_khz(void)
{
	return (uint32_t)(arch_tsc_hz() / 1000);
}

static bool is_hardware_domain(const struct domain *d)
{
	return d->id == 0;
}

void tsc_domain_init(struct domain *d)
{
	d->arch.tsc = (struct domain_tsc){ 0 };
	tsc_set_info(d, TSC_MODE_DEFAULT, 0, 0, 0);
}

int tsc_set_info(struct domain *d, uint32_t mode, uint64_t elapsed_nsec, uint32_t gtsc_khz,
		 uint32_t incarnation)
{
	struct domain_tsc *t = &d->arch.tsc;

	if (is_hardware_domain(d)) {
		t->vtsc = false; /* Xen: a PV hardware domain always runs natively */
		return 0;
	}
	if (mode > TSC_MODE_NEVER_EMULATE)
		return -XEN_EINVAL;
	if (mode == TSC_MODE_NEVER_EMULATE) {
		t->vtsc = false;
	} else {
		t->offset_ns = arch_now_ns() - elapsed_nsec;
		t->khz = gtsc_khz ? gtsc_khz : cpu_khz();
		t->to_ns = scale_for_hz(t->khz * 1000ULL);
		t->vtsc = mode != TSC_MODE_DEFAULT || !tsc_host_is_safe() || t->khz != cpu_khz();
		if (t->vtsc)
			t->to_tsc = scale_inverse(t->to_ns);
	}
	t->mode = mode;
	t->incarnation = incarnation + 1;
	return 0;
}

void tsc_get_info(struct domain *d, uint32_t *mode, uint64_t *elapsed_nsec, uint32_t *gtsc_khz,
		  uint32_t *incarnation)
{
	const struct domain_tsc *t = &d->arch.tsc;

	*incarnation = t->incarnation;
	*mode = t->mode;
	if (t->mode == TSC_MODE_NEVER_EMULATE) {
		*elapsed_nsec = 0;
		*gtsc_khz = 0;
	} else if (t->vtsc) {
		*elapsed_nsec = arch_now_ns() - t->offset_ns;
		*gtsc_khz = t->khz;
	} else {
		/* Native: the host's TSC in the domain's scale, and the host's frequency. */
		*elapsed_nsec = tsc_scale_delta(rdtsc(), &t->to_ns);
		*gtsc_khz = cpu_khz();
	}
	if ((int64_t)*elapsed_nsec < 0)
		*elapsed_nsec = 0;
}

uint64_t tsc_gtime_to_gtsc(const struct domain *d, uint64_t ns)
{
	const struct domain_tsc *t = &d->arch.tsc;

	if (ns < t->offset_ns)
		return -tsc_scale_delta(t->offset_ns - ns, &t->to_tsc);
	return tsc_scale_delta(ns - t->offset_ns, &t->to_tsc);
}

uint64_t tsc_guest_read(const struct vcpu *v)
{
	struct domain *d = v->domain;
	uint64_t now, old, next;

	if (!d->arch.tsc.vtsc)
		return rdtsc();
	now = arch_now_ns();
	old = __atomic_load_n(&d->arch.tsc.last_ns, __ATOMIC_RELAXED);
	do {
		next = now > old ? now : old + 1; /* never the same value twice */
	} while (!__atomic_compare_exchange_n(&d->arch.tsc.last_ns, &old, next, false,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return tsc_gtime_to_gtsc(d, next);
}
