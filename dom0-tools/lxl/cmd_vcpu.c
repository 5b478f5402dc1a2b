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

/* A CPU set as xl's print_bitmap writes it: "all", "none" or "0-3,6". */
static void affinity_str(uint64_t a, unsigned int ncpus, char *out, size_t size)
{
	unsigned int c = 0, runs = 0;
	size_t n = 0;

	if (ncpus > 64)
		ncpus = 64;
	out[0] = '\0';
	while (c < ncpus) {
		unsigned int start;

		if (!(a >> c & 1)) {
			c++;
			continue;
		}
		for (start = c; c < ncpus && a >> c & 1; c++)
			;
		if (start == 0 && c == ncpus) {
			snprintf(out, size, "all");
			return;
		}
		if (n + 24 < size)
			n += (size_t)snprintf(out + n, size - n, "%s%u", runs ? "," : "", start);
		if (c - 1 > start && n + 24 < size)
			n += (size_t)snprintf(out + n, size - n, "-%u", c - 1);
		runs++;
	}
	if (!runs)
		snprintf(out, size, "none");
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
		char cpu[12], aff[256], soft[256];

		if (hyp_vcpu_info(lxl_tk.hyp, domid, v, &vi))
			break;
		snprintf(cpu, sizeof(cpu), "%d", vi.cpu);
		affinity_str(vi.affinity, ncpus, aff, sizeof(aff));
		affinity_str(vi.soft_affinity, ncpus, soft, sizeof(soft));
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
			lxl_json_key_str(j, "soft_affinity", soft);
			lxl_json_close_object(j);
		} else {
			/* xl's columns: CPU right after VCPU; an offline vCPU is "-", "--p". */
			printf("%-32s %5u %5u%5s %3c%c%c %9.1f  %s / %s\n", name ? name : "(null)",
			       domid, v, vi.online ? cpu : "-", vi.online && vi.running ? 'r' : '-',
			       vi.online && vi.blocked ? 'b' : '-', vi.online ? '-' : 'p',
			       (double)vi.cpu_time_ns / 1e9, aff, soft);
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
			list_one(j, id, host.max_cpu_id + 1);
		}
	} else {
		struct hyp_dominfo *list;
		int n = hyp_domain_list(lxl_tk.hyp, &list);

		for (int i = 0; i < n; i++)
			list_one(j, list[i].domid, host.max_cpu_id + 1);
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
	int opt;

	while ((opt = getopt(argc, argv, "+i")) != -1)
		if (opt != 'i')
			return lxl_usage("vcpu-set");
	if (optind != argc - 2)
		return lxl_usage("vcpu-set");
	if (lxl_parse_uint(argv[optind + 1], 4096, &n) || n == 0)
		return lxl_err("'%s' is not a vCPU count", argv[optind + 1]);
	if (lxl_domain_arg(argv[optind], &domid))
		return 1;
	return tk_vcpu_set(&lxl_tk, domid, (unsigned int)n) ? lxl_tk_err() : 0;
}

/* "-" leaves the affinity as it is (NULL); else a cpu list into @map. */
static int pin_arg(const char *arg, struct cfg_cpumap *map, const uint8_t **bits)
{
	if (!strcmp(arg, "-")) {
		*bits = NULL;
		return 0;
	}
	if (cfg_parse_cpus(arg, map))
		return lxl_err("'%s' is not a cpu list (e.g. 0-3,^2 or all)", arg);
	*bits = (const uint8_t *)map->bits;
	return 0;
}

int cmd_vcpu_pin(int argc, char **argv)
{
	struct hyp_dominfo info;
	struct cfg_cpumap hmap, smap;
	const uint8_t *hard = NULL, *soft = NULL;
	unsigned long vcpu = 0;
	bool all_vcpus;
	uint32_t domid;
	int opt, rc;

	while ((opt = getopt(argc, argv, "+fi")) != -1)
		if (opt != 'f' && opt != 'i')
			return lxl_usage("vcpu-pin");
	if (argc - optind != 3 && argc - optind != 4)
		return lxl_usage("vcpu-pin");
	all_vcpus = !strcmp(argv[optind + 1], "all");
	if (!all_vcpus && lxl_parse_uint(argv[optind + 1], 4095, &vcpu))
		return lxl_err("'%s' is not a vCPU number or 'all'", argv[optind + 1]);
	if (pin_arg(argv[optind + 2], &hmap, &hard) ||
	    (argc - optind == 4 && pin_arg(argv[optind + 3], &smap, &soft)))
		return 1;
	if (lxl_domain_arg(argv[optind], &domid))
		return 1;
	if (hyp_domain_info(lxl_tk.hyp, domid, &info))
		return lxl_err("no domain with id %u", domid);
	if (!all_vcpus && vcpu > info.max_vcpu_id)
		return lxl_err("domain %u has vCPUs 0 to %u, not %lu", domid, info.max_vcpu_id,
			       vcpu);
	for (unsigned int v = all_vcpus ? 0 : (unsigned int)vcpu;
	     v <= (all_vcpus ? info.max_vcpu_id : vcpu); v++) {
		rc = hyp_vcpu_pin(lxl_tk.hyp, domid, v, hard, soft, CFG_MAX_CPUS);
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
