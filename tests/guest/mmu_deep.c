// SPDX-License-Identifier: MIT
/*
 * mmu_deep: pins, unpins and replacements of a full 4-level tree of 2048 L1
 * tables (a million L1 entries) with a 1 ms periodic timer running, so
 * that Xen 4.17 and Lamina stop the validation and the teardown half-way
 * and continue the hypercall (seen from here: an event upcall whose saved
 * RIP is inside the hypercall page, i.e. the hypercall was interrupted and
 * re-issued). Hostile variants: a tree whose very last L1 entry is refused
 * (the whole pin fails, every table page is untyped again, and a repaired
 * tree pins and unpins cleanly: the counts came back), and mmu_update /
 * unpin on the tables while their validation is half done (from the event
 * handler, inside the continued pin). Last, VCPUOP_initialise of vCPU 1
 * (the machine has two CPUs) with the tree's L4 as its page table: Xen's
 * arch_set_info_guest validates it preemptibly too, continuing the
 * hypercall; vCPU 1 then holds the tree for good. The tree lives in
 * frames beyond the initial mapping, written through one scratch mapping.
 */
#include <gpv/evtchn.h>
#include <gpv/gpv.h>
#include <gpv/hypercall.h>
#include <gpv/mm.h>
#include <gpv/page.h>
#include <gpv/test.h>
#include <gpv/traps.h>
#include <xen/vcpu.h>

#include "vcpu-lib.h"

#define P 1UL
#define RW 2UL
#define US 4UL
#define NL2 4
#define NL1 (NL2 * 512)
#define L4_SLOT 1 /* the tree maps 512 GiB .. 1 TiB: nothing of ours */

struct tree {
	unsigned long l4, l3, l2[NL2], l1[NL1], data;
};

static struct tree t;
static uint64_t *scratch;
static unsigned long scratch_mfn;
static volatile unsigned long in_hc, in_hc_total;
static int (*probe_fn)(void);
static volatile long probe_rc[3];
static volatile int probe_done;
static gpv_trap_hook_t upcall;

static long ext(unsigned int cmd, unsigned long mfn)
{
	struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };

	return gpv_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static long map_scratch(unsigned long mfn, unsigned long flags)
{
	return gpv_update_va_mapping((unsigned long)scratch, (mfn << 12) | flags, UVMF_INVLPG);
}

static long mmu1(unsigned long mfn, unsigned int slot, uint64_t val)
{
	mmu_update_t req = { .ptr = (mfn << 12) + slot * 8, .val = val };

	return gpv_mmu_update(&req, 1, NULL, DOMID_SELF);
}

/*
 * The event hook: counts upcalls taken with the saved RIP on the SYSCALL of
 * mmuext_op's, mmu_update's or vcpu_op's hypercall-page entry, i.e. a hypercall that
 * stopped and will be issued again (a completed one returns past it); runs
 * the probe at the first.
 */
static int hook(struct gpv_regs *regs)
{
	unsigned long hp = (unsigned long)gpv_hypercall_page, rip = regs->rip;
	bool ours = (rip >= hp + __HYPERVISOR_mmuext_op * 32 &&
		     rip < hp + (__HYPERVISOR_mmuext_op + 1) * 32) ||
		    (rip >= hp + __HYPERVISOR_mmu_update * 32 &&
		     rip < hp + (__HYPERVISOR_mmu_update + 1) * 32) ||
		    (rip >= hp + __HYPERVISOR_vcpu_op * 32 &&
		     rip < hp + (__HYPERVISOR_vcpu_op + 1) * 32);

	if (ours && *(const uint16_t *)rip == 0x050f) {
		in_hc++;
		if (probe_fn && !probe_done) {
			probe_done = 1;
			probe_fn();
		}
	}
	return upcall(regs);
}

/* Writes frame mfn's 512 entries (fill(i)) through the scratch page; 0 or the error. */
static long write_frame(unsigned long mfn, uint64_t (*fill)(unsigned int i, unsigned long arg),
			unsigned long arg)
{
	long rc = map_scratch(mfn, P | RW | US);

	if (rc)
		return rc;
	for (unsigned int i = 0; i < 512; i++)
		scratch[i] = fill(i, arg);
	return map_scratch(scratch_mfn, P | RW | US);
}

static uint64_t fill_l1(unsigned int i, unsigned long arg)
{
	(void)i;
	return (arg << 12) | P | US;
}

static uint64_t fill_l2(unsigned int i, unsigned long arg)
{
	return (t.l1[arg * 512 + i] << 12) | P | RW | US;
}

static uint64_t fill_l3(unsigned int i, unsigned long arg)
{
	(void)arg;
	return i < NL2 ? (t.l2[i] << 12) | P | RW | US : 0;
}

static uint64_t fill_l4(unsigned int i, unsigned long arg)
{
	(void)arg;
	return i == L4_SLOT ? (t.l3 << 12) | P | RW | US : 0;
}

/* Frames beyond the initial mapping: the domain's, mapped nowhere. */
static bool take_frames(void)
{
	unsigned long pfn = 0, n = gpv_start_info->nr_pages;
	uint64_t e[4];

	while (pfn < n && gpv_pt_walk(pfn << 12, e) == 4)
		pfn++;
	if (n - pfn < NL1 + NL2 + 3)
		return false;
	t.data = gpv_pfn_to_mfn(pfn++);
	t.l4 = gpv_pfn_to_mfn(pfn++);
	t.l3 = gpv_pfn_to_mfn(pfn++);
	for (unsigned int i = 0; i < NL2; i++)
		t.l2[i] = gpv_pfn_to_mfn(pfn++);
	for (unsigned int i = 0; i < NL1; i++)
		t.l1[i] = gpv_pfn_to_mfn(pfn++);
	return true;
}

static bool build(void)
{
	long rc = 0;

	for (unsigned int i = 0; i < NL1 && !rc; i++)
		rc = write_frame(t.l1[i], fill_l1, t.data);
	for (unsigned int i = 0; i < NL2 && !rc; i++)
		rc = write_frame(t.l2[i], fill_l2, i);
	if (!rc)
		rc = write_frame(t.l3, fill_l3, 0);
	if (!rc)
		rc = write_frame(t.l4, fill_l4, 0);
	return gpv_test_checkf(!rc, "a tree of 2048 L1s, 4 L2s, an L3 and an L4 written", "rc %ld",
			       rc);
}

/* How many of the tree's table frames can be mapped writable (are untyped). */
static unsigned int nr_writable(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < NL1; i++)
		n += map_scratch(t.l1[i], P | RW | US) == 0;
	for (unsigned int i = 0; i < NL2; i++)
		n += map_scratch(t.l2[i], P | RW | US) == 0;
	n += map_scratch(t.l3, P | RW | US) == 0;
	n += map_scratch(t.l4, P | RW | US) == 0;
	map_scratch(scratch_mfn, P | RW | US);
	return n;
}

#define NR_TABLES (NL1 + NL2 + 2)

static long timed_op(unsigned int cmd, unsigned long mfn, unsigned long *events)
{
	long rc;

	in_hc = 0;
	rc = ext(cmd, mfn);
	*events = in_hc;
	in_hc_total += in_hc;
	return rc;
}

static void check_pin_unpin(void)
{
	unsigned long ev_pin, ev_unpin;

	gpv_test_area("mmu_deep: pin and unpin a 4-level tree of 2048 L1s");
	gpv_test_eq(timed_op(MMUEXT_PIN_L4_TABLE, t.l4, &ev_pin), 0, "pin the L4");
	gpv_test_eq(map_scratch(t.l1[NL1 - 1], P | RW | US), -XEN_EBUSY,
		    "its last L1 is a table now: mapping it writable = -EBUSY");
	gpv_test_eq(mmu1(t.l1[NL1 - 1], 5, (t.data << 12) | P | US), 0,
		    "an entry of its last L1 updated through mmu_update");
	gpv_test_eq(timed_op(MMUEXT_UNPIN_TABLE, t.l4, &ev_unpin), 0, "unpin the L4");
	gpv_test_eq(nr_writable(), NR_TABLES, "every table frame untyped again (writable)");
	gpv_test_info("mmu_deep: events inside the pin %lu, inside the unpin %lu", ev_pin,
		      ev_unpin);
	gpv_test_checkf(ev_pin > 0, "the pin was preempted and continued", "%lu upcalls inside it",
			ev_pin);
}

static void check_replace(void)
{
	unsigned long ev;

	gpv_test_area("mmu_deep: replace a pinned tree's subtree");
	gpv_test_eq(timed_op(MMUEXT_PIN_L4_TABLE, t.l4, &ev), 0, "pin the L4");
	in_hc = 0;
	gpv_test_eq(mmu1(t.l4, L4_SLOT, 0), 0, "mmu_update drops its L3 entry (the whole subtree)");
	gpv_test_info("mmu_deep: events inside the subtree's teardown %lu", in_hc);
	gpv_test_eq(nr_writable(), NR_TABLES - 1, "everything but the pinned L4 untyped");
	gpv_test_eq(mmu1(t.l4, L4_SLOT, (t.l3 << 12) | P | RW | US), 0,
		    "mmu_update puts the L3 back (validating the subtree again)");
	gpv_test_eq(map_scratch(t.l2[0], P | RW | US), -XEN_EBUSY, "an L2 is a table again");
	gpv_test_eq(timed_op(MMUEXT_UNPIN_TABLE, t.l4, &ev), 0, "unpin the L4");
	gpv_test_eq(nr_writable(), NR_TABLES, "every table frame untyped again");
}

static void check_bad_last_entry(void)
{
	unsigned long ev;
	long rc;

	gpv_test_area("mmu_deep: a tree whose last entry is refused");
	rc = write_frame(t.l1[NL1 - 1], fill_l1, t.data);
	if (!rc)
		rc = map_scratch(t.l1[NL1 - 1], P | RW | US);
	if (!rc) {
		scratch[511] = (t.l2[0] << 12) | P | RW | US; /* an L2 of the tree, writable */
		rc = map_scratch(scratch_mfn, P | RW | US);
	}
	gpv_test_eq(rc, 0, "the last L1's last entry maps the first L2 writable");
	gpv_test_eq(timed_op(MMUEXT_PIN_L4_TABLE, t.l4, &ev), -XEN_EBUSY,
		    "pinning the tree = -EBUSY (its last entry)");
	gpv_test_info("mmu_deep: events inside the failed pin %lu", ev);
	gpv_test_eq(nr_writable(), NR_TABLES, "nothing of it left typed");
	gpv_test_eq(write_frame(t.l1[NL1 - 1], fill_l1, t.data), 0, "the entry repaired");
	gpv_test_eq(timed_op(MMUEXT_PIN_L4_TABLE, t.l4, &ev), 0,
		    "the repaired tree pins (the counts came back)");
	gpv_test_eq(timed_op(MMUEXT_UNPIN_TABLE, t.l4, &ev), 0, "and unpins");
	gpv_test_eq(nr_writable(), NR_TABLES, "every table frame untyped again");
}

/* From the event handler, while the pin is half done. */
static int probe_half_done(void)
{
	probe_rc[0] = mmu1(t.l4, L4_SLOT, 0);
	probe_rc[1] = ext(MMUEXT_UNPIN_TABLE, t.l4);
	probe_rc[2] = map_scratch(t.l4, P | RW | US);
	map_scratch(scratch_mfn, P | RW | US);
	return 0;
}

static void check_race(void)
{
	unsigned long ev;

	gpv_test_area("mmu_deep: the tables touched while their validation is half done");
	probe_done = 0;
	probe_fn = probe_half_done;
	gpv_test_eq(timed_op(MMUEXT_PIN_L4_TABLE, t.l4, &ev), 0, "pin the L4");
	probe_fn = NULL;
	if (!gpv_test_check(probe_done, "an upcall came inside the pin"))
		return;
	gpv_test_eq(probe_rc[0], -XEN_EINVAL, "mmu_update on the half-validated L4 = -EINVAL");
	gpv_test_eq(probe_rc[1], -XEN_EINVAL, "unpin of the half-pinned L4 = -EINVAL");
	gpv_test_eq(probe_rc[2], -XEN_EBUSY, "mapping it writable = -EBUSY");
	gpv_test_eq(timed_op(MMUEXT_UNPIN_TABLE, t.l4, &ev), 0, "unpin the L4 once pinned");
	gpv_test_eq(nr_writable(), NR_TABLES, "every table frame untyped again");
}

static void never_run(void)
{
	for (;;)
		;
}

/* vCPU 1's first context with the tree's L4: validated preemptibly, held by vCPU 1 after. */
static void check_initialise(void)
{
	static struct vcpu_guest_context c;
	static uint64_t stack[512];
	long rc;

	gpv_test_area("mmu_deep: VCPUOP_initialise of vCPU 1 with the tree's L4");
	if (!gpv_test_eq(gpv_vcpu_op(VCPUOP_is_up, 1, NULL), 0, "vCPU 1 is there, down"))
		return;
	vl_kernel_context(&c, never_run, &stack[512]);
	c.ctrlreg[3] = xen_pfn_to_cr3(t.l4);
	in_hc = 0;
	rc = gpv_vcpu_op(VCPUOP_initialise, 1, &c);
	in_hc_total += in_hc;
	gpv_test_eq(rc, 0, "VCPUOP_initialise with the 2048-L1 tree");
	gpv_test_info("mmu_deep: events inside VCPUOP_initialise %lu", in_hc);
	gpv_test_checkf(in_hc > 0, "it was preempted and continued", "%lu upcalls inside it",
			in_hc);
	gpv_test_eq(gpv_vcpu_op(VCPUOP_is_up, 1, NULL), 0, "vCPU 1 stays down (no VGCF_online)");
	gpv_test_eq(nr_writable(), 0, "every table of the tree is typed (vCPU 1 holds its L4)");
	gpv_test_eq(ext(MMUEXT_PIN_L4_TABLE, t.l4), 0, "its L4 pins (validated already)");
	gpv_test_eq(ext(MMUEXT_UNPIN_TABLE, t.l4), 0, "and unpins");
	gpv_test_eq(map_scratch(t.l1[0], P | RW | US), -XEN_EBUSY, "an L1 is still a table");
	gpv_test_eq(gpv_vcpu_op(VCPUOP_initialise, 1, &c), -XEN_EEXIST,
		    "a second VCPUOP_initialise = -EEXIST");
}

static bool start_timer(void)
{
	struct vcpu_set_periodic_timer pt = { .period_ns = 1000000 };
	long port = gpv_evtchn_bind_virq(VIRQ_TIMER);

	if (port < 0 || gpv_evtchn_unmask((evtchn_port_t)port))
		return false;
	upcall = gpv_trap_set_hook(GPV_VEC_EVENT, hook);
	gpv_events_mask(0);
	return gpv_vcpu_op(VCPUOP_set_periodic_timer, 0, &pt) == 0;
}

int gpv_main(void)
{
	scratch = gpv_page_alloc();
	if (!gpv_test_check(scratch && take_frames(), "a scratch page and 2055 free frames"))
		return gpv_test_finish();
	scratch_mfn = gpv_virt_to_mfn(scratch);
	if (!gpv_test_check(start_timer(), "VIRQ_TIMER bound, a 1 ms periodic timer"))
		return gpv_test_finish();
	if (!build())
		return gpv_test_finish();
	check_pin_unpin();
	check_replace();
	check_bad_last_entry();
	check_race();
	check_initialise();
	gpv_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
	gpv_test_info("mmu_deep: %lu upcalls inside hypercalls in all", in_hc_total);
	return gpv_test_finish();
}
