// SPDX-License-Identifier: GPL-2.0-only
/*
 * xs_bench_client: measures one xenstore daemon over libxenstore.
 *
 *   XENSTORED_PATH=SOCKET xs_bench_client [--floor] [--iters N]
 *       [--rounds N] [--txns N] [--clients LIST] [--root PATH]
 *
 * Prints one line per row, for tests/bench/xenstore to tabulate:
 *   OP <name> us=<mean> ops_s=<rate> ops=<n> errors=<n> retries=<n>
 *   CONTEND <n>-<disjoint|shared> us=... ops_s=... ops=... errors=...
 *     retries=...
 * and "FAILED <name>" for a row that could not run at all. A single-client
 * row is run --rounds times and the round with the median time is printed;
 * its error count is the sum over all rounds. Exit status 0 if every row ran
 * with no error, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xs_bench.h"

struct xsb_row {
	const char *name;
	int (*run)(struct xs_handle *h, const struct xsb_config *cfg, struct xsb_result *r);
};

static const struct xsb_row xsb_rows[] = {
	{ "write", xsb_op_write },	   { "read", xsb_op_read },
	{ "directory", xsb_op_directory }, { "transaction", xsb_op_transaction },
	{ "watch", xsb_op_watch },
};

#define XSB_NROWS (sizeof(xsb_rows) / sizeof(xsb_rows[0]))
#define XSB_MAX_ROUNDS 15

double xsb_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

void xsb_print(const char *kind, const char *name, const struct xsb_result *r)
{
	printf("%s %s us=%.2f ops_s=%.0f ops=%lu errors=%lu retries=%lu\n", kind, name,
	       r->us_per_op, r->us_per_op > 0 ? 1e6 / r->us_per_op : 0.0, r->ops, r->errors,
	       r->retries);
	fflush(stdout);
}

bool xsb_put(struct xs_handle *h, const char *path, const char *value)
{
	return xs_write(h, XBT_NULL, path, value, strlen(value));
}

bool xsb_holds(struct xs_handle *h, const char *path, const char *value)
{
	unsigned int len;
	char *got;
	bool ok;

	got = xs_read(h, XBT_NULL, path, &len);
	if (got == NULL)
		return false;
	ok = len == strlen(value) && memcmp(got, value, len) == 0;
	free(got);
	return ok;
}

static int xsb_cmp_result(const void *a, const void *b)
{
	double x = ((const struct xsb_result *)a)->us_per_op;
	double y = ((const struct xsb_result *)b)->us_per_op;

	return (x > y) - (x < y);
}

/* Runs one row cfg->rounds times; prints the median round. */
static int xsb_run_row(struct xs_handle *h, const struct xsb_config *cfg, const struct xsb_row *row)
{
	struct xsb_result res[XSB_MAX_ROUNDS], med;
	unsigned long errors = 0, retries = 0;
	unsigned int i;

	for (i = 0; i < cfg->rounds; i++) {
		memset(&res[i], 0, sizeof(res[i]));
		if (row->run(h, cfg, &res[i]) != 0) {
			printf("FAILED %s\n", row->name);
			fflush(stdout);
			return 1;
		}
		errors += res[i].errors;
		retries += res[i].retries;
	}
	qsort(res, cfg->rounds, sizeof(res[0]), xsb_cmp_result);
	med = res[cfg->rounds / 2];
	med.errors = errors;
	med.retries = retries;
	xsb_print("OP", row->name, &med);
	return errors != 0;
}

static int xsb_run_contend(const struct xsb_config *cfg, const char *list)
{
	char name[32], *copy, *tok, *save = NULL;
	struct xsb_result r;
	unsigned int n, shared;
	int bad = 0;

	copy = strdup(list);
	if (copy == NULL)
		return 1;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		n = (unsigned int)strtoul(tok, NULL, 10);
		for (shared = 0; shared < 2; shared++) {
			snprintf(name, sizeof(name), "%u-%s", n, shared ? "shared" : "disjoint");
			memset(&r, 0, sizeof(r));
			if (xsb_contend(cfg, n, shared, &r) != 0) {
				printf("FAILED %s\n", name);
				fflush(stdout);
				bad = 1;
				continue;
			}
			xsb_print("CONTEND", name, &r);
			bad |= r.errors != 0;
		}
	}
	free(copy);
	return bad;
}

static unsigned int xsb_arg_uint(const char *s, unsigned int lo, unsigned int hi)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "xs_bench_client: bad number '%s'\n", s);
		exit(2);
	}
	return (unsigned int)v;
}

int main(int argc, char **argv)
{
	struct xsb_config cfg = { 2000, 3, 2000, false, "/xsbench" };
	const char *clients = "1,4,16";
	struct xs_handle *h;
	unsigned int i;
	int bad = 0;

	for (i = 1; i < (unsigned int)argc; i++) {
		if (!strcmp(argv[i], "--floor"))
			cfg.floor = true;
		else if (!strcmp(argv[i], "--iters") && i + 1 < (unsigned)argc)
			cfg.iters = xsb_arg_uint(argv[++i], 1, 10000000);
		else if (!strcmp(argv[i], "--rounds") && i + 1 < (unsigned)argc)
			cfg.rounds = xsb_arg_uint(argv[++i], 1, XSB_MAX_ROUNDS);
		else if (!strcmp(argv[i], "--txns") && i + 1 < (unsigned)argc)
			cfg.txns = xsb_arg_uint(argv[++i], 1, 10000000);
		else if (!strcmp(argv[i], "--clients") && i + 1 < (unsigned)argc)
			clients = argv[++i];
		else if (!strcmp(argv[i], "--root") && i + 1 < (unsigned)argc)
			cfg.root = argv[++i];
		else {
			fprintf(stderr, "usage: xs_bench_client [--floor] "
					"[--iters N] [--rounds N] [--txns N] "
					"[--clients 1,4,16] [--root PATH]\n");
			return 2;
		}
	}
	h = xs_open(0);
	if (h == NULL) {
		perror("xs_bench_client: xs_open");
		return 1;
	}
	for (i = 0; i < XSB_NROWS; i++)
		bad |= xsb_run_row(h, &cfg, &xsb_rows[i]);
	xs_close(h);
	bad |= xsb_run_contend(&cfg, clients);
	return bad;
}
