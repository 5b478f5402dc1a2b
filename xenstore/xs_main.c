// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenstored's entry point: Xen 4.17 xenstored's command line (so existing
 * init scripts can start this one in its place), then the store, the
 * socket, the Xen transport when there is a hypervisor, and the loop.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "xs_daemon.h"
#include "xs_ops.h"

static const struct option long_opts[] = {
	{ "no-domain-init", no_argument, NULL, 'D' },
	{ "entry-nb", required_argument, NULL, 'E' },
	{ "pid-file", required_argument, NULL, 'F' },
	{ "event", required_argument, NULL, 'e' },
	{ "master-domid", required_argument, NULL, 'm' },
	{ "help", no_argument, NULL, 'H' },
	{ "internal-db", optional_argument, NULL, 'I' },
	{ "keep-orphans", no_argument, NULL, 'K' },
	{ "no-fork", no_argument, NULL, 'N' },
	{ "output-pid", no_argument, NULL, 'P' },
	{ "entry-size", required_argument, NULL, 'S' },
	{ "trace-file", required_argument, NULL, 'T' },
	{ "trace-control", required_argument, NULL, 1 },
	{ "transaction", required_argument, NULL, 't' },
	{ "perm-nb", required_argument, NULL, 'A' },
	{ "path-max", required_argument, NULL, 'M' },
	{ "quota", required_argument, NULL, 'Q' },
	{ "quota-soft", required_argument, NULL, 'q' },
	{ "no-recovery", no_argument, NULL, 'R' },
	{ "verbose", no_argument, NULL, 'V' },
	{ "watch-nb", required_argument, NULL, 'W' },
	{ "timeout", required_argument, NULL, 'w' },
	{ "live-update", no_argument, NULL, 'U' },
	{ "restore-state", required_argument, NULL, 2 },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: xenstored [options]\n"
		   "  -D, --no-domain-init     do not serve dom0's ring\n"
		   "  -F, --pid-file <file>    write the daemon's pid there\n"
		   "  -N, --no-fork            stay in the foreground\n"
		   "  -P, --output-pid         print the daemon's pid\n"
		   "  -T, --trace-file <file>  log every request and reply there\n"
		   "  -E, --entry-nb <n>       nodes per domain (1000)\n"
		   "  -S, --entry-size <n>     bytes per node (2048)\n"
		   "  -W, --watch-nb <n>       watches per domain (128)\n"
		   "  -t, --transaction <n>    transactions per domain (10)\n"
		   "  -A, --perm-nb <n>        permissions per node (5)\n"
		   "  -M, --path-max <n>       path length below a domain's home (2048)\n"
		   "  -Q, --quota <what>=<n>   outstanding=, transaction-nodes=, memory=\n"
		   "  -q, --quota-soft <what>=<n>, -w, --timeout <what>=<s>: accepted\n"
		   "  -K, --keep-orphans       released domains keep their nodes\n"
		   "  -I, -R, -U, -e, -m       accepted for compatibility\n"
		   "  -V, --verbose\n"
		   "Socket: $XENSTORED_PATH, else $XENSTORED_RUNDIR/socket "
		   "(/var/run/xenstored/socket).\n");
}

static int parse_uint(const char *s, unsigned int *v)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(s, &end, 10);
	if (errno || end == s || *end || x > 0x7fffffff)
		return -EINVAL;
	*v = x;
	return 0;
}

static int parse_quota(struct xs_limits *l, const char *arg)
{
	const char *eq = strchr(arg, '=');
	unsigned int v;

	if (!eq || parse_uint(eq + 1, &v))
		return -EINVAL;
	if (!strncmp(arg, "outstanding=", 12))
		l->outstanding = v;
	else if (!strncmp(arg, "transaction-nodes=", 18))
		l->txn_nodes = v;
	else if (strncmp(arg, "memory=", 7))
		return -EINVAL;
	return 0;
}

static int parse_opts(struct xs_daemon *d, struct xs_limits *l, int argc, char **argv)
{
	int opt, err = 0;

	while ((opt = getopt_long(argc, argv, "DE:F:HI::KNPS:t:A:M:Q:q:T:RVW:w:Ue:m:", long_opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'D':
			d->opts.no_domain_init = true;
			break;
		case 'E':
			err = parse_uint(optarg, &l->entries);
			break;
		case 'F':
			d->opts.pid_file = optarg;
			break;
		case 'H':
			usage(stdout);
			exit(0);
		case 'K':
			d->opts.keep_orphans = true;
			break;
		case 'N':
			d->opts.no_fork = true;
			break;
		case 'P':
			d->opts.output_pid = true;
			break;
		case 'S':
			err = parse_uint(optarg, &l->entry_size);
			break;
		case 't':
			err = parse_uint(optarg, &l->transactions);
			break;
		case 'A':
			err = parse_uint(optarg, &l->perms);
			break;
		case 'M':
			err = parse_uint(optarg, &l->path_max);
			break;
		case 'W':
			err = parse_uint(optarg, &l->watches);
			break;
		case 'Q':
			err = parse_quota(l, optarg);
			break;
		case 'T':
			d->opts.trace_file = optarg;
			break;
		case 'V':
			d->opts.verbose = true;
			break;
		case 2:
			d->opts.restore = optarg;
			break;
		case 'q':
		case 'w':
			err = strchr(optarg, '=') ? 0 : -EINVAL;
			break;
		case 'I':
		case 'R':
		case 'U':
		case 'e':
		case 'm':
		case 1:
			break;
		default:
			return -EINVAL;
		}
		if (err) {
			fprintf(stderr, "xenstored: bad value for -%c: %s\n", opt, optarg);
			return err;
		}
	}
	return optind == argc ? 0 : -EINVAL;
}

/* Fork into the background (stdio is let go by release_stdio, later). */
static void daemonize(void)
{
	pid_t pid = fork();

	if (pid < 0) {
		perror("xenstored: fork");
		exit(1);
	}
	if (pid > 0)
		_exit(0);
	setsid();
	pid = fork();
	if (pid < 0)
		exit(1);
	if (pid > 0)
		_exit(0);
	if (chdir("/"))
		exit(1);
}

/* The forked daemon lets its caller's stdio go: a caller reading stdout sees its end. */
static void release_stdio(void)
{
	if (!freopen("/dev/null", "r", stdin) || !freopen("/dev/null", "w", stdout) ||
	    !freopen("/dev/null", "w", stderr))
		exit(1);
}

static int start(struct xs_daemon *d)
{
	int err;

	if (d->opts.restore)
		return xs_state_restore(d, d->opts.restore);
	err = xs_loop_init(d);
	if (err) {
		fprintf(stderr, "xenstored: socket %s: %s\n", d->sock_path, strerror(-err));
		return err;
	}
	err = xs_xen_open(d);
	if (err) {
		if (d->opts.verbose)
			fprintf(stderr, "xenstored: no hypervisor: socket only\n");
		return 0;
	}
	if (!d->opts.no_domain_init) {
		err = xs_xen_dom0_init(d, true);
		if (err)
			fprintf(stderr, "xenstored: dom0 ring: %s\n", strerror(-err));
	}
	return 0;
}

/*
 * A fresh hash key per start (and per live update: the tables are rebuilt
 * from the saved bytes), from the kernel's generator; never blocking, as
 * dom0's xenstored starts early in boot.
 */
static void random_hash_key(void)
{
	uint64_t k[2] = { 0, 0 };
	struct timespec ts;

	if (getrandom(k, sizeof(k), GRND_NONBLOCK) != sizeof(k) &&
	    getrandom(k, sizeof(k), GRND_INSECURE) != sizeof(k)) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		k[0] ^= (uint64_t)ts.tv_nsec << 32 ^ (uint64_t)ts.tv_sec ^ (uint64_t)getpid();
		k[1] ^= (uint64_t)(uintptr_t)&ts;
	}
	xs_hash_set_key(k[0], k[1]);
}

int main(int argc, char **argv)
{
	static struct xs_daemon d;
	struct xs_limits lim;
	ssize_t n;
	FILE *pf;
	int err;

	d.epfd = d.listen_fd = d.sig_fd = -1;
	/* Resolved now: later the file may be replaced (or we run under a tool). */
	n = readlink("/proc/self/exe", d.self_exe, sizeof(d.self_exe) - 1);
	if (n <= 0)
		snprintf(d.self_exe, sizeof(d.self_exe), "%s", argv[0]);
	d.opts.argc = argc;
	d.opts.argv = argv;
	xs_limits_default(&lim);
	if (parse_opts(&d, &lim, argc, argv)) {
		usage(stderr);
		return 2;
	}
	random_hash_key();
	if (xs_store_init(&d.store, &lim)) {
		fprintf(stderr, "xenstored: out of memory\n");
		return 1;
	}
	d.store.keep_orphans = d.opts.keep_orphans;
	if (d.opts.trace_file) {
		d.store.trace = fopen(d.opts.trace_file, "ae");
		if (d.store.trace)
			setvbuf(d.store.trace, NULL, _IOLBF, 0);
	}
	err = start(&d);
	if (err) {
		fprintf(stderr, "xenstored: cannot start: %s\n", strerror(-err));
		goto out;
	}
	if (!d.opts.no_fork && !d.opts.restore) {
		daemonize();
		xs_loop_signals(&d);
	}
	/* As Xen: the pid file first, then -P's pid, then stdio let go, so a
	 * caller that has read the pid (and seen stdout end) finds the file. */
	if (d.opts.pid_file && (pf = fopen(d.opts.pid_file, "we"))) {
		fprintf(pf, "%d\n", (int)getpid());
		fclose(pf);
	}
	if (d.opts.output_pid && !d.opts.restore)
		printf("%d\n", (int)getpid());
	fflush(stdout);
	if (!d.opts.no_fork && !d.opts.restore)
		release_stdio();
	err = xs_loop_run(&d);
out:
	xs_xen_close(&d);
	xs_loop_fini(&d);
	xs_store_free(&d.store);
	if (d.store.trace)
		fclose(d.store.trace);
	return err ? 1 : 0;
}
