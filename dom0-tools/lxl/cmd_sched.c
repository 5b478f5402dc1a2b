// SPDX-License-Identifier: GPL-2.0-only
/*
 * lxl sched-credit2: with no -d, every domain's weight and cap under xl's
 * header; -d DOM alone shows one; -w WEIGHT (1-65535) and/or -c CAP (0-100
 * per vCPU, 0 = none) set them. -j prints the JSON listing.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "lxl.h"

static int show(struct lxl_json *j, uint32_t domid)
{
	unsigned int w, c;
	char *name;
	int rc = hyp_credit2_get(lxl_tk.hyp, domid, &w, &c);

	if (rc)
		return lxl_err("cannot read credit2 parameters of domain %u: %s", domid,
			       strerror(-rc));
	name = tk_domain_name(&lxl_tk, domid);
	if (j) {
		lxl_json_object(j, NULL);
		lxl_json_key_str(j, "name", name);
		lxl_json_key_int(j, "domid", domid);
		lxl_json_key_int(j, "weight", w);
		lxl_json_key_int(j, "cap", c);
		lxl_json_close_object(j);
	} else {
		printf("%-33s %4u %6u %4u\n", name ? name : "(null)", domid, w, c);
	}
	free(name);
	return 0;
}

/* "Cpupool Pool-0: ratelimit=1000us", as xl heads each credit2 pool. */
static void pool_line(unsigned int pool)
{
	char *name = lxl_pool_name(pool);
	unsigned int us;

	if (hyp_credit2_ratelimit(lxl_tk.hyp, pool, &us))
		printf("Cpupool %s: [sched params unavailable]\n", name ? name : "(null)");
	else
		printf("Cpupool %s: ratelimit=%uus\n", name ? name : "(null)", us);
	free(name);
}

static void header(void)
{
	printf("%-33s %4s %6s %4s\n", "Name", "ID", "Weight", "Cap");
}

/* Every domain of every credit2 pool, pool by pool as xl lists them. */
static int show_all(struct lxl_json *j)
{
	struct hyp_dominfo *list;
	struct hyp_pool p;
	int n = hyp_domain_list(lxl_tk.hyp, &list), rc = 0;

	if (n < 0)
		return lxl_err("cannot list domains: %s", strerror(-n));
	for (unsigned int id = 0; !rc && !hyp_cpupool_next(lxl_tk.hyp, id, &p); id = p.id + 1) {
		if (strcmp(p.sched, "credit2"))
			continue;
		if (!j) {
			pool_line(p.id);
			header();
		}
		for (int i = 0; i < n && !rc; i++)
			if (list[i].cpupool == p.id)
				rc = show(j, list[i].domid);
	}
	free(list);
	return rc;
}

int cmd_sched_credit2(int argc, char **argv)
{
	const char *dom = NULL, *sched = "";
	unsigned long weight = 0, cap = 0;
	bool set_w = false, set_c = false, json = lxl_json_out, params = false;
	struct lxl_json *j = NULL;
	uint32_t domid;
	int opt, rc = 0;

	while ((opt = getopt(argc, argv, "+d:w:c:sj")) != -1) {
		if (opt == 'd')
			dom = optarg;
		else if (opt == 'w') {
			if (lxl_parse_uint(optarg, 65535, &weight) || weight == 0)
				return lxl_err("weight must be 1 to 65535, not '%s'", optarg);
			set_w = true;
		} else if (opt == 'c') {
			if (lxl_parse_uint(optarg, 65535, &cap))
				return lxl_err("cap must be a number, not '%s'", optarg);
			set_c = true;
		} else if (opt == 's')
			params = true;
		else if (opt == 'j')
			json = true;
		else
			return lxl_usage("sched-credit2");
	}
	if (optind != argc)
		return lxl_usage("sched-credit2");
	if ((set_w || set_c) && !dom)
		return lxl_err("-w and -c need a domain (-d)");
	if (hyp_sched_name(lxl_tk.hyp, 0, &sched) || strcmp(sched, "credit2"))
		return lxl_err("the scheduler is %s, not credit2", sched);
	if (params) {
		pool_line(0);
		return 0;
	}
	if (dom && lxl_domain_arg(dom, &domid))
		return 1;
	if (set_w || set_c) {
		unsigned int w, c;

		rc = hyp_credit2_get(lxl_tk.hyp, domid, &w, &c);
		if (!rc)
			rc = hyp_credit2_set(lxl_tk.hyp, domid, set_w ? (unsigned int)weight : w,
					     set_c ? (unsigned int)cap : c);
		return rc ? lxl_err("cannot set credit2 parameters of domain %u: %s", domid,
				    strerror(-rc))
			  : 0;
	}
	if (json) {
		j = lxl_json_begin("sched-credit2");
		lxl_json_array(j, "domains");
	}
	if (dom) {
		if (!j)
			header();
		rc = show(j, domid);
	} else {
		rc = show_all(j);
	}
	if (j && rc) {
		lxl_json_discard(j);
	} else if (j) {
		lxl_json_close_array(j);
		return lxl_json_end(j);
	}
	return rc;
}
