/* SPDX-License-Identifier: MIT */
/*
 * The two-domain grant test's shared layout (grant2d_dom0.c, grant2d_domu.c):
 * dom1 grants dom0 a ring page (reference GRANT2D_RING_REF, writable) and a
 * data page (GRANT2D_DATA_REF, read-only), binds dom0's unbound port and
 * signals; dom0 maps the ring, copies the data page, then serves the
 * requests on the ring (a response's value is the request's plus one).
 */
#ifndef TESTS_GUEST_GRANT2D_H
#define TESTS_GUEST_GRANT2D_H

#include <gpv/gpv.h>

/* <xen/io/ring.h> wants the guest's barriers. */
#define xen_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#include <xen/io/ring.h>

#define GRANT2D_RING_REF 8 /* the first reference guest-pv hands out */
#define GRANT2D_DATA_REF 9
#define GRANT2D_REQUESTS 500 /* many times the ring's size */

struct grant2d_req {
	uint32_t id;
	uint32_t val;
};

struct grant2d_rsp {
	uint32_t id;
	uint32_t val;
};

DEFINE_RING_TYPES(grant2d, struct grant2d_req, struct grant2d_rsp);

/* The data page's byte i. */
static inline uint8_t grant2d_byte(unsigned int i)
{
	return (uint8_t)(i * 13 + 7);
}

#endif
