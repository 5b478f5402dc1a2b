/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the host tests of hypervisor/common/ share in place of the
 * hypervisor (host_harness.c): guest memory is host memory (a "guest
 * pointer" is a host pointer, HARNESS_BAD_PTR one that faults) and the
 * heap is calloc's.
 */
#ifndef LAMINA_TESTS_HOST_HARNESS_H
#define LAMINA_TESTS_HOST_HARNESS_H

#define HARNESS_BAD_PTR 0xdead0000UL

/* The scheduler's wake hooks the event code calls, counted. */
extern unsigned int harness_kicks, harness_poll_notifies;
/* printk: counted, and the last message kept. */
extern unsigned int harness_printks;
extern char harness_last_printk[256];

#endif
