/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercalls (after xen/include/hypercall-defs.c and xen/common/multicall.c):
 * one table from __HYPERVISOR_* number to handler in common/hypercall.c,
 * every handler with one signature, do_<name>(a): a[] holds the guest's
 * arguments in Xen's order (rdi, rsi, rdx, r10, r8, r9 on x86-64) and the
 * handler returns the value for the guest's RAX (>= 0, or -XEN_Exxx). The
 * common rows are in common/hypercall.c; the arch registers its own (the PV
 * MMU, traps, iret, ...) with hypercall_register. A number without a handler
 * answers -ENOSYS, as Xen does.
 *
 * Preemption (Xen's hypercall_create_continuation): a handler that has
 * worked long enough (hypercall_preempt_check) records where it is in its
 * arguments and returns hypercall_create_continuation(nr, a): the guest's
 * registers are rewound so that it re-executes the hypercall with the new
 * arguments after the hypervisor has done what was pending (the tick, an
 * event for the guest). Inside a multicall the entry's arguments are updated
 * instead and the multicall itself continues from that entry.
 */
#ifndef LAMINA_HYPERCALL_H
#define LAMINA_HYPERCALL_H

#include <lamina/types.h>

#define HYPERCALL_NR_ARGS 6
#define HYPERCALL_TABLE_SIZE 64

typedef long hypercall_fn(const uint64_t a[HYPERCALL_NR_ARGS]);

/* The common handlers (the arch's are in its own header). */
hypercall_fn do_console_io, do_xen_version, do_sched_op, do_multicall, do_vm_assist, do_memory_op,
	do_vcpu_op, do_event_channel_op, do_set_timer_op, do_grant_table_op;

/*
 * Returned by a handler that set the guest's registers itself (iret, a
 * continuation): the dispatcher leaves RAX alone.
 */
#define HYPERCALL_NO_RETURN_VALUE (-0x7fffffffL)

/*
 * Xen's internal ERESTART (85; <xen/errno.h> defines it only for __XEN__): a
 * preemptible step stopped and is to be called again (domain_kill, the mm's
 * MM_ERESTART has the same value). Never a guest's answer.
 */
#define HYPERCALL_ERESTART 85

/* Fills the table: the common rows, then the arch's (arch_hypercall_init). Boot, once. */
void hypercall_init(void);
/* Sets row nr (an arch's own hypercall); 0, or -EINVAL for a bad or taken number. */
int hypercall_register(unsigned int nr, hypercall_fn *fn);
/* Row nr's handler (filled at boot, read-only after): hypercall_dispatch's table. */
extern hypercall_fn *hypercall_table[HYPERCALL_TABLE_SIZE];
/* boot_opts.hypercall_trace, where the dispatch below reads it. */
extern bool hypercall_tracing;
/* A number without a handler: -ENOSYS (and the first few noted at loglvl=debug). */
long hypercall_unknown(uint64_t nr, const uint64_t a[HYPERCALL_NR_ARGS]);
/* hypercall_dispatch() with hypercall_trace's line for a failing hypercall. */
long hypercall_dispatch_traced(uint64_t nr, const uint64_t a[HYPERCALL_NR_ARGS]);

_Static_assert((HYPERCALL_TABLE_SIZE & (HYPERCALL_TABLE_SIZE - 1)) == 0,
	       "the table's index mask needs a power of two");

/*
 * Row nr's handler on a[], or -ENOSYS. The index is masked after the bounds
 * check, so a mispredicted check cannot read past the table (as Xen's
 * array_index_nospec, one AND here).
 */
static inline long hypercall_call(uint64_t nr, const uint64_t a[HYPERCALL_NR_ARGS])
{
	hypercall_fn *fn;

	if (__builtin_expect(nr >= HYPERCALL_TABLE_SIZE, 0))
		return hypercall_unknown(nr, a);
	asm("" : "+r"(nr)); /* hides the bound from the compiler: the AND stays */
	fn = hypercall_table[nr & (HYPERCALL_TABLE_SIZE - 1)];
	if (__builtin_expect(!fn, 0))
		return hypercall_unknown(nr, a);
	return fn(a);
}

/*
 * Runs hypercall nr with a[] for the current vCPU; the value for RAX. Inline:
 * the entry (pv/traps.c) and the multicall call it; with hypercall_trace the
 * out-of-line traced version runs instead (nothing is live across the
 * handler's call on the common path).
 */
static inline long hypercall_dispatch(uint64_t nr, const uint64_t a[HYPERCALL_NR_ARGS])
{
	if (__builtin_expect(hypercall_tracing, 0))
		return hypercall_dispatch_traced(nr, a);
	return hypercall_call(nr, a);
}

/* True when the running hypercall should stop and continue later. */
bool hypercall_preempt_check(void);
/*
 * Makes the running hypercall nr continue with arguments a (see above);
 * its handler returns what this returns.
 */
long hypercall_create_continuation(unsigned int nr, const uint64_t a[HYPERCALL_NR_ARGS]);

/* The hypervisor's command line (XENVER_commandline). */
extern char hv_cmdline[1024];

#endif
