// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: xenstored's message handling, as sequences of messages
 * from several connections and domains. The input is a little program, four
 * bytes of header per step, then payload:
 *   [0] connection (low 3 bits: 0-1 dom0 sockets, 2-3 the rings of dom1
 *       and dom2, 4 a dom3 client without ring, 5 dom1's target domain 4)
 *       and flags (0x80: leave its output unread)
 *   [1] message type (any value; 0-27 are xs_wire.h's)
 *   [2] tx id: 0, the connection's last started one, that + 1, 1, or as is
 *   [3] payload length (255: two more bytes give it, up to 5000, so that
 *       over-long headers are tried too)
 * Limits are small, so that quotas are reached. After every message the
 * store's invariants must hold (xs_check_store()), and after every 8th, at
 * the end and around each live update its save/load round trip too
 * (xs_check_all(): a fresh store per check, the cost of a whole input
 * otherwise); a CONTROL live-update -s is carried out as the daemon
 * does, save -> load into a fresh store -> compare, and the messages that
 * follow go to the restored store. Domains come and go with INTRODUCE and
 * RELEASE; connections the core kills are dropped as the transport drops
 * them and come back as new ones.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_xs.h"
#include "xs_check.h"
#include "xs_ops.h"
#include "xs_snap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, const char *why)
{
	fprintf(stderr, "fuzz_xs_msgs: %s: %s\n", what, why);
	abort();
}

/* Carry the store across a live update, as xs_state.c does. */
static void live_update(struct fxs *f)
{
	struct xs_snap_buf b;
	struct xs_store *n = calloc(1, sizeof(*n));
	char why[256] = "";

	if (!n || xs_snap_save(f->s, 3, &b) || xs_store_init(n, &f->s->lim))
		die("live update", "out of memory");
	if (xs_snap_load(n, b.data, b.len, NULL))
		die("live update", "the saved state does not load");
	if (xs_check_same(f->s, n, why, sizeof(why)))
		die("live update", why);
	xs_snap_buf_free(&b);
	fxs_swap(f, n);
}

/* With FUZZ_XS_SAVE_STATE=<dir>: keep each input's final state there (the
 * seeds of fuzz_xs_state). */
static void save_state(struct fxs *f)
{
	const char *dir = getenv("FUZZ_XS_SAVE_STATE");
	static unsigned int n;
	struct xs_snap_buf b;
	char path[512];
	FILE *out;

	if (!dir || xs_snap_save(f->s, 3, &b))
		return;
	snprintf(path, sizeof(path), "%s/state-%02u", dir, n++);
	out = fopen(path, "wb");
	if (out) {
		fwrite(b.data, 1, b.len, out);
		fclose(out);
	}
	xs_snap_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char msg[XS_MSG_MAX + 1000];
	struct xsd_sockmsg hdr;
	struct fxs f;
	char why[256];
	size_t off = 0, len;
	unsigned int slot, n = 0;

	fxs_init(&f);
	while (size - off >= 4) {
		const uint8_t *h = data + off;

		off += 4;
		slot = (h[0] & 7) % FXS_SLOTS;
		len = h[3];
		if (len == 255 && size - off >= 2) {
			len = (data[off] | data[off + 1] << 8) % 5001;
			off += 2;
		}
		if (len > size - off)
			len = size - off;
		hdr.type = h[1];
		hdr.req_id = (uint32_t)off;
		hdr.tx_id = fxs_txid(&f, slot, h[2]);
		hdr.len = (uint32_t)len;
		memcpy(msg, &hdr, sizeof(hdr));
		memcpy(msg + sizeof(hdr), data + off, len);
		off += len;
		xs_conn_input(fxs_conn(&f, slot), msg, sizeof(hdr) + len);
		fxs_after(&f, slot, !(h[0] & 0x80));
		if ((++n % 8 ? xs_check_store(f.s, why, sizeof(why))
			     : xs_check_all(f.s, why, sizeof(why))))
			die("invariant", why);
		if (f.s->live_update) {
			f.s->live_update = false;
			live_update(&f);
		}
	}
	if (xs_check_all(f.s, why, sizeof(why)))
		die("invariant at the end", why);
	save_state(&f);
	fxs_fini(&f);
	return 0;
}
