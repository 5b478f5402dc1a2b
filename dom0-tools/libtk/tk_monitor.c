// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-domain monitor (what xl's daemonised `create` child does): it
 * waits on xenstore's @releaseDomain watch, which xenstored fires when a
 * domain shuts down or dies, and on a one-second poll as a safety net;
 * each time it asks the hypervisor (getdomaininfo) what became of its
 * domain and, when it has shut down, carries out the config's policy for
 * the reason: destroy, restart (destroy and create again from the same
 * config), rename-restart (keep the old one under a new name, start a new
 * one) or preserve (leave it). A crash is reported with the guest's last
 * console lines. The monitor ends when its domain is gone or preserved.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <stdint.h>
#include <xen/sched.h>

#include "tk_int.h"

#define TK_MON_TOKEN "lxl-monitor"

/* The policy for a shutdown @reason; false for reasons with none (suspend). */
static bool policy_for(const struct cfg_domain *cfg, unsigned int reason, enum cfg_action *a,
		       const char **what)
{
	switch (reason) {
	case SHUTDOWN_poweroff:
		*a = cfg->on_poweroff;
		*what = "powered off";
		return true;
	case SHUTDOWN_reboot:
		*a = cfg->on_reboot;
		*what = "rebooted";
		return true;
	case SHUTDOWN_crash:
	case SHUTDOWN_watchdog:
		*a = cfg->on_crash;
		*what = reason == SHUTDOWN_crash ? "crashed" : "was stopped by its watchdog";
		return true;
	}
	return false;
}

/* "<name>-YYYYMMDDTHHMMZ" as xl names a preserved domain, "-N" added when taken. */
static void preserved_name(struct tk *tk, const char *name, char *out, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;
	char stamp[24];
	uint32_t other;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%MZ", &tm);
	snprintf(out, size, "%.40s-%.16s", name, stamp);
	for (int n = 2; !tk_find_name(tk, out, &other) && n < 100; n++)
		snprintf(out, size, "%.40s-%.16s-%d", name, stamp, n % 100);
}

/* Carry out @a for @domid; returns 1 to keep watching (a new *domid), 0 when done. */
static int act(struct tk *tk, uint32_t *domid, const struct cfg_domain *cfg, enum cfg_action a,
	       FILE *log)
{
	struct tk_create_opts o = { .paused = false };
	char newname[CFG_NAME_MAX + 1];
	uint32_t id;

	switch (a) {
	case CFG_ACT_PRESERVE:
		fprintf(log, "lxl: domain %u preserved\n", *domid);
		return 0;
	case CFG_ACT_DESTROY:
		if (tk_destroy(tk, *domid))
			fprintf(log, "lxl: %s\n", tk->msg);
		else
			fprintf(log, "lxl: domain %u destroyed\n", *domid);
		return 0;
	case CFG_ACT_RENAME_RESTART:
		preserved_name(tk, cfg->name, newname, sizeof(newname));
		if (tk_rename(tk, *domid, newname)) {
			fprintf(log, "lxl: %s\n", tk->msg);
			return 0;
		}
		fprintf(log, "lxl: domain %u preserved as '%s'\n", *domid, newname);
		break;
	case CFG_ACT_RESTART:
		if (tk_destroy(tk, *domid)) {
			fprintf(log, "lxl: %s\n", tk->msg);
			return 0;
		}
		break;
	}
	if (tk_create(tk, cfg, &o, &id)) {
		fprintf(log, "lxl: restarting '%s' failed: %s\n", cfg->name, tk->msg);
		return 0;
	}
	fprintf(log, "lxl: '%s' restarted as domain %u\n", cfg->name, id);
	*domid = id;
	return 1;
}

/*
 * The crash report: the guest's last console lines. A guest that prints and
 * crashes at once can be faster than the console daemon's log: wait up to
 * 2 s for the log to have lines.
 */
static void report_crash(struct tk *tk, uint32_t domid, const struct cfg_domain *cfg, FILE *log)
{
	FILE *none = fopen("/dev/null", "w");
	int n = -1;

	for (int i = 0; i < 20 && none; i++) {
		n = tk_console_tail(tk, domid, cfg->name, 10, none);
		if (n > 0)
			break;
		usleep(100 * 1000);
	}
	if (none)
		fclose(none);
	fprintf(log, "lxl: last console lines of '%s':\n", cfg->name);
	if (tk_console_tail(tk, domid, cfg->name, 10, log) <= 0)
		fprintf(log, "  (no console log kept)\n");
}

/* Look at @domid once: 1 keep watching, 0 done. */
static int check(struct tk *tk, uint32_t *domid, const struct cfg_domain *cfg, FILE *log)
{
	struct hyp_dominfo info;
	enum cfg_action a;
	const char *what;

	if (hyp_domain_info(tk->hyp, *domid, &info)) {
		fprintf(log, "lxl: domain %u is gone\n", *domid);
		return 0;
	}
	if (!info.shutdown || info.dying || !policy_for(cfg, info.shutdown_reason, &a, &what))
		return 1;
	fprintf(log, "lxl: domain '%s' (%u) %s; action: %s\n", cfg->name, *domid, what,
		cfg_action_name(a));
	if (info.shutdown_reason == SHUTDOWN_crash)
		report_crash(tk, *domid, cfg, log);
	fflush(log);
	return act(tk, domid, cfg, a, log);
}

/* A termination signal is pending (they are blocked while the monitor runs). */
static bool stop_pending(void)
{
	sigset_t set;

	return !sigpending(&set) && (sigismember(&set, SIGTERM) || sigismember(&set, SIGINT) ||
				     sigismember(&set, SIGHUP));
}

int tk_monitor(struct tk *tk, uint32_t domid, const struct cfg_domain *cfg, FILE *log)
{
	struct pollfd pfd;
	sigset_t block, old;
	int keep = 1;

	/*
	 * SIGTERM while a restart is half-way would leave a half-built domain:
	 * termination signals wait until between two steps.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);

	pfd.fd = xsu_watch_open("@releaseDomain", TK_MON_TOKEN);
	if (pfd.fd < 0)
		return tk_fail(tk, pfd.fd, "cannot watch @releaseDomain: %s", strerror(-pfd.fd));
	pfd.events = POLLIN;
	while (keep) {
		int n = poll(&pfd, 1, 1000);

		/* xenstored gone: the 1 s poll goes on alone (a negative fd is ignored). */
		if (n > 0 && xsu_watch_drain(pfd.fd)) {
			xsu_watch_close(pfd.fd);
			pfd.fd = -1;
		}
		keep = check(tk, &domid, cfg, log);
		fflush(log);
		if (keep && stop_pending()) {
			fprintf(log, "lxl: monitor of domain %u stopped by a signal\n", domid);
			keep = 0;
		}
	}
	xsu_watch_close(pfd.fd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return 0;
}
