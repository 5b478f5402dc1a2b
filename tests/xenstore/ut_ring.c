// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ring suite: copies through a struct xenstore_domain_interface with index
 * wrap-around, a full ring, and hostile indices from the guest.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ut_harness.h"
#include "xs_ring.h"

static void test_wrap(void)
{
	struct xenstore_domain_interface *r = calloc(1, sizeof(*r));
	char in[300], out[300];
	int i, j, n;

	CU_ASSERT_FATAL(r != NULL);
	for (i = 0; i < 300; i++)
		in[i] = i;
	/* Start near the index wrap (of both the mask and uint32). */
	r->req_cons = r->req_prod = 0xffffff00u;
	for (i = 0; i < 2; i++) {
		for (j = 0; j < 300; j++)
			r->req[MASK_XENSTORE_IDX(r->req_prod + j)] = in[j];
		r->req_prod += 300;
		n = xs_ring_read(r, out, sizeof(out));
		CU_ASSERT_EQUAL(n, 300);
		CU_ASSERT(!memcmp(in, out, 300));
		CU_ASSERT_EQUAL(r->req_cons, r->req_prod);
	}
	CU_ASSERT_EQUAL(xs_ring_read(r, out, sizeof(out)), 0);
	free(r);
}

static void test_full_and_partial(void)
{
	struct xenstore_domain_interface *r = calloc(1, sizeof(*r));
	static char big[2000];

	CU_ASSERT_FATAL(r != NULL);
	CU_ASSERT_EQUAL(xs_ring_write(r, big, sizeof(big)), XENSTORE_RING_SIZE);
	CU_ASSERT_EQUAL(xs_ring_write(r, big, 10), 0);
	r->rsp_cons += 100;
	CU_ASSERT_EQUAL(xs_ring_write(r, big, 1000), 100);
	free(r);
}

static void test_hostile_indices(void)
{
	struct xenstore_domain_interface *r = calloc(1, sizeof(*r));
	char out[64];

	CU_ASSERT_FATAL(r != NULL);
	r->req_cons = 0;
	r->req_prod = XENSTORE_RING_SIZE + 1;
	CU_ASSERT_EQUAL(xs_ring_read(r, out, sizeof(out)), -EIO);
	r->req_cons = 10;
	r->req_prod = 5; /* consumer ahead of producer */
	CU_ASSERT_EQUAL(xs_ring_read(r, out, sizeof(out)), -EIO);
	r->rsp_cons = 0;
	r->rsp_prod = 5000;
	CU_ASSERT_EQUAL(xs_ring_write(r, out, sizeof(out)), -EIO);
	free(r);
}

const CU_TestInfo ut_ring_tests[] = {
	{ "copies wrap around the ring and the index", test_wrap },
	{ "a full ring takes nothing, then what fits", test_full_and_partial },
	{ "hostile indices are refused", test_hostile_indices },
	CU_TEST_INFO_NULL,
};
