// SPDX-License-Identifier: GPL-2.0-only
/*
 * Contention rows: N client processes, each over its own connection, race
 * read-increment-write transactions on disjoint nodes (one each) or on one
 * shared node. A commit that fails with EAGAIN is retried and counted. On a
 * daemon that stores data, the shared counter must end at exactly the number
 * of commits: a lost update is an error, so this is also a test of
 * transaction isolation.
 *
 * The parent forks the children, waits until every child has connected
 * ("ready" pipe), starts the clock, releases them all at once ("go" pipe),
 * and stops the clock when the last child has reported its counts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xs_bench.h"

#define XSB_PATH 256

struct xsb_report {
	unsigned int idx; /* which child, so which node */
	unsigned long commits;
	unsigned long retries;
	unsigned long errors;
};

/* One read-increment-write transaction, retried on EAGAIN. */
static bool xsb_increment(struct xs_handle *h, const char *path, struct xsb_report *rep)
{
	xs_transaction_t t;
	unsigned int len;
	char val[32], *cur;
	unsigned long n;

	for (;;) {
		t = xs_transaction_start(h);
		if (t == XBT_NULL)
			return false;
		cur = xs_read(h, t, path, &len);
		if (cur == NULL) {
			xs_transaction_end(h, t, true);
			return false;
		}
		n = strtoul(cur, NULL, 10);
		free(cur);
		snprintf(val, sizeof(val), "%lu", n + 1);
		if (!xs_write(h, t, path, val, strlen(val))) {
			xs_transaction_end(h, t, true);
			return false;
		}
		if (xs_transaction_end(h, t, false))
			return true;
		if (errno != EAGAIN)
			return false;
		rep->retries++;
	}
}

static void xsb_node(char *buf, const struct xsb_config *cfg, bool shared, unsigned int idx)
{
	if (shared)
		snprintf(buf, XSB_PATH, "%s/c/shared", cfg->root);
	else
		snprintf(buf, XSB_PATH, "%s/c/n%u", cfg->root, idx);
}

/* A child's whole life: connect, say ready, wait for go, work, report. */
static void __attribute__((noreturn))
xsb_child(const struct xsb_config *cfg, bool shared, unsigned int idx, unsigned int count,
	  int ready_fd, int go_fd, int report_fd)
{
	struct xsb_report rep;
	char path[XSB_PATH], c;
	struct xs_handle *h;
	unsigned int i;

	memset(&rep, 0, sizeof(rep)); /* padding goes down the pipe too */
	rep.idx = idx;
	xsb_node(path, cfg, shared, idx);
	h = xs_open(0);
	c = h ? 'r' : 'x';
	if (write(ready_fd, &c, 1) != 1 || read(go_fd, &c, 1) != 1 || !h)
		_exit(1);
	for (i = 0; i < count; i++) {
		if (xsb_increment(h, path, &rep))
			rep.commits++;
		else
			rep.errors++;
	}
	xs_close(h);
	_exit(write(report_fd, &rep, sizeof(rep)) == sizeof(rep) ? 0 : 1);
}

/* Sets every node the row uses to "0"; false if the daemon refused. */
static bool xsb_reset_nodes(const struct xsb_config *cfg, unsigned int nclients, bool shared)
{
	char path[XSB_PATH];
	struct xs_handle *h;
	unsigned int i;
	bool ok = true;

	h = xs_open(0);
	if (h == NULL)
		return false;
	for (i = 0; i < (shared ? 1 : nclients) && ok; i++) {
		xsb_node(path, cfg, shared, i);
		ok = xsb_put(h, path, "0");
	}
	xs_close(h);
	return ok;
}

/* Counters must add up to the commits: per child, or in all. */
static unsigned long xsb_lost_updates(const struct xsb_config *cfg, unsigned int nclients,
				      bool shared, const unsigned long *commits)
{
	char path[XSB_PATH], val[32];
	unsigned long bad = 0, total = 0;
	struct xs_handle *h;
	unsigned int i;

	h = xs_open(0);
	if (h == NULL)
		return 1;
	for (i = 0; i < nclients; i++)
		total += commits[i];
	for (i = 0; i < (shared ? 1 : nclients); i++) {
		xsb_node(path, cfg, shared, i);
		snprintf(val, sizeof(val), "%lu", shared ? total : commits[i]);
		if (!xsb_holds(h, path, val))
			bad++;
	}
	xs_close(h);
	return bad;
}

int xsb_contend(const struct xsb_config *cfg, unsigned int nclients, bool shared,
		struct xsb_result *r)
{
	int ready[2], go[2], report[2];
	unsigned long commits[64] = { 0 };
	uint64_t seen = 0;
	struct xsb_report rep;
	unsigned int i, got = 0, each;
	double t0;
	pid_t pid;
	char c;
	int status, rc = 0;

	if (nclients == 0 || nclients > 64 || !xsb_reset_nodes(cfg, nclients, shared))
		return -1;
	each = (cfg->txns + nclients - 1) / nclients;
	if (pipe(ready) || pipe(go) || pipe(report))
		return -1;
	for (i = 0; i < nclients; i++) {
		pid = fork();
		if (pid < 0)
			return -1;
		if (pid == 0)
			xsb_child(cfg, shared, i, each, ready[1], go[0], report[1]);
	}
	close(ready[1]);
	close(go[0]);
	close(report[1]);
	for (i = 0; i < nclients; i++)
		if (read(ready[0], &c, 1) != 1 || c != 'r')
			rc = -1;
	t0 = xsb_now_us();
	for (i = 0; i < nclients; i++)
		if (write(go[1], "g", 1) != 1)
			rc = -1;
	/* Reports arrive in any order; each names its child. */
	while (read(report[0], &rep, sizeof(rep)) == sizeof(rep)) {
		if (rep.idx >= nclients || (seen >> rep.idx & 1)) {
			rc = -1;
			continue;
		}
		seen |= (uint64_t)1 << rep.idx;
		commits[rep.idx] = rep.commits;
		got++;
		r->ops += rep.commits;
		r->retries += rep.retries;
		r->errors += rep.errors;
	}
	r->us_per_op = (xsb_now_us() - t0) / (r->ops ? r->ops : 1);
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			rc = -1;
	close(ready[0]);
	close(go[1]);
	close(report[0]);
	if (got != nclients)
		rc = -1;
	if (rc == 0 && !cfg->floor)
		r->errors += xsb_lost_updates(cfg, nclients, shared, commits);
	return rc;
}
