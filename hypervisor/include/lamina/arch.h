/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every hook generic code calls into the architecture, declared once here and
 * implemented under arch/<arch>/.
 */
#ifndef LAMINA_ARCH_H
#define LAMINA_ARCH_H

#include <lamina/types.h>

/* Exit codes written to the machine's exit device (isa-debug-exit on QEMU). */
#define LAMINA_EXIT_PANIC 0x7f
#define LAMINA_EXIT_NO_DOM0 0x70

/* Serial port: initialise, write one byte, read one byte (-1 if none). */
void arch_serial_init(void);
void arch_serial_putc(char c);
int arch_serial_getc(void);

/*
 * Ends the machine with code: QEMU's exit device first, then (reboot false)
 * a halt, or (reboot true) a reset unless the noreboot option is set.
 */
void arch_machine_exit(unsigned int code, bool reboot) __attribute__((noreturn));

/* Halts this CPU with interrupts off, for good. */
void arch_halt_forever(void) __attribute__((noreturn));

/* Boot self-test: fault with an unusable stack pointer (does not return). */
void arch_selftest_stack_fault(void);

/* Time: nanoseconds since boot (from the calibrated TSC). */
uint64_t arch_now_ns(void);

/*
 * The clock as Xen's vcpu_time_info expresses it: at TSC value *tsc the
 * time was *ns; ns = ((tsc_delta << shift) * mul) >> 32 (shift may be < 0).
 */
void arch_time_scale(uint64_t *tsc, uint64_t *ns, uint32_t *mul, int8_t *shift);

/* The calibrated TSC frequency in Hz. */
uint64_t arch_tsc_hz(void);

/* Seconds since the Unix epoch from the machine's clock (0 if unreadable). */
uint64_t arch_wallclock_now(void);

/* Waits for an interrupt with interrupts enabled, then disables them again. */
void arch_idle_wait(void);

#endif
