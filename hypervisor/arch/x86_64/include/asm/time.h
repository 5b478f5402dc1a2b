/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The clock inside arch/x86_64: the TSC scale time.c calibrates, the
 * local APIC timer apic_timer.c drives, and the guest-visible time
 * (vcpu_time_info, the wallclock) time.c writes.
 */
#ifndef LAMINA_ASM_TIME_H
#define LAMINA_ASM_TIME_H

#include <lamina/types.h>
#include <xen/xen.h>

/* The TSC value at system time ns. */
uint64_t time_ns_to_tsc(uint64_t ns);
/* Calibrates the local APIC timer, picks its mode, arms it on the boot CPU. */
void apic_timer_init(void);
/* Writes the wallclock at system time 0 (wc_version odd while it changes). */
void time_wallclock_init(shared_info_t *s);
/* True when the TSC runs at a constant rate (CPUID invariant TSC). */
bool time_tsc_is_stable(void);

#endif
