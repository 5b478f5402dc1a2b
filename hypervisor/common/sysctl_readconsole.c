// SPDX-License-Identifier: GPL-2.0-only
/*
 * The console ring and XEN_SYSCTL_readconsole (after Xen 4.17's conring in
 * xen/drivers/char/console.c): every line the hypervisor prints also goes
 * into a 16 KiB ring, which the control domain reads with readconsole (`xl
 * dmesg`); the hardware domain's console_io output too with console_to_ring
 * (console.c raises VIRQ_CON_RING for new text).
 *
 *   ring[prod % SIZE]   the newest byte at prod - 1
 *   cons                the oldest byte still there (prod - SIZE at most)
 *
 * prod and cons are free-running 32-bit counters, as Xen's conringp/conringc.
 * readconsole copies from cons (or, with incremental, from the caller's
 * index when it lies in the ring) to prod, at most count bytes, and returns
 * the new index and the count; clear drops what was read. As Xen, the copy
 * runs without a lock (a line printed meanwhile may overwrite what is being
 * copied); ring_lock (taken inside console_lock by the writer) keeps prod
 * and cons consistent.
 */
#include <lamina/console.h>
#include <lamina/domctl.h>
#include <lamina/guest_access.h>
#include <lamina/spinlock.h>
#include <xen/errno.h>

#define CONRING_SIZE 16384U /* a power of two */
#define CONRING_IDX(i) ((i) & (CONRING_SIZE - 1))

static char ring[CONRING_SIZE];
static uint32_t prod, cons; /* under ring_lock */
static spinlock_t ring_lock;

void console_ring_put(const char *s, size_t n)
{
	spin_lock(&ring_lock);
	for (size_t i = 0; i < n; i++)
		ring[CONRING_IDX(prod++)] = s[i];
	if (prod - cons > CONRING_SIZE)
		cons = prod - CONRING_SIZE;
	spin_unlock(&ring_lock);
}

/* Whether index lies in (c, p], the part of the ring a reader may resume from. */
static bool index_in_ring(uint32_t c, uint32_t p, uint32_t index)
{
	return c <= p ? c < index && index <= p : c < index || index <= p;
}

long sysctl_readconsole(struct xen_sysctl_readconsole *op)
{
	uint64_t buf = (uint64_t)op->buffer.p;
	uint32_t c, p, sofar = 0;

	spin_lock(&ring_lock);
	c = cons;
	p = prod;
	spin_unlock(&ring_lock);
	if (op->incremental && index_in_ring(c, p, op->index))
		c = op->index;
	while (c != p && sofar < op->count) {
		uint32_t idx = CONRING_IDX(c), len = p - c;

		if (idx + len > CONRING_SIZE)
			len = CONRING_SIZE - idx;
		if (sofar + len > op->count)
			len = op->count - sofar;
		if (copy_to_guest(buf + sofar, &ring[idx], len))
			return -XEN_EFAULT;
		sofar += len;
		c += len;
	}
	if (op->clear) {
		spin_lock(&ring_lock);
		cons = p - c > CONRING_SIZE ? p - CONRING_SIZE : c;
		spin_unlock(&ring_lock);
	}
	op->count = sofar;
	op->index = c;
	return 0;
}
