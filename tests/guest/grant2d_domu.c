// SPDX-License-Identifier: MIT
/*
 * grant2d_domu: the domU (frontend) side of the two-domain grant test
 * (tests/guest/grant-two-domain.sh, layout in grant2d.h). It grants dom0 a
 * ring page and a read-only data page, binds dom0's unbound port, sends
 * GRANT2D_REQUESTS requests through a <xen/io/ring.h> ring and checks each
 * response; while dom0 maps the ring page its entry shows GTF_reading |
 * GTF_writing and the grant cannot be ended; after dom0 unmaps it, it can.
 * With mode=die it ends (and is destroyed) while dom0 still maps its page.
 */
#include <gpv/gpv.h>
#include <gpv/console.h>
#include <gpv/evtchn.h>
#include <gpv/gnttab.h>
#include <gpv/mm.h>
#include <gpv/page.h>
#include <gpv/test.h>
#include <gpv/time.h>

#include "grant2d.h"
#include "two-domain.h"

/* Sends every request (as many as fit at a time), checking every response. */
static long run_ring(struct grant2d_front_ring *fr, evtchn_port_t port)
{
	uint32_t sent = 0, good = 0, seen = 0;

	while (seen < GRANT2D_REQUESTS) {
		int notify;

		while (sent < GRANT2D_REQUESTS && !RING_FULL(fr)) {
			struct grant2d_req *q = RING_GET_REQUEST(fr, fr->req_prod_pvt);

			q->id = sent;
			q->val = sent * 3;
			fr->req_prod_pvt++;
			sent++;
		}
		RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(fr, notify);
		if (notify)
			gpv_evtchn_send(port);
		while (RING_HAS_UNCONSUMED_RESPONSES(fr)) {
			struct grant2d_rsp *r = RING_GET_RESPONSE(fr, fr->rsp_cons);

			good += r->id == seen && r->val == seen * 3 + 1;
			seen++;
			fr->rsp_cons++;
		}
		RING_FINAL_CHECK_FOR_RESPONSES(fr, notify);
		/* Wait only with nothing to consume and nothing more to send. */
		if (!notify && seen < GRANT2D_REQUESTS &&
		    (sent == GRANT2D_REQUESTS || RING_FULL(fr)) &&
		    !td_wait_port(port, 5000 * TD_MS))
			break;
	}
	return good;
}

int gpv_main(void)
{
	struct grant2d_sring *ring = gpv_page_alloc();
	uint8_t *data = gpv_page_alloc();
	struct grant2d_front_ring fr;
	long rr, rd, port;

	gpv_console_use_hypercall(1);
	gpv_test_area("grant2d: domU");
	if (!gpv_test_eq(gpv_gnttab_init(1), 0, "grant table set up"))
		return gpv_test_finish();
	SHARED_RING_INIT(ring);
	FRONT_RING_INIT(&fr, ring, 4096);
	for (unsigned int i = 0; i < 4096; i++)
		data[i] = grant2d_byte(i);
	rr = gpv_gnttab_grant(0, gpv_virt_to_mfn(ring), false);
	rd = gpv_gnttab_grant(0, gpv_virt_to_mfn(data), true);
	gpv_test_eq(rr, GRANT2D_RING_REF, "the ring page granted to dom0");
	gpv_test_eq(rd, GRANT2D_DATA_REF, "the data page granted read-only");
	port = td_bind_dom0();
	if (!gpv_test_checkf(port > 0, "bound to dom0's unbound port", "rc %ld", port))
		return gpv_test_finish();
	td_port_take((evtchn_port_t)port);
	gpv_evtchn_send((evtchn_port_t)port); /* the grants are ready */
	/* dom0 answers once it has mapped the ring. */
	gpv_test_check(td_wait_port((evtchn_port_t)port, 10000 * TD_MS), "dom0 mapped the ring");
	gpv_test_eq(gpv_gnttab_entry(GRANT2D_RING_REF)->flags,
		    GTF_permit_access | GTF_reading | GTF_writing,
		    "the ring's entry shows GTF_reading | GTF_writing while dom0 maps it");
	gpv_test_eq(gpv_gnttab_end(GRANT2D_RING_REF), -XEN_EBUSY,
		    "the ring's grant cannot be ended while mapped");
	if (td_mode("die")) {
		ring->__pad[0] = 0x5a; /* dom0 reads it after this domain is gone */
		return gpv_test_finish();
	}
	gpv_test_eq(run_ring(&fr, (evtchn_port_t)port), GRANT2D_REQUESTS,
		    "every request answered through the ring, in order, value + 1");
	/* dom0 unmaps, then says so (a response's event may still be pending). */
	for (uint64_t end = gpv_time_now() + 10000 * TD_MS;
	     (gpv_gnttab_entry(GRANT2D_RING_REF)->flags & GTF_reading) && gpv_time_now() < end;)
		td_wait_port((evtchn_port_t)port, 100 * TD_MS);
	gpv_test_eq(gpv_gnttab_entry(GRANT2D_RING_REF)->flags, GTF_permit_access,
		    "the entry is clear once dom0 unmapped");
	gpv_test_eq(gpv_gnttab_end(GRANT2D_RING_REF), 0, "the ring's grant ends");
	gpv_test_eq(gpv_gnttab_end(GRANT2D_DATA_REF), 0, "the data page's grant ends");
	return gpv_test_finish();
}
