// SPDX-License-Identifier: GPL-2.0-only
/*
 * The test harness behind every xenstored CUnit suite (see ut_harness.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ut_harness.h"
#include "xs_check.h"

struct xs_store ut_store;
char ut_reply[XENSTORE_PAYLOAD_MAX + 1];
uint32_t ut_type, ut_len;
static uint32_t next_req = 1;

void ut_init(const struct xs_limits *l)
{
	struct xs_limits def;

	xs_limits_default(&def);
	CU_ASSERT_FATAL(xs_store_init(&ut_store, l ? l : &def) == 0);
}

void ut_fini(void)
{
	xs_store_free(&ut_store);
}

struct xs_conn *ut_conn(unsigned int domid)
{
	struct xs_conn *c = xs_conn_new(&ut_store, domid, -1);

	CU_ASSERT_FATAL(c != NULL);
	return c;
}

void ut_domain(unsigned int domid)
{
	struct xs_domain *d;

	if (!xs_domain_find(&ut_store, domid))
		CU_ASSERT_FATAL(xs_domain_introduce(&ut_store, domid, 1000 + domid, 1, &d) == 0);
}

struct xs_conn *ut_home(struct xs_conn *d0, unsigned int domid)
{
	char path[32], perm[16];

	ut_domain(domid);
	snprintf(path, sizeof(path), "/local/domain/%u", domid);
	snprintf(perm, sizeof(perm), "n%u", domid);
	CU_ASSERT_EQUAL(ut_op1(d0, XS_MKDIR, 0, path), 0);
	CU_ASSERT_EQUAL(ut_setperms(d0, 0, path, perm), 0);
	return ut_conn(domid);
}

bool ut_pop(struct xs_conn *c, uint32_t *type, char *buf, uint32_t *len)
{
	struct xsd_sockmsg hdr;

	if (c->out_end - c->out_start < sizeof(hdr))
		return false;
	memcpy(&hdr, c->out + c->out_start, sizeof(hdr));
	CU_ASSERT_FATAL(c->out_end - c->out_start >= sizeof(hdr) + hdr.len);
	CU_ASSERT_FATAL(hdr.len <= XENSTORE_PAYLOAD_MAX);
	memcpy(buf, c->out + c->out_start + sizeof(hdr), hdr.len);
	buf[hdr.len] = '\0';
	*type = hdr.type;
	*len = hdr.len;
	xs_conn_consumed(c, sizeof(hdr) + hdr.len);
	return true;
}

unsigned int ut_drain(struct xs_conn *c)
{
	static char buf[XENSTORE_PAYLOAD_MAX + 1];
	unsigned int events = 0;
	uint32_t type, len;

	while (ut_pop(c, &type, buf, &len))
		events += type == XS_WATCH_EVENT;
	return events;
}

/*
 * After every request: the invariants, and the save/load round trip; on a
 * big store (the flood and deep-tree tests) the round trip runs on every
 * 64th request only, as it costs the size of the whole store.
 */
void ut_check(void)
{
	static char why[256];
	static unsigned int calls;
	bool big = ut_store.nodes.count > 1000 || ut_store.nr_watches > 100;
	int err = (big && calls++ % 64) ? xs_check_store(&ut_store, why, sizeof(why))
					: xs_check_all(&ut_store, why, sizeof(why));

	if (err)
		fprintf(stderr, "invariant broken: %s\n", why);
	CU_ASSERT_EQUAL_FATAL(err, 0);
}

uint32_t ut_raw(struct xs_conn *c, uint32_t type, uint32_t tx, const void *data, size_t len)
{
	static char msg[XS_MSG_MAX];
	struct xsd_sockmsg hdr = { .type = type, .req_id = next_req++, .tx_id = tx, .len = len };
	int err;

	CU_ASSERT_FATAL(len <= XENSTORE_PAYLOAD_MAX);
	memcpy(msg, &hdr, sizeof(hdr));
	memcpy(msg + sizeof(hdr), data, len);
	ut_type = XS_INVALID;
	err = xs_conn_input(c, msg, sizeof(hdr) + len);
	/* The store's invariants hold after every request (xs_check.h). */
	ut_check();
	if (err)
		return XS_INVALID;
	/* Skip watch events queued before the reply. */
	while (ut_pop(c, &ut_type, ut_reply, &ut_len))
		if (ut_type != XS_WATCH_EVENT)
			return ut_type;
	return XS_INVALID;
}

static int result(uint32_t type)
{
	if (type == XS_ERROR)
		return xs_errno_from_name(ut_reply);
	return type == XS_INVALID ? EPROTO : 0;
}

int ut_read(struct xs_conn *c, uint32_t tx, const char *path, char *out)
{
	int err = result(ut_raw(c, XS_READ, tx, path, strlen(path) + 1));

	if (!err && out) {
		memcpy(out, ut_reply, ut_len);
		out[ut_len] = '\0';
	}
	return err;
}

int ut_write(struct xs_conn *c, uint32_t tx, const char *path, const char *val)
{
	static char buf[XENSTORE_PAYLOAD_MAX];
	size_t pl = strlen(path) + 1, vl = strlen(val);

	CU_ASSERT_FATAL(pl + vl <= sizeof(buf));
	memcpy(buf, path, pl);
	memcpy(buf + pl, val, vl);
	return result(ut_raw(c, XS_WRITE, tx, buf, pl + vl));
}

int ut_op1(struct xs_conn *c, uint32_t type, uint32_t tx, const char *arg)
{
	return result(ut_raw(c, type, tx, arg, strlen(arg) + 1));
}

int ut_op2(struct xs_conn *c, uint32_t type, uint32_t tx, const char *a, const char *b)
{
	static char buf[XENSTORE_PAYLOAD_MAX];
	size_t al = strlen(a) + 1, bl = strlen(b) + 1;

	memcpy(buf, a, al);
	memcpy(buf + al, b, bl);
	return result(ut_raw(c, type, tx, buf, al + bl));
}

/* @perms is space-separated: "n0 r1". */
int ut_setperms(struct xs_conn *c, uint32_t tx, const char *path, const char *perms)
{
	static char buf[XENSTORE_PAYLOAD_MAX];
	size_t off = strlen(path) + 1, i;

	memcpy(buf, path, off);
	for (i = 0; perms[i]; i++)
		buf[off++] = perms[i] == ' ' ? '\0' : perms[i];
	buf[off++] = '\0';
	return result(ut_raw(c, XS_SET_PERMS, tx, buf, off));
}

int ut_txn_start(struct xs_conn *c, uint32_t *id)
{
	int err = result(ut_raw(c, XS_TRANSACTION_START, 0, "", 1));

	if (!err)
		*id = strtoul(ut_reply, NULL, 10);
	return err;
}

int ut_txn_end(struct xs_conn *c, uint32_t id, bool commit)
{
	return ut_op1(c, XS_TRANSACTION_END, id, commit ? "T" : "F");
}
