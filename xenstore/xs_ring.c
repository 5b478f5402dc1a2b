// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ring copies (see xs_ring.h). The producer/consumer protocol is Xen's: the
 * reader reads prod, then (after a read barrier) the data, then publishes
 * cons after a full barrier; the writer writes data, then (write barrier)
 * prod. Indices run freely and are masked on use.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "xs_ring.h"

static inline uint32_t load_idx(const volatile XENSTORE_RING_IDX *p)
{
	return *p;
}

int xs_ring_read(struct xenstore_domain_interface *intf, char *buf, size_t len)
{
	uint32_t cons = load_idx(&intf->req_cons), prod = load_idx(&intf->req_prod);
	uint32_t avail = prod - cons, off, chunk, done = 0;

	if (avail > XENSTORE_RING_SIZE)
		return -EIO;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	while (done < len && done < avail) {
		off = MASK_XENSTORE_IDX(cons + done);
		chunk = XENSTORE_RING_SIZE - off;
		if (chunk > avail - done)
			chunk = avail - done;
		if (chunk > len - done)
			chunk = len - done;
		memcpy(buf + done, intf->req + off, chunk);
		done += chunk;
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*(volatile XENSTORE_RING_IDX *)&intf->req_cons = cons + done;
	return done;
}

int xs_ring_write(struct xenstore_domain_interface *intf, const char *buf, size_t len)
{
	uint32_t cons = load_idx(&intf->rsp_cons), prod = load_idx(&intf->rsp_prod);
	uint32_t used = prod - cons, space, off, chunk, done = 0;

	if (used > XENSTORE_RING_SIZE)
		return -EIO;
	space = XENSTORE_RING_SIZE - used;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	while (done < len && done < space) {
		off = MASK_XENSTORE_IDX(prod + done);
		chunk = XENSTORE_RING_SIZE - off;
		if (chunk > space - done)
			chunk = space - done;
		if (chunk > len - done)
			chunk = len - done;
		memcpy(intf->rsp + off, buf + done, chunk);
		done += chunk;
	}
	__atomic_thread_fence(__ATOMIC_RELEASE);
	*(volatile XENSTORE_RING_IDX *)&intf->rsp_prod = prod + done;
	return done;
}
