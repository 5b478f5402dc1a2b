// SPDX-License-Identifier: GPL-2.0-only
/*
 * A domain's life from the command line: destroy, shutdown and reboot
 * (-a every domU, -w wait until they have shut down, -F accepted: PV guests
 * are always asked through control/shutdown), pause, unpause, rename, and
 * the id/name conversions, with xl's messages and exit codes.
 */
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
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

/* True once @domid has shut down or is gone. */
static bool is_down(uint32_t domid)
{
	struct hyp_dominfo info;

	return hyp_domain_info(lxl_tk.hyp, domid, &info) || info.shutdown || info.dying;
}

/* Wait for every domain of @ids to shut down, woken by @releaseDomain. */
static void wait_down(const uint32_t *ids, int n)
{
	struct pollfd pfd = { .fd = -1, .events = POLLIN };
	bool *done = calloc((size_t)n, sizeof(*done));
	int left = n;

	printf("Waiting for %d domains\n", n);
	pfd.fd = xsu_watch_open("@releaseDomain", "lxl-wait");
	while (left && done) {
		if (poll(&pfd, 1, 500) > 0 && xsu_watch_drain(pfd.fd)) {
			xsu_watch_close(pfd.fd);
			pfd.fd = -1;
		}
		for (int i = 0; i < n; i++) {
			if (!done[i] && is_down(ids[i])) {
				done[i] = true;
				left--;
				printf("Domain %u has been shut down\n", ids[i]);
			}
		}
	}
	xsu_watch_close(pfd.fd);
	free(done);
	printf("All domains have been shut down\n");
}

static int down(int argc, char **argv, bool reboot)
{
	const char *cmd = reboot ? "reboot" : "shutdown";
	bool all = false, wait = false;
	uint32_t *ids = NULL;
	int n = 0, opt, rc = 0;

	while ((opt = getopt(argc, argv, "+awFh")) != -1) {
		if (opt == 'a')
			all = true;
		else if (opt == 'w')
			wait = true;
		else if (opt != 'F')
			return lxl_usage(cmd);
	}
	if (all == (optind < argc) || optind < argc - 1)
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
	for (int i = 0; i < n && !rc; i++) {
		printf("%s domain %u\n", reboot ? "Rebooting" : "Shutting down", ids[i]);
		if (tk_shutdown(&lxl_tk, ids[i], reboot))
			rc = lxl_tk_err();
	}
	if (!rc && wait && n)
		wait_down(ids, n);
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
