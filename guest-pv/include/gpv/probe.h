/* SPDX-License-Identifier: MIT */
/*
 * Probes: memory accesses and instructions that may fault, with a fixup.
 * The trap dispatcher looks the faulting rip up in the probe table first;
 * on a hit it records the fault in gpv_last_fault and resumes at the fixup
 * with the probe returning false.
 */
#ifndef GPV_PROBE_H
#define GPV_PROBE_H

#include <stdbool.h>
#include <stdint.h>

struct gpv_fault {
	uint64_t vector, error, rip, cr2;
	unsigned long count; /* faults caught by probes so far */
};

extern struct gpv_fault gpv_last_fault;

/* Read/write 8 bytes at @addr; false (and gpv_last_fault) if it faulted. */
bool gpv_probe_read(unsigned long addr, uint64_t *val);
bool gpv_probe_write(unsigned long addr, uint64_t val);
/* rdmsr/wrmsr through the #GP emulation path; false if it faulted. */
bool gpv_probe_rdmsr(uint32_t msr, uint64_t *val);
bool gpv_probe_wrmsr(uint32_t msr, uint64_t val);
/* mov from/to CR0, CR3, CR4 (@cr = 0, 3 or 4). */
bool gpv_probe_read_cr(unsigned int cr, uint64_t *val);
bool gpv_probe_write_cr(unsigned int cr, uint64_t val);
/* Port I/O and interrupt-flag instructions (emulated per the virtual IOPL). */
bool gpv_probe_inb(uint16_t port, uint8_t *val);
bool gpv_probe_outb(uint16_t port, uint8_t val);
bool gpv_probe_cli(void);
bool gpv_probe_sti(void);
/* Xen's forced-emulation CPUID: ud2a; .ascii "xen"; cpuid. */
void gpv_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);
/* The fixup for a faulting rip, or 0 (used by the trap dispatcher). */
unsigned long gpv_probe_fixup(unsigned long rip);

#endif
