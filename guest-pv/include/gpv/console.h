/* SPDX-License-Identifier: MIT */
/*
 * The console: CONSOLEIO_write for the initial domain, the console ring
 * (start_info.console.domU) with its event channel for any other domain.
 */
#ifndef GPV_CONSOLE_H
#define GPV_CONSOLE_H

#include <stddef.h>

/* Pick the console for this domain; called once by start of day. */
void gpv_console_init(void);
/* Write @len bytes (the whole buffer, waiting for ring space if needed). */
void gpv_console_write(const char *buf, size_t len);
/* Wait (at most 1 s) until the backend consumed the ring; no-op for dom0. */
void gpv_console_flush(void);
/* Use console_io (true) or, where there is one, the console ring (false). */
void gpv_console_use_hypercall(int on);

#endif
