// SPDX-License-Identifier: MIT
/*
 * mmu_ldt: MMUEXT_SET_LDT with a real LDT, as Xen 4.17 runs it. The
 * arguments are checked (alignment, count, canonical and below the
 * hypervisor's range, another domain's); a two-page LDT is then loaded
 * lazily: the first segment load through a page makes it a descriptor
 * page (so it cannot be mapped writable or written by mmu_update, and
 * update_descriptor checks what goes into it), a page with a bad
 * descriptor gives the guest #PF at its address. Segment loads and far
 * calls through LDT descriptors work from kernel and user mode; the LDT's
 * hold on its pages goes with a new base pointer (another L4) and with
 * SET_LDT of another LDT, not with the guest's unmapping of the page.
 */
#include <gpv/gpv.h>
#include <gpv/hypercall.h>
#include <gpv/mm.h>
#include <gpv/probe.h>
#include <gpv/test.h>
#include "umode.h"

#define P 1UL
#define RW 2UL
#define US 4UL
#define NONCANON 0x0000800000000000UL
#define XENRANGE 0xffff830000000000UL
#define SEL(i) ((unsigned long)(i) << 3 | 7) /* LDT, RPL 3 */

#define DATA_DPL0 0x00cf92000000ffffULL /* flat data, DPL 0: Xen raises it to 3 */
#define CODE64 0x00affa000000ffffULL	/* 64-bit code, DPL 3 */
#define TSS64 0x0000890000000067ULL	/* a system descriptor: refused */

long t_load_fs(unsigned long sel);
long t_lar(unsigned long sel);
long t_kcall(unsigned long sel);
void t_user_ldt(void);
void t_user_in_ldt(void);
extern unsigned long t_user_sel, t_user_ds, t_user_cs;
extern uint32_t t_ufar[2];

static uint64_t ldt[2][512] __attribute__((aligned(4096)));
static uint64_t l4copy[512] __attribute__((aligned(4096)));

static long set_ldt(unsigned long va, unsigned int ents, domid_t dom)
{
	struct mmuext_op op = { .cmd = MMUEXT_SET_LDT,
				.arg1.linear_addr = va,
				.arg2.nr_ents = ents };

	return gpv_mmuext_op(&op, 1, NULL, dom);
}

static long map(const void *va, unsigned long flags)
{
	return gpv_update_va_mapping((unsigned long)va, (gpv_virt_to_mfn(va) << 12) | flags,
				     UVMF_INVLPG);
}

static uint64_t maddr(const void *va)
{
	return (gpv_virt_to_mfn(va) << 12) | ((unsigned long)va & 0xfff);
}

static void check_args(void)
{
	gpv_test_area("mmu_ldt: SET_LDT arguments");
	gpv_test_eq(set_ldt((unsigned long)ldt + 8, 1, DOMID_SELF), -XEN_EINVAL,
		    "a base not page aligned = -EINVAL");
	gpv_test_eq(set_ldt((unsigned long)ldt, 8193, DOMID_SELF), -XEN_EINVAL,
		    "8193 entries = -EINVAL");
	gpv_test_eq(set_ldt(NONCANON, 1, DOMID_SELF), -XEN_EINVAL,
		    "a non-canonical base = -EINVAL");
	gpv_test_eq(set_ldt(XENRANGE, 1, DOMID_SELF), -XEN_EINVAL,
		    "a base in the hypervisor's range = -EINVAL");
	gpv_test_eq(set_ldt(XENRANGE + 8, 0, DOMID_SELF), 0, "no entries: the base is ignored");
	gpv_test_eq(set_ldt((unsigned long)ldt, 1, DOMID_IO), -XEN_EPERM, "for DOMID_IO = -EPERM");
	gpv_test_eq(t_load_fs(SEL(0)), -1, "no LDT yet: a load through it faults");
	gpv_test_eq((long)gpv_last_fault.vector, 13, "with #GP");
	gpv_test_eq((long)gpv_last_fault.error, (long)(SEL(0) & ~3UL), "of the selector");
}

static void check_kernel_loads(void)
{
	long ar;

	gpv_test_area("mmu_ldt: loads in kernel mode");
	ldt[0][0] = DATA_DPL0;
	ldt[0][1] = CODE64;
	ldt[1][0] = TSS64;
	if (!gpv_test_eq(map(ldt[0], P | US), 0, "LDT page 0 read-only") ||
	    !gpv_test_eq(map(ldt[1], P | US), 0, "LDT page 1 read-only") ||
	    !gpv_test_eq(set_ldt((unsigned long)ldt, 1024, DOMID_SELF), 0,
			 "SET_LDT of 1024 entries"))
		return;
	gpv_test_eq(t_load_fs(SEL(0)), (long)SEL(0), "a data descriptor loads into %fs");
	ar = t_lar(SEL(0));
	gpv_test_eq((ar >> 13) & 3, 3, "its DPL 0 was made 3");
	gpv_test_eq(t_kcall(SEL(1)), (long)SEL(1), "a far call runs with the LDT code segment");
	gpv_test_eq(map(ldt[0], P | RW | US), -XEN_EBUSY,
		    "a loaded LDT page cannot be mapped writable = -EBUSY");
	gpv_test_eq(gpv_mmu_update(&(mmu_update_t){ .ptr = maddr(&ldt[0][3]), .val = CODE64 }, 1,
				   NULL, DOMID_SELF),
		    -XEN_EINVAL, "nor written by mmu_update = -EINVAL");
	gpv_test_eq(gpv_update_descriptor(maddr(&ldt[0][2]), TSS64), -XEN_EINVAL,
		    "update_descriptor of a TSS into it = -EINVAL");
	gpv_test_eq(gpv_update_descriptor(maddr(&ldt[0][2]), CODE64), 0,
		    "update_descriptor of a code descriptor");
	gpv_test_eq(t_kcall(SEL(2)), (long)SEL(2), "which is live at once");
	gpv_test_eq(t_load_fs(SEL(512)), -1, "page 1 holds a TSS: the load faults");
	gpv_test_eq((long)gpv_last_fault.vector, 14, "with #PF");
	gpv_test_eq((long)gpv_last_fault.cr2, (long)ldt[1], "at the LDT page's own address");
	gpv_test_info("#PF error code %#lx", (unsigned long)gpv_last_fault.error);
	gpv_test_eq(map(ldt[1], P | RW | US), 0, "the refused page is still an ordinary page");
	ldt[1][0] = DATA_DPL0;
	gpv_test_eq(map(ldt[1], P | US), 0, "fixed and read-only again");
	gpv_test_eq(t_load_fs(SEL(512)), (long)SEL(512), "now it loads");
	gpv_test_eq(t_lar(SEL(1024)), -2, "beyond the LDT's 1024 entries: lar finds nothing");
}

static void check_user_loads(void)
{
	struct gpv_regs r;

	gpv_test_area("mmu_ldt: loads in user mode");
	if (!gpv_test_check(umode_init(), "user mode set up"))
		return;
	t_user_sel = SEL(0);
	t_ufar[1] = SEL(1);
	gpv_trap_set_hook(GPV_VEC_SYSCALL, umode_back);
	gpv_trap_set_hook(13, umode_back);
	gpv_trap_set_hook(14, umode_back);
	umode_regs(&r, t_user_ldt);
	umode_run(&r);
	gpv_trap_set_hook(13, NULL);
	gpv_trap_set_hook(14, NULL);
	gpv_test_eq(umode_hits, 1, "one return to the kernel");
	gpv_test_eq((long)umode_seen.vector, GPV_VEC_SYSCALL, "by its syscall");
	gpv_test_eq((long)t_user_ds, (long)SEL(0), "%ds loaded from the LDT in user mode");
	gpv_test_eq((long)t_user_cs, (long)SEL(1), "a far call ran with the LDT code segment");
}

static long new_baseptr(unsigned long mfn)
{
	struct mmuext_op op = { .cmd = MMUEXT_NEW_BASEPTR, .arg1.mfn = mfn };

	return gpv_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/*
 * The LDT was just dropped (a new base pointer): an iret straight into user
 * code with an LDT code segment makes the exit's own CS load fault on the
 * LDT area, which the hypervisor maps (taking page 0 again) and retries.
 */
static void check_iret_into_ldt(void)
{
	struct gpv_regs r;

	umode_regs(&r, t_user_in_ldt);
	r.cs = SEL(1);
	t_user_cs = 0;
	umode_hits = 0;
	umode_run(&r);
	gpv_test_eq(umode_hits, 1, "an iret into an LDT code segment ran the user code");
	gpv_test_eq((long)umode_seen.vector, GPV_VEC_SYSCALL, "which came back by syscall");
	gpv_test_eq((long)t_user_cs, (long)SEL(1), "with the LDT code segment");
	gpv_test_eq(map(ldt[0], P | RW | US), -XEN_EBUSY,
		    "the exit's CS load took page 0 back into the LDT");
}

static void check_release(void)
{
	unsigned long l4 = gpv_virt_to_mfn((void *)gpv_start_info->pt_base);

	gpv_test_area("mmu_ldt: the LDT lets go of its pages");
	memcpy(l4copy, (void *)gpv_start_info->pt_base, sizeof(l4copy));
	gpv_test_eq(t_load_fs(SEL(0)), (long)SEL(0), "page 0 loaded");
	gpv_test_eq(new_baseptr(l4), 0, "NEW_BASEPTR of the same L4");
	gpv_test_eq(map(ldt[0], P | RW | US), -XEN_EBUSY, "keeps the LDT: page 0 stays read-only");
	gpv_test_eq(gpv_update_va_mapping((unsigned long)ldt[0], 0, UVMF_INVLPG), 0,
		    "the guest unmaps page 0");
	gpv_test_eq(map(ldt[0], P | RW | US), -XEN_EBUSY,
		    "the LDT's own hold stays (Xen without PV_LDT_PAGING)");
	gpv_test_eq(map(ldt[0], P | US), 0, "mapped read-only again");
	if (!gpv_test_eq(map(l4copy, P | US), 0, "a copy of the L4, read-only"))
		return;
	gpv_test_eq(new_baseptr(gpv_virt_to_mfn(l4copy)), 0, "NEW_BASEPTR of the copy");
	gpv_test_eq(map(ldt[0], P | RW | US), 0, "drops the LDT: page 0 can be mapped writable");
	gpv_test_eq(map(ldt[0], P | US), 0, "read-only again");
	gpv_test_eq(t_load_fs(SEL(0)), (long)SEL(0), "and loaded again");
	gpv_test_eq(new_baseptr(l4), 0, "NEW_BASEPTR back to the first L4");
	check_iret_into_ldt();
	gpv_test_eq(map(l4copy, P | RW | US), 0, "the copy is an ordinary page again");
	gpv_test_eq(t_load_fs(SEL(0)), (long)SEL(0), "page 0 loaded once more");
	gpv_test_eq(set_ldt(0, 0, DOMID_SELF), 0, "SET_LDT of no LDT");
	gpv_test_eq(map(ldt[0], P | RW | US), 0, "page 0 is free again");
	gpv_test_eq(map(ldt[1], P | RW | US), 0, "and page 1");
	gpv_test_eq(t_load_fs(SEL(0)), -1, "a load through the LDT faults again");
	gpv_test_eq((long)gpv_last_fault.vector, 13, "with #GP");
}

int gpv_main(void)
{
	check_args();
	check_kernel_loads();
	check_user_loads();
	check_release();
	gpv_test_eq(gpv_xen_version(XENVER_pagesize, NULL), 4096, "the domain still runs");
	return gpv_test_finish();
}
