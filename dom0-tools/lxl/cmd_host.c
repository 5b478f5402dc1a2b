// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host: lxl info (xl's "key : value" lines, one key when named; -j the
 * JSON listing), lxl dmesg (Xen's console ring, -c clears), cpupool-list,
 * and sched-credit2 (list, or set a domain's weight and cap).
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "lxl.h"

struct info_row {
	const char *key;
	char val[1100];
};

static void row(struct info_row *r, int *n, int max, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Append "key : value" to @r (at most @max rows). */
static void row(struct info_row *r, int *n, int max, const char *key, const char *fmt, ...)
{
	va_list ap;

	if (*n >= max)
		return;
	r[*n].key = key;
	va_start(ap, fmt);
	vsnprintf(r[*n].val, sizeof(r[*n].val), fmt, ap);
	va_end(ap);
	(*n)++;
}

static int info_rows(struct info_row *r, int max)
{
	struct hyp_host h;
	struct utsname u;
	const char *sched = "unknown";
	int n = 0, rc = hyp_host_info(lxl_tk.hyp, &h);

	if (rc)
		return rc;
	hyp_sched_name(lxl_tk.hyp, 0, &sched);
	uname(&u);
	row(r, &n, max, "host", "%s", u.nodename);
	row(r, &n, max, "release", "%s", u.release);
	row(r, &n, max, "version", "%s", u.version);
	row(r, &n, max, "machine", "%s", u.machine);
	row(r, &n, max, "nr_cpus", "%u", h.nr_cpus);
	row(r, &n, max, "max_cpu_id", "%u", h.max_cpu_id);
	row(r, &n, max, "nr_nodes", "%u", h.nr_nodes);
	row(r, &n, max, "cores_per_socket", "%u", h.cores_per_socket);
	row(r, &n, max, "threads_per_core", "%u", h.threads_per_core);
	row(r, &n, max, "cpu_mhz", "%u.%03u", h.cpu_khz / 1000, h.cpu_khz % 1000);
	row(r, &n, max, "total_memory", "%llu", (unsigned long long)(h.total_pages / 256));
	row(r, &n, max, "free_memory", "%llu", (unsigned long long)(h.free_pages / 256));
	row(r, &n, max, "outstanding_claims", "%llu",
	    (unsigned long long)(h.outstanding_pages / 256));
	row(r, &n, max, "xen_major", "%d", h.xen_major);
	row(r, &n, max, "xen_minor", "%d", h.xen_minor);
	row(r, &n, max, "xen_extra", "%s", h.xen_extra);
	row(r, &n, max, "xen_version", "%d.%d%s", h.xen_major, h.xen_minor, h.xen_extra);
	row(r, &n, max, "xen_caps", "%s", h.xen_caps);
	row(r, &n, max, "xen_scheduler", "%s", sched);
	row(r, &n, max, "xen_pagesize", "%lu", h.pagesize);
	row(r, &n, max, "xen_changeset", "%s", h.xen_changeset);
	row(r, &n, max, "xen_commandline", "%s", h.xen_commandline);
	return n;
}

int cmd_info(int argc, char **argv)
{
	struct info_row rows[32];
	bool json = lxl_json_out;
	int opt, n;

	while ((opt = getopt(argc, argv, "+njh")) != -1) {
		if (opt == 'j')
			json = true;
		else if (opt != 'n')
			return lxl_usage("info");
	}
	n = info_rows(rows, 32);
	if (n < 0)
		return lxl_err("cannot read host information: %s", strerror(-n));
	if (json) {
		struct lxl_json *j = lxl_json_begin("host-info");

		lxl_json_object(j, "host");
		for (int i = 0; i < n; i++)
			lxl_json_key_str(j, rows[i].key, rows[i].val);
		lxl_json_close_object(j);
		return lxl_json_end(j);
	}
	for (int i = 0; i < n; i++) {
		if (optind < argc && strcmp(argv[optind], rows[i].key))
			continue;
		printf("%-23s: %s\n", rows[i].key, rows[i].val);
	}
	return 0;
}

#define LXL_DMESG_MAX (1 << 20)

int cmd_dmesg(int argc, char **argv)
{
	bool clear = false;
	char *buf;
	int opt, n;

	while ((opt = getopt(argc, argv, "+ch")) != -1) {
		if (opt == 'c')
			clear = true;
		else
			return lxl_usage("dmesg");
	}
	buf = malloc(LXL_DMESG_MAX);
	if (!buf)
		return lxl_err("out of memory");
	n = hyp_read_console(lxl_tk.hyp, buf, LXL_DMESG_MAX, clear);
	if (n < 0) {
		free(buf);
		return lxl_err("cannot read Xen's console ring: %s", strerror(-n));
	}
	fwrite(buf, 1, (size_t)n, stdout);
	free(buf);
	return 0;
}

int cmd_cpupool_list(int argc, char **argv)
{
	bool json = lxl_json_out, cpus = false;
	struct lxl_json *j = NULL;
	struct hyp_pool p;
	int opt;

	while ((opt = getopt(argc, argv, "+cjh")) != -1) {
		if (opt == 'j')
			json = true;
		else if (opt == 'c')
			cpus = true;
		else
			return lxl_usage("cpupool-list");
	}
	if (json) {
		j = lxl_json_begin("cpupool-list");
		lxl_json_array(j, "cpupools");
	} else {
		printf(cpus ? "Name               CPU list\n"
			    : "Name               CPUs   Sched     Active   Domain count\n");
	}
	for (unsigned int id = 0; !hyp_cpupool_next(lxl_tk.hyp, id, &p); id = p.id + 1) {
		char name[32];

		snprintf(name, sizeof(name), "Pool-%u", p.id);
		if (p.id == 0)
			snprintf(name, sizeof(name), "Pool-0");
		if (j) {
			lxl_json_object(j, NULL);
			lxl_json_key_str(j, "name", name);
			lxl_json_key_int(j, "id", p.id);
			lxl_json_key_int(j, "cpus", p.nr_cpus);
			lxl_json_key_str(j, "sched", p.sched);
			lxl_json_key_int(j, "domains", p.nr_domains);
			lxl_json_close_object(j);
		} else if (!cpus) {
			printf("%-19s%4u %9s       %c    %5u\n", name, p.nr_cpus, p.sched,
			       p.nr_cpus ? 'y' : 'n', p.nr_domains);
		} else {
			printf("%-19s%u CPUs\n", name, p.nr_cpus);
		}
	}
	if (j) {
		lxl_json_close_array(j);
		return lxl_json_end(j);
	}
	return 0;
}
