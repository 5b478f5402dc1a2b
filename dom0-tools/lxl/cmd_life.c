// SPDX-License-Identifier: GPL-2.0-only
/*
 * A domain's life from the command line: destroy, shutdown and reboot
 * (asked through control/shutdown and acknowledged by the guest within 60 s,
 * as libxl; -a every running domU, -w wait until they have shut down, -ww
 * until they are gone; -F accepted: for a PV guest xl has no fallback
 * either), pause, unpause, rename, and the id/name conversions, with xl's
 * messages and exit codes.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lxl.h"
#include "xsu.h"

/* One "<Domain>" argument and nothing else: the domain's id, or -1 (printed). */
static int one_domain(int argc, char **argv, const char *cmd, uint32_t *domid)
{
	int opt;

	while ((opt = getopt(argc, argv, "+h")) != -1)
		return lxl_usage(cmd);
	if (optind != argc - 1)
		return lxl_usage(cmd);
	return lxl_domain_arg(argv[optind], domid);
}

int cmd_destroy(int argc, char **argv)
{
	uint32_t domid;
	int rc = one_domain(argc, argv, "destroy", &domid);

	if (rc)
		return rc;
	return tk_destroy(&lxl_tk, domid) ? lxl_tk_err() : 0;
}

static int simple(int argc, char **argv, const char *cmd, int (*fn)(struct hyp *, uint32_t),
		  const char *what)
{
	uint32_t domid;
	int rc = one_domain(argc, argv, cmd, &domid);

	if (rc)
		return rc;
	rc = fn(lxl_tk.hyp, domid);
	return rc ? lxl_err("cannot %s domain %u: %s", what, domid, strerror(-rc)) : 0;
}

int cmd_pause(int argc, char **argv)
{
	return simple(argc, argv, "pause", hyp_domain_pause, "pause");
}

int cmd_unpause(int argc, char **argv)
{
	return simple(argc, argv, "unpause", hyp_domain_unpause, "unpause");
}

/* How long the guest has to acknowledge a request: libxl's 60 s. */
#define LXL_ACK_SECS 60

/* Where @domid stands: 0 running, 1 shut down (reason in *reason), 2 gone or dying. */
static int down_state(uint32_t domid, unsigned int *reason)
{
	struct hyp_dominfo info;

	if (hyp_domain_info(lxl_tk.hyp, domid, &info) || info.dying)
		return 2;
	*reason = info.shutdown_reason;
	return info.shutdown ? 1 : 0;
}

/*
 * As libxl: the request is acknowledged when the guest empties
 * control/shutdown (or the node goes with the domain). A domain that is
 * down already counts as acknowledged too (libxl would wait for it).
 */
static bool acked(uint32_t domid)
{
	char *v = xsu_readf(lxl_tk.xs, NULL, "/local/domain/%u/control/shutdown", domid);
	unsigned int reason;
	bool done = !v || !v[0] || down_state(domid, &reason);

	free(v);
	return done;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int wait_ack(uint32_t domid)
{
	struct pollfd pfd = { .fd = -1, .events = POLLIN };
	double deadline = now_s() + LXL_ACK_SECS;
	char path[64];

	snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", domid);
	pfd.fd = xsu_watch_open(path, "lxl-ack");
	while (!acked(domid)) {
		if (now_s() > deadline) {
			xsu_watch_close(pfd.fd);
			return -ETIMEDOUT;
		}
		if (poll(&pfd, 1, 250) > 0 && xsu_watch_drain(pfd.fd)) {
			xsu_watch_close(pfd.fd);
			pfd.fd = -1;
		}
	}
	xsu_watch_close(pfd.fd);
	return 0;
}

/*
 * xl's -w: wait until every domain of @ids has shut down or gone (-ww: gone),
 * woken by @releaseDomain, saying so on stderr in xl's words.
 */
static void wait_down(const uint32_t *ids, int n, int mode)
{
	struct pollfd pfd = { .fd = -1, .events = POLLIN };
	bool *reported = calloc((size_t)n + 1, sizeof(*reported));
	bool *done = calloc((size_t)n + 1, sizeof(*done));
	int left = n;

	fprintf(stderr, "Waiting for %d domains\n", n);
	pfd.fd = xsu_watch_open("@releaseDomain", "lxl-wait");
	while (left && reported && done) {
		for (int i = 0; i < n; i++) {
			unsigned int reason = 0;
			int st = done[i] ? 0 : down_state(ids[i], &reason);

			if (st == 2) {
				fprintf(stderr, "Domain %u has been destroyed\n", ids[i]);
				done[i] = true;
				left--;
			} else if (st == 1 && !reported[i]) {
				fprintf(stderr, "Domain %u has been shut down, reason code %u\n",
					ids[i], reason);
				reported[i] = true;
				if (mode == 1) {
					done[i] = true;
					left--;
				} else {
					fprintf(stderr, "Domain %u continue waiting for death\n",
						ids[i]);
				}
			}
		}
		if (left && poll(&pfd, 1, 500) > 0 && xsu_watch_drain(pfd.fd)) {
			xsu_watch_close(pfd.fd);
			pfd.fd = -1;
		}
	}
	xsu_watch_close(pfd.fd);
	free(reported);
	free(done);
}

static int down(int argc, char **argv, bool reboot)
{
	const char *cmd = reboot ? "reboot" : "shutdown", *what = reboot ? "reboot" : "poweroff";
	bool all = false;
	int wait = 0;
	uint32_t *ids = NULL;
	int n = 0, opt, rc = 0;

	while ((opt = getopt(argc, argv, "+awF")) != -1) {
		if (opt == 'a')
			all = true;
		else if (opt == 'w')
			wait++;
		else if (opt != 'F')
			return lxl_usage(cmd);
	}
	if (!all && optind >= argc)
		return lxl_err("you must give a domain or -a");
	if ((all && optind < argc) || optind < argc - 1)
		return lxl_usage(cmd);
	if (all) {
		struct hyp_dominfo *list;
		int count = hyp_domain_list(lxl_tk.hyp, &list);

		if (count < 0)
			return lxl_err("cannot list domains: %s", strerror(-count));
		ids = calloc((size_t)count + 1, sizeof(*ids));
		for (int i = 0; ids && i < count; i++)
			if (list[i].domid && !list[i].shutdown && !list[i].dying)
				ids[n++] = list[i].domid;
		free(list);
	} else {
		ids = calloc(1, sizeof(*ids));
		if (ids && lxl_domain_arg(argv[optind], &ids[0])) {
			free(ids);
			return 1;
		}
		n = 1;
	}
	if (!ids)
		return lxl_err("out of memory");
	/* As xl: one domain after the other, each acknowledging before the next. */
	for (int i = 0; i < n && !rc; i++) {
		fprintf(stderr, "%s domain %u\n", reboot ? "Rebooting" : "Shutting down", ids[i]);
		if (tk_shutdown(&lxl_tk, ids[i], reboot))
			rc = lxl_tk_err();
		else if (wait_ack(ids[i]))
			rc = lxl_err("domain %u did not acknowledge the %s request in %d s "
				     "(no PV control?): lxl destroy ends it",
				     ids[i], what, LXL_ACK_SECS);
	}
	if (!rc && wait)
		wait_down(ids, n, wait > 1 ? 2 : 1);
	free(ids);
	return rc;
}

int cmd_shutdown(int argc, char **argv)
{
	return down(argc, argv, false);
}

int cmd_reboot(int argc, char **argv)
{
	return down(argc, argv, true);
}

int cmd_rename(int argc, char **argv)
{
	uint32_t domid;

	if (getopt(argc, argv, "+h") != -1 || optind != argc - 2)
		return lxl_usage("rename");
	if (lxl_domain_arg(argv[optind], &domid))
		return 1;
	return tk_rename(&lxl_tk, domid, argv[optind + 1]) ? lxl_tk_err() : 0;
}

int cmd_domid(int argc, char **argv)
{
	uint32_t domid;

	if (getopt(argc, argv, "+h") != -1 || optind != argc - 1)
		return lxl_usage("domid");
	if (tk_find_name(&lxl_tk, argv[optind], &domid))
		return lxl_err("no domain named '%s'", argv[optind]);
	printf("%u\n", domid);
	return 0;
}

int cmd_domname(int argc, char **argv)
{
	unsigned long id;
	char *name;

	if (getopt(argc, argv, "+h") != -1 || optind != argc - 1)
		return lxl_usage("domname");
	if (lxl_parse_uint(argv[optind], 0x7fef, &id))
		return lxl_err("'%s' is not a domain id", argv[optind]);
	name = tk_domain_name(&lxl_tk, (uint32_t)id);
	if (!name)
		return lxl_err("no domain with id %lu", id);
	printf("%s\n", name);
	free(name);
	return 0;
}
