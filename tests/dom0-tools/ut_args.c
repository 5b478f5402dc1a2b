// SPDX-License-Identifier: GPL-2.0-only
/*
 * lxl's command-line handling on the host: xl's memory sizes, plain
 * numbers, the subcommand table, and the errors of the global options and
 * unknown subcommands (none of these needs Xen).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "lxl.h"
#include "ut.h"

int lxl_main(int argc, char **argv);

static void test_mem_sizes(void)
{
	uint64_t kb;

	CU_ASSERT_EQUAL(lxl_parse_mem_kb("256", &kb), 0);
	CU_ASSERT_EQUAL(kb, 256 * 1024); /* no suffix: MiB, as xl */
	CU_ASSERT_EQUAL(lxl_parse_mem_kb("256m", &kb), 0);
	CU_ASSERT_EQUAL(kb, 256 * 1024);
	CU_ASSERT_EQUAL(lxl_parse_mem_kb("2G", &kb), 0);
	CU_ASSERT_EQUAL(kb, 2 * 1024 * 1024);
	CU_ASSERT_EQUAL(lxl_parse_mem_kb("1t", &kb), 0);
	CU_ASSERT_EQUAL(kb, 1ULL << 30);
	CU_ASSERT_EQUAL(lxl_parse_mem_kb("4096k", &kb), 0);
	CU_ASSERT_EQUAL(kb, 4096);
	CU_ASSERT_EQUAL(lxl_parse_mem_kb("1048576b", &kb), 0);
	CU_ASSERT_EQUAL(kb, 1024);
	CU_ASSERT_EQUAL(lxl_parse_mem_kb("", &kb), -EINVAL);
	CU_ASSERT_EQUAL(lxl_parse_mem_kb("-1m", &kb), -EINVAL);
	CU_ASSERT_EQUAL(lxl_parse_mem_kb("m", &kb), -EINVAL);
	CU_ASSERT_EQUAL(lxl_parse_mem_kb("12mb", &kb), -EINVAL);
	CU_ASSERT_EQUAL(lxl_parse_mem_kb("12x", &kb), -EINVAL);
	CU_ASSERT_EQUAL(lxl_parse_mem_kb("99999999999999999999", &kb), -EINVAL);
	CU_ASSERT_EQUAL(lxl_parse_mem_kb("9999999999999t", &kb), -EINVAL);
	CU_ASSERT_EQUAL(lxl_parse_mem_kb(NULL, &kb), -EINVAL);
}

static void test_uint(void)
{
	unsigned long v;

	CU_ASSERT_EQUAL(lxl_parse_uint("0", 10, &v), 0);
	CU_ASSERT_EQUAL(v, 0);
	CU_ASSERT_EQUAL(lxl_parse_uint("10", 10, &v), 0);
	CU_ASSERT_EQUAL(lxl_parse_uint("11", 10, &v), -EINVAL);
	CU_ASSERT_EQUAL(lxl_parse_uint("+1", 10, &v), -EINVAL);
	CU_ASSERT_EQUAL(lxl_parse_uint(" 1", 10, &v), -EINVAL);
	CU_ASSERT_EQUAL(lxl_parse_uint("1 ", 10, &v), -EINVAL);
	CU_ASSERT_EQUAL(lxl_parse_uint("0x1", 10, &v), -EINVAL);
	CU_ASSERT_EQUAL(lxl_parse_uint("", 10, &v), -EINVAL);
	CU_ASSERT_EQUAL(lxl_parse_uint("184467440737095516160", ~0UL, &v), -EINVAL);
}

static void test_table(void)
{
	static const char *const xl_names[] = {
		"create",  "list",	    "destroy",	    "shutdown",	    "reboot",	"pause",
		"unpause", "console",	    "info",	    "domid",	    "domname",	"rename",
		"uptime",  "dmesg",	    "vcpu-list",    "vcpu-set",	    "vcpu-pin", "mem-set",
		"mem-max", "sched-credit2", "cpupool-list", "sched-credit", NULL,
	};
	int n = 0;

	for (int i = 0; xl_names[i]; i++) {
		const struct lxl_cmd *c = lxl_cmd_find(xl_names[i]);

		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		CU_ASSERT_PTR_NOT_NULL(c->fn);
		CU_ASSERT(c->usage && c->help && c->help[0]);
	}
	for (const struct lxl_cmd *c = lxl_cmds; c->name; c++)
		n++;
	CU_ASSERT_EQUAL(n, 22);
	CU_ASSERT_PTR_NULL(lxl_cmd_find("Create"));
	CU_ASSERT_PTR_NULL(lxl_cmd_find(""));
}

static int run(int argc, const char **argv)
{
	FILE *saved = stderr;
	int rc;

	stderr = fmemopen(ut_report, sizeof(ut_report) - 1, "w");
	memset(ut_report, 0, sizeof(ut_report));
	rc = lxl_main(argc, (char **)argv);
	fclose(stderr);
	stderr = saved;
	return rc;
}

static void test_main_errors(void)
{
	const char *unknown[] = { "lxl", "frobnicate" };
	const char *badopt[] = { "lxl", "--bogus", "list" };
	const char *none[] = { "lxl" };
	const char *usage[] = { "lxl", "help", "create" };

	CU_ASSERT_EQUAL(run(2, unknown), 2);
	CU_ASSERT_TRUE(ut_reported("lxl: unknown subcommand 'frobnicate'"));
	CU_ASSERT_EQUAL(run(3, badopt), 2);
	CU_ASSERT_TRUE(ut_reported("lxl: unknown global option '--bogus'"));
	CU_ASSERT_EQUAL(run(1, none), 2);
	CU_ASSERT_EQUAL(run(3, usage), 2);
	CU_ASSERT_TRUE(ut_reported("Usage: lxl create [-c] [-p] [-q] [-F]"));
}

/* xl info KEY's rule (xl_info.c's maybe_printf), line by line. */
static void test_info_select(void)
{
	const char *major = "xen_major              : 4";
	const char *caps = "virt_caps              : pv hvm";
	const char *no_caps = "virt_caps              :";
	const char *cmdline = "xen_commandline        : console=com1 a=b:c";

	CU_ASSERT_STRING_EQUAL(lxl_info_select(major, "xen_major"), "4");
	/* a prefix of the key chooses the line, so several lines may match */
	CU_ASSERT_STRING_EQUAL(lxl_info_select(major, "xen_"), "4");
	CU_ASSERT_STRING_EQUAL(lxl_info_select(cmdline, "xen_"), "console=com1 a=b:c");
	CU_ASSERT_STRING_EQUAL(lxl_info_select(major, "x"), "4");
	CU_ASSERT_STRING_EQUAL(lxl_info_select(major, ""), "4");
	/* a prefix of the padded line, colon included, still chooses it */
	CU_ASSERT_STRING_EQUAL(lxl_info_select(major, "xen_major   "), "4");
	CU_ASSERT_STRING_EQUAL(lxl_info_select(major, "xen_major              : 4"), "4");
	/* longer than the key, another key, or case: nothing */
	CU_ASSERT_PTR_NULL(lxl_info_select(major, "xen_majors"));
	CU_ASSERT_PTR_NULL(lxl_info_select(major, "xen_minor"));
	CU_ASSERT_PTR_NULL(lxl_info_select(major, "XEN_MAJOR"));
	CU_ASSERT_PTR_NULL(lxl_info_select(major, "xen_major              : 40"));
	CU_ASSERT_PTR_NULL(lxl_info_select(major, "nosuch"));
	/* the value starts after ": "; an empty virt_caps has no space there */
	CU_ASSERT_STRING_EQUAL(lxl_info_select(caps, "virt"), "pv hvm");
	CU_ASSERT_PTR_NULL(lxl_info_select(no_caps, "virt_caps"));
}

const CU_TestInfo ut_args_tests[] = {
	{ "memory sizes as xl reads them", test_mem_sizes },
	{ "plain numbers", test_uint },
	{ "every xl command of the daily set is in the table", test_table },
	{ "global option and subcommand errors", test_main_errors },
	{ "info KEY chooses lines as xl's prefix rule", test_info_select },
	CU_TEST_INFO_NULL,
};
