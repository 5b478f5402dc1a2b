// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: loading a saved state (what a new daemon reads after
 * a live update, xs_snap_load()). The bytes are hostile: loading must fail
 * cleanly or give a store that keeps every invariant (xs_check_store()) and
 * that saves and loads back the same (xs_check_same()); then requests must
 * still be served on it. Seeds are real states, saved by fuzz_xs_msgs from
 * its own seeds (FUZZ_XS_SAVE_STATE=dir).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_check.h"
#include "xs_ops.h"
#include "xs_snap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, const char *why)
{
	fprintf(stderr, "fuzz_xs_state: %s: %s\n", what, why);
	abort();
}

static void new_store(struct xs_store *s)
{
	struct xs_limits l;

	xs_limits_default(&l);
	l.watches = 8;
	l.transactions = 4;
	if (xs_store_init(s, &l))
		abort();
}

/* A few requests on every restored connection. */
static void poke(struct xs_store *s)
{
	static const char msgs[] = "\x02\0\0\0\1\0\0\0\0\0\0\0\2\0\0\0/\0"	/* READ / */
				   "\x0b\0\0\0\2\0\0\0\0\0\0\0\6\0\0\0/p\0xyz"; /* WRITE /p */
	struct xs_list *l, *next;

	for (l = s->conns.next; l != &s->conns; l = next) {
		struct xs_conn *c = xs_container_of(l, struct xs_conn, link);

		next = l->next;
		if (!c->dead)
			xs_conn_input(c, msgs, sizeof(msgs) - 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xs_store a, b;
	struct xs_snap_buf buf;
	char why[256];

	xs_hash_set_key(5, 6);
	new_store(&a);
	if (xs_snap_load(&a, (const char *)data, size, NULL)) {
		xs_store_free(&a);
		return 0;
	}
	if (xs_check_store(&a, why, sizeof(why)))
		die("a loaded state breaks an invariant", why);
	if (xs_snap_save(&a, 0, &buf))
		abort();
	new_store(&b);
	if (xs_snap_load(&b, buf.data, buf.len, NULL))
		die("round trip", "a loaded state does not load again");
	if (xs_check_same(&a, &b, why, sizeof(why)))
		die("round trip", why);
	xs_snap_buf_free(&buf);
	xs_store_free(&b);
	poke(&a);
	if (xs_check_store(&a, why, sizeof(why)))
		die("after requests", why);
	xs_store_free(&a);
	return 0;
}
