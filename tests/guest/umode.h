/* SPDX-License-Identifier: MIT */
/*
 * Guest user mode for the test kernels that need it (linked into them by
 * tests/guest/build.mk, GPV_UMODE): the kernel's L4 doubles as the user
 * page table, user code runs on a stack of its own, and every way back
 * (a hooked trap or callback) lands in umode_run()'s caller in kernel
 * mode, with the frame it came with in umode_seen.
 */
#ifndef TESTS_GUEST_UMODE_H
#define TESTS_GUEST_UMODE_H

#include <gpv/traps.h>
#include <stdbool.h>

extern struct gpv_regs umode_seen; /* the frame of the last return to the kernel */
extern unsigned long umode_flags;  /* rflags the hook itself ran with */
extern unsigned int umode_hits;	   /* returns to the kernel since umode_run() */

/* The user page table, the stack_switch stack and the syscall callback; false on failure. */
bool umode_init(void);
/* Fill @r to start @fn in user mode (IF set, on the user stack). */
void umode_regs(struct gpv_regs *r, void (*fn)(void));
/* Enter @r with the iret hypercall; returns once a hook sent the kernel back. */
void umode_run(const struct gpv_regs *r);
/* A trap hook: record the frame and return from umode_run(). */
int umode_back(struct gpv_regs *r);

#endif
