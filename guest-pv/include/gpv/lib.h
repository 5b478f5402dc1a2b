/* SPDX-License-Identifier: MIT */
/*
 * The small libc subset guest-pv kernels get: memory and string functions
 * (with their standard names, which the compiler may also emit calls to),
 * and printf-style formatting. Formatting knows %d %i %u %x %X %p %s %c %%
 * with the l/ll/z modifiers, a field width and the 0, - and # flags.
 */
#ifndef GPV_LIB_H
#define GPV_LIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
/* First occurrence of @needle in @hay, or NULL. */
char *strstr(const char *hay, const char *needle);

/* Format into @buf (at most @size bytes incl. the NUL); returns the full length. */
int gpv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int gpv_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Format and write to the console; returns the length written. */
int gpv_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define GPV_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
