// SPDX-License-Identifier: GPL-2.0-only
/*
 * lxl list: xl's table (Name, ID, Mem, VCPUs, State, Time(s); -v adds UUID
 * and the shutdown reason code), or with -j/-l the versioned JSON listing.
 * Decision: -l (xl's domain-config JSON, experimental in xl) prints lxl's
 * stable JSON listing instead.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "lxl.h"

/* xl's state column: r b p s <reason> d; the reason letter from "-rscwS". */
static void state_str(const struct hyp_dominfo *d, char out[7])
{
	static const char reasons[] = "-rscwS";
	unsigned int r = d->shutdown ? d->shutdown_reason : 0;

	out[0] = d->running ? 'r' : '-';
	out[1] = d->blocked ? 'b' : '-';
	out[2] = d->paused ? 'p' : '-';
	out[3] = d->shutdown ? 's' : '-';
	out[4] = r < sizeof(reasons) - 1 ? reasons[r] : '?';
	out[5] = d->dying ? 'd' : '-';
	out[6] = '\0';
}

static void print_row(const struct hyp_dominfo *d, const char *name, bool verbose)
{
	char st[7], u[37];

	state_str(d, st);
	printf("%-40s %5u %5lu %5u     %s  %8.1f", name ? name : "(null)", d->domid,
	       (unsigned long)(d->nr_pages * 4 / 1024), d->nr_online_vcpus, st,
	       (double)d->cpu_time_ns / 1e9);
	if (verbose) {
		tk_uuid_str(d->handle, u);
		printf(" %s", u);
		if (d->shutdown)
			printf(" %8x", d->shutdown_reason);
		else
			printf(" %8s", "-");
		printf(" %16s", "-");
	}
	putchar('\n');
}

static void json_row(struct lxl_json *j, const struct hyp_dominfo *d, const char *name)
{
	char st[7], u[37];

	state_str(d, st);
	tk_uuid_str(d->handle, u);
	lxl_json_object(j, NULL);
	lxl_json_key_str(j, "name", name);
	lxl_json_key_int(j, "domid", d->domid);
	lxl_json_key_str(j, "uuid", u);
	lxl_json_key_int(j, "mem_kb", (long long)(d->nr_pages * 4));
	lxl_json_key_int(j, "max_mem_kb", (long long)d->max_memkb);
	lxl_json_key_int(j, "vcpus_online", d->nr_online_vcpus);
	lxl_json_key_int(j, "vcpus_max", d->max_vcpu_id + 1);
	lxl_json_key_str(j, "state", st);
	lxl_json_key_bool(j, "running", d->running);
	lxl_json_key_bool(j, "blocked", d->blocked);
	lxl_json_key_bool(j, "paused", d->paused);
	lxl_json_key_bool(j, "shutdown", d->shutdown);
	lxl_json_key_bool(j, "dying", d->dying);
	if (d->shutdown)
		lxl_json_key_int(j, "shutdown_reason", d->shutdown_reason);
	else
		lxl_json_key_str(j, "shutdown_reason", NULL);
	lxl_json_key_double(j, "cpu_time_s", (double)d->cpu_time_ns / 1e9);
	lxl_json_key_int(j, "cpupool", d->cpupool);
	lxl_json_close_object(j);
}

/* Keep only the domains named on the command line, in the order given. */
static int pick(struct hyp_dominfo *all, int n, int argc, char **argv, struct hyp_dominfo *out)
{
	int k = 0;

	for (int a = optind; a < argc; a++) {
		uint32_t id;

		if (lxl_domain_arg(argv[a], &id))
			return -1;
		for (int i = 0; i < n; i++)
			if (all[i].domid == id)
				out[k++] = all[i];
	}
	return k;
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = { { "long", 0, 0, 'l' },
					      { "verbose", 0, 0, 'v' },
					      { "json", 0, 0, 'j' },
					      { 0, 0, 0, 0 } };
	struct hyp_dominfo *all, *show;
	bool verbose = false, json = lxl_json_out;
	struct lxl_json *j = NULL;
	int n, opt, count;

	while ((opt = getopt_long(argc, argv, "+lvjh", opts, NULL)) != -1) {
		if (opt == 'v')
			verbose = true;
		else if (opt == 'l' || opt == 'j')
			json = true;
		else
			return lxl_usage("list");
	}
	n = hyp_domain_list(lxl_tk.hyp, &all);
	if (n < 0)
		return lxl_err("cannot list domains: %s", strerror(-n));
	show = all;
	count = n;
	if (optind < argc) {
		show = calloc((size_t)(argc - optind) + 1, sizeof(*show));
		count = show ? pick(all, n, argc, argv, show) : -1;
		if (count < 0) {
			free(show);
			free(all);
			return 1;
		}
	}
	if (json) {
		j = lxl_json_begin("domain-list");
		lxl_json_array(j, "domains");
	} else {
		printf("Name                                        ID   Mem "
		       "VCPUs\tState\tTime(s)");
		if (verbose)
			printf("   UUID                            Reason-Code\tSecurity Label");
		putchar('\n');
	}
	for (int i = 0; i < count; i++) {
		char *name = tk_domain_name(&lxl_tk, show[i].domid);

		if (json)
			json_row(j, &show[i], name);
		else
			print_row(&show[i], name, verbose);
		free(name);
	}
	if (show != all)
		free(show);
	free(all);
	if (json) {
		lxl_json_close_array(j);
		return lxl_json_end(j);
	}
	return 0;
}
