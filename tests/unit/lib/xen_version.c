// SPDX-License-Identifier: GPL-2.0-only
/*
 * CUnit suite for lib/xen_version: every sub-op, its return value, how many
 * bytes go back to the guest, NUL-termination and zero padding over a buffer
 * full of junk, truncation, the unprivileged view, and bad arguments.
 */
#include <string.h>
#include <xen/errno.h>

#include <lamina/xen_version.h>
#include "cunit_run.h"

static const uint8_t bid[20] = { 0x15, 0x1b, 0x37, 0x3f, 0xd6, 0x4b, 0x32, 0x15, 0x93, 0xbf,
				 0x98, 0x7f, 0xd9, 0x23, 0xcd, 0x10, 0xda, 0xba, 0xda, 0xc4 };
static const uint8_t handle[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

static struct pv_xenver_info dom0 = {
	.extraversion = PV_XEN_EXTRAVERSION,
	.compiler = "gcc (Debian 12.2.0-14+deb12u1) 12.2.0",
	.compile_by = "lamina",
	.compile_domain = "example.org",
	.compile_date = "Sun Nov 22 22:00:00 UTC 2026",
	.changeset = "git:0123456789ab",
	.commandline = "console=com1 dom0_mem=1024M",
	.build_id = bid,
	.build_id_len = sizeof(bid),
	.domain_handle = handle,
	.privileged = true,
	.hardware_domain = true,
	.pae_extended_cr3 = true,
};

static uint8_t buf[PV_XENVER_MAX_ARG + 64];

static long call(const struct pv_xenver_info *info, unsigned int cmd, size_t *out)
{
	memset(buf, 0xee, sizeof(buf));
	return pv_xen_version(info, cmd, false, buf, sizeof(buf), out);
}

/* @s, then zeros up to @size, and nothing written beyond @size. */
static bool padded(const char *s, size_t size)
{
	size_t n = strlen(s);

	if (n >= size || memcmp(buf, s, n + 1) != 0)
		return false;
	for (size_t i = n; i < size; i++)
		if (buf[i] != 0)
			return false;
	return size >= sizeof(buf) || buf[size] == 0xee;
}

static void test_numbers(void)
{
	size_t out = 99;

	CU_ASSERT_EQUAL(call(&dom0, XENVER_version, &out), 0x00040011);
	CU_ASSERT_EQUAL(out, 0);
	CU_ASSERT_EQUAL(pv_xen_version(&dom0, XENVER_pagesize, true, buf, sizeof(buf), &out), 4096);
	CU_ASSERT_EQUAL(out, 0);
	CU_ASSERT_EQUAL(call(&dom0, XENVER_pagesize, &out), -XEN_EINVAL); /* no argument taken */
	CU_ASSERT_EQUAL(call(&dom0, XENVER_platform_parameters, &out), 0);
	CU_ASSERT_EQUAL(out, 8);
	CU_ASSERT_EQUAL(((struct xen_platform_parameters *)buf)->virt_start, 0xffff800000000000ull);
	CU_ASSERT_EQUAL(call(&dom0, XENVER_guest_handle, &out), 0);
	CU_ASSERT_EQUAL(out, 16);
	CU_ASSERT_EQUAL(memcmp(buf, handle, 16), 0);
}

static void test_strings(void)
{
	size_t out;

	CU_ASSERT_EQUAL(call(&dom0, XENVER_extraversion, &out), 0);
	CU_ASSERT_EQUAL(out, 16);
	CU_ASSERT_TRUE(padded("-lamina", 16));
	CU_ASSERT_EQUAL(call(&dom0, XENVER_capabilities, &out), 0);
	CU_ASSERT_EQUAL(out, 1024);
	CU_ASSERT_TRUE(padded("xen-3.0-x86_64 ", 1024));
	CU_ASSERT_EQUAL(call(&dom0, XENVER_changeset, &out), 0);
	CU_ASSERT_EQUAL(out, 64);
	CU_ASSERT_TRUE(padded("git:0123456789ab", 64));
	CU_ASSERT_EQUAL(call(&dom0, XENVER_commandline, &out), 0);
	CU_ASSERT_EQUAL(out, 1024);
	CU_ASSERT_TRUE(padded("console=com1 dom0_mem=1024M", 1024));
	CU_ASSERT_EQUAL(call(&dom0, XENVER_compile_info, &out), 0);
	CU_ASSERT_EQUAL(out, sizeof(struct xen_compile_info));
	{
		struct xen_compile_info *ci = (struct xen_compile_info *)buf;

		CU_ASSERT_STRING_EQUAL(ci->compiler, dom0.compiler);
		CU_ASSERT_STRING_EQUAL(ci->compile_by, "lamina");
		CU_ASSERT_STRING_EQUAL(ci->compile_domain, "example.org");
		CU_ASSERT_STRING_EQUAL(ci->compile_date, dom0.compile_date);
		CU_ASSERT_EQUAL(ci->compile_by[15], 0);
		CU_ASSERT_EQUAL(ci->compile_date[31], 0);
	}
}

static void test_truncation_and_null_strings(void)
{
	struct pv_xenver_info i = dom0;
	char longer[2000];
	size_t out;

	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = 0;
	i.extraversion = "-a-very-long-extraversion";
	i.commandline = longer;
	i.changeset = NULL;
	CU_ASSERT_EQUAL(call(&i, XENVER_extraversion, &out), 0);
	CU_ASSERT_EQUAL(memcmp(buf, "-a-very-long-ex", 15), 0);
	CU_ASSERT_EQUAL(buf[15], 0);
	CU_ASSERT_EQUAL(buf[16], 0xee);
	CU_ASSERT_EQUAL(call(&i, XENVER_commandline, &out), 0);
	CU_ASSERT_EQUAL(buf[1022], 'x');
	CU_ASSERT_EQUAL(buf[1023], 0);
	CU_ASSERT_EQUAL(buf[1024], 0xee);
	CU_ASSERT_EQUAL(call(&i, XENVER_changeset, &out), 0);
	CU_ASSERT_TRUE(padded("", 64));
	i.domain_handle = NULL;
	CU_ASSERT_EQUAL(call(&i, XENVER_guest_handle, &out), 0);
	CU_ASSERT_TRUE(padded("", 16));
}

static void test_unprivileged(void)
{
	struct pv_xenver_info u = dom0;
	size_t out;

	u.privileged = false;
	u.hardware_domain = false;
	/* Open to every guest in Xen 4.17 (XSM_HOOK), seen by XTF's xsa-122 as a domU. */
	CU_ASSERT_EQUAL(call(&u, XENVER_changeset, &out), 0);
	CU_ASSERT_TRUE(padded(dom0.changeset, 64));
	CU_ASSERT_EQUAL(call(&u, XENVER_compile_info, &out), 0);
	CU_ASSERT_STRING_EQUAL(((struct xen_compile_info *)buf)->compiler, dom0.compiler);
	CU_ASSERT_STRING_EQUAL(((struct xen_compile_info *)buf)->compile_date, dom0.compile_date);
	/* XSM_PRIV: the command line and the build id. */
	CU_ASSERT_EQUAL(call(&u, XENVER_commandline, &out), 0);
	CU_ASSERT_TRUE(padded("<denied>", 1024));
	CU_ASSERT_EQUAL(call(&u, XENVER_extraversion, &out), 0);
	CU_ASSERT_TRUE(padded("-lamina", 16)); /* not restricted */
	CU_ASSERT_EQUAL(pv_xen_version(&u, XENVER_build_id, true, buf, sizeof(buf), &out),
			-XEN_EPERM);
	CU_ASSERT_EQUAL(pv_xenver_features(&u) & (1u << XENFEAT_dom0), 0);
}

static void test_features(void)
{
	struct pv_xenver_info d = dom0;
	struct xen_feature_info *fi = (struct xen_feature_info *)buf;
	size_t out;

	memset(buf, 0, sizeof(buf));
	fi->submap_idx = 0;
	CU_ASSERT_EQUAL(pv_xenver_in_size(XENVER_get_features), 8);
	CU_ASSERT_EQUAL(pv_xen_version(&d, XENVER_get_features, false, buf, sizeof(buf), &out), 0);
	CU_ASSERT_EQUAL(out, 8);
	/* bits 4 5 6 7 11 13 17, as Xen 4.17 gives its PV dom0 */
	CU_ASSERT_EQUAL(fi->submap, 0x228f0);
	CU_ASSERT_TRUE(fi->submap & (1u << XENFEAT_mmu_pt_update_preserve_ad));
	CU_ASSERT_TRUE(fi->submap & (1u << XENFEAT_gnttab_map_avail_bits));
	CU_ASSERT_FALSE(fi->submap & (1u << XENFEAT_auto_translated_physmap));
	CU_ASSERT_FALSE(fi->submap & (1u << XENFEAT_supervisor_mode_kernel));
	d.pae_extended_cr3 = false;
	CU_ASSERT_EQUAL(pv_xenver_features(&d), 0x228e0);
	fi->submap_idx = 1;
	CU_ASSERT_EQUAL(pv_xen_version(&d, XENVER_get_features, false, buf, sizeof(buf), &out),
			-XEN_EINVAL);
	CU_ASSERT_EQUAL(out, 0);
	fi->submap_idx = 0x80000000u;
	CU_ASSERT_EQUAL(pv_xen_version(&d, XENVER_get_features, false, buf, sizeof(buf), &out),
			-XEN_EINVAL);
}

static void set_len(uint32_t len)
{
	memset(buf, 0xee, sizeof(buf));
	memcpy(buf, &len, 4);
}

static void test_build_id(void)
{
	struct pv_xenver_info d = dom0;
	size_t out;

	CU_ASSERT_EQUAL(pv_xenver_in_size(XENVER_build_id), 4);
	CU_ASSERT_EQUAL(pv_xen_version(&d, XENVER_build_id, true, buf, sizeof(buf), &out), 20);
	CU_ASSERT_EQUAL(out, 0);
	set_len(1024);
	CU_ASSERT_EQUAL(pv_xen_version(&d, XENVER_build_id, false, buf, sizeof(buf), &out), 20);
	CU_ASSERT_EQUAL(out, 24);
	CU_ASSERT_EQUAL(buf[0], 20);
	CU_ASSERT_EQUAL(memcmp(buf + 4, bid, 20), 0);
	CU_ASSERT_EQUAL(buf[24], 0xee);
	set_len(19);
	CU_ASSERT_EQUAL(pv_xen_version(&d, XENVER_build_id, false, buf, sizeof(buf), &out),
			-XEN_ENOBUFS);
	set_len(0);
	CU_ASSERT_EQUAL(pv_xen_version(&d, XENVER_build_id, false, buf, sizeof(buf), &out),
			-XEN_EINVAL);
	set_len(0xffffffff); /* huge len: only what exists is written */
	CU_ASSERT_EQUAL(pv_xen_version(&d, XENVER_build_id, false, buf, sizeof(buf), &out), 20);
	CU_ASSERT_EQUAL(out, 24);
	d.build_id_len = 0;
	set_len(64);
	CU_ASSERT_EQUAL(pv_xen_version(&d, XENVER_build_id, false, buf, sizeof(buf), &out),
			-XEN_ENODATA);
	d.build_id_len = 2000; /* larger than the hypervisor's buffer */
	d.build_id = (const uint8_t *)"x";
	set_len(4000);
	CU_ASSERT_EQUAL(pv_xen_version(&d, XENVER_build_id, false, buf, PV_XENVER_MAX_ARG, &out),
			-XEN_ENOBUFS);
}

static void test_bad_calls(void)
{
	size_t out = 7;

	CU_ASSERT_EQUAL(call(&dom0, 11, &out), -XEN_ENOSYS);
	CU_ASSERT_EQUAL(out, 0);
	CU_ASSERT_EQUAL(call(&dom0, 0xffffffffu, &out), -XEN_ENOSYS);
	CU_ASSERT_EQUAL(call(&dom0, 0x80000000u, &out), -XEN_ENOSYS);
	CU_ASSERT_EQUAL(pv_xen_version(NULL, XENVER_version, false, buf, sizeof(buf), &out),
			-XEN_EINVAL);
	CU_ASSERT_EQUAL(pv_xen_version(&dom0, XENVER_version, false, NULL, sizeof(buf), &out),
			-XEN_EINVAL);
	CU_ASSERT_EQUAL(pv_xen_version(&dom0, XENVER_commandline, false, buf, 100, &out),
			-XEN_EINVAL);
	CU_ASSERT_EQUAL(pv_xen_version(&dom0, XENVER_version, false, buf, sizeof(buf), NULL),
			-XEN_EINVAL);
	CU_ASSERT_EQUAL(pv_xenver_in_size(XENVER_commandline), 0);
}

static const CU_TestInfo tests[] = {
	{ "version, pagesize, platform, handle", test_numbers },
	{ "strings padded", test_strings },
	{ "truncation, NULL strings", test_truncation_and_null_strings },
	{ "unprivileged view", test_unprivileged },
	{ "get_features", test_features },
	{ "build_id", test_build_id },
	{ "bad calls", test_bad_calls },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = {
		{ "xen_version", tests },
		{ NULL, NULL },
	};

	return cunit_run(suites);
}
