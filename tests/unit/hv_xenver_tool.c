// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_xenver_tool: print what pv/xen_version answers a PV dom0 (hardware
 * domain, privileged, VMASST pae_extended_cr3 on as its PAE_MODE note asks)
 * for the sub-ops hv_xenver_guest asks, in its "XENVER cmd rc bytes" format.
 */
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>

#include "pv/xen_version.h"

static uint8_t buf[PV_XENVER_MAX_ARG];

static void op(const struct pv_xenver_info *info, unsigned int cmd, unsigned int n, uint32_t submap)
{
	size_t out;
	long rc;

	memset(buf, 0xaa, sizeof(buf));
	((struct xen_feature_info *)buf)->submap_idx = submap;
	rc = pv_xen_version(info, cmd, false, buf, sizeof(buf), &out);
	printf("XENVER %u %ld ", cmd, rc);
	for (unsigned int i = 0; i < n; i++)
		printf("%02x", buf[i]);
	printf("\n");
}

int main(void)
{
	static const struct pv_xenver_info dom0 = {
		.extraversion = PV_XEN_EXTRAVERSION,
		.privileged = true,
		.hardware_domain = true,
		.pae_extended_cr3 = true,
	};

	op(&dom0, XENVER_version, 0, 0);
	op(&dom0, XENVER_capabilities, sizeof(xen_capabilities_info_t), 0);
	op(&dom0, XENVER_platform_parameters, sizeof(struct xen_platform_parameters), 0);
	op(&dom0, XENVER_get_features, sizeof(struct xen_feature_info), 0);
	op(&dom0, XENVER_get_features, sizeof(struct xen_feature_info), 1);
	op(&dom0, XENVER_pagesize, 0, 0);
	printf("XENVER %u %ld \n", XENVER_pagesize,
	       pv_xen_version(&dom0, XENVER_pagesize, true, buf, sizeof(buf), &(size_t){ 0 }));
	op(&dom0, XENVER_guest_handle, sizeof(xen_domain_handle_t), 0);
	op(&dom0, 11, 0, 0);
	op(&dom0, 0x7fffffff, 0, 0);
	return 0;
}
