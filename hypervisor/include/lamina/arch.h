/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every hook generic code calls into the architecture, declared once here and
 * implemented under arch/<arch>/.
 */
#ifndef LAMINA_ARCH_H
#define LAMINA_ARCH_H

#include <lamina/types.h>

struct domain;
struct vcpu;

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
/*
 * lamina_selftest=smap|smep, with dom0's page tables loaded: read the byte
 * at its entry point va without STAC, or (exec) put a RET there and call it.
 * With SMAP/SMEP on either is a #PF in the hypervisor (dump, panic).
 */
void arch_selftest_guest_access(uint64_t va, bool exec);

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

/*
 * This CPU's one-shot hardware timer (the timer queue's, common/timer.c):
 * interrupt at system time deadline_ns (at once if past; 0 disarms), then
 * timer_softirq. arch_timer_kick makes CPU cpu run timer_softirq soon.
 */
void arch_timer_program(uint64_t deadline_ns);
void arch_timer_kick(unsigned int cpu);

/* Waits for an interrupt with interrupts enabled, then disables them again. */
void arch_idle_wait(void);

/*
 * Domains and vCPUs (common/domain.c calls these; arch/<arch>/domain.c).
 * A create hook returns 0 or -Exxx and leaves nothing behind on failure;
 * its destroy hook undoes exactly what it did.
 */
/* The domain's arch state: on x86, its shared_info page (event bits, vcpu_info, clock). */
int arch_domain_create(struct domain *d);
void arch_domain_destroy(struct domain *d);
/* d stopped for good: if this CPU runs one of d's vCPUs, leave d's page tables. */
void arch_domain_shutdown(struct domain *d);
/* A new vCPU's arch state (no page tables yet, vcpu_info in shared_info). */
int arch_vcpu_create(struct vcpu *v);
void arch_vcpu_destroy(struct vcpu *v);
/* This CPU's index (0: the boot CPU). */
unsigned int arch_cpu_id(void);
/* How many CPUs came up (indexes 0 .. n-1). */
unsigned int arch_nr_cpus(void);
/*
 * Xen's arch_set_info_guest (arch/x86_64/domctl.c), for XEN_DOMCTL_setvcpucontext
 * and VCPUOP_initialise: checks the guest's context c and takes the
 * references it names (page tables, GDT frames); 0 with v's state loaded
 * from it (down unless VGCF_online), or -EINVAL/-EOPNOTSUPP, nothing changed.
 */
struct vcpu_guest_context;
int arch_set_info_guest(struct vcpu *v, const struct vcpu_guest_context *c);
/* v has a context (the builder's tables or arch_set_info_guest's). */
bool arch_vcpu_has_context(const struct vcpu *v);
/* VCPUOP_up / VCPUOP_down: v's down flag (arch_vcpu_is_online reads it). */
void arch_vcpu_set_down(struct vcpu *v, bool down);
/* VCPUOP_get_physid: 0 with the physical CPU's ids, or -EINVAL (v not pinned). */
int arch_vcpu_physid(const struct vcpu *v, uint64_t *id);
/* Writes v's vcpu_time_info (version odd while it changes) from the clock now. */
void arch_vcpu_time_update(struct vcpu *v);
/* The vCPU this CPU runs, or NULL. */
struct vcpu *arch_current_vcpu(void);
/*
 * The scheduler switches this CPU from prev to next (either may be NULL:
 * idle). prev's state is saved from the CPU and the frame the hypervisor
 * will leave through; next's loaded into both. Called only where the
 * hypervisor is about to leave to a guest or idles (arch/<arch>/context_switch.c).
 */
void arch_context_switch(struct vcpu *prev, struct vcpu *next);
/* Leaves the hypervisor into v (the vCPU this CPU now runs); never returns. */
void arch_vcpu_enter(struct vcpu *v) __attribute__((noreturn));
/* Prints the registers v had when it entered the hypervisor (v runs on this CPU). */
void arch_dump_guest_regs(const struct vcpu *v);

/*
 * Hypercalls (common/hypercall.c calls these; arch/<arch>/pv/hypercall.c).
 */
/* Registers the arch's own rows of the hypercall table (hypercall_register). */
void arch_hypercall_init(void);
/* Rewinds the running vCPU's registers so it re-executes hypercall nr with a. */
void arch_hypercall_continuation(unsigned int nr, const uint64_t a[6]);
/* True when something of the hypervisor's waits (the tick): preempt. */
bool arch_hypercall_preempt_check(void);

/*
 * Memory (common/page_alloc.c calls this; arch/<arch>/mm.c): the frame went
 * back to the allocator, its arch state (x86: the frame type) is cleared.
 */
void arch_mm_frame_freed(mfn_t mfn);
/*
 * I/O memory the hardware domain may not map as it likes, in address order
 * (Xen's dom0_setup_permissions and mmio_ro_ranges): ranges of frames
 * [first, last], at most max; how many. *io_end: the first frame beyond
 * the CPU's physical address width.
 */
enum arch_io_kind {
	ARCH_IO_DENIED, /* not mapped at all (the MSI range, AMD's HyperTransport hole) */
	ARCH_IO_RO,	/* read-only (the HPET) */
	ARCH_IO_IOAPIC, /* read-only, and a hole in the machine memory map */
};
struct arch_io_range {
	uint64_t first, last;
	enum arch_io_kind kind;
};
unsigned int arch_io_ranges(struct arch_io_range *r, unsigned int max, uint64_t *io_end);

#endif
