/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A domain's TSC mode (Xen 4.17's tsc_set_info / tsc_get_info in
 * xen/arch/x86/time.c, XEN_DOMCTL_settscinfo / gettscinfo): whether its
 * RDTSC, RDTSCP and RDMSR(TSC) run natively or are emulated ("vtsc") at
 * the guest's own frequency, counting from its own offset.
 *
 *   mode DEFAULT (0)         native when the host TSC is safe (invariant)
 *                            and the guest's frequency is the host's,
 *                            else emulated
 *   mode ALWAYS_EMULATE (1)  emulated
 *   mode NEVER_EMULATE (2)   native ("native" in xl.cfg)
 *   anything else            -EINVAL (4.17 dropped PVRDTSCP, 3)
 *
 * Emulated, the guest's TSC is gtsc = (system time - offset_ns) scaled to
 * khz, never going back (last_ns), and its vcpu_time_info carries that
 * TSC and scale. The hardware domain is always native and keeps mode 0,
 * khz 0, incarnation 0, as Xen's PV dom0.
 */
#ifndef LAMINA_ASM_TSC_H
#define LAMINA_ASM_TSC_H

#include <lamina/types.h>

/* Xen's modes (xen/arch/x86/include/asm/time.h; not in the public headers). */
#define TSC_MODE_DEFAULT 0
#define TSC_MODE_ALWAYS_EMULATE 1
#define TSC_MODE_NEVER_EMULATE 2

/* Xen's struct time_scale: ns = ((ticks << shift) * mul_frac) >> 32 (shift < 0: >>). */
struct tsc_scale {
	uint32_t mul_frac;
	int8_t shift;
};

/* Set by tsc_set_info with the domain paused; read by its vCPUs. */
struct domain_tsc {
	bool vtsc;		 /* emulated */
	uint32_t mode;		 /* TSC_MODE_* */
	uint32_t khz;		 /* the guest's TSC frequency */
	uint32_t incarnation;	 /* the caller's + 1 on every set */
	uint64_t offset_ns;	 /* system time at which the guest's TSC was 0 */
	struct tsc_scale to_ns;	 /* guest TSC ticks -> ns */
	struct tsc_scale to_tsc; /* ns -> guest TSC ticks */
	uint64_t last_ns;	 /* the last emulated read (monotonic, atomic) */
};

struct domain;
struct vcpu;

/* Xen's scale_delta: delta scaled by s. */
uint64_t tsc_scale_delta(uint64_t delta, const struct tsc_scale *s);
/* A new domain's TSC: tsc_set_info(DEFAULT, 0, 0, 0), or the hardware domain's. */
void tsc_domain_init(struct domain *d);
/* Xen's tsc_set_info (d paused, not the caller's): 0 or -EINVAL for an unknown mode. */
int tsc_set_info(struct domain *d, uint32_t mode, uint64_t elapsed_nsec, uint32_t gtsc_khz,
		 uint32_t incarnation);
/* Xen's tsc_get_info. */
void tsc_get_info(struct domain *d, uint32_t *mode, uint64_t *elapsed_nsec, uint32_t *gtsc_khz,
		  uint32_t *incarnation);
/* The TSC value v reads now (RDTSC, RDTSCP, RDMSR): emulated or the host's. */
uint64_t tsc_guest_read(const struct vcpu *v);
/* The guest TSC at system time ns of an emulating domain (Xen's gtime_to_gtsc). */
uint64_t tsc_gtime_to_gtsc(const struct domain *d, uint64_t ns);
/* True when the host TSC counts at one rate whatever the CPU does (Xen's host_tsc_is_safe). */
bool tsc_host_is_safe(void);

#endif
