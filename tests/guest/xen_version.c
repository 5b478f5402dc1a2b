// SPDX-License-Identifier: MIT
/*
 * xen_version: every sub-op of Xen 4.17, through the hypercall page and
 * through an inline syscall. Strings must come back NUL-terminated and
 * zero-padded to the size of their type; bad pointers give -EFAULT and an
 * unknown sub-op -ENOSYS.
 */
#include <gpv/gpv.h>
#include <gpv/test.h>

#define BAD_PTR ((void *)0x00007f0000000000UL) /* canonical, unmapped */

/* True when @buf (size @n) holds a NUL and only zeroes after it. */
static bool padded_string(const char *buf, size_t n)
{
	size_t len = strnlen(buf, n), i;

	if (len == n)
		return false;
	for (i = len; i < n; i++)
		if (buf[i])
			return false;
	return true;
}

static void check_string(int cmd, size_t n, const char *name)
{
	char buf[1100];
	char label[96];
	long rc;

	memset(buf, 0x5a, sizeof(buf));
	rc = gpv_xen_version(cmd, buf);
	gpv_snprintf(label, sizeof(label), "%s returns 0", name);
	gpv_test_eq(rc, 0, label);
	gpv_snprintf(label, sizeof(label), "%s NUL-terminated and zero-padded", name);
	gpv_test_checkf(padded_string(buf, n), label, "'%.40s'", buf);
	gpv_snprintf(label, sizeof(label), "%s writes nothing past its type", name);
	gpv_test_check((unsigned char)buf[n] == 0x5a, label);
	gpv_test_info("%s = '%s'", name, buf);
}

static void check_version(void)
{
	long v_page, v_sys;

	gpv_test_area("xen_version");
	v_page = gpv_hcall_page(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
	v_sys = gpv_hcall_syscall(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
	gpv_test_eq(v_page >> 16, 4, "XENVER_version major 4 (hypercall page)");
	gpv_test_eq(v_page & 0xffff, 17, "XENVER_version minor 17 (hypercall page)");
	gpv_test_eq(v_sys, v_page, "XENVER_version same through inline syscall");
}

static void check_structs(void)
{
	xen_platform_parameters_t pp;
	xen_feature_info_t fi;
	xen_domain_handle_t h;
	long rc;

	gpv_test_area("xen_version");
	memset(&pp, 0xff, sizeof(pp));
	gpv_test_eq(gpv_xen_version(XENVER_platform_parameters, &pp), 0,
		    "XENVER_platform_parameters returns 0");
	gpv_test_eq((long)pp.virt_start, (long)HYPERVISOR_VIRT_START,
		    "platform_parameters virt_start = HYPERVISOR_VIRT_START");
	gpv_test_eq(gpv_xen_version(XENVER_pagesize, NULL), 4096, "XENVER_pagesize = 4096");

	fi.submap_idx = 0;
	fi.submap = 0;
	gpv_test_eq(gpv_xen_version(XENVER_get_features, &fi), 0, "XENVER_get_features 0");
	gpv_test_check(fi.submap & (1U << XENFEAT_dom0), "feature dom0 set for dom0");
	gpv_test_check(fi.submap & (1U << XENFEAT_mmu_pt_update_preserve_ad),
		       "feature mmu_pt_update_preserve_ad set");
	gpv_test_check(fi.submap & (1U << XENFEAT_gnttab_map_avail_bits),
		       "feature gnttab_map_avail_bits set");
	gpv_test_check(!(fi.submap & (1U << XENFEAT_auto_translated_physmap)),
		       "feature auto_translated_physmap clear (PV)");
	gpv_test_info("features[0] = %#x", fi.submap);
	fi.submap_idx = 1;
	gpv_test_eq(gpv_xen_version(XENVER_get_features, &fi), -XEN_EINVAL,
		    "XENVER_get_features submap 1 = -EINVAL");
	fi.submap_idx = 0xffffffffU;
	gpv_test_eq(gpv_xen_version(XENVER_get_features, &fi), -XEN_EINVAL,
		    "XENVER_get_features submap 2^32-1 = -EINVAL");

	memset(h, 0xff, sizeof(h));
	gpv_test_eq(gpv_xen_version(XENVER_guest_handle, h), 0, "XENVER_guest_handle returns 0");
	gpv_test_check(h[0] == 0 && h[15] == 0, "dom0's handle is zero");

	rc = gpv_xen_version(XENVER_build_id, NULL);
	gpv_test_checkf(rc > 0 && rc <= 64, "XENVER_build_id with NULL returns the id's length",
			"rc %ld", rc);
	if (rc > 0 && rc <= 64) {
		struct {
			xen_build_id_t id;
			unsigned char bytes[64];
		} b;

		b.id.len = (uint32_t)rc;
		gpv_test_eq(gpv_xen_version(XENVER_build_id, &b), rc,
			    "XENVER_build_id fills the id and returns its length");
		b.id.len = (uint32_t)rc - 1;
		gpv_test_eq(gpv_xen_version(XENVER_build_id, &b), -XEN_ENOBUFS,
			    "XENVER_build_id with a short buffer = -ENOBUFS");
		b.id.len = 0;
		gpv_test_eq(gpv_xen_version(XENVER_build_id, &b), -XEN_EINVAL,
			    "XENVER_build_id with a length of 0 = -EINVAL");
	}
}

static void check_errors(void)
{
	gpv_test_area("xen_version");
	gpv_test_eq(gpv_xen_version(XENVER_extraversion, BAD_PTR), -XEN_EFAULT,
		    "extraversion to an unmapped buffer = -EFAULT");
	gpv_test_eq(gpv_xen_version(XENVER_compile_info, BAD_PTR), -XEN_EFAULT,
		    "compile_info to an unmapped buffer = -EFAULT");
	gpv_test_eq(gpv_xen_version(XENVER_get_features, BAD_PTR), -XEN_EFAULT,
		    "get_features from an unmapped buffer = -EFAULT");
	gpv_test_eq(gpv_xen_version(64, NULL), -XEN_ENOSYS, "unknown sub-op 64 = -ENOSYS");
	gpv_test_eq(gpv_xen_version(-1, NULL), -XEN_ENOSYS, "unknown sub-op -1 = -ENOSYS");
}

int gpv_main(void)
{
	xen_compile_info_t ci;

	check_version();
	gpv_test_area("xen_version");
	check_string(XENVER_extraversion, sizeof(xen_extraversion_t), "XENVER_extraversion");
	check_string(XENVER_capabilities, sizeof(xen_capabilities_info_t), "XENVER_capabilities");
	check_string(XENVER_changeset, sizeof(xen_changeset_info_t), "XENVER_changeset");
	check_string(XENVER_commandline, sizeof(xen_commandline_t), "XENVER_commandline");
	memset(&ci, 0x5a, sizeof(ci));
	gpv_test_eq(gpv_xen_version(XENVER_compile_info, &ci), 0, "XENVER_compile_info returns 0");
	gpv_test_check(padded_string(ci.compiler, sizeof(ci.compiler)) &&
			       padded_string(ci.compile_by, sizeof(ci.compile_by)) &&
			       padded_string(ci.compile_domain, sizeof(ci.compile_domain)) &&
			       padded_string(ci.compile_date, sizeof(ci.compile_date)),
		       "compile_info strings NUL-terminated and zero-padded");
	{
		xen_capabilities_info_t caps;

		gpv_xen_version(XENVER_capabilities, caps);
		gpv_test_checkf(strncmp(caps, "xen-3.0-x86_64", 14) == 0,
				"capabilities start with xen-3.0-x86_64", "'%s'", caps);
	}
	check_structs();
	check_errors();
	/* The same sub-ops with every hypercall issued as an inline syscall. */
	gpv_hcall_set_mode(GPV_HCALL_SYSCALL);
	gpv_test_info("again through inline syscall");
	check_string(XENVER_extraversion, sizeof(xen_extraversion_t),
		     "syscall: XENVER_extraversion");
	check_structs();
	check_errors();
	gpv_hcall_set_mode(GPV_HCALL_PAGE);
	return gpv_test_finish();
}
