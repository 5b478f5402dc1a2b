// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPUs and memory of a domain: vcpu-list (xl's table or -j), vcpu-set
 * (online vCPUs via cpu/N/availability), vcpu-pin (hard affinity), mem-set
 * (balloon target) and mem-max (Xen's maximum), sizes as xl reads them.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "lxl.h"

static void affinity_str(uint64_t a, unsigned int ncpus, char *out, size_t size)
{
	uint64_t all = ncpus >= 64 ? ~0ULL : (1ULL << ncpus) - 1;
	size_t n = 0;

	if ((a & all) == all) {
		snprintf(out, size, "all");
		return;
	}
	out[0] = '\0';
	for (unsigned int c = 0; c < 64 && c < ncpus && n + 8 < size; c++)
		if (a >> c & 1)
			n += (size_t)snprintf(out + n, size - n, "%s%u", n ? "," : "", c);
}

static int list_one(struct lxl_json *j, uint32_t domid, unsigned int ncpus)
{
	struct hyp_dominfo info;
	char *name;
	int rc = hyp_domain_info(lxl_tk.hyp, domid, &info);

	if (rc)
		return 0;
	name = tk_domain_name(&lxl_tk, domid);
	for (unsigned int v = 0; v <= info.max_vcpu_id; v++) {
		struct hyp_vcpu vi;
		char cpu[12], st[4], aff[256];

		if (hyp_vcpu_info(lxl_tk.hyp, domid, v, &vi))
			break;
		snprintf(cpu, sizeof(cpu), "%d", vi.cpu);
		snprintf(st, sizeof(st), "%c%c%c", vi.running ? 'r' : '-', vi.blocked ? 'b' : '-',
			 vi.online ? '-' : 'p');
		affinity_str(vi.affinity, ncpus, aff, sizeof(aff));
		if (j) {
			lxl_json_object(j, NULL);
			lxl_json_key_str(j, "name", name);
			lxl_json_key_int(j, "domid", domid);
			lxl_json_key_int(j, "vcpu", v);
			lxl_json_key_int(j, "cpu", vi.online ? vi.cpu : -1);
			lxl_json_key_bool(j, "online", vi.online);
			lxl_json_key_bool(j, "running", vi.running);
			lxl_json_key_bool(j, "blocked", vi.blocked);
			lxl_json_key_double(j, "cpu_time_s", (double)vi.cpu_time_ns / 1e9);
			lxl_json_key_str(j, "hard_affinity", aff);
			lxl_json_close_object(j);
		} else {
			printf("%-32s %5u %5u %5s   %-3s %9.1f  %s / all\n", name ? name : "(null)",
			       domid, v, vi.online ? cpu : "-", st, (double)vi.cpu_time_ns / 1e9,
			       aff);
		}
	}
	free(name);
	return 0;
}

int cmd_vcpu_list(int argc, char **argv)
{
	bool json = lxl_json_out;
	struct lxl_json *j = NULL;
	struct hyp_host host;
	int opt;

	while ((opt = getopt(argc, argv, "+jh")) != -1) {
		if (opt == 'j')
			json = true;
		else
			return lxl_usage("vcpu-list");
	}
	if (hyp_host_info(lxl_tk.hyp, &host))
		return lxl_err("cannot read host information");
	if (json) {
		j = lxl_json_begin("vcpu-list");
		lxl_json_array(j, "vcpus");
	} else {
		printf("Name                                ID  VCPU   CPU State   Time(s) "
		       "Affinity (Hard / Soft)\n");
	}
	if (optind < argc) {
		for (int a = optind; a < argc; a++) {
			uint32_t id;

			if (lxl_domain_arg(argv[a], &id)) {
				lxl_json_discard(j);
				return 1;
			}
			list_one(j, id, host.nr_cpus);
		}
	} else {
		struct hyp_dominfo *list;
		int n = hyp_domain_list(lxl_tk.hyp, &list);

		for (int i = 0; i < n; i++)
			list_one(j, list[i].domid, host.nr_cpus);
		if (n > 0)
			free(list);
	}
	if (j) {
		lxl_json_close_array(j);
		return lxl_json_end(j);
	}
	return 0;
}

int cmd_vcpu_set(int argc, char **argv)
{
	unsigned long n;
	uint32_t domid;

	if (getopt(argc, argv, "+h") != -1 || optind != argc - 2)
		return lxl_usage("vcpu-set");
	if (lxl_parse_uint(argv[optind + 1], 4096, &n) || n == 0)
		return lxl_err("'%s' is not a vCPU count", argv[optind + 1]);
	if (lxl_domain_arg(argv[optind], &domid))
		return 1;
	return tk_vcpu_set(&lxl_tk, domid, (unsigned int)n) ? lxl_tk_err() : 0;
}

int cmd_vcpu_pin(int argc, char **argv)
{
	struct hyp_dominfo info;
	struct cfg_cpumap map;
	unsigned long vcpu = 0;
	bool all_vcpus;
	uint32_t domid;
	int rc;

	if (getopt(argc, argv, "+fh") != -1 || optind != argc - 3)
		return lxl_usage("vcpu-pin");
	all_vcpus = !strcmp(argv[optind + 1], "all");
	if (!all_vcpus && lxl_parse_uint(argv[optind + 1], 4095, &vcpu))
		return lxl_err("'%s' is not a vCPU number or 'all'", argv[optind + 1]);
	if (cfg_parse_cpus(argv[optind + 2], &map))
		return lxl_err("'%s' is not a cpu list (e.g. 0-3,^2 or all)", argv[optind + 2]);
	if (lxl_domain_arg(argv[optind], &domid) || hyp_domain_info(lxl_tk.hyp, domid, &info))
		return 1;
	if (!all_vcpus && vcpu > info.max_vcpu_id)
		return lxl_err("domain %u has vCPUs 0 to %u, not %lu", domid, info.max_vcpu_id,
			       vcpu);
	for (unsigned int v = all_vcpus ? 0 : (unsigned int)vcpu;
	     v <= (all_vcpus ? info.max_vcpu_id : vcpu); v++) {
		rc = hyp_vcpu_pin(lxl_tk.hyp, domid, v, (const uint8_t *)map.bits, CFG_MAX_CPUS);
		if (rc)
			return lxl_err("cannot pin vCPU %u of domain %u: %s", v, domid,
				       strerror(-rc));
	}
	return 0;
}

static int mem_cmd(int argc, char **argv, const char *cmd,
		   int (*fn)(struct tk *, uint32_t, uint64_t))
{
	uint64_t kb;
	uint32_t domid;

	if (getopt(argc, argv, "+h") != -1 || optind != argc - 2)
		return lxl_usage(cmd);
	if (lxl_parse_mem_kb(argv[optind + 1], &kb) || kb == 0)
		return lxl_err("invalid memory size '%s' (e.g. 256m, 1g, 524288k)",
			       argv[optind + 1]);
	if (lxl_domain_arg(argv[optind], &domid))
		return 1;
	return fn(&lxl_tk, domid, kb) ? lxl_tk_err() : 0;
}

int cmd_mem_set(int argc, char **argv)
{
	return mem_cmd(argc, argv, "mem-set", tk_mem_set);
}

int cmd_mem_max(int argc, char **argv)
{
	return mem_cmd(argc, argv, "mem-max", tk_mem_max);
}
