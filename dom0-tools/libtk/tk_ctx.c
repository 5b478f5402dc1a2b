// SPDX-License-Identifier: GPL-2.0-only
/*
 * The toolstack's handle, the finding of domains (by id, checked against the
 * hypervisor, or by the name in /local/domain/<id>/name, as xl does), and
 * LXL_TIMING's phase lines.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>
#include <xen/xen.h>

#include "tk.h"
#include "xsu.h"

int tk_fail(struct tk *tk, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tk->msg, sizeof(tk->msg), fmt, ap);
	va_end(ap);
	return rc;
}

/* ms since boot at which this process started (/proc/self/stat's starttime), or -1. */
static double started_ms(void)
{
	unsigned long long ticks = 0;
	char buf[1024], *p;
	FILE *f = fopen("/proc/self/stat", "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	int field = 2;

	if (f)
		fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* the command name may hold spaces */
	for (; p && *p && field < 22; p++)
		field += *p == ' ';
	if (!p || sscanf(p, "%llu", &ticks) != 1)
		return -1;
	return (double)ticks * 1e3 / (double)sysconf(_SC_CLK_TCK);
}

/* This process's page faults and CPU time so far (getrusage). */
static void usage_now(long *faults, double *cpu_ms)
{
	struct rusage u;

	getrusage(RUSAGE_SELF, &u);
	*faults = u.ru_minflt + u.ru_majflt;
	*cpu_ms = (double)(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 +
		  (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

void tk_timing(const char *what)
{
	static struct timespec last;
	static long last_faults;
	static double last_cpu;
	struct timespec now;
	double ms, cpu;
	long faults;

	if (!getenv("LXL_TIMING"))
		return;
	if (!last.tv_sec) {
		clock_gettime(CLOCK_BOOTTIME, &last);
		ms = started_ms();
		usage_now(&last_faults, &last_cpu);
		if (ms >= 0)
			fprintf(stderr,
				"lxl: timing: %-10s %6.1f ms (10 ms resolution), %ld page faults, "
				"%.0f ms CPU\n",
				"exec", (double)last.tv_sec * 1e3 + (double)last.tv_nsec / 1e6 - ms,
				last_faults, last_cpu);
	}
	clock_gettime(CLOCK_BOOTTIME, &now);
	usage_now(&faults, &cpu);
	ms = (double)(now.tv_sec - last.tv_sec) * 1e3 + (double)(now.tv_nsec - last.tv_nsec) / 1e6;
	if (what)
		fprintf(stderr, "lxl: timing: %-10s %6.1f ms, %ld page faults, %.0f ms CPU\n", what,
			ms, faults - last_faults, cpu - last_cpu);
	last = now;
	last_faults = faults;
	last_cpu = cpu;
}

int tk_open(struct tk *tk)
{
	memset(tk, 0, sizeof(*tk));
	tk->hyp = hyp_open();
	if (!tk->hyp)
		return tk_fail(tk, -errno,
			       "cannot open the hypervisor interface "
			       "(/dev/xen/privcmd): %s; is this dom0?",
			       strerror(errno));
	tk->xs = xsu_open();
	if (!tk->xs) {
		int e = errno;

		hyp_close(tk->hyp);
		tk->hyp = NULL;
		return tk_fail(tk, -e, "cannot connect to xenstored: %s; is it running?",
			       strerror(e));
	}
	return 0;
}

void tk_close(struct tk *tk)
{
	xsu_close(tk->xs);
	hyp_close(tk->hyp);
	tk->xs = NULL;
	tk->hyp = NULL;
}

char *tk_domain_name(struct tk *tk, uint32_t domid)
{
	return xsu_readf(tk->xs, NULL, "/local/domain/%u/name", domid);
}

int tk_find_name(struct tk *tk, const char *name, uint32_t *domid)
{
	struct hyp_dominfo *list;
	int n = hyp_domain_list(tk->hyp, &list), rc = -ESRCH;

	if (n < 0)
		return tk_fail(tk, n, "cannot list domains: %s", strerror(-n));
	for (int i = 0; i < n && rc; i++) {
		char *v = tk_domain_name(tk, list[i].domid);

		if (v && !strcmp(v, name)) {
			*domid = list[i].domid;
			rc = 0;
		}
		free(v);
	}
	free(list);
	return rc;
}

int tk_resolve(struct tk *tk, const char *s, uint32_t *domid)
{
	struct hyp_dominfo info;
	char *end;
	unsigned long id;

	if (!s[0])
		return tk_fail(tk, -EINVAL, "empty domain name");
	id = strtoul(s, &end, 10);
	if (*end == '\0' && s[0] >= '0' && s[0] <= '9') {
		if (id >= DOMID_FIRST_RESERVED || hyp_domain_info(tk->hyp, (uint32_t)id, &info))
			return tk_fail(tk, -ESRCH, "no domain with id %s", s);
		*domid = (uint32_t)id;
		return 0;
	}
	if (tk_find_name(tk, s, domid))
		return tk_fail(tk, -ESRCH, "no domain named '%s'", s);
	return 0;
}
