/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The register frame every entry (exception, interrupt, syscall, sysenter)
 * builds on the per-CPU stack, lowest address first. From a guest (ring 3),
 * the frame sits at the very top of the CPU's stack.
 */
#ifndef LAMINA_ASM_REGS_H
#define LAMINA_ASM_REGS_H

#define VEC_SYSCALL 0x100 /* vector field for a syscall entry */
#define VEC_SYSENTER 0x101
#define VEC_SYSCALL32 0x102 /* SYSCALL from 32-bit (compat) code: CSTAR */

/* Offsets in struct cpu_regs, for the exit path (entry.S). */
#define REGS_VECTOR 120
#define REGS_RIP 136
#define REGS_CS 144
#define REGS_RFLAGS 152
#define REGS_RSP 160
#define REGS_SS 168

#ifndef __ASSEMBLY__
#include <lamina/types.h>

struct cpu_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, rax, rcx;
	union { /* a hypercall's six arguments, in Xen's order: pv_hypercall_args() */
		struct {
			uint64_t rdi, rsi, rdx, r10, r8, r9;
		};
		uint64_t hypercall_args[6];
	};
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(__builtin_offsetof(struct cpu_regs, vector) == REGS_VECTOR, "REGS_VECTOR");
_Static_assert(__builtin_offsetof(struct cpu_regs, rip) == REGS_RIP, "REGS_RIP");
_Static_assert(__builtin_offsetof(struct cpu_regs, cs) == REGS_CS, "REGS_CS");
_Static_assert(__builtin_offsetof(struct cpu_regs, rflags) == REGS_RFLAGS, "REGS_RFLAGS");
_Static_assert(__builtin_offsetof(struct cpu_regs, rsp) == REGS_RSP, "REGS_RSP");
_Static_assert(__builtin_offsetof(struct cpu_regs, ss) == REGS_SS, "REGS_SS");

/*
 * A 64-bit PV hypercall's arguments (rdi, rsi, rdx, r10, r8, r9) where the
 * entry saved them: the handlers read them there, no copy. A handler that
 * rewrites the guest's registers (a continuation) writes the same array.
 */
static inline const uint64_t *pv_hypercall_args(const struct cpu_regs *r)
{
	return r->hypercall_args;
}

static inline bool regs_from_guest(const struct cpu_regs *r)
{
	return (r->cs & 3) == 3;
}

/* Prints every register of r, with a title, at LOG_ERR. */
void arch_dump_regs(const char *title, const struct cpu_regs *r);

#endif /* __ASSEMBLY__ */
#endif
