/* SPDX-License-Identifier: MIT */
/*
 * Traps, exceptions and callbacks. Xen bounces an exception to the handler
 * in the trap table with this frame on the guest kernel stack, from the
 * lowest address: rcx, r11, [error code], rip, cs, rflags, rsp, ss. The
 * entry stubs (arch/entry.S) turn every frame into one struct gpv_regs
 * (error 0 when the vector has none), call gpv_trap_dispatch(), and return
 * with the iret hypercall. A hook may change any field; the iret restores
 * all of them.
 */
#ifndef GPV_TRAPS_H
#define GPV_TRAPS_H

#include <stdint.h>

/* Pseudo vectors for the callbacks, which share the entry path. */
#define GPV_VEC_EVENT 256
#define GPV_VEC_SYSCALL 257
#define GPV_VEC_FAILSAFE 258

struct gpv_regs {
	uint64_t r15, r14, r13, r12, r10, r9, r8, rbp, rdi, rsi, rdx, rbx, rax;
	uint64_t vector;
	uint64_t rcx, r11; /* the two words Xen saved on the frame */
	uint64_t error;
	uint64_t rip, cs, rflags, rsp, ss;
};

/* A hook returns 0 when it handled the trap (resume at regs->rip). */
typedef int (*gpv_trap_hook_t)(struct gpv_regs *regs);

/* Register the default trap table and the event/failsafe callbacks. */
void gpv_traps_init(void);
/* Set the hook for @vector (0-258); returns the previous one. */
gpv_trap_hook_t gpv_trap_set_hook(unsigned int vector, gpv_trap_hook_t hook);
/* Add a trap-table gate for @vector with @dpl; returns the hypercall's result. */
long gpv_trap_install(unsigned int vector, unsigned int dpl);
/* The entry stub of @vector (for hand-built trap tables). */
unsigned long gpv_trap_stub(unsigned int vector);
/* Print a register dump of @regs. */
void gpv_trap_dump(const struct gpv_regs *regs);
/* The trap dispatcher, from entry.S. */
void gpv_trap_dispatch(struct gpv_regs *regs);
/* Return with the iret hypercall through the page (0) or an inline syscall (1). */
void gpv_trap_iret_via_syscall(int on);

/* The callback entries in entry.S. */
void gpv_event_entry(void);
void gpv_syscall_entry(void);
void gpv_failsafe_entry(void);
/* Restore @regs and leave with the iret hypercall (the flags word 0). */
void gpv_iret_regs(const struct gpv_regs *regs) __attribute__((noreturn));

#endif
