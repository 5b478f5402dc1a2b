// SPDX-License-Identifier: GPL-2.0-only
/*
 * lxl sched-credit and sched-credit2, as xl 4.17's (xl_sched.c) with
 * libxl's checks (libxl_sched.c):
 *   (nothing) [-p POOL]   every domain of every pool run by that scheduler,
 *                         under the pool's parameter line and the header;
 *   -d DOM                one domain; -w WEIGHT (1-65535) and/or -c CAP
 *                         (0 to 100 per vCPU, 0 = none) set it;
 *   -s [-p POOL]          the pool's parameters (pool 0 by default); with
 *                         -t TSLICE_MS -r RATELIMIT_US -m MIGR_DELAY_US
 *                         (credit) or -r (credit2) they are set.
 * -j prints the JSON listing (docs/lxl.md).
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "lxl.h"

struct sched_kind {
	int id;		  /* HYP_SCHED_* */
	const char *name; /* the cpupool's scheduler, as hyp_pool.sched */
	const char *cmd;  /* the subcommand */
	const char *opts; /* its getopt string */
	bool credit1;	  /* tslice and migration delay besides the ratelimit */
};

static const struct sched_kind credit = { HYP_SCHED_CREDIT, "credit", "sched-credit",
					  "+d:w:c:p:t:r:m:sjh", true };
static const struct sched_kind credit2 = { HYP_SCHED_CREDIT2, "credit2", "sched-credit2",
					   "+d:w:c:p:r:sjh", false };

/* A signed decimal number, the whole string (xl reads these with strtol). */
static int parse_long(const char *s, long *out)
{
	char *end;

	if (!*s || isspace((unsigned char)*s))
		return -1;
	*out = strtol(s, &end, 10);
	return *end || *out < -(1L << 31) || *out > (1L << 31) - 1 ? -1 : 0;
}

/* libxl_cpupool_qualifier_to_cpupoolid and _is_valid: digits are an id, else a name. */
static int pool_arg(const char *arg, unsigned int *id)
{
	struct hyp_pool p;
	size_t digits = strspn(arg, "0123456789");

	for (unsigned int i = 0; !hyp_cpupool_next(lxl_tk.hyp, i, &p); i = p.id + 1) {
		char *name = lxl_pool_name(p.id);
		bool is = digits && !arg[digits] ? strtoul(arg, NULL, 10) == p.id
						 : name && !strcmp(name, arg);

		free(name);
		if (is) {
			*id = p.id;
			return 0;
		}
	}
	return lxl_err("unknown cpupool '%s'", arg);
}

/* Cpupool @pool's parameter line, as xl heads each pool (and prints for -s). */
static void pool_line(const struct sched_kind *k, unsigned int pool)
{
	char *name = lxl_pool_name(pool);
	struct hyp_sched_params s;

	if (hyp_sched_params_get(lxl_tk.hyp, k->id, pool, &s))
		printf("Cpupool %s: [sched params unavailable]\n", name ? name : "(null)");
	else if (k->credit1)
		printf("Cpupool %s: tslice=%ums ratelimit=%uus migration-delay=%uus\n",
		       name ? name : "(null)", s.tslice_ms, s.ratelimit_us, s.migr_delay_us);
	else
		printf("Cpupool %s: ratelimit=%uus\n", name ? name : "(null)", s.ratelimit_us);
	free(name);
}

/* -s -j: the pool's parameters as a document of their own. */
static int pool_json(const struct sched_kind *k, unsigned int pool)
{
	char kind[40], *name = lxl_pool_name(pool);
	struct hyp_sched_params s;
	struct lxl_json *j;
	int rc = hyp_sched_params_get(lxl_tk.hyp, k->id, pool, &s);

	if (rc) {
		lxl_err("cannot read the %s parameters of cpupool %s: %s", k->name,
			name ? name : "(null)", strerror(-rc));
		free(name);
		return 1;
	}
	snprintf(kind, sizeof(kind), "%s-params", k->cmd);
	j = lxl_json_begin(kind);
	lxl_json_array(j, "cpupools");
	lxl_json_object(j, NULL);
	lxl_json_key_str(j, "name", name);
	lxl_json_key_int(j, "id", pool);
	if (k->credit1)
		lxl_json_key_int(j, "tslice_ms", s.tslice_ms);
	lxl_json_key_int(j, "ratelimit_us", s.ratelimit_us);
	if (k->credit1)
		lxl_json_key_int(j, "migration_delay_us", s.migr_delay_us);
	lxl_json_close_object(j);
	lxl_json_close_array(j);
	free(name);
	return lxl_json_end(j);
}

/* Why @domid's parameters could not be read or set: another scheduler, or Xen's errno. */
static int dom_err(const struct sched_kind *k, uint32_t domid, const char *what, int rc)
{
	struct hyp_dominfo d;
	struct hyp_pool p;

	if (rc == -EINVAL && !hyp_domain_info(lxl_tk.hyp, domid, &d) &&
	    !hyp_cpupool_next(lxl_tk.hyp, d.cpupool, &p) && p.id == d.cpupool &&
	    p.sched_id != k->id)
		return lxl_err("domain %u is in cpupool %u, run by %s, not %s", domid, p.id,
			       p.sched, k->name);
	return lxl_err("cannot %s %s parameters of domain %u: %s", what, k->name, domid,
		       strerror(-rc));
}

static void header(void)
{
	printf("%-33s %4s %6s %4s\n", "Name", "ID", "Weight", "Cap");
}

static int show(const struct sched_kind *k, struct lxl_json *j, const struct hyp_dominfo *d)
{
	unsigned int w, c;
	char *name;
	int rc = hyp_sched_dom_get(lxl_tk.hyp, k->id, d->domid, &w, &c);

	if (rc)
		return dom_err(k, d->domid, "read", rc);
	name = tk_domain_name(&lxl_tk, d->domid);
	if (j) {
		lxl_json_object(j, NULL);
		lxl_json_key_str(j, "name", name);
		lxl_json_key_int(j, "domid", d->domid);
		lxl_json_key_int(j, "weight", w);
		lxl_json_key_int(j, "cap", c);
		lxl_json_key_int(j, "cpupool", d->cpupool);
		lxl_json_close_object(j);
	} else {
		printf("%-33s %4u %6u %4u\n", name ? name : "(null)", d->domid, w, c);
	}
	free(name);
	return 0;
}

/* Every domain of every pool @k runs (or of @only), pool by pool as xl lists them. */
static int show_all(const struct sched_kind *k, struct lxl_json *j, const unsigned int *only)
{
	struct hyp_dominfo *list;
	struct hyp_pool p;
	int n = hyp_domain_list(lxl_tk.hyp, &list), rc = 0;

	if (n < 0)
		return lxl_err("cannot list domains: %s", strerror(-n));
	for (unsigned int id = 0; !rc && !hyp_cpupool_next(lxl_tk.hyp, id, &p); id = p.id + 1) {
		if (p.sched_id != k->id || (only && p.id != *only))
			continue;
		if (!j) {
			pool_line(k, p.id);
			header();
		}
		for (int i = 0; i < n && !rc; i++)
			if (list[i].cpupool == p.id)
				rc = show(k, j, &list[i]);
	}
	free(list);
	return rc;
}

/* -d D -w/-c: libxl's checks (weight 1-65535, cap 0 to 100 per vCPU), then set. */
static int set_dom(const struct sched_kind *k, uint32_t domid, const long *weight, const long *cap)
{
	struct hyp_dominfo d;
	unsigned int w, c;
	long max_cap;
	int rc = hyp_domain_info(lxl_tk.hyp, domid, &d);

	if (!rc)
		rc = hyp_sched_dom_get(lxl_tk.hyp, k->id, domid, &w, &c);
	if (rc)
		return dom_err(k, domid, "read", rc);
	max_cap = ((long)d.max_vcpu_id + 1) * 100;
	if (weight && (*weight < 1 || *weight > 65535))
		return lxl_err(
			"Cpu weight out of range, valid values are within range from 1 to 65535");
	if (cap && (*cap < 0 || *cap > max_cap))
		return lxl_err("Cpu cap out of range, valid range is from 0 to %ld for specified "
			       "number of vcpus",
			       max_cap);
	rc = hyp_sched_dom_set(lxl_tk.hyp, k->id, domid, weight ? (unsigned int)*weight : w,
			       cap ? (unsigned int)*cap : c);
	return rc ? dom_err(k, domid, "set", rc) : 0;
}

/* -s with -t/-r/-m: libxl's bounds (sched_ratelimit_check and the credit ones), then set. */
static int set_params(const struct sched_kind *k, unsigned int pool, const long *tslice,
		      const long *ratelimit, const long *delay)
{
	struct hyp_sched_params s;
	long t, r, m;
	int rc = hyp_sched_params_get(lxl_tk.hyp, k->id, pool, &s);

	/* credit2's set writes the ratelimit alone, not read first */
	if (rc && k->credit1)
		return lxl_err("cannot read the %s parameters of cpupool %u: %s", k->name, pool,
			       strerror(-rc));
	t = tslice ? *tslice : s.tslice_ms;
	r = ratelimit ? *ratelimit : s.ratelimit_us;
	m = delay ? *delay : s.migr_delay_us;
	if (k->credit1 && (t < HYP_TSLICE_MIN_MS || t > HYP_TSLICE_MAX_MS))
		return lxl_err("Time slice out of range, valid range is from %d to %d",
			       HYP_TSLICE_MIN_MS, HYP_TSLICE_MAX_MS);
	if (r && (r < HYP_RATELIMIT_MIN_US || r > HYP_RATELIMIT_MAX_US))
		return lxl_err("Ratelimit out of range, valid range is from %d to %d",
			       HYP_RATELIMIT_MIN_US, HYP_RATELIMIT_MAX_US);
	if (k->credit1 && r > t * 1000)
		return lxl_err("Ratelimit cannot be greater than timeslice");
	if (k->credit1 && (m < 0 || m > HYP_MIGR_DELAY_MAX_US))
		return lxl_err("vcpu migration delay should be >= 0 and <= %dus",
			       HYP_MIGR_DELAY_MAX_US);
	s = (struct hyp_sched_params){ (unsigned int)t, (unsigned int)r, (unsigned int)m };
	rc = hyp_sched_params_set(lxl_tk.hyp, k->id, pool, &s);
	return rc ? lxl_err("cannot set the %s parameters of cpupool %u: %s", k->name, pool,
			    strerror(-rc))
		  : 0;
}

/* The values of -w -c -t -r -m, each NULL when not given. */
struct sched_args {
	const char *dom, *pool;
	bool params, json;
	long val[5];
	bool given[5];
};

#define SCHED_VALS "wctrm"

static const long *arg_val(const struct sched_args *a, char opt)
{
	int i = (int)(strchr(SCHED_VALS, opt) - SCHED_VALS);

	return a->given[i] ? &a->val[i] : NULL;
}

/* Options as xl reads them; 2 for a usage error, 1 for a bad number, else 0. */
static int parse_args(const struct sched_kind *k, int argc, char **argv, struct sched_args *a)
{
	int opt;

	*a = (struct sched_args){ .json = lxl_json_out };
	while ((opt = getopt(argc, argv, k->opts)) != -1) {
		const char *v = strchr(SCHED_VALS, opt);

		if (opt == 'd')
			a->dom = optarg;
		else if (opt == 'p')
			a->pool = optarg;
		else if (opt == 's')
			a->params = true;
		else if (opt == 'j')
			a->json = true;
		else if (!v || !opt)
			return lxl_usage(k->cmd);
		else if (parse_long(optarg, &a->val[v - SCHED_VALS]))
			return lxl_err("-%c: '%s' is not a number", opt, optarg);
		else
			a->given[v - SCHED_VALS] = true;
	}
	return optind != argc ? lxl_usage(k->cmd) : 0;
}

static int cmd_sched(const struct sched_kind *k, int argc, char **argv)
{
	struct sched_args a;
	bool dom_opts, param_opts;
	struct lxl_json *j = NULL;
	unsigned int pool = 0;
	struct hyp_dominfo d;
	int rc = parse_args(k, argc, argv, &a);

	if (rc)
		return rc;
	dom_opts = a.dom || arg_val(&a, 'w') || arg_val(&a, 'c');
	param_opts = arg_val(&a, 't') || arg_val(&a, 'r') || arg_val(&a, 'm');
	/* xl's own checks, in its order and words */
	if (k->credit1 && (a.pool || a.params) && dom_opts)
		return lxl_err(
			"Specifying a cpupool or schedparam is not allowed with domain options.");
	if (!k->credit1 && a.pool && dom_opts)
		return lxl_err("Specifying a cpupool is not allowed with other options.");
	if (!a.dom && (arg_val(&a, 'w') || arg_val(&a, 'c')))
		return lxl_err("Must specify a domain.");
	if (k->credit1 && !a.params && param_opts)
		return lxl_err("Must specify schedparam to set schedule parameter values.");
	if (a.pool && pool_arg(a.pool, &pool))
		return 1;
	if (a.params && !param_opts) {
		if (a.json)
			return pool_json(k, pool);
		pool_line(k, pool);
		return 0;
	}
	if (a.params)
		return set_params(k, pool, arg_val(&a, 't'), arg_val(&a, 'r'), arg_val(&a, 'm'));
	if (a.dom && lxl_domain_arg(a.dom, &d.domid))
		return 1;
	if (a.dom && (arg_val(&a, 'w') || arg_val(&a, 'c')))
		return set_dom(k, d.domid, arg_val(&a, 'w'), arg_val(&a, 'c'));
	if (a.json) {
		j = lxl_json_begin(k->cmd);
		lxl_json_array(j, "domains");
	}
	if (a.dom) {
		if (!j)
			header(); /* xl prints it before it reads the domain */
		rc = hyp_domain_info(lxl_tk.hyp, d.domid, &d);
		rc = rc ? lxl_err("no domain with id %u", d.domid) : show(k, j, &d);
	} else {
		rc = show_all(k, j, a.pool ? &pool : NULL);
	}
	if (j && rc) {
		lxl_json_discard(j);
	} else if (j) {
		lxl_json_close_array(j);
		return lxl_json_end(j);
	}
	return rc;
}

int cmd_sched_credit(int argc, char **argv)
{
	return cmd_sched(&credit, argc, argv);
}

int cmd_sched_credit2(int argc, char **argv)
{
	return cmd_sched(&credit2, argc, argv);
}
