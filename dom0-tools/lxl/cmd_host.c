// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host: lxl info (xl's "key : value" lines, one key when named; -n adds
 * xl's cpu_topology, device topology and numa_info tables; -j the JSON listing), lxl dmesg (Xen's console ring, -c clears), cpupool-list,
 * and sched-credit2 (list, or set a domain's weight and cap).
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "lxl.h"
#include "xsu.h"

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

/* xl info's keys, in its order (xl_info.c's print_info without -n). */
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
	row(r, &n, max, "hw_caps", "%08x:%08x:%08x:%08x:%08x:%08x:%08x:%08x", h.hw_cap[0],
	    h.hw_cap[1], h.hw_cap[2], h.hw_cap[3], h.hw_cap[4], h.hw_cap[5], h.hw_cap[6],
	    h.hw_cap[7]);
	row(r, &n, max, "virt_caps", "%s", h.virt_caps);
	row(r, &n, max, "total_memory", "%llu", (unsigned long long)(h.total_pages / 256));
	row(r, &n, max, "free_memory", "%llu",
	    (unsigned long long)((h.free_pages - h.outstanding_pages) / 256));
	row(r, &n, max, "sharing_freed_memory", "%llu",
	    (unsigned long long)(h.sharing_freed_pages / 256));
	row(r, &n, max, "sharing_used_memory", "%llu",
	    (unsigned long long)(h.sharing_used_frames / 256));
	row(r, &n, max, "outstanding_claims", "%llu",
	    (unsigned long long)(h.outstanding_pages / 256));
	row(r, &n, max, "free_cpus", "%u", h.free_cpus);
	row(r, &n, max, "xen_major", "%d", h.xen_major);
	row(r, &n, max, "xen_minor", "%d", h.xen_minor);
	row(r, &n, max, "xen_extra", "%s", h.xen_extra);
	row(r, &n, max, "xen_version", "%d.%d%s", h.xen_major, h.xen_minor, h.xen_extra);
	row(r, &n, max, "xen_caps", "%s", h.xen_caps);
	row(r, &n, max, "xen_scheduler", "%s", sched);
	row(r, &n, max, "xen_pagesize", "%lu", h.pagesize);
	row(r, &n, max, "platform_params", "virt_start=0x%llx", (unsigned long long)h.virt_start);
	row(r, &n, max, "xen_changeset", "%s", h.xen_changeset);
	row(r, &n, max, "xen_commandline", "%s", h.xen_commandline);
	row(r, &n, max, "cc_compiler", "%s", h.cc_compiler);
	row(r, &n, max, "cc_compile_by", "%s", h.cc_compile_by);
	row(r, &n, max, "cc_compile_domain", "%s", h.cc_compile_domain);
	row(r, &n, max, "cc_compile_date", "%s", h.cc_compile_date);
	row(r, &n, max, "build_id", "%s", h.build_id);
	row(r, &n, max, "xend_config_format", "4");
	return n;
}

/* The PCI devices dom0 sees (/sys/bus/pci/devices, as libxl lists them):
 * the count, or -1 without the directory. */
static int pci_devices(struct hyp_pci_dev **out)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;
	int n = 0, cap = 0;

	*out = NULL;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		unsigned int seg, bus, dev, fn;
		struct hyp_pci_dev *bigger;

		if (sscanf(e->d_name, "%x:%x:%x.%x", &seg, &bus, &dev, &fn) != 4)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			bigger = realloc(*out, (size_t)cap * sizeof(**out));
			if (!bigger)
				break;
			*out = bigger;
		}
		(*out)[n++] = (struct hyp_pci_dev){ (uint16_t)seg, (uint8_t)bus,
						    (uint8_t)((dev & 0x1f) << 3 | (fn & 7)) };
	}
	closedir(d);
	return n;
}

/* xl info -n's device topology: a line per PCI device with a node. */
static void print_pci_topology(void)
{
	struct hyp_pci_dev *devs;
	int n = pci_devices(&devs), shown = 0;
	uint32_t *node = n >= 0 ? calloc(n > 0 ? (size_t)n : 1, sizeof(*node)) : NULL;

	/* No sysfs list, or the sysctl failed: libxl fails and xl prints no table.
	 * No devices: libxl makes no hypercall and xl prints the empty table. */
	if (!node || (n > 0 && hyp_pci_topology(lxl_tk.hyp, devs, (unsigned int)n, node))) {
		fprintf(stderr, "libxl_get_pci_topology failed.\n");
		free(devs);
		free(node);
		return;
	}
	printf("device topology        :\ndevice           node\n");
	for (int i = 0; i < n; i++) {
		/* Xen's XEN_INVALID_NODE_ID and XEN_INVALID_DEV (one below) */
		if (node[i] >= HYP_TOPO_INVALID - 1)
			continue;
		printf("%04x:%02x:%02x.%01x      %d\n", devs[i].seg, devs[i].bus,
		       devs[i].devfn >> 3 & 0x1f, devs[i].devfn & 7, (int)node[i]);
		shown++;
	}
	if (!shown)
		printf("No device topology data available\n");
	free(devs);
	free(node);
}

/* xl info -n's tables, after free_cpus: cpu_topology, devices, numa_info. */
static void print_numa_tables(void)
{
	struct hyp_cputopo *t;
	struct hyp_numa_node *m;
	uint32_t *dist;
	int n = hyp_cpu_topology(lxl_tk.hyp, &t);

	if (n < 0) {
		fprintf(stderr, "libxl_get_cpu_topology failed.\n");
	} else {
		printf("cpu_topology           :\ncpu:    core    socket     node\n");
		for (int i = 0; i < n; i++)
			if (t[i].core != HYP_TOPO_INVALID)
				printf("%3d:    %4d     %4d     %4d\n", i, (int)t[i].core,
				       (int)t[i].socket, (int)t[i].node);
		free(t);
		print_pci_topology();
	}
	n = hyp_numa_info(lxl_tk.hyp, &m, &dist);
	if (n < 0) {
		fprintf(stderr, "libxl_get_numainfo failed.\n");
		return;
	}
	printf("numa_info              :\nnode:    memsize    memfree    distances\n");
	for (int i = 0; i < n; i++) {
		if (m[i].memsize == HYP_TOPO_INVALID)
			continue;
		printf("%4d:    %6llu     %6llu      ", i, (unsigned long long)(m[i].memsize >> 20),
		       (unsigned long long)(m[i].memfree >> 20));
		for (int j = 0; j < n; j++)
			printf("%s%d", j ? "," : "", (int)dist[i * n + j]);
		printf("\n");
	}
	free(m);
	free(dist);
}

/*
 * xl info KEY's rule (xl_info.c, maybe_printf): a line is chosen when it
 * starts with KEY (a prefix of the key, or of the whole padded line) and its
 * first ':' is followed by a space; its value, from after ": ", is printed.
 * So "xen_" chooses every xen_ line, an unknown key none (exit 0 both), and
 * an empty virt_caps line ("virt_caps              :") never.
 */
const char *lxl_info_select(const char *line, const char *key)
{
	const char *colon;

	if (strncmp(line, key, strlen(key)))
		return NULL;
	colon = strchr(line, ':');
	return colon && colon[1] == ' ' ? colon + 2 : NULL;
}

/* Row @r as xl prints it (without the newline). */
static void info_line(const struct info_row *r, char *buf, size_t size)
{
	/* xl writes virt_caps as " pv hvm ...": nothing after the colon when empty. */
	if (!r->val[0] && !strcmp(r->key, "virt_caps"))
		snprintf(buf, size, "%-23s:", r->key);
	else
		snprintf(buf, size, "%-23s: %s", r->key, r->val);
}

int cmd_info(int argc, char **argv)
{
	struct info_row rows[48];
	bool json = lxl_json_out, numa = false;
	const char *key = NULL;
	char line[1200];
	int opt, n;

	while ((opt = getopt(argc, argv, "+njh")) != -1) {
		if (opt == 'j')
			json = true;
		else if (opt == 'n')
			numa = true;
		else
			return lxl_usage("info");
	}
	/* as xl: the first argument is the key, the rest ignored; with -n none */
	if (!numa && optind < argc)
		key = argv[optind];
	n = info_rows(rows, 48);
	if (n < 0)
		return lxl_err("cannot read host information: %s", strerror(-n));
	if (json) {
		struct lxl_json *j = lxl_json_begin("host-info");

		lxl_json_object(j, "host");
		for (int i = 0; i < n; i++) {
			info_line(&rows[i], line, sizeof(line));
			if (!key || lxl_info_select(line, key))
				lxl_json_key_str(j, rows[i].key, rows[i].val);
		}
		lxl_json_close_object(j);
		return lxl_json_end(j);
	}
	for (int i = 0; i < n; i++) {
		const char *val;

		if (numa && !strcmp(rows[i].key, "xen_major"))
			print_numa_tables();
		info_line(&rows[i], line, sizeof(line));
		if (!key)
			puts(line);
		else if ((val = lxl_info_select(line, key)))
			puts(val);
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

/* A pool's name as libxl finds it: /local/pool/<id>/name, "Pool-0" for 0 without one. */
char *lxl_pool_name(unsigned int id)
{
	char *name = xsu_readf(lxl_tk.xs, NULL, "/local/pool/%u/name", id);

	if (!name && id == 0)
		name = strdup("Pool-0");
	return name;
}

int cmd_cpupool_list(int argc, char **argv)
{
	bool json = lxl_json_out, cpus = false, found = false;
	struct lxl_json *j = NULL;
	const char *only = NULL;
	struct hyp_pool p;
	int opt;

	while ((opt = getopt(argc, argv, "+cj")) != -1) {
		if (opt == 'j')
			json = true;
		else if (opt == 'c')
			cpus = true;
		else
			return lxl_usage("cpupool-list");
	}
	if (optind < argc - 1)
		return lxl_usage("cpupool-list");
	if (optind == argc - 1) {
		only = argv[optind];
		for (unsigned int id = 0; !found && !hyp_cpupool_next(lxl_tk.hyp, id, &p);
		     id = p.id + 1) {
			char *name = lxl_pool_name(p.id);

			found = name && !strcmp(name, only);
			free(name);
		}
		if (!found)
			return lxl_err("no cpupool named '%s'", only);
	}
	if (json) {
		j = lxl_json_begin("cpupool-list");
		lxl_json_array(j, "cpupools");
	} else {
		printf("%-19s%s\n", "Name",
		       cpus ? "CPU list" : "CPUs   Sched     Active   Domain count");
	}
	for (unsigned int id = 0; !hyp_cpupool_next(lxl_tk.hyp, id, &p); id = p.id + 1) {
		char *name = lxl_pool_name(p.id), list[400] = "";
		size_t n = 0;

		if (only && (!name || strcmp(name, only))) {
			free(name);
			continue;
		}
		for (unsigned int c = 0; c < 64 && n + 8 < sizeof(list); c++)
			if (p.cpumap >> c & 1)
				n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%u",
						      n ? "," : "", c);
		if (j) {
			lxl_json_object(j, NULL);
			lxl_json_key_str(j, "name", name);
			lxl_json_key_int(j, "id", p.id);
			lxl_json_key_int(j, "cpus", p.nr_cpus);
			lxl_json_key_str(j, "cpu_list", list);
			lxl_json_key_str(j, "sched", p.sched);
			lxl_json_key_int(j, "domains", p.nr_domains);
			lxl_json_close_object(j);
		} else if (!cpus) {
			/* xl prints every pool as active */
			printf("%-19s%3u %9s       y       %4u\n", name ? name : "(null)",
			       p.nr_cpus, p.sched, p.nr_domains);
		} else {
			printf("%-19s%s\n", name ? name : "(null)", list);
		}
		free(name);
	}
	if (j) {
		lxl_json_close_array(j);
		return lxl_json_end(j);
	}
	return 0;
}
