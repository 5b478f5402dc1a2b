// SPDX-License-Identifier: MIT
/*
 * The hypercall benchmark kernel: rdtsc-timed round trips of a null
 * hypercall (xen_version(XENVER_version) through the hypercall page and
 * through an inline syscall, and an unknown number answering -ENOSYS), an
 * iret hypercall returning to the next instruction, and an int3 bounced to
 * the guest's #BP handler and back with iret. Each is run in batches; the
 * best batch's cycles per operation is printed as "BENCH: <name> <n>
 * cycles/op", with a PASS line saying the operation gave its expected
 * result.
 */
#include <gpv/gpv.h>
#include <gpv/time.h>
#include <gpv/traps.h>
#include <gpv/test.h>

#define BATCHES 5
#define ITERS 2000

void bench_iret_once(void);

static unsigned long bp_hits;

static int on_bp(struct gpv_regs *r)
{
	(void)r;
	bp_hits++;
	return 0;
}

static long op_page(void)
{
	return gpv_hcall_page(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
}

static long op_syscall(void)
{
	return gpv_hcall_syscall(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
}

static long op_enosys(void)
{
	return gpv_hcall_syscall(60, 0, 0, 0, 0, 0);
}

static long op_iret(void)
{
	bench_iret_once();
	return 0;
}

static long op_int3(void)
{
	asm volatile("int3" ::: "memory");
	return 0;
}

/* Best cycles/op over BATCHES batches; *last gets the last result. */
static uint64_t measure(long (*op)(void), long *last)
{
	uint64_t best = ~0ULL;
	int b, i;

	for (b = 0; b < BATCHES; b++) {
		uint64_t t0 = gpv_rdtsc(), dt;

		for (i = 0; i < ITERS; i++)
			*last = op();
		dt = (gpv_rdtsc() - t0) / ITERS;
		if (dt < best)
			best = dt;
	}
	return best;
}

static void run(const char *name, long (*op)(void), long want)
{
	long last = 0x5a5a;
	uint64_t c = measure(op, &last);
	char label[80];

	gpv_printf("BENCH: %s %lu cycles/op\n", name, (unsigned long)c);
	gpv_snprintf(label, sizeof(label), "%s gives its expected result", name);
	gpv_test_eq(last, want, label);
}

int gpv_main(void)
{
	gpv_test_area("bench");
	gpv_trap_set_hook(3, on_bp);
	run("null_hypercall_page", op_page, gpv_xen_version(XENVER_version, NULL));
	run("null_hypercall_syscall", op_syscall, gpv_xen_version(XENVER_version, NULL));
	run("enosys_hypercall", op_enosys, -XEN_ENOSYS);
	run("iret_roundtrip", op_iret, 0);
	run("bounced_int3", op_int3, 0);
	gpv_test_eq((long)bp_hits, (long)BATCHES * ITERS, "every int3 reached the handler");
	return gpv_test_finish();
}
