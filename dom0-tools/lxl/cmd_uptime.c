// SPDX-License-Identifier: GPL-2.0-only
/*
 * lxl uptime: xl's table (Name, ID, Uptime as [D day(s), ]HH:MM:SS; -s the
 * short "HH:MM:SS up ..., name (id)" form), or -j the JSON listing. dom0's
 * uptime is /proc/uptime; a domU's is now minus /vm/<uuid>/start_time.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lxl.h"

static void fmt_uptime(unsigned long up, bool shortm, char *out, size_t size)
{
	unsigned long day = up / 86400, hour = up % 86400 / 3600, min = up % 3600 / 60,
		      sec = up % 60;
	char d[32] = "";

	if (day)
		snprintf(d, sizeof(d), "%lu day%s, ", day, day > 1 ? "s" : "");
	if (shortm)
		snprintf(out, size, "%s%2lu:%02lu", d, hour, min);
	else
		snprintf(out, size, "%s%2lu:%02lu:%02lu", d, hour, min, sec);
}

static int uptime_of(uint32_t domid, double *secs)
{
	if (domid == 0) {
		FILE *f = fopen("/proc/uptime", "r");
		int ok = f && fscanf(f, "%lf", secs) == 1;

		if (f)
			fclose(f);
		return ok ? 0 : -1;
	}
	return tk_uptime(&lxl_tk, domid, secs);
}

static void show(struct lxl_json *j, uint32_t domid, bool shortm)
{
	char *name = tk_domain_name(&lxl_tk, domid), up[48], now[16];
	double secs;
	time_t t = time(NULL);
	struct tm tm;

	if (uptime_of(domid, &secs))
		goto out;
	if (j) {
		lxl_json_object(j, NULL);
		lxl_json_key_str(j, "name", name);
		lxl_json_key_int(j, "domid", domid);
		lxl_json_key_double(j, "uptime_s", secs);
		lxl_json_close_object(j);
		goto out;
	}
	fmt_uptime((unsigned long)secs, shortm, up, sizeof(up));
	if (shortm) {
		localtime_r(&t, &tm);
		strftime(now, sizeof(now), "%H:%M:%S", &tm);
		printf(" %s up %s, %s (%u)\n", now, up, name ? name : "(null)", domid);
	} else {
		printf("%-33s %4u %s\n", name ? name : "(null)", domid, up);
	}
out:
	free(name);
}

int cmd_uptime(int argc, char **argv)
{
	bool shortm = false, json = lxl_json_out;
	struct lxl_json *j = NULL;
	int opt;

	while ((opt = getopt(argc, argv, "+sjh")) != -1) {
		if (opt == 's')
			shortm = true;
		else if (opt == 'j')
			json = true;
		else
			return lxl_usage("uptime");
	}
	if (json) {
		j = lxl_json_begin("uptime");
		lxl_json_array(j, "domains");
	} else if (!shortm) {
		printf("%-33s %4s %s\n", "Name", "ID", "Uptime");
	}
	if (optind < argc) {
		for (int a = optind; a < argc; a++) {
			uint32_t id;

			if (lxl_domain_arg(argv[a], &id)) {
				lxl_json_discard(j);
				return 1;
			}
			show(j, id, shortm);
		}
	} else {
		struct hyp_dominfo *list;
		int n = hyp_domain_list(lxl_tk.hyp, &list);

		if (n < 0) {
			lxl_json_discard(j);
			return lxl_err("cannot list domains: %s", strerror(-n));
		}
		for (int i = 0; i < n; i++)
			show(j, list[i].domid, shortm);
		free(list);
	}
	if (j) {
		lxl_json_close_array(j);
		return lxl_json_end(j);
	}
	return 0;
}
