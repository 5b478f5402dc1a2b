// SPDX-License-Identifier: GPL-2.0-only
/*
 * CONTROL (xenstore-control): check, log, quota, quota-soft, memreport,
 * print, logfile, live-update and help, from a table. Replies are text.
 */
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_check.h"
#include "xs_ops.h"

#define CTL_MAX_ARGS 8

struct ctl_cmd {
	const char *name;
	int (*fn)(struct xs_req *r, int argc, const char **argv);
	const char *help;
};

static int reply_fmt(struct xs_req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int reply_fmt(struct xs_req *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(r->rbuf, XENSTORE_PAYLOAD_MAX, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EIO;
	if (n >= XENSTORE_PAYLOAD_MAX)
		n = XENSTORE_PAYLOAD_MAX - 1;
	r->rlen = n + 1;
	return 0;
}

struct check_ctx {
	struct xs_store *s;
	unsigned long bad;
};

/* Every node's parent exists and lists it; every listed child exists. */
static void check_node(struct xs_node *n, void *arg)
{
	struct check_ctx *cc = arg;
	char child[XENSTORE_ABS_PATH_MAX + 2];
	const char *base;
	struct xs_node *p;
	size_t plen, cl;
	uint32_t off;

	if (n->pathlen > 1) {
		base = xs_path_base(n->path, n->pathlen, &plen);
		p = xs_table_find(&cc->s->nodes, n->path, plen);
		if (!p || !xs_node_has_child(p, base, n->pathlen - (base - n->path)))
			cc->bad++;
	}
	for (off = 0; off < n->clen; off += cl + 1) {
		cl = strlen(n->children + off);
		if (n->pathlen + 1 + cl >= sizeof(child))
			continue;
		plen = snprintf(child, sizeof(child), "%s/%s", n->pathlen > 1 ? n->path : "",
				n->children + off);
		if (!xs_table_find(&cc->s->nodes, child, plen))
			cc->bad++;
	}
}

static int ctl_check(struct xs_req *r, int argc, const char **argv)
{
	struct check_ctx cc = { .s = r->s, .bad = 0 };

	(void)argc;
	(void)argv;
	xs_table_each(&r->s->nodes, check_node, &cc);
	if (cc.bad)
		return reply_fmt(r, "check found %lu inconsistencies", cc.bad);
	return xs_reply_str(r, "OK");
}

static int ctl_log(struct xs_req *r, int argc, const char **argv)
{
	if (argc != 1 || (strcmp(argv[0], "on") && strcmp(argv[0], "off")))
		return -EINVAL;
	r->s->log = !strcmp(argv[0], "on");
	return xs_reply_str(r, "OK");
}

static int ctl_logfile(struct xs_req *r, int argc, const char **argv)
{
	FILE *f;

	if (argc != 1)
		return -EINVAL;
	f = fopen(argv[0], "ae");
	if (!f)
		return -EINVAL;
	setvbuf(f, NULL, _IOLBF, 0);
	if (r->s->trace)
		fclose(r->s->trace);
	r->s->trace = f;
	return xs_reply_str(r, "OK");
}

static int ctl_quota(struct xs_req *r, int argc, const char **argv)
{
	const struct xs_limits *l = &r->s->lim;
	struct xs_domain *d;
	unsigned int domid;

	if (argc == 0)
		return reply_fmt(r,
				 "Nodes per domain:        %u\nEntry size:              %u\n"
				 "Watches per domain:      %u\nTransactions per domain: %u\n"
				 "Permissions per node:    %u\nPath length:             %u\n"
				 "Outstanding requests:    %u\nNodes per transaction:   %u\n",
				 l->entries, l->entry_size, l->watches, l->transactions, l->perms,
				 l->path_max, l->outstanding, l->txn_nodes);
	if (argc != 1 || !xs_parse_domid(argv[0], &domid) || domid >= XS_MAX_DOMID)
		return -EINVAL;
	d = xs_domain_find(r->s, domid);
	if (!d && domid)
		return -ENOENT;
	return reply_fmt(r, "Nodes:        %u\nWatches:      %u\nTransactions: %u\n",
			 r->s->dom_nodes[domid], d && d->conn ? d->conn->nr_watches : 0,
			 d && d->conn ? d->conn->nr_txns : 0);
}

static int ctl_quota_soft(struct xs_req *r, int argc, const char **argv)
{
	(void)argv;
	if (argc)
		return -EINVAL;
	return reply_fmt(r, "No soft quota is enforced\n");
}

static void node_bytes(struct xs_node *n, void *arg)
{
	*(size_t *)arg +=
		sizeof(*n) + n->pathlen + 1 + n->vcap + n->ccap + n->nperms * sizeof(*n->perms);
}

static int ctl_memreport(struct xs_req *r, int argc, const char **argv)
{
	size_t bytes = 0, out = 0;
	unsigned int conns = 0, txns = 0;
	struct xs_list *l;
	/* The allocator's view: what is in use, and what the heap holds unused. */
	struct mallinfo2 mi = mallinfo2();

	(void)argc;
	(void)argv;
	xs_table_each(&r->s->nodes, node_bytes, &bytes);
	for (l = r->s->conns.next; l != &r->s->conns; l = l->next) {
		struct xs_conn *c = xs_container_of(l, struct xs_conn, link);

		conns++;
		txns += c->nr_txns;
		out += c->out_cap + sizeof(*c);
	}
	return reply_fmt(
		r,
		"nodes: %u (%zu bytes)\nconnections: %u (%zu bytes)\nwatches: %u\n"
		"transactions: %u\nrequests: %llu\ncommits: %llu\nconflicts: %llu\n"
		"heap: %zu bytes in use, %zu free, %zu mapped\n",
		r->s->nodes.count, bytes, conns, out, r->s->nr_watches, txns,
		(unsigned long long)r->s->stats_ops, (unsigned long long)r->s->stats_txn_ok,
		(unsigned long long)r->s->stats_txn_again, mi.uordblks, mi.fordblks, mi.hblkhd);
}

static int ctl_print(struct xs_req *r, int argc, const char **argv)
{
	if (argc != 1)
		return -EINVAL;
	fprintf(r->s->trace ? r->s->trace : stderr, "xenstored: %s\n", argv[0]);
	return xs_reply_str(r, "OK");
}

/* live-update [-f <binary>] [-c <cmdline>] [-s [-F] [-t <secs>]] [-a] */
static int ctl_live_update(struct xs_req *r, int argc, const char **argv)
{
	char *bin, why[200];
	bool start = false;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-f") && i + 1 < argc) {
			bin = strdup(argv[++i]);
			if (!bin)
				return -ENOMEM;
			free(r->s->lu_binary);
			r->s->lu_binary = bin;
		} else if (!strcmp(argv[i], "-c") && i + 1 < argc) {
			i++; /* the command line is kept as it was */
		} else if (!strcmp(argv[i], "-t") && i + 1 < argc) {
			i++;
		} else if (!strcmp(argv[i], "-s")) {
			start = true;
		} else if (!strcmp(argv[i], "-a")) {
			r->s->live_update = false;
			free(r->s->lu_binary);
			r->s->lu_binary = NULL;
		} else if (strcmp(argv[i], "-F")) {
			return -EINVAL;
		}
	}
	/*
	 * Refuse now what the new daemon could not restore whole (the daemon
	 * checks again on the state it saves, just before the exec).
	 */
	if (start && xs_check_all(r->s, why, sizeof(why)))
		return reply_fmt(r, "live-update refused: %s", why);
	r->s->live_update |= start;
	return xs_reply_str(r, "OK");
}

static int ctl_help(struct xs_req *r, int argc, const char **argv);

static const struct ctl_cmd ctl_cmds[] = {
	{ "check", ctl_check, "check the tree's consistency" },
	{ "log", ctl_log, "log on|off" },
	{ "logfile", ctl_logfile, "logfile <file>: trace requests there" },
	{ "quota", ctl_quota, "quota [<domid>]: limits, or a domain's usage" },
	{ "quota-soft", ctl_quota_soft, "quota-soft: soft limits" },
	{ "memreport", ctl_memreport, "memreport: memory and object counts" },
	{ "print", ctl_print, "print <string>: write it to the log" },
	{ "live-update", ctl_live_update, "live-update [-f <file>] [-s] [-a]: restart in place" },
	{ "help", ctl_help, "help: this list" },
};

static int ctl_help(struct xs_req *r, int argc, const char **argv)
{
	size_t off = 0, i;

	(void)argc;
	(void)argv;
	for (i = 0; i < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]); i++)
		off += snprintf(r->rbuf + off, XENSTORE_PAYLOAD_MAX - off, "%-12s %s\n",
				ctl_cmds[i].name, ctl_cmds[i].help);
	r->rlen = off + 1;
	return 0;
}

int xs_op_control(struct xs_req *r)
{
	const char *argv[CTL_MAX_ARGS + 1];
	int argc;
	size_t i;

	argc = xs_req_args(r, argv, CTL_MAX_ARGS + 1);
	if (argc < 1 || argc > CTL_MAX_ARGS)
		return -EINVAL;
	for (i = 0; i < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]); i++)
		if (!strcmp(argv[0], ctl_cmds[i].name))
			return ctl_cmds[i].fn(r, argc - 1, argv + 1);
	return -EINVAL;
}
