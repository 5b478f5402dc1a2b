// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hypercall and privileged-instruction fuzzer, run as dom0 on Lamina by
 * tests/boot/boot.sh. From a fixed seed it issues thousands of hypercalls
 * with hostile arguments (pointers into its own memory, into its read-only
 * page tables, unmapped, into the hypervisor's range, non-canonical; small
 * and huge integers) and rdmsr/wrmsr of random MSRs. The property: the
 * hypervisor answers every one and the kernel gets to report its verdict.
 * Calls that legitimately wreck or end the guest itself (iret, shutdown,
 * block, the MMU calls, trap table and callback changes, segment bases,
 * descriptor writes, console output, and the sub-ops that write into guest
 * frames their argument names) are left out.
 */
#include <gpv/gpv.h>
#include <gpv/probe.h>
#include <gpv/test.h>

#define ITERS 20000
#define MSR_ITERS 2000

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint8_t scratch[8192] __attribute__((aligned(4096)));

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* An argument a hostile guest would pass. */
static uint64_t arg(void)
{
	switch (next() % 10) {
	case 0:
		return 0;
	case 1:
		return next() % 64;
	case 2:
		return (uint64_t)scratch + next() % sizeof(scratch);
	case 3:
		return gpv_start_info->pt_base + (next() % 4096);
	case 4:
		return 0x00007f0000000000ULL + (next() & 0xffffff); /* unmapped */
	case 5:
		return 0xffff800000000000ULL + (next() & 0x7ffffffffffULL); /* hypervisor */
	case 6:
		return 0x8000000000000000ULL | next(); /* non-canonical */
	case 7:
		return ~0ULL - next() % 16;
	case 8:
		return 0x0000800000000000ULL - next() % 64; /* top of the lower half */
	default:
		return next();
	}
}

/* Hypercalls safe to fuzz: they may fail but cannot wreck this kernel. */
static unsigned int pick(void)
{
	static const unsigned int safe[] = {
		__HYPERVISOR_set_gdt,	       __HYPERVISOR_stack_switch, __HYPERVISOR_set_timer_op,
		__HYPERVISOR_xen_version,      __HYPERVISOR_vm_assist,	  __HYPERVISOR_vcpu_op,
		__HYPERVISOR_event_channel_op, __HYPERVISOR_physdev_op,	  __HYPERVISOR_memory_op,
		__HYPERVISOR_grant_table_op,   __HYPERVISOR_domctl,	  __HYPERVISOR_sysctl,
	};

	if (next() % 4 == 0)
		return (unsigned int)(next() % 80); /* mostly unknown numbers */
	return safe[next() % (sizeof(safe) / sizeof(safe[0]))];
}

static bool wrecking(unsigned int nr)
{
	switch (nr) {
	case __HYPERVISOR_set_trap_table:
	case __HYPERVISOR_mmu_update:
	case __HYPERVISOR_set_callbacks:
	case __HYPERVISOR_fpu_taskswitch:
	case __HYPERVISOR_update_descriptor:
	case __HYPERVISOR_multicall:
	case __HYPERVISOR_update_va_mapping:
	case __HYPERVISOR_console_io:
	case __HYPERVISOR_iret:
	case __HYPERVISOR_set_segment_base:
	case __HYPERVISOR_mmuext_op:
	case __HYPERVISOR_sched_op:
	case __HYPERVISOR_callback_op:
		return true;
	default:
		return false;
	}
}

/*
 * Sub-ops that write into guest frames named inside their (fuzzed) argument:
 * the FIFO control block and event array (written on every event after),
 * grant copies to a frame, setup_table's and get_status_frames' frame lists,
 * and the grant batches that write a status back into each of count ops
 * (copy, map, unmap, unmap_and_replace: at a pointer into this kernel's
 * text, a huge count rewrites all of it, on Xen as on Lamina).
 */
static bool wrecking_subop(unsigned int nr, unsigned long cmd)
{
	if (nr == __HYPERVISOR_event_channel_op)
		return cmd == EVTCHNOP_init_control || cmd == EVTCHNOP_expand_array;
	if (nr == __HYPERVISOR_grant_table_op) {
		unsigned int c = (unsigned int)cmd; /* read as 32 bits, as Xen's unsigned int cmd */

		return c == GNTTABOP_copy || c == GNTTABOP_map_grant_ref ||
		       c == GNTTABOP_unmap_grant_ref || c == GNTTABOP_unmap_and_replace ||
		       c == GNTTABOP_setup_table || c == GNTTABOP_get_status_frames;
	}
	return false;
}

static bool msr_wrecking(uint32_t msr)
{
	return (msr >= 0xc0000100 && msr <= 0xc0000102) || msr == 0x40000000;
}

int gpv_main(void)
{
	unsigned long done = 0, enosys = 0, faults = 0;
	long v;

	gpv_test_area("fuzz");
	for (unsigned long i = 0; i < ITERS; i++) {
		unsigned int nr = pick();
		unsigned long a0 = arg();
		long rc;

		if (wrecking(nr))
			continue;
		/* VCPUOP_down on our only vCPU would end this kernel on purpose. */
		if (nr == __HYPERVISOR_vcpu_op && a0 == VCPUOP_down)
			continue;
		/* These make the hypervisor write into any page of ours they name. */
		if (wrecking_subop(nr, a0))
			continue;
		rc = gpv_hcall(nr, a0, arg(), arg(), arg(), arg());
		enosys += rc == -38;
		done++;
	}
	gpv_test_info("%lu hypercalls, %lu of them -ENOSYS", done, enosys);
	gpv_test_check(done > ITERS / 2, "the hypervisor answered every fuzzed hypercall");
	for (unsigned long i = 0; i < MSR_ITERS; i++) {
		uint32_t msr = (next() % 3 == 0) ? (uint32_t)next() : (uint32_t)(next() % 0x1000);
		uint64_t val;

		if (i % 2 && !msr_wrecking(msr))
			faults += !gpv_probe_wrmsr(msr, arg());
		else
			faults += !gpv_probe_rdmsr(msr, &val);
	}
	gpv_test_info("%lu of %d rdmsr/wrmsr raised #GP", faults, MSR_ITERS);
	gpv_test_check(faults > 0, "random MSRs are refused with #GP, not a crash");
	v = gpv_xen_version(XENVER_version, NULL);
	gpv_test_eq(v, (4 << 16) | 17, "the hypervisor still answers xen_version afterwards");
	return gpv_test_finish();
}
