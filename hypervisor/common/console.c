// SPDX-License-Identifier: GPL-2.0-only
/*
 * The console: serial output with log levels and the panic path. One lock
 * (console_lock) keeps lines from different CPUs apart.
 */
#include <stdarg.h>
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/lib.h>
#include <lamina/spinlock.h>

static enum log_level console_level = LOG_INFO;
static bool console_enabled = true;
static spinlock_t console_lock;

void console_init(void)
{
	arch_serial_init();
}

void console_set_level(enum log_level lvl)
{
	console_level = lvl;
}

void console_set_enabled(bool on)
{
	console_enabled = on;
}

static void raw_write(const char *s, size_t n)
{
	if (!console_enabled)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			arch_serial_putc('\r');
		arch_serial_putc(s[i]);
	}
}

void console_write(const char *s, size_t n)
{
	spin_lock(&console_lock);
	raw_write(s, n);
	spin_unlock(&console_lock);
}

size_t console_read(char *s, size_t n)
{
	size_t got = 0;

	while (got < n) {
		int c = arch_serial_getc();

		if (c < 0)
			break;
		s[got++] = (char)c;
	}
	return got;
}

static void vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	spin_lock(&console_lock);
	raw_write("(LAMINA) ", 9);
	raw_write(buf, n);
	if (n == 0 || buf[n - 1] != '\n')
		raw_write("\n", 1);
	/* Xen's conring: the hypervisor's lines (not the guests', without console_to_ring). */
	console_ring_put("(LAMINA) ", 9);
	console_ring_put(buf, (size_t)n);
	if (n == 0 || buf[n - 1] != '\n')
		console_ring_put("\n", 1);
	spin_unlock(&console_lock);
}

void printk(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	if (lvl > console_level)
		return;
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	char buf[256];

	console_enabled = true;
	spin_unlock(&console_lock);
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk(LOG_ERR, "PANIC: %s", buf);
	arch_machine_exit(LAMINA_EXIT_PANIC, true);
}
