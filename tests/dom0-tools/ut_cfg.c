// SPDX-License-Identifier: GPL-2.0-only
/*
 * Good xl.cfg files: every key lxl reads, xl's defaults, the ways xl builds
 * the command line, overrides, disks, vifs and cpu lists.
 */
#include <errno.h>
#include <string.h>

#include "ut.h"

static void test_minimal_defaults(void)
{
	struct cfg_domain d;

	CU_ASSERT_EQUAL_FATAL(ut_read("name='a'\nkernel='/k'\n", NULL, 0, &d), 0);
	CU_ASSERT_STRING_EQUAL(d.name, "a");
	CU_ASSERT_STRING_EQUAL(d.kernel, "/k");
	CU_ASSERT_EQUAL(d.memory_mb, 32);
	CU_ASSERT_EQUAL(d.maxmem_mb, 32);
	CU_ASSERT_EQUAL(d.vcpus, 1);
	CU_ASSERT_EQUAL(d.maxvcpus, 1);
	CU_ASSERT_EQUAL(d.on_poweroff, CFG_ACT_DESTROY);
	CU_ASSERT_EQUAL(d.on_reboot, CFG_ACT_RESTART);
	CU_ASSERT_EQUAL(d.on_crash, CFG_ACT_DESTROY);
	CU_ASSERT_PTR_NULL(d.cmdline);
	CU_ASSERT_PTR_NULL(d.ramdisk);
	CU_ASSERT_FALSE(d.cpus_set);
	CU_ASSERT_EQUAL(d.nr_disks, 0);
	CU_ASSERT_STRING_EQUAL(ut_report, "");
	cfg_free(&d);
}

static void test_every_key(void)
{
	const char *text = "name = \"web1\"\n"
			   "type = 'pv'\n"
			   "memory = 256; maxmem = 512\n"
			   "vcpus = 2\nmaxvcpus = 4\n"
			   "cpus = \"0-3,^2\"\n"
			   "kernel = \"/boot/vmlinuz\"\nramdisk = \"/boot/initrd\"\n"
			   "cmdline = \"console=hvc0 quiet\"\n"
			   "on_poweroff = 'preserve'\non_reboot = 'rename-restart'\n"
			   "on_crash = 'restart'\n"
			   "uuid = '01234567-89ab-cdef-0123-456789abcdef'\n"
			   "# a comment\n";
	struct cfg_domain d;

	CU_ASSERT_EQUAL_FATAL(ut_read(text, NULL, 0, &d), 0);
	CU_ASSERT_STRING_EQUAL(d.name, "web1");
	CU_ASSERT_EQUAL(d.memory_mb, 256);
	CU_ASSERT_EQUAL(d.maxmem_mb, 512);
	CU_ASSERT_EQUAL(d.vcpus, 2);
	CU_ASSERT_EQUAL(d.maxvcpus, 4);
	CU_ASSERT_TRUE_FATAL(d.cpus_set);
	for (unsigned int v = 0; v < 4; v++) {
		CU_ASSERT_TRUE(cfg_cpumap_test(&d.cpus[v], 0));
		CU_ASSERT_TRUE(cfg_cpumap_test(&d.cpus[v], 3));
		CU_ASSERT_FALSE(cfg_cpumap_test(&d.cpus[v], 2));
		CU_ASSERT_FALSE(cfg_cpumap_test(&d.cpus[v], 4));
	}
	CU_ASSERT_STRING_EQUAL(d.ramdisk, "/boot/initrd");
	CU_ASSERT_STRING_EQUAL(d.cmdline, "console=hvc0 quiet");
	CU_ASSERT_EQUAL(d.on_poweroff, CFG_ACT_PRESERVE);
	CU_ASSERT_EQUAL(d.on_reboot, CFG_ACT_RENAME_RESTART);
	CU_ASSERT_EQUAL(d.on_crash, CFG_ACT_RESTART);
	CU_ASSERT_TRUE(d.uuid_set);
	CU_ASSERT_EQUAL(d.uuid[0], 0x01);
	CU_ASSERT_EQUAL(d.uuid[15], 0xef);
	CU_ASSERT_STRING_EQUAL(ut_report, "");
	cfg_free(&d);
}

static void test_root_extra(void)
{
	struct cfg_domain d;

	CU_ASSERT_EQUAL_FATAL(
		ut_read("name='a'\nkernel='/k'\nroot='/dev/xvda1 ro'\nextra='quiet'\n", NULL, 0,
			&d),
		0);
	CU_ASSERT_STRING_EQUAL(d.cmdline, "root=/dev/xvda1 ro quiet");
	cfg_free(&d);
	CU_ASSERT_EQUAL_FATAL(ut_read("name='a'\nkernel='/k'\nextra='x=1'\n", NULL, 0, &d), 0);
	CU_ASSERT_STRING_EQUAL(d.cmdline, "x=1");
	cfg_free(&d);
	/* cmdline wins over root/extra, with xl's warning. */
	CU_ASSERT_EQUAL_FATAL(
		ut_read("name='a'\nkernel='/k'\ncmdline='c'\nextra='e'\n", NULL, 0, &d), 0);
	CU_ASSERT_STRING_EQUAL(d.cmdline, "c");
	CU_ASSERT_TRUE(ut_reported("ignoring root= and extra="));
	cfg_free(&d);
}

static void test_overrides(void)
{
	const char *over[] = { "memory=64", "name=\"b\"", "vcpus=2" };
	struct cfg_domain d;

	CU_ASSERT_EQUAL_FATAL(ut_read("name='a'\nkernel='/k'\nmemory=32\n", over, 3, &d), 0);
	CU_ASSERT_STRING_EQUAL(d.name, "b");
	CU_ASSERT_EQUAL(d.memory_mb, 64);
	CU_ASSERT_EQUAL(d.maxmem_mb, 64);
	CU_ASSERT_EQUAL(d.vcpus, 2);
	cfg_free(&d);
}

static void test_unknown_key_warns(void)
{
	struct cfg_domain d;

	CU_ASSERT_EQUAL_FATAL(
		ut_read("name='a'\nkernel='/k'\n\nlocaltime = 1\nfoo='[x]'; bar=[1,\n2]\n", NULL, 0,
			&d),
		0);
	CU_ASSERT_TRUE(ut_reported("t.cfg:4: warning: unknown key 'localtime' ignored"));
	CU_ASSERT_TRUE(ut_reported("t.cfg:5: warning: unknown key 'foo' ignored"));
	CU_ASSERT_TRUE(ut_reported("t.cfg:5: warning: unknown key 'bar' ignored"));
	/* Words inside strings and lists are values, not keys. */
	CU_ASSERT_FALSE(ut_reported("'x'"));
	cfg_free(&d);
}

static void test_disks(void)
{
	const char *text = "name='a'\nkernel='/k'\n"
			   "disk = [ 'phy:/dev/vg/root,xvda,w', "
			   "'format=qcow2, vdev=xvdb, access=ro, target=/img/b.qcow2',"
			   "'/img/c.raw,raw,hdc,r', ',,hdd,cdrom' ]\n";
	struct cfg_domain d;

	CU_ASSERT_EQUAL_FATAL(ut_read(text, NULL, 0, &d), 0);
	CU_ASSERT_EQUAL_FATAL(d.nr_disks, 4);
	CU_ASSERT_STRING_EQUAL(d.disks[0].target, "/dev/vg/root");
	CU_ASSERT_STRING_EQUAL(d.disks[0].vdev, "xvda");
	CU_ASSERT_TRUE(d.disks[0].readwrite);
	CU_ASSERT_EQUAL(d.disks[0].devid, 51712);
	CU_ASSERT_STRING_EQUAL(d.disks[1].format, "qcow2");
	CU_ASSERT_FALSE(d.disks[1].readwrite);
	CU_ASSERT_EQUAL(d.disks[1].devid, 51728);
	CU_ASSERT_STRING_EQUAL(d.disks[2].target, "/img/c.raw");
	CU_ASSERT_EQUAL(d.disks[2].devid, 22 << 8);
	CU_ASSERT_TRUE(d.disks[3].cdrom);
	CU_ASSERT_EQUAL(d.disks[3].devid, (22 << 8) | 64);
	cfg_free(&d);
}

static void test_vifs(void)
{
	const char *text = "name='a'\nkernel='/k'\n"
			   "vif = [ 'mac=00:16:3E:01:02:03,bridge=xenbr0', '', 'ip=10.0.0.2, "
			   "backend=0, weird=1' ]\n";
	struct cfg_domain d;

	CU_ASSERT_EQUAL_FATAL(ut_read(text, NULL, 0, &d), 0);
	CU_ASSERT_EQUAL_FATAL(d.nr_vifs, 3);
	CU_ASSERT_STRING_EQUAL(d.vifs[0].mac, "00:16:3e:01:02:03");
	CU_ASSERT_STRING_EQUAL(d.vifs[0].bridge, "xenbr0");
	CU_ASSERT_STRING_EQUAL(d.vifs[1].mac, "");
	CU_ASSERT_STRING_EQUAL(d.vifs[2].ip, "10.0.0.2");
	CU_ASSERT_EQUAL(d.vifs[2].backend_domid, 0);
	CU_ASSERT_TRUE(ut_reported("vif: unknown option 'weird' ignored"));
	cfg_free(&d);
}

static void test_cpus_list_and_parse(void)
{
	struct cfg_cpumap m;
	struct cfg_domain d;

	CU_ASSERT_EQUAL(cfg_parse_cpus("all", &m), 0);
	CU_ASSERT_TRUE(cfg_cpumap_test(&m, CFG_MAX_CPUS - 1));
	CU_ASSERT_EQUAL(cfg_parse_cpus("all,^0", &m), 0);
	CU_ASSERT_FALSE(cfg_cpumap_test(&m, 0));
	CU_ASSERT_TRUE(cfg_cpumap_test(&m, 1));
	CU_ASSERT_EQUAL(cfg_parse_cpus("5", &m), 0);
	CU_ASSERT_TRUE(cfg_cpumap_test(&m, 5));
	CU_ASSERT_FALSE(cfg_cpumap_test(&m, 4));
	CU_ASSERT_EQUAL_FATAL(
		ut_read("name='a'\nkernel='/k'\nvcpus=3\ncpus=['1', '2-3']\n", NULL, 0, &d), 0);
	CU_ASSERT_TRUE(cfg_cpumap_test(&d.cpus[0], 1));
	CU_ASSERT_FALSE(cfg_cpumap_test(&d.cpus[0], 2));
	CU_ASSERT_TRUE(cfg_cpumap_test(&d.cpus[1], 3));
	CU_ASSERT_TRUE(cfg_cpumap_test(&d.cpus[2], 100)); /* past the list: all */
	cfg_free(&d);
}

static void test_names(void)
{
	CU_ASSERT_TRUE(cfg_name_valid("guest-1.example_x"));
	CU_ASSERT_FALSE(cfg_name_valid(""));
	CU_ASSERT_FALSE(cfg_name_valid("123"));
	CU_ASSERT_FALSE(cfg_name_valid("a/b"));
	CU_ASSERT_FALSE(cfg_name_valid("a b"));
	CU_ASSERT_FALSE(cfg_name_valid("a\x1b[2J"));
	CU_ASSERT_FALSE(cfg_name_valid(
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
	CU_ASSERT_STRING_EQUAL(cfg_action_name(CFG_ACT_RENAME_RESTART), "rename-restart");
}

const CU_TestInfo ut_cfg_tests[] = {
	{ "minimal file gets xl's defaults", test_minimal_defaults },
	{ "every key lxl reads", test_every_key },
	{ "root and extra build the command line as xl does", test_root_extra },
	{ "key=value overrides win, in order", test_overrides },
	{ "unknown keys warn with their line", test_unknown_key_warns },
	{ "disk specs through xlu_disk_parse", test_disks },
	{ "vif specs", test_vifs },
	{ "cpu lists", test_cpus_list_and_parse },
	{ "domain names", test_names },
	CU_TEST_INFO_NULL,
};
