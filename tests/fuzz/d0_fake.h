/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The pretend toolstack fuzz_d0_args runs lxl over (d0_fake.c): libtk,
 * libhyp and xenstore answered from a fixed table of domains.
 */
#ifndef LAMINA_FUZZ_D0_FAKE_H
#define LAMINA_FUZZ_D0_FAKE_H

#include "dom0-tools/lxl/lxl.h"

/* Calls that reached the pretend toolstack since the last reset. */
extern unsigned long d0_fake_calls;

/* Forget the previous input's state: handles, shutdown requests, counts. */
void d0_fake_reset(void);

#endif
