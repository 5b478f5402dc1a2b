// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest-memory copies, the heap, printk and the scheduler's wake hooks
 * for the host tests of hypervisor/common/ (host_harness.h).
 */
#include <lamina/guest_access.h>
#include <lamina/console.h>
#include <lamina/mm.h>
#include <lamina/schedule.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>

#include "host_harness.h"

int copy_from_guest(void *dst, uint64_t src, uint64_t n)
{
	if (src == HARNESS_BAD_PTR)
		return -XEN_EFAULT;
	memcpy(dst, (const void *)src, n);
	return 0;
}

int copy_to_guest(uint64_t dst, const void *src, uint64_t n)
{
	if (dst == HARNESS_BAD_PTR)
		return -XEN_EFAULT;
	memcpy((void *)dst, src, n);
	return 0;
}

void *mm_alloc_heap(size_t bytes)
{
	return calloc(1, bytes);
}

void mm_free_heap(void *p, size_t bytes)
{
	(void)bytes;
	free(p);
}

unsigned int harness_kicks, harness_poll_notifies, harness_printks;
char harness_last_printk[256];

void sched_evtchn_kick(struct vcpu *v)
{
	(void)v;
	harness_kicks++;
}

void sched_evtchn_poll_notify(struct domain *d, unsigned int port)
{
	(void)d;
	(void)port;
	harness_poll_notifies++;
}

void printk(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	(void)lvl;
	va_start(ap, fmt);
	vsnprintf(harness_last_printk, sizeof(harness_last_printk), fmt, ap);
	va_end(ap);
	harness_printks++;
}
