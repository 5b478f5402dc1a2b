// SPDX-License-Identifier: GPL-2.0-only
/*
 * The smaller operations on a running domain, through xenstore as xl does
 * them: rename (name in /local/domain/<id> and /vm), shutdown and reboot
 * requests (control/shutdown), balloon target and maximum, vCPU
 * availability, uptime from /vm/<uuid>/start_time, and the tail of the
 * console log for crash reports.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tk_int.h"

int tk_rename(struct tk *tk, uint32_t domid, const char *name)
{
	uint32_t other;
	char path[96], *vm;
	int rc;

	if (!cfg_name_valid(name))
		return tk_fail(tk, -EINVAL, "'%s' is not a valid domain name", name);
	if (!tk_find_name(tk, name, &other)) {
		if (other == domid)
			return 0;
		return tk_fail(tk, -EEXIST, "a domain named '%s' already exists (id %u)", name,
			       other);
	}
	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	rc = xsu_write(tk->xs, path, name);
	if (rc)
		return tk_fail(tk, rc, "cannot rename domain %u: %s", domid, strerror(-rc));
	vm = xsu_readf(tk->xs, NULL, "/local/domain/%u/vm", domid);
	if (vm) {
		snprintf(path, sizeof(path), "%.80s/name", vm);
		xsu_write(tk->xs, path, name);
		free(vm);
	}
	return 0;
}

int tk_shutdown(struct tk *tk, uint32_t domid, bool reboot)
{
	char path[64];
	int rc;

	snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", domid);
	rc = xsu_write(tk->xs, path, reboot ? "reboot" : "poweroff");
	if (rc)
		return tk_fail(tk, rc, "cannot ask domain %u to %s: %s", domid,
			       reboot ? "reboot" : "shut down", strerror(-rc));
	return 0;
}

static int write_num(struct tk *tk, uint32_t domid, const char *key, uint64_t v)
{
	char path[64], val[24];

	snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, key);
	snprintf(val, sizeof(val), "%llu", (unsigned long long)v);
	return xsu_write(tk->xs, path, val);
}

int tk_mem_set(struct tk *tk, uint32_t domid, uint64_t kb)
{
	char *max = xsu_readf(tk->xs, NULL, "/local/domain/%u/memory/static-max", domid);
	uint64_t max_kb = max ? strtoull(max, NULL, 10) : 0;
	int rc;

	free(max);
	/* As libxl_set_memory_target: the target never goes above static-max. */
	if (domid && max_kb && kb > max_kb)
		return tk_fail(tk, -EINVAL,
			       "%llu MiB is above the domain's maximum (%llu MiB): "
			       "raise it with mem-max first",
			       (unsigned long long)kb / 1024, (unsigned long long)max_kb / 1024);
	if (domid) {
		rc = hyp_set_maxmem(tk->hyp, domid, kb);
		if (rc)
			return tk_fail(tk, rc, "Xen refused %llu MiB for domain %u: %s",
				       (unsigned long long)kb / 1024, domid, strerror(-rc));
	}
	rc = write_num(tk, domid, "memory/target", kb);
	return rc ? tk_fail(tk, rc, "cannot set memory/target: %s", strerror(-rc)) : 0;
}

int tk_mem_max(struct tk *tk, uint32_t domid, uint64_t kb)
{
	char *target = xsu_readf(tk->xs, NULL, "/local/domain/%u/memory/target", domid);
	uint64_t target_kb = target ? strtoull(target, NULL, 10) : 0;
	int rc;

	free(target);
	/* As libxl_domain_setmaxmem: never below the current target. */
	if (kb < target_kb)
		return tk_fail(tk, -EINVAL,
			       "%llu MiB is below the domain's current memory (%llu "
			       "MiB): lower it with mem-set first",
			       (unsigned long long)kb / 1024, (unsigned long long)target_kb / 1024);
	rc = hyp_set_maxmem(tk->hyp, domid, kb);
	if (rc)
		return tk_fail(tk, rc, "Xen refused max memory %llu MiB for domain %u: %s",
			       (unsigned long long)kb / 1024, domid, strerror(-rc));
	rc = write_num(tk, domid, "memory/static-max", kb);
	return rc ? tk_fail(tk, rc, "cannot set memory/static-max: %s", strerror(-rc)) : 0;
}

int tk_vcpu_set(struct tk *tk, uint32_t domid, unsigned int n)
{
	struct hyp_dominfo info;
	int rc = hyp_domain_info(tk->hyp, domid, &info);

	if (rc)
		return tk_fail(tk, rc, "no domain with id %u", domid);
	if (n < 1 || n > info.max_vcpu_id + 1)
		return tk_fail(tk, -EINVAL, "%u vCPUs asked, the domain has 1 to %u", n,
			       info.max_vcpu_id + 1);
	for (unsigned int v = 0; v <= info.max_vcpu_id; v++) {
		char path[64];

		snprintf(path, sizeof(path), "/local/domain/%u/cpu/%u/availability", domid, v);
		rc = xsu_write(tk->xs, path, v < n ? "online" : "offline");
		if (rc)
			return tk_fail(tk, rc, "cannot set vCPU %u: %s", v, strerror(-rc));
	}
	return 0;
}

int tk_uptime(struct tk *tk, uint32_t domid, double *secs)
{
	char *vm = xsu_readf(tk->xs, NULL, "/local/domain/%u/vm", domid), *st = NULL;
	struct timespec now;
	int rc = -ENOENT;

	if (vm)
		st = xsu_readf(tk->xs, NULL, "%s/start_time", vm);
	if (st) {
		clock_gettime(CLOCK_REALTIME, &now);
		*secs = (double)now.tv_sec + now.tv_nsec / 1e9 - strtod(st, NULL);
		rc = 0;
	}
	free(vm);
	free(st);
	return rc;
}

/* Where console daemons keep a guest's log: lamina-consoled's and xenconsoled's names. */
static FILE *open_console_log(uint32_t domid, const char *name)
{
	static const char *const dirs[] = { "/var/log/lamina/console", "/var/log/xen/console" };
	char path[160];
	FILE *f;

	for (unsigned int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/guest-%s.log", dirs[i], name ? name : "");
		f = name ? fopen(path, "r") : NULL;
		if (f)
			return f;
		snprintf(path, sizeof(path), "%s/domain-%u.log", dirs[i], domid);
		f = fopen(path, "r");
		if (f)
			return f;
	}
	return NULL;
}

int tk_console_tail(struct tk *tk, uint32_t domid, const char *name, unsigned int n, FILE *out)
{
	char lines[16][160];
	unsigned int count = 0;
	FILE *f = open_console_log(domid, name);

	(void)tk;
	if (!f)
		return -ENOENT;
	if (n > 16)
		n = 16;
	while (n && fgets(lines[count % n], sizeof(lines[0]), f))
		count++;
	fclose(f);
	for (unsigned int i = count > n ? count - n : 0; i < count; i++) {
		char *l = lines[i % n];

		l[strcspn(l, "\r\n")] = '\0';
		fprintf(out, "  | %s\n", l);
	}
	return (int)(count < n ? count : n);
}
