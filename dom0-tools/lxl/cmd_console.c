// SPDX-License-Identifier: GPL-2.0-only
/*
 * lxl console: attach this terminal to the pty the console daemon
 * (lamina-consoled or xenconsoled) publishes in /local/domain/<id>/console/tty.
 * Raw mode when stdin is a terminal; Ctrl-] detaches; the session ends when
 * the console goes away (the domain died). With stdin not a terminal (a
 * script), output is copied until then, whatever stdin does.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "lxl.h"
#include "xsu.h"

#define LXL_ESCAPE 0x1d /* Ctrl-] */
#define LXL_TTY_WAIT_MS 10000

/* The pty path, waiting up to 10 s for the daemon to publish it (as xl does). */
static char *find_tty(uint32_t domid)
{
	for (int waited = 0; waited <= LXL_TTY_WAIT_MS; waited += 100) {
		char *tty = xsu_readf(lxl_tk.xs, NULL, "/local/domain/%u/console/tty", domid);
		struct hyp_dominfo info;

		if (tty && tty[0])
			return tty;
		free(tty);
		if (hyp_domain_info(lxl_tk.hyp, domid, &info))
			return NULL;
		usleep(100 * 1000);
	}
	return NULL;
}

/* Copy until the console closes or Ctrl-]; 0. */
static int copy_loop(int pty, bool interactive)
{
	struct pollfd p[2] = { { .fd = pty, .events = POLLIN }, { .fd = 0, .events = POLLIN } };
	char buf[4096];

	for (;;) {
		int n = poll(p, 2, 1000);

		if (n < 0 && errno != EINTR)
			return 0;
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t r = read(pty, buf, sizeof(buf));

			if (r <= 0 && errno != EAGAIN && errno != EINTR)
				return 0; /* EIO: the daemon closed the console */
			if (r > 0 && write(1, buf, (size_t)r) < 0)
				return 0;
		}
		if (p[1].revents & (POLLIN | POLLHUP)) {
			ssize_t r = read(0, buf, sizeof(buf));

			if (r <= 0) {
				p[1].fd = -1; /* stdin ended: keep showing output */
				continue;
			}
			if (interactive && memchr(buf, LXL_ESCAPE, (size_t)r))
				return 0;
			if (write(pty, buf, (size_t)r) < 0)
				return 0;
		}
	}
}

int lxl_console_attach(uint32_t domid)
{
	struct termios old, raw;
	bool interactive = isatty(0);
	char *tty = find_tty(domid);
	int pty, rc;

	if (!tty)
		return lxl_err("domain %u has no console (no console daemon running, or the "
			       "domain is gone)",
			       domid);
	pty = open(tty, O_RDWR | O_NOCTTY);
	if (pty < 0) {
		rc = lxl_err("cannot open domain %u's console %s: %s", domid, tty, strerror(errno));
		free(tty);
		return rc;
	}
	free(tty);
	/* The pty's own line discipline must not echo or translate. */
	if (!tcgetattr(pty, &raw)) {
		cfmakeraw(&raw);
		tcsetattr(pty, TCSANOW, &raw);
	}
	if (interactive && !tcgetattr(0, &old)) {
		raw = old;
		cfmakeraw(&raw);
		tcsetattr(0, TCSANOW, &raw);
	}
	rc = copy_loop(pty, interactive);
	if (interactive)
		tcsetattr(0, TCSANOW, &old);
	close(pty);
	return rc;
}

int cmd_console(int argc, char **argv)
{
	const char *type = "pv";
	unsigned long num = 0;
	uint32_t domid;
	int opt;

	while ((opt = getopt(argc, argv, "+t:n:h")) != -1) {
		if (opt == 't')
			type = optarg;
		else if (opt == 'n') {
			if (lxl_parse_uint(optarg, 64, &num))
				return lxl_err("'%s' is not a console number", optarg);
		} else
			return lxl_usage("console");
	}
	if (optind != argc - 1)
		return lxl_usage("console");
	if (strcmp(type, "pv") && strcmp(type, "serial"))
		return lxl_err("console type must be pv or serial, not '%s'", type);
	if (lxl_domain_arg(argv[optind], &domid))
		return 1;
	if (!strcmp(type, "serial"))
		return lxl_err("domain %u is PV: it has no emulated serial console (use -t pv)",
			       domid);
	if (num != 0)
		return lxl_err("domain %u has only console 0 (secondary PV consoles are not "
			       "supported by lxl)",
			       domid);
	return lxl_console_attach(domid);
}
