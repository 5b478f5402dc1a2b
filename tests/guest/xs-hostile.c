// SPDX-License-Identifier: MIT
/*
 * xs-hostile: a domU that abuses its own xenstore ring, to see whether the
 * daemon survives it and cuts the domain off. In order, each followed by a
 * sane read of "domid" with a 3 s deadline:
 *   type  a message of unknown type 9999: the daemon answers XS_ERROR
 *         (ENOSYS, as Xen 4.17's C xenstored does) and keeps serving;
 *   len   a header announcing XENSTORE_PAYLOAD_MAX + 1 bytes: the daemon
 *         must stop serving the ring (no answer, or the ring's error field);
 *   prod  req_prod moved 100000 past req_cons, then (once the ring's error
 *         field is set, or after 3 s) put back level with req_cons: likewise.
 * The command line ("type", "len" or "prod") runs one scenario only, so
 * each can be observed on a fresh connection. The kernel itself must end
 * with its RESULT line: every wait it does is bounded.
 */
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/time.h>
#include <gpv/xenbus.h>
#include <gpv/test.h>

#define SEC 1000000000ULL

static bool cut_off;

static bool sane_read(void)
{
	char buf[32];

	return gpv_xs_read(0, "domid", buf, sizeof(buf)) > 0;
}

/* After garbage: the daemon should have stopped serving us. */
static void expect_cut_off(const char *what)
{
	struct xenstore_domain_interface *r = gpv_xs_ring();
	char name[96];
	bool served = sane_read();

	gpv_test_info("%s: ring error %u, served %d", what, r->error, served);
	gpv_snprintf(name, sizeof(name), "after %s the daemon no longer serves the ring", what);
	gpv_test_check(!served || r->error != 0, name);
	cut_off = !served || r->error != 0;
}

static void bad_type(void)
{
	uint32_t rtype = 0;
	long rc = gpv_xs_raw_request(9999, "x", 2, &rtype, 3 * SEC);

	gpv_test_checkf(rc == -XEN_ENOSYS && rtype == XS_ERROR,
			"unknown message type gets XS_ERROR ENOSYS (as Xen 4.17's xenstored)",
			"rc %ld type %u", rc, rtype);
	gpv_test_check(sane_read(), "the ring still serves after an unknown type");
}

static void bad_len(void)
{
	struct xsd_sockmsg hdr = { .type = XS_READ,
				   .req_id = 0x7777,
				   .len = XENSTORE_PAYLOAD_MAX + 1 };

	gpv_xs_raw_write(&hdr, sizeof(hdr));
	gpv_xs_raw_write("domid", 6);
	expect_cut_off("an over-long message");
}

static void bad_prod(void)
{
	struct xenstore_domain_interface *r = gpv_xs_ring();
	uint64_t deadline;

	__atomic_store_n(&r->req_prod, r->req_cons + 100000, __ATOMIC_RELEASE);
	gpv_evtchn_send(gpv_xs_port());
	/* Give the daemon up to 3 s to notice (a daemon that reports it sets
	 * the ring's error field), then make the indexes sane again so that
	 * what follows measures the daemon, not this client's own checks. */
	deadline = gpv_time_now() + 3 * SEC;
	while (!__atomic_load_n(&r->error, __ATOMIC_ACQUIRE) && gpv_time_now() < deadline)
		gpv_poll_port(gpv_xs_port(), gpv_time_now() + SEC / 10);
	__atomic_store_n(&r->req_prod, __atomic_load_n(&r->req_cons, __ATOMIC_ACQUIRE),
			 __ATOMIC_RELEASE);
	expect_cut_off("a runaway req_prod");
}

int gpv_main(void)
{
	const char *cmd = (const char *)gpv_start_info->cmd_line;
	bool all = !strstr(cmd, "type") && !strstr(cmd, "len") && !strstr(cmd, "prod");

	gpv_test_area("xs-hostile");
	if (gpv_xs_init()) {
		gpv_test_check(false, "a store ring to abuse (run me as a domU)");
		return gpv_test_finish();
	}
	if (!gpv_test_check(sane_read(), "the ring serves before the garbage"))
		return gpv_test_finish();
	if (all || strstr(cmd, "type"))
		bad_type();
	if (all || strstr(cmd, "len"))
		bad_len();
	if ((all && !cut_off) || strstr(cmd, "prod"))
		bad_prod();
	else if (all)
		gpv_test_info("runaway req_prod not tried: the connection is already cut off");
	gpv_test_info("the kernel survived its own garbage");
	return gpv_test_finish();
}
