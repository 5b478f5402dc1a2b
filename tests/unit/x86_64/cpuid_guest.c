// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest-pv kernel that prints, for every leaf of hv_cpuid_leaves.h, what
 * the forced-emulation CPUID answers ("GUEST ..." lines), then powers off:
 * booted as dom0 on real Xen 4.17, it records the PV view cpuid_vs_xen.sh
 * compares x86_64/lib/cpuid_policy with.
 */
#include <gpv/gpv.h>
#include <gpv/probe.h>
#include <gpv/test.h>

#include "cpuid_leaves.h"

static void dump(uint32_t leaf, uint32_t sub)
{
	uint32_t r[4];

	gpv_cpuid(leaf, sub, r);
	gpv_printf("GUEST %08x %08x %08x %08x %08x %08x\n", leaf, sub, r[0], r[1], r[2], r[3]);
}

int gpv_main(void)
{
	gpv_test_area("hv_cpuid_guest");
	HV_CPUID_FOR_EACH(dump);
	{
		uint64_t v = 0;
		bool ok = gpv_probe_rdmsr(0x10a, &v);

		gpv_printf("GUESTMSR 0000010a %d %016llx\n", ok, (unsigned long long)v);
	}
	gpv_test_check(true, "dumped every leaf");
	return gpv_test_finish();
}
