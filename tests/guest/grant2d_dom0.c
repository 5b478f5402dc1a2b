// SPDX-License-Identifier: MIT
/*
 * grant2d_dom0: the dom0 (backend) side of the two-domain grant test
 * (tests/guest/grant-two-domain.sh, layout in grant2d.h). It offers dom1 an
 * unbound port, and once dom1 signals: refusals first (an unknown domain, a
 * reference dom1 never granted, the read-only data page mapped writable or
 * written by a copy), then it maps dom1's ring page, copies dom1's data
 * page with GNTTABOP_copy, serves dom1's requests on the ring, unmaps, and
 * waits for dom1's end (VIRQ_DOM_EXC): nothing of dom1's may stay mapped.
 * With mode=die dom1 ends while its ring page is mapped here: the page
 * must stay readable and writable through the map, unmap cleanly, and dom1's
 * grants must be gone for copies.
 */
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/gnttab.h>
#include <gpv/mm.h>
#include <gpv/page.h>
#include <gpv/test.h>
#include <gpv/time.h>

#include "grant2d.h"
#include "two-domain.h"

#define DOMU 1

static long map_status(domid_t dom, grant_ref_t ref, void *va, uint32_t flags)
{
	struct gnttab_map_grant_ref op = {
		.host_addr = (unsigned long)va, .flags = flags, .ref = ref, .dom = dom
	};
	long rc;

	gpv_update_va_mapping((unsigned long)va, 0, UVMF_INVLPG);
	rc = gpv_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);
	gpv_update_va_mapping((unsigned long)va, ((uint64_t)gpv_virt_to_mfn(va) << 12) | 7,
			      UVMF_INVLPG);
	return rc ? rc : op.status;
}

static void refusals(void *win)
{
	uint8_t *page = gpv_page_alloc();
	struct gnttab_copy c = { .len = 16, .flags = GNTCOPY_dest_gref };

	gpv_test_eq(map_status(2, GRANT2D_RING_REF, win, GNTMAP_host_map), GNTST_bad_domain,
		    "a map of domain 2 (none) = bad_domain");
	gpv_test_eq(map_status(DOMU, GRANT2D_DATA_REF + 1, win, GNTMAP_host_map),
		    GNTST_general_error, "a reference dom1 never granted = general_error");
	gpv_test_eq(map_status(DOMU, GRANT2D_DATA_REF, win, GNTMAP_host_map), GNTST_general_error,
		    "dom1's read-only page mapped writable = general_error");
	gpv_test_eq(map_status(DOMU, 1U << 20, win, GNTMAP_host_map), GNTST_bad_gntref,
		    "a reference beyond dom1's table = bad_gntref");
	c.source.domid = DOMID_SELF;
	c.source.u.gmfn = gpv_virt_to_mfn(page);
	c.dest.domid = DOMU;
	c.dest.u.ref = GRANT2D_DATA_REF;
	gpv_test_eq(gpv_grant_table_op(GNTTABOP_copy, &c, 1) ?: c.status, GNTST_general_error,
		    "a copy into dom1's read-only page = general_error");
}

static void copy_data(void)
{
	uint8_t *dst = gpv_page_alloc();
	long rc = gpv_gnttab_copy_in(DOMU, GRANT2D_DATA_REF, 0, gpv_virt_to_mfn(dst), 0, 4096);
	unsigned int same = 0;

	gpv_test_eq(rc, GNTST_okay, "GNTTABOP_copy of dom1's data page");
	for (unsigned int i = 0; i < 4096; i++)
		same += dst[i] == grant2d_byte(i);
	gpv_test_eq(same, 4096, "every byte of dom1's page arrived");
}

/* Serves the ring until every request is answered: how many were. */
static uint32_t serve(struct grant2d_back_ring *br, evtchn_port_t port)
{
	uint32_t done = 0;

	while (done < GRANT2D_REQUESTS) {
		int more, notify;

		while (RING_HAS_UNCONSUMED_REQUESTS(br)) {
			struct grant2d_req q = *RING_GET_REQUEST(br, br->req_cons);
			struct grant2d_rsp *r = RING_GET_RESPONSE(br, br->rsp_prod_pvt);

			br->req_cons++;
			r->id = q.id;
			r->val = q.val + 1;
			br->rsp_prod_pvt++;
			done++;
		}
		RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(br, notify);
		if (notify)
			gpv_evtchn_send(port);
		RING_FINAL_CHECK_FOR_REQUESTS(br, more);
		if (!more && done < GRANT2D_REQUESTS && !td_wait_port(port, 5000 * TD_MS))
			break;
	}
	return done;
}

/* Whether domain id still exists: EVTCHNOP_status on it is -ESRCH once it is gone. */
static bool domain_exists(domid_t id)
{
	struct evtchn_status st = { .dom = id, .port = 0 };

	return gpv_event_channel_op(EVTCHNOP_status, &st) != -XEN_ESRCH;
}

static void wait_gone(long exc)
{
	for (uint64_t end = gpv_time_now() + 20000 * TD_MS;
	     domain_exists(DOMU) && gpv_time_now() < end;)
		td_wait_port((evtchn_port_t)exc, 200 * TD_MS);
	gpv_test_check(!domain_exists(DOMU), "dom1 ended and is gone");
}

/* dom1 dies with its ring page mapped here. */
static void after_death(volatile uint8_t *ring, long h, long exc)
{
	uint8_t *dst = gpv_page_alloc();

	wait_gone(exc);
	gpv_test_eq(ring[offsetof(struct grant2d_sring, __pad)], 0x5a,
		    "the dead granter's page is still mapped and readable");
	ring[100] = 0x77;
	gpv_test_eq(ring[100], 0x77, "and writable");
	gpv_test_eq(gpv_gnttab_unmap((void *)ring, (grant_handle_t)h), 0,
		    "the map of a dead domain's grant unmaps");
	gpv_test_eq(gpv_gnttab_copy_in(DOMU, GRANT2D_DATA_REF, 0, gpv_virt_to_mfn(dst), 0, 16),
		    GNTST_bad_domain, "a copy from the dead domain's grant = bad_domain");
}

int gpv_main(void)
{
	struct grant2d_sring *ring = gpv_page_alloc();
	struct grant2d_back_ring br;
	long port, exc, h;

	gpv_test_area("grant2d: dom0");
	exc = gpv_evtchn_bind_virq(VIRQ_DOM_EXC);
	port = gpv_evtchn_alloc_unbound(DOMU);
	if (!gpv_test_checkf(port > 0 && exc > 0, "a port for dom1, VIRQ_DOM_EXC bound", "%ld %ld",
			     port, exc) ||
	    !gpv_test_check(td_wait_port((evtchn_port_t)port, 20000 * TD_MS),
			    "dom1 says its grants are ready"))
		return gpv_test_finish();
	refusals(ring);
	copy_data();
	h = gpv_gnttab_map(DOMU, GRANT2D_RING_REF, ring, false);
	if (!gpv_test_checkf(h >= 0, "dom1's ring page mapped", "%ld", h))
		return gpv_test_finish();
	BACK_RING_INIT(&br, ring, 4096);
	gpv_evtchn_send((evtchn_port_t)port);
	if (td_mode("die")) {
		after_death((volatile uint8_t *)ring, h, exc);
		return gpv_test_finish();
	}
	gpv_test_eq(serve(&br, (evtchn_port_t)port), GRANT2D_REQUESTS,
		    "every request of dom1's served");
	gpv_test_eq(gpv_gnttab_unmap(ring, (grant_handle_t)h), 0, "dom1's ring unmapped");
	gpv_evtchn_send((evtchn_port_t)port);
	wait_gone(exc);
	return gpv_test_finish();
}
