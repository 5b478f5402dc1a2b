/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypervisor's small libc: memory and string helpers and snprintf. */
#ifndef LAMINA_LIB_H
#define LAMINA_LIB_H

#include <stdarg.h>
#include <lamina/types.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
/* Copies at most size-1 bytes and always NUL-terminates (size > 0). */
size_t strlcpy(char *dst, const char *src, size_t size);
/* Parses an unsigned number (0x hex or decimal); *end points after it. */
uint64_t lib_strtoull(const char *s, const char **end);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
