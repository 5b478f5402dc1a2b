/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor console: COM1 output with Xen-like log levels. printk()
 * prefixes each line with "(LAMINA) "; guest output (console_io) is written
 * as it comes. Messages above the loglvl= threshold are dropped.
 */
#ifndef LAMINA_CONSOLE_H
#define LAMINA_CONSOLE_H

#include <lamina/types.h>

enum log_level { LOG_ERR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

void console_init(void);
/* Sets the threshold: messages with level <= lvl are printed. */
void console_set_level(enum log_level lvl);
/* Switches the serial console on or off (console=com1 / console=none). */
void console_set_enabled(bool on);
void printk(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes raw bytes (guest console output) to the console. */
void console_write(const char *s, size_t n);
/* Copies a printk line into the ring readconsole reads (common/sysctl_readconsole.c). */
void console_ring_put(const char *s, size_t n);
/* The hardware domain's console_io bytes, into the ring as well under console_to_ring. */
void console_ring_guest(const char *s, size_t n);
/* Reads up to n bytes of pending console input; returns how many. */
size_t console_read(char *s, size_t n);

/* Prints the message and ends the machine (exit code LAMINA_EXIT_PANIC). */
void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#define ASSERT(c)                                                                   \
	do {                                                                        \
		if (!(c))                                                           \
			panic("ASSERT %s failed at %s:%d", #c, __FILE__, __LINE__); \
	} while (0)

#endif
