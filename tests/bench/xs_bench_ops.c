// SPDX-License-Identifier: GPL-2.0-only
/*
 * Single-client measurements: write, read, directory, a two-write
 * transaction, and write-to-watch-event latency. Each runs cfg->iters
 * operations back to back over one libxenstore connection and reports the
 * mean time per operation; the keys rotate over a small set of nodes so
 * that the store holds a realistic handful, not one node or thousands.
 *
 * Layout under cfg->root:
 *   w/k0..k63   written by the write row, read back at the end
 *   r/k0..k63   preset, read by the read row ("r<k>")
 *   d/c0..c7    preset, listed by the directory row
 *   t/a, t/b    written by the transaction row, read back at the end
 *   watch/node  written through a second connection, watched by the first
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_bench.h"

#define XSB_KEYS 64
#define XSB_DIR_CHILDREN 8
#define XSB_PATH 256

static void xsb_path(char *buf, const struct xsb_config *cfg, const char *rel, unsigned int k)
{
	snprintf(buf, XSB_PATH, "%s/%s%u", cfg->root, rel, k);
}

int xsb_op_write(struct xs_handle *h, const struct xsb_config *cfg, struct xsb_result *r)
{
	char path[XSB_PATH], val[32];
	unsigned int i, k;
	double t0;

	t0 = xsb_now_us();
	for (i = 0; i < cfg->iters; i++) {
		xsb_path(path, cfg, "w/k", i % XSB_KEYS);
		snprintf(val, sizeof(val), "v%u", i);
		if (!xs_write(h, XBT_NULL, path, val, strlen(val)))
			r->errors++;
	}
	r->us_per_op = (xsb_now_us() - t0) / cfg->iters;
	r->ops = cfg->iters;
	if (cfg->floor)
		return 0;
	/* Each key holds the last value written to it. */
	for (k = 0; k < XSB_KEYS && k < cfg->iters; k++) {
		i = k + (cfg->iters - 1 - k) / XSB_KEYS * XSB_KEYS;
		xsb_path(path, cfg, "w/k", k);
		snprintf(val, sizeof(val), "v%u", i);
		if (!xsb_holds(h, path, val))
			r->errors++;
	}
	return 0;
}

int xsb_op_read(struct xs_handle *h, const struct xsb_config *cfg, struct xsb_result *r)
{
	char path[XSB_PATH], val[32];
	unsigned int i, k, len;
	double t0;
	char *got;

	for (k = 0; k < XSB_KEYS; k++) {
		xsb_path(path, cfg, "r/k", k);
		snprintf(val, sizeof(val), "r%u", k);
		if (!xsb_put(h, path, val))
			return -1;
	}
	t0 = xsb_now_us();
	for (i = 0; i < cfg->iters; i++) {
		k = i % XSB_KEYS;
		xsb_path(path, cfg, "r/k", k);
		got = xs_read(h, XBT_NULL, path, &len);
		if (got == NULL) {
			r->errors++;
			continue;
		}
		snprintf(val, sizeof(val), "r%u", k);
		if (!cfg->floor && (len != strlen(val) || strcmp(got, val)))
			r->errors++;
		free(got);
	}
	r->us_per_op = (xsb_now_us() - t0) / cfg->iters;
	r->ops = cfg->iters;
	return 0;
}

/* True if names are exactly c0..c<n-1>, in any order. */
static bool xsb_children_ok(char **names, unsigned int num)
{
	unsigned int i, seen = 0;
	char *end;
	unsigned long c;

	if (num != XSB_DIR_CHILDREN)
		return false;
	for (i = 0; i < num; i++) {
		if (names[i][0] != 'c')
			return false;
		c = strtoul(names[i] + 1, &end, 10);
		if (*end != '\0' || c >= XSB_DIR_CHILDREN || (seen & 1u << c))
			return false;
		seen |= 1u << c;
	}
	return true;
}

int xsb_op_directory(struct xs_handle *h, const struct xsb_config *cfg, struct xsb_result *r)
{
	char path[XSB_PATH];
	unsigned int i, num;
	char **names;
	double t0;

	for (i = 0; i < XSB_DIR_CHILDREN; i++) {
		xsb_path(path, cfg, "d/c", i);
		if (!xsb_put(h, path, "x"))
			return -1;
	}
	snprintf(path, sizeof(path), "%s/d", cfg->root);
	t0 = xsb_now_us();
	for (i = 0; i < cfg->iters; i++) {
		names = xs_directory(h, XBT_NULL, path, &num);
		if (names == NULL) {
			r->errors++;
			continue;
		}
		if (!cfg->floor && !xsb_children_ok(names, num))
			r->errors++;
		free(names);
	}
	r->us_per_op = (xsb_now_us() - t0) / cfg->iters;
	r->ops = cfg->iters;
	return 0;
}

/* One transaction writing a and b; retried while the commit says EAGAIN. */
static bool xsb_two_writes(struct xs_handle *h, const char *a, const char *b, const char *val,
			   struct xsb_result *r)
{
	xs_transaction_t t;

	for (;;) {
		t = xs_transaction_start(h);
		if (t == XBT_NULL)
			return false;
		if (!xs_write(h, t, a, val, strlen(val)) || !xs_write(h, t, b, val, strlen(val))) {
			xs_transaction_end(h, t, true);
			return false;
		}
		if (xs_transaction_end(h, t, false))
			return true;
		if (errno != EAGAIN)
			return false;
		r->retries++;
	}
}

int xsb_op_transaction(struct xs_handle *h, const struct xsb_config *cfg, struct xsb_result *r)
{
	char a[XSB_PATH], b[XSB_PATH], val[32];
	unsigned int i;
	double t0;

	snprintf(a, sizeof(a), "%s/t/a", cfg->root);
	snprintf(b, sizeof(b), "%s/t/b", cfg->root);
	t0 = xsb_now_us();
	for (i = 0; i < cfg->iters; i++) {
		snprintf(val, sizeof(val), "%u", i);
		if (!xsb_two_writes(h, a, b, val, r))
			r->errors++;
	}
	r->us_per_op = (xsb_now_us() - t0) / cfg->iters;
	r->ops = cfg->iters;
	if (!cfg->floor) {
		snprintf(val, sizeof(val), "%u", cfg->iters - 1);
		r->errors += !xsb_holds(h, a, val) + !xsb_holds(h, b, val);
	}
	return 0;
}

/* Waits for the next event on w; true if it names path with our token. */
static bool xsb_event_is(struct xs_handle *w, const char *path)
{
	unsigned int num;
	char **ev;
	bool ok;

	ev = xs_read_watch(w, &num);
	if (ev == NULL)
		return false;
	ok = num > XS_WATCH_TOKEN && strcmp(ev[XS_WATCH_PATH], path) == 0 &&
	     strcmp(ev[XS_WATCH_TOKEN], "xsbench") == 0;
	free(ev);
	return ok;
}

/*
 * Latency from the start of a write on h to the watch event's arrival on a
 * second connection that watches the node.
 */
int xsb_op_watch(struct xs_handle *h, const struct xsb_config *cfg, struct xsb_result *r)
{
	char path[XSB_PATH], val[32];
	struct xs_handle *w;
	unsigned int i;
	double t0, sum = 0;

	snprintf(path, sizeof(path), "%s/watch/node", cfg->root);
	if (!xsb_put(h, path, "start"))
		return -1;
	w = xs_open(0);
	if (w == NULL)
		return -1;
	/* xs_watch fires once at once: consume that initial event. */
	if (!xs_watch(w, path, "xsbench") || !xsb_event_is(w, path)) {
		xs_close(w);
		return -1;
	}
	for (i = 0; i < cfg->iters; i++) {
		snprintf(val, sizeof(val), "%u", i);
		t0 = xsb_now_us();
		if (!xs_write(h, XBT_NULL, path, val, strlen(val))) {
			r->errors++;
			continue;
		}
		if (!xsb_event_is(w, path))
			r->errors++;
		sum += xsb_now_us() - t0;
	}
	xs_unwatch(w, path, "xsbench");
	xs_close(w);
	r->us_per_op = sum / cfg->iters;
	r->ops = cfg->iters;
	return 0;
}
