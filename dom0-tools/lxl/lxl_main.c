// SPDX-License-Identifier: GPL-2.0-only
/*
 * lxl's entry point: global options, the table of subcommands, and the
 * helpers every command shares (errors, domain arguments, sizes).
 *
 *   lxl [-v] [-j] <subcommand> [args]
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>

#include "lxl.h"

struct tk lxl_tk;
bool lxl_json_out;

const struct lxl_cmd lxl_cmds[] = {
	{ "create", cmd_create, true, "[-c] [-p] [-q] [-F] [-e] <ConfigFile> [key=value ...]",
	  "Create a domain from a config file" },
	{ "list", cmd_list, true, "[-l] [-v] [-j] [Domain ...]", "List information about domains" },
	{ "destroy", cmd_destroy, true, "<Domain>", "Terminate a domain immediately" },
	{ "shutdown", cmd_shutdown, true, "[-a] [-w] [-F] <Domain>",
	  "Issue a clean shutdown to a domain" },
	{ "reboot", cmd_reboot, true, "[-a] [-w] [-F] <Domain>", "Issue a reboot to a domain" },
	{ "pause", cmd_pause, true, "<Domain>", "Pause execution of a domain" },
	{ "unpause", cmd_unpause, true, "<Domain>", "Unpause a paused domain" },
	{ "console", cmd_console, true, "[-t pv|serial] [-n num] <Domain>",
	  "Attach to a domain's console (Ctrl-] detaches)" },
	{ "info", cmd_info, true, "[-n] [-j] [Key]", "Get information about the Xen host" },
	{ "domid", cmd_domid, true, "<DomainName>", "Convert a domain name to a domain id" },
	{ "domname", cmd_domname, true, "<DomainId>", "Convert a domain id to a domain name" },
	{ "rename", cmd_rename, true, "<Domain> <NewDomainName>", "Rename a domain" },
	{ "uptime", cmd_uptime, true, "[-s] [-j] [Domain ...]", "Print the uptime of domains" },
	{ "dmesg", cmd_dmesg, true, "[-c]", "Read and/or clear Xen's message buffer" },
	{ "vcpu-list", cmd_vcpu_list, true, "[-j] [Domain ...]", "List the vCPUs of domains" },
	{ "vcpu-set", cmd_vcpu_set, true, "[-i] <Domain> <vCPUs>",
	  "Set the number of active vCPUs" },
	{ "vcpu-pin", cmd_vcpu_pin, true,
	  "[-f] <Domain> <vCPU|all> <Hard pCPUs|all|-> [Soft pCPUs|all|-]",
	  "Set which physical CPUs a vCPU may use" },
	{ "mem-set", cmd_mem_set, true, "<Domain> <MemKB|NNNm|NNNg>",
	  "Set the current memory of a domain" },
	{ "mem-max", cmd_mem_max, true, "<Domain> <MemKB|NNNm|NNNg>",
	  "Set the maximum memory of a domain" },
	{ "sched-credit2", cmd_sched_credit2, true,
	  "[-d <Domain> [-w <Weight>] [-c <Cap>]] [-p <CpuPool>] [-s [-r <RatelimitUs>]] [-j]",
	  "Get or set credit2 scheduler parameters" },
	{ "cpupool-list", cmd_cpupool_list, true, "[-c] [-j] [CpuPool]", "List cpupools" },
	/* after the older ones: the fuzzer's seeds pick commands by their index */
	{ "sched-credit", cmd_sched_credit, true,
	  "[-d <Domain> [-w <Weight>] [-c <Cap>]] [-p <CpuPool>] [-s [-t <TsliceMs>] "
	  "[-r <RatelimitUs>] [-m <MigrDelayUs>]] [-j]",
	  "Get or set credit (credit1) scheduler parameters" },
	{ NULL, NULL, false, NULL, NULL },
};

const struct lxl_cmd *lxl_cmd_find(const char *name)
{
	for (const struct lxl_cmd *c = lxl_cmds; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int lxl_err(const char *fmt, ...)
{
	va_list ap;

	fputs("lxl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int lxl_tk_err(void)
{
	return lxl_err("%s", lxl_tk.msg);
}

static void usage_to(FILE *f, const struct lxl_cmd *c)
{
	fprintf(f, "Usage: lxl %s %s\n\n%s.\n", c->name, c->usage, c->help);
}

int lxl_usage(const char *cmd)
{
	const struct lxl_cmd *c = lxl_cmd_find(cmd);

	if (c)
		usage_to(stderr, c);
	return 2;
}

/* As xl: -h or --help among a subcommand's options prints its usage and succeeds. */
static bool wants_help(int argc, char **argv)
{
	for (int a = 1; a < argc && strcmp(argv[a], "--"); a++)
		if (!strcmp(argv[a], "-h") || !strcmp(argv[a], "--help"))
			return true;
	return false;
}

int lxl_domain_arg(const char *arg, uint32_t *domid)
{
	return tk_resolve(&lxl_tk, arg, domid) ? lxl_tk_err() : 0;
}

int lxl_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!s || s[0] < '0' || s[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int lxl_parse_mem_kb(const char *s, uint64_t *kb)
{
	unsigned long long v;
	unsigned int shift_up = 0;
	bool bytes = false;
	char *end;

	if (!s || s[0] < '0' || s[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || strlen(end) > 1)
		return -EINVAL;
	switch (*end) {
	case 't':
	case 'T':
		shift_up = 30;
		break;
	case 'g':
	case 'G':
		shift_up = 20;
		break;
	case '\0':
	case 'm':
	case 'M':
		shift_up = 10;
		break;
	case 'k':
	case 'K':
		break;
	case 'b':
	case 'B':
		bytes = true;
		break;
	default:
		return -EINVAL;
	}
	if (bytes) {
		*kb = v >> 10;
		return 0;
	}
	if (v > (UINT64_MAX >> 1) >> shift_up)
		return -EINVAL;
	*kb = v << shift_up;
	return 0;
}

static int help(void)
{
	printf("Usage: lxl [-v] [-j] <subcommand> [args]\n\nlxl, Lamina's xl. Subcommands:\n");
	for (const struct lxl_cmd *c = lxl_cmds; c->name; c++)
		printf(" %-16s %s\n", c->name, c->help);
	return 0;
}

int lxl_main(int argc, char **argv);
int lxl_main(int argc, char **argv)
{
	const struct lxl_cmd *c;
	int i = 1, rc;

	tk_timing(NULL);
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json"))
			lxl_json_out = true;
		else if (!strcmp(argv[i], "-v"))
			continue; /* xl's verbosity; lxl has one level */
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return help();
		else
			return lxl_err("unknown global option '%s'", argv[i]) + 1;
	}
	if (i >= argc) {
		help();
		return 2;
	}
	if (!strcmp(argv[i], "help"))
		return i + 1 < argc ? lxl_usage(argv[i + 1]) : help();
	c = lxl_cmd_find(argv[i]);
	if (!c)
		return lxl_err("unknown subcommand '%s' (lxl help lists them)", argv[i]) + 1;
	if (wants_help(argc - i, argv + i)) {
		usage_to(stdout, c);
		return 0;
	}
	if (c->needs_tk && tk_open(&lxl_tk))
		return lxl_tk_err();
	tk_timing("open");
	optind = 1;
	rc = c->fn(argc - i, argv + i);
	if (c->needs_tk)
		tk_close(&lxl_tk);
	tk_timing("close");
	return rc;
}
