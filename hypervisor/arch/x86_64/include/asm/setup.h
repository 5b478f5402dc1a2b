/* SPDX-License-Identifier: GPL-2.0-only */
/* Boot-time helpers private to arch/x86_64. */
#ifndef LAMINA_ASM_SETUP_H
#define LAMINA_ASM_SETUP_H

#include <lamina/boot.h>

/* Fills bi from the loader's information; 0, or -EINVAL if magic is unknown. */
int multiboot_parse(uint32_t magic, uint32_t info, struct boot_info *bi);
/* Calibrates the TSC against the PIT and sets up the local APIC timer (apic_timer.c). */
void time_init(void);
/* Enables this CPU's local APIC (and, with timer, its one-shot timer and the scheduler tick). */
void apic_cpu_init(bool timer);
/* The number of enabled CPUs the ACPI MADT lists; 0 if unknown. */
unsigned int acpi_count_cpus(void);
/* The I/O APICs' physical addresses the MADT lists (at most max): how many. */
unsigned int acpi_ioapic_addrs(uint64_t *addr, unsigned int max);
/* The HPET block's physical address and its page protection (ACPI's HPET table). */
bool acpi_hpet(uint64_t *addr, unsigned int *protect);
/* Starts every other CPU; returns how many CPUs are online in total. */
unsigned int smp_boot(void);
/* Removes the boot identity map, after the APs are up. */
void paging_drop_identity(void);
/* Marks the direct map over [start, end) uncacheable (device memory). */
void paging_set_uncached(uint64_t start, uint64_t end);

void start_lamina(uint32_t magic, uint32_t info);

/* True when the timer interrupt is pending (a deadline passed, not yet taken) on this CPU. */
bool apic_timer_pending(void);

/* Local APIC register access (offsets as in the SDM). */
uint32_t apic_read(unsigned int off);
void apic_write(unsigned int off, uint32_t v);
#endif
