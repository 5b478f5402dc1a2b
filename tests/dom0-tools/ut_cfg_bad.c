// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hostile and wrong xl.cfg files: each is refused with one message that
 * names the file, the line where it can, and what is wrong; none crashes,
 * and random bytes are refused or read, never more.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ut.h"

/* @text must be refused with -EINVAL and a report containing @msg. */
static void refused(const char *text, const char *msg)
{
	struct cfg_domain d;
	int rc = ut_read(text, NULL, 0, &d);

	CU_ASSERT_EQUAL(rc, -EINVAL);
	if (!ut_reported(msg)) {
		fprintf(stderr, "\n  want '%s' in report '%s'\n", msg, ut_report);
		CU_FAIL("message");
	}
	if (!rc)
		cfg_free(&d);
}

#define K "name='a'\nkernel='/k'\n"

static void test_syntax(void)
{
	refused("name='a'\nkernel='/k\n", "t.cfg:2: config parsing error");
	/* libxlutil places an unexpected newline on the line it ends. */
	refused("name='a'\nkernel=\n", "t.cfg:1: config parsing error near <newline>");
	refused("name='a'\n memory = = 3\n", "t.cfg:2");
	refused("name='a'\ndisk=['x',\n", "t.cfg");
	refused("name='a'\0kernel='/k'", "t.cfg");
}

static void test_nul_byte(void)
{
	struct cfg_domain d;
	FILE *f = fmemopen(ut_report, sizeof(ut_report) - 1, "w");

	CU_ASSERT_EQUAL(cfg_read_data("t.cfg", "name='a'\0x", 10, NULL, 0, f, &d), -EINVAL);
	fclose(f);
	CU_ASSERT_TRUE(ut_reported("NUL byte"));
}

static void test_required(void)
{
	refused("kernel='/k'\n", "t.cfg: no name given");
	refused("name='a'\n", "t.cfg: no kernel given");
	refused("name=['a']\nkernel='/k'\n", "t.cfg:1: name: must be a string");
	refused("name='12'\nkernel='/k'\n", "t.cfg:1: name: '12' is not a valid domain name");
	refused("name='a/b'\nkernel='/k'\n", "is not a valid domain name");
}

static void test_numbers(void)
{
	refused(K "memory='abc'\n", "t.cfg:3: memory: must be a number");
	refused(K "memory=0\n", "t.cfg:3: memory: 0 is out of range");
	refused(K "memory=-5\n", "t.cfg:3: config parsing error near `-5'");
	refused(K "memory=99999999999999999999\n", "memory: must be a number");
	refused(K "memory=64\nmaxmem=32\n", "t.cfg:4: maxmem: 32 MiB is below memory (64 MiB)");
	refused(K "vcpus=0\n", "vcpus: 0 is out of range");
	refused(K "vcpus=4\nmaxvcpus=2\n", "t.cfg:4: maxvcpus: 2 is below vcpus (4)");
	refused(K "vcpus=100000\n", "vcpus: 100000 is out of range");
}

static void test_actions_and_type(void)
{
	refused(K "on_crash='explode'\n", "t.cfg:3: on_crash: unknown action 'explode'");
	refused(K "on_crash='coredump-destroy'\n", "is not supported by lxl");
	refused(K "on_reboot=['restart']\n", "on_reboot: must be a string");
	refused(K "type='hvm'\n", "t.cfg:3: type: 'hvm' guests are not supported by lxl");
	refused(K "uuid='not-a-uuid'\n", "uuid: 'not-a-uuid' is not a UUID");
}

static void test_cpus(void)
{
	struct cfg_cpumap m;

	refused(K "cpus='x'\n", "t.cfg:3: cpus: 'x' is not a cpu list");
	refused(K "cpus='5-2'\n", "is not a cpu list");
	refused(K "cpus='99999'\n", "is not a cpu list");
	refused(K "cpus='^1'\n", "is not a cpu list");
	refused(K "cpus=['0','1']\n", "a list needs 1 to maxvcpus (1) entries");
	refused(K "vcpus=2\ncpus=['0','z']\n", "entry 1 'z' is not a cpu list");
	CU_ASSERT_EQUAL(cfg_parse_cpus("", &m), -EINVAL);
	CU_ASSERT_EQUAL(cfg_parse_cpus("1-", &m), -EINVAL);
	CU_ASSERT_EQUAL(cfg_parse_cpus(",,,", &m), -EINVAL);
	CU_ASSERT_EQUAL(cfg_parse_cpus("1,,2", &m), 0);
}

static void test_disks(void)
{
	refused(K "disk='xvda'\n", "t.cfg:3: disk: must be a list");
	refused(K "disk=['/img,raw,xvda,w,bogus']\n",
		"entry 0 '/img,raw,xvda,w,bogus' is not a disk spec");
	refused(K "disk=['/img,raw,floppy,w']\n", "'floppy' is not a virtual device name");
	refused(K "disk=['/a,raw,xvda,w', '/b,raw,xvda,r']\n", "xvda given twice");
	refused(K "disk=['/a,raw,xvda,w','/a,raw,xvdb,w','/a,raw,xvdc,w','/a,raw,xvdd,w',"
		  "'/a,raw,xvde,w','/a,raw,xvdf,w','/a,raw,xvdg,w','/a,raw,xvdh,w','/a,raw,xvdi,w',"
		  "'/a,raw,xvdj,w','/a,raw,xvdk,w','/a,raw,xvdl,w','/a,raw,xvdm,w','/a,raw,xvdn,w',"
		  "'/a,raw,xvdo,w','/a,raw,xvdp,w','/a,raw,xvdq,w']\n",
		"17 disks, lxl takes at most 16");
}

static void test_vifs(void)
{
	refused(K "vif=['mac=00:16:3e:zz:00:01']\n",
		"t.cfg:3: vif: '00:16:3e:zz:00:01' is not a unicast MAC");
	refused(K "vif=['mac=01:16:3e:00:00:01']\n", "is not a unicast MAC");
	refused(K "vif=['bridge']\n", "'bridge' is not key=value");
	refused(K "vif=['backend=dom-x']\n", "backend 'dom-x' is not a domain id");
	refused(K "vif='bridge=x'\n", "vif: must be a list");
}

static void test_file_errors(void)
{
	struct cfg_domain d;
	FILE *f = fmemopen(ut_report, sizeof(ut_report) - 1, "w");

	memset(ut_report, 0, sizeof(ut_report));
	CU_ASSERT_EQUAL(cfg_read_file("/nonexistent/x.cfg", NULL, 0, f, &d), -ENOENT);
	fclose(f);
	CU_ASSERT_TRUE(ut_reported("/nonexistent/x.cfg: cannot open: No such file"));
}

/* A bad override is reported like a bad line of the file. */
static void test_bad_override(void)
{
	const char *over[] = { "memory=lots" };
	struct cfg_domain d;

	CU_ASSERT_EQUAL(ut_read(K, over, 1, &d), -EINVAL);
	CU_ASSERT_TRUE(ut_reported("t.cfg:4: config parsing error"));
	over[0] = "memory='lots'";
	CU_ASSERT_EQUAL(ut_read(K, over, 1, &d), -EINVAL);
	CU_ASSERT_TRUE(ut_reported("t.cfg:4: memory: must be a number"));
}

/* Random bytes and random mutations of a good file: never a crash or leak. */
static void test_fuzz(void)
{
	static const char good[] = K "memory=64\nvcpus=2\ncpus='0-1'\n"
				     "disk=['/a,raw,xvda,w']\nvif=['mac=00:16:3e:00:00:01']\n";
	static const char alphabet[] = "=[]',\"\n;#+ -^:0123456789abcxyz_";
	char buf[sizeof(good)];
	unsigned int seed = 12345, accepted = 0;

	for (int i = 0; i < 3000; i++) {
		struct cfg_domain d;
		int rc;

		memcpy(buf, good, sizeof(good));
		for (int k = 0; k < 1 + i % 8; k++) {
			size_t pos = (size_t)rand_r(&seed) % (sizeof(good) - 1);

			buf[pos] = i % 2 ? alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)]
					 : (char)(1 + rand_r(&seed) % 255);
		}
		rc = ut_read(buf, NULL, 0, &d);
		CU_ASSERT(rc == 0 || rc == -EINVAL);
		if (!rc) {
			accepted++;
			CU_ASSERT(d.memory_mb >= 1 && d.maxmem_mb >= d.memory_mb);
			CU_ASSERT(d.vcpus >= 1 && d.vcpus <= d.maxvcpus);
			CU_ASSERT(cfg_name_valid(d.name));
			cfg_free(&d);
		} else {
			CU_ASSERT(ut_report[0] != '\0'); /* refused with a reason */
		}
	}
	CU_ASSERT(accepted > 0 && accepted < 3000);
}

const CU_TestInfo ut_cfg_bad_tests[] = {
	{ "syntax errors name file and line", test_syntax },
	{ "a NUL byte is refused", test_nul_byte },
	{ "name and kernel are required and checked", test_required },
	{ "numbers: not numbers, out of range, inconsistent", test_numbers },
	{ "actions, type and uuid", test_actions_and_type },
	{ "cpu lists", test_cpus },
	{ "disks", test_disks },
	{ "vifs", test_vifs },
	{ "unreadable file", test_file_errors },
	{ "a bad override", test_bad_override },
	{ "3000 mutated files", test_fuzz },
	CU_TEST_INFO_NULL,
};
