/* SPDX-License-Identifier: MIT */
/* The two-domain kernels' shared helpers (two-domain-lib.c). */
#ifndef TESTS_GUEST_TWO_DOMAIN_H
#define TESTS_GUEST_TWO_DOMAIN_H

#include <gpv/gpv.h>

#define TD_MS 1000000ULL
#define TD_PINGPONG_ROUNDS 1000
#define TD_RACE_SENDS 20 /* evrace: sends on each end before it is closed */

/* The number after "key=" on the command line, or def. */
long td_arg(const char *key, long def);
/* Whether the command line says mode=<mode>. */
bool td_mode(const char *mode);
/* Clears port's pending bit; whether it was set. */
bool td_port_take(evtchn_port_t port);
/* Polls until port is pending (and takes it) or timeout_ns pass: whether it came. */
bool td_wait_port(evtchn_port_t port, uint64_t timeout_ns);
/* Sleeps (SCHEDOP_poll of no port) until system time t. */
void td_sleep_until(uint64_t t);
/* A domU binds the port dom0 left unbound for it: the local port, or -1 after 10 s. */
long td_bind_dom0(void);

#endif
