// SPDX-License-Identifier: GPL-2.0-only
/*
 * lxl create: read the config (libcfg, with key=value overrides), create the
 * domain (libtk), then as xl does leave a monitor behind that carries out
 * on_poweroff/on_reboot/on_crash: a daemon child (logging to
 * /var/log/lamina/lxl-<name>.log), or this process with -F; -e leaves none;
 * -c attaches the console; -p leaves the domain paused; -q is quiet.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lxl.h"

#define LXL_LOG_DIR "/var/log/lamina"

struct create_args {
	bool console, paused, quiet, foreground, no_monitor;
	const char *file;
	const char **over;
	int nover;
};

static int parse_args(int argc, char **argv, struct create_args *a)
{
	static const struct option opts[] = { { "quiet", 0, 0, 'q' },
					      { "defconfig", 1, 0, 'f' },
					      { 0, 0, 0, 0 } };
	int opt;

	memset(a, 0, sizeof(*a));
	while ((opt = getopt_long(argc, argv, "+cpqFef:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			a->console = true;
			break;
		case 'p':
			a->paused = true;
			break;
		case 'q':
			a->quiet = true;
			break;
		case 'F':
			a->foreground = true;
			break;
		case 'e':
			a->no_monitor = true;
			break;
		case 'f':
			a->file = optarg;
			break;
		default:
			return lxl_usage("create");
		}
	}
	if (!a->file && optind < argc && !strchr(argv[optind], '='))
		a->file = argv[optind++];
	if (!a->file)
		return lxl_usage("create");
	a->over = (const char **)argv + optind;
	a->nover = argc - optind;
	for (int i = 0; i < a->nover; i++)
		if (!strchr(a->over[i], '='))
			return lxl_err("'%s' is not a key=value override", a->over[i]) + 1;
	return 0;
}

/* The monitor's child: its own connections (handles do not survive fork). */
static void monitor_child(const struct cfg_domain *cfg, uint32_t domid)
{
	char path[128];
	int fd;

	setsid();
	mkdir(LXL_LOG_DIR, 0755);
	snprintf(path, sizeof(path), LXL_LOG_DIR "/lxl-%s.log", cfg->name);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd < 0)
		fd = open("/dev/null", O_WRONLY);
	dup2(fd, 1);
	dup2(fd, 2);
	close(fd);
	fd = open("/dev/null", O_RDONLY);
	dup2(fd, 0);
	close(fd);
	if (tk_open(&lxl_tk)) {
		fprintf(stderr, "lxl: monitor of %u: %s\n", domid, lxl_tk.msg);
		_exit(1);
	}
	tk_monitor(&lxl_tk, domid, cfg, stderr);
	tk_close(&lxl_tk);
	_exit(0);
}

static int start_monitor(const struct create_args *a, const struct cfg_domain *cfg, uint32_t domid)
{
	pid_t pid;

	if (a->foreground) {
		if (!a->quiet)
			fprintf(stderr, "Waiting for domain %s (domid %u) to die [pid %d]\n",
				cfg->name, domid, (int)getpid());
		return tk_monitor(&lxl_tk, domid, cfg, stderr) ? lxl_tk_err() : 0;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return lxl_err("domain %u created, but no monitor: fork: %s", domid,
			       strerror(errno));
	if (pid == 0) {
		tk_close(&lxl_tk);
		monitor_child(cfg, domid);
	}
	if (!a->quiet)
		fprintf(stderr, "Waiting for domain %s (domid %u) to die [pid %d]\n", cfg->name,
			domid, (int)pid);
	return 0;
}

int cmd_create(int argc, char **argv)
{
	struct create_args a;
	struct cfg_domain cfg;
	struct tk_create_opts o = { 0 };
	uint32_t domid;
	int rc = parse_args(argc, argv, &a);

	if (rc)
		return rc;
	if (!a.quiet)
		fprintf(stderr, "Parsing config from %s\n", a.file);
	if (cfg_read_file(a.file, a.over, a.nover, stderr, &cfg))
		return lxl_err("%s: not created (see above)", a.file);
	tk_timing("config");
	o.paused = a.paused;
	o.config_path = a.file;
	rc = tk_create(&lxl_tk, &cfg, &o, &domid);
	if (rc) {
		rc = lxl_tk_err();
		goto out;
	}
	if (a.console && a.foreground)
		lxl_err("-c with -F: the console is not attached (the monitor runs here)");
	if (!a.no_monitor)
		rc = start_monitor(&a, &cfg, domid);
	tk_timing("monitor");
	if (!rc && a.console && !a.foreground)
		rc = lxl_console_attach(domid);
out:
	cfg_free(&cfg);
	return rc;
}
