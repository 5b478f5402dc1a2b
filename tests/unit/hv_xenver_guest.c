// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest-pv kernel that prints what xen_version answers for the sub-ops
 * whose answers do not depend on who built the hypervisor ("XENVER cmd rc
 * bytes..." lines, the bytes in hex), then powers off: booted as dom0 on
 * real Xen 4.17 it records what hv_xenver_vs_xen.sh compares pv/xen_version
 * with.
 */
#include <gpv/gpv.h>
#include <gpv/hypercalls.h>
#include <gpv/test.h>
#include <xen/version.h>

static uint8_t buf[1024];

static void show(unsigned int cmd, long rc, unsigned int n)
{
	gpv_printf("XENVER %u %ld ", cmd, rc);
	for (unsigned int i = 0; i < n; i++)
		gpv_printf("%02x", buf[i]);
	gpv_printf("\n");
}

static void op(unsigned int cmd, unsigned int n, uint32_t submap)
{
	for (unsigned int i = 0; i < sizeof(buf); i++)
		buf[i] = 0xaa;
	((struct xen_feature_info *)buf)->submap_idx = submap;
	show(cmd, gpv_xen_version((int)cmd, buf), n);
}

int gpv_main(void)
{
	gpv_test_area("hv_xenver_guest");
	op(XENVER_version, 0, 0);
	op(XENVER_capabilities, sizeof(xen_capabilities_info_t), 0);
	op(XENVER_platform_parameters, sizeof(struct xen_platform_parameters), 0);
	op(XENVER_get_features, sizeof(struct xen_feature_info), 0);
	op(XENVER_get_features, sizeof(struct xen_feature_info), 1);
	op(XENVER_pagesize, 0, 0);
	show(XENVER_pagesize, gpv_xen_version(XENVER_pagesize, NULL), 0);
	op(XENVER_guest_handle, sizeof(xen_domain_handle_t), 0);
	op(11, 0, 0);
	op(0x7fffffff, 0, 0);
	gpv_test_check(true, "asked every sub-op");
	return gpv_test_finish();
}
