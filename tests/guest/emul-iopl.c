// SPDX-License-Identifier: MIT
/*
 * emul, part 2: the virtual IOPL. PHYSDEVOP_set_iopl decides whether the
 * guest kernel's in/out/cli/sti are emulated (IOPL >= 1 for the kernel) or
 * raise #GP; Xen 4.17 completes cli/sti without touching the upcall mask. Also every basic and
 * extended CPUID leaf (and sub-leaves of the indexed ones) through the
 * forced-emulation prefix, which must all complete.
 */
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/probe.h>
#include <gpv/test.h>

#define PORT_POST 0x80

static long set_iopl(unsigned int iopl)
{
	struct physdev_set_iopl op = { .iopl = iopl };

	return gpv_physdev_op(PHYSDEVOP_set_iopl, &op);
}

void emul_check_iopl(void);
void emul_check_iopl(void)
{
	struct vcpu_info *vi = gpv_vcpu_info();
	uint8_t v = 0, mask;
	bool ok;

	gpv_test_area("emul: iopl");
	gpv_test_eq(set_iopl(0), 0, "PHYSDEVOP_set_iopl(0) returns 0");
	gpv_test_check(!gpv_probe_inb(PORT_POST, &v), "in with IOPL 0 raises a fault");
	gpv_test_eq((long)gpv_last_fault.vector, 13, "it is #GP");
	gpv_test_check(!gpv_probe_cli(), "cli with IOPL 0 raises a fault");
	gpv_test_eq(set_iopl(1), 0, "PHYSDEVOP_set_iopl(1) returns 0");
	gpv_test_check(gpv_probe_inb(PORT_POST, &v), "in with IOPL 1 is emulated");
	gpv_test_check(gpv_probe_outb(PORT_POST, 0x42), "out with IOPL 1 is emulated");
	/* Xen 4.17 emulates cli/sti with enough IOPL as no-ops: the upcall
	 * mask is not the interrupt flag (see docs/guest-pv.md). */
	ok = gpv_probe_sti();
	mask = vi->evtchn_upcall_mask;
	gpv_test_checkf(ok, "sti with IOPL 1 completes without a fault", "vector %lu",
			(unsigned long)gpv_last_fault.vector);
	gpv_test_eq(mask, 1, "sti leaves the upcall mask set");
	gpv_events_mask(0);
	ok = gpv_probe_cli();
	mask = vi->evtchn_upcall_mask;
	gpv_events_mask(1);
	gpv_test_check(ok, "cli with IOPL 1 completes without a fault");
	gpv_test_eq(mask, 0, "cli leaves the upcall mask clear");
	gpv_test_eq(set_iopl(4), -XEN_EINVAL, "PHYSDEVOP_set_iopl(4) = -EINVAL");
	gpv_test_eq(gpv_physdev_op(PHYSDEVOP_set_iopl, (void *)0x00007f0000000000UL), -XEN_EFAULT,
		    "PHYSDEVOP_set_iopl from an unmapped argument = -EFAULT");
}

void emul_check_cpuid_all(void);
void emul_check_cpuid_all(void)
{
	static const uint32_t indexed[] = { 4, 7, 0xb, 0xd, 0xf, 0x10, 0x12, 0x14, 0x17, 0x18 };
	uint32_t r[4], max, emax, leaf, sub, n = 0;
	size_t i;

	gpv_test_area("emul: cpuid");
	gpv_cpuid(0, 0, r);
	max = r[0] < 0x40 ? r[0] : 0x40;
	for (leaf = 0; leaf <= max; leaf++, n++)
		gpv_cpuid(leaf, 0, r);
	for (i = 0; i < GPV_ARRAY_SIZE(indexed); i++)
		for (sub = 0; sub < 8; sub++, n++)
			gpv_cpuid(indexed[i], sub, r);
	gpv_cpuid(0x80000000, 0, r);
	emax = r[0] < 0x80000040 ? r[0] : 0x80000040;
	for (leaf = 0x80000000; leaf <= emax; leaf++, n++)
		gpv_cpuid(leaf, 0, r);
	for (leaf = 0x40000000; leaf <= 0x40000010; leaf++, n++)
		gpv_cpuid(leaf, 0, r);
	gpv_cpuid(0xffffffff, 0, r);
	gpv_test_checkf(n > 0, "every basic, extended and hypervisor leaf completes", "%u leaves",
			n);
	gpv_test_info("%u forced CPUIDs, max basic leaf %#x, max extended %#x", n, max, emax);
}
