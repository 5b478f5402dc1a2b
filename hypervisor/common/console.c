// SPDX-License-Identifier: GPL-2.0-only
/*
 * The console: serial output with log levels and the panic path. One lock
 * (console_lock) keeps lines from different CPUs apart.
 *
 * VIRQ_CON_RING (Xen's notify_dom0_con_ring tasklet): text added to the
 * console ring is announced to the hardware domain once it has bound the
 * VIRQ. Never from printk itself, whose caller may hold any lock (an event
 * channel's among them): printk arms ring_timer for "now", and the send
 * runs from timer_softirq with no lock held, one send for however many
 * lines came meanwhile. Arming takes CPU 0's timer queue lock, the
 * innermost lock, under which nothing prints.
 */
#include <stdarg.h>
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/event.h>
#include <lamina/lib.h>
#include <lamina/spinlock.h>
#include <lamina/timer.h>
#include <xen/xen.h>

static enum log_level console_level = LOG_INFO;
static bool console_enabled = true;
static spinlock_t console_lock;

/* Set by panic(): its lines must not arm a timer (the panic may come from
 * inside the timer code, holding the queue lock arming takes). */
static bool panicking;

static void ring_notify(void *data);
static struct timer ring_timer = { .fn = ring_notify };

/* The deferred half: VIRQ_CON_RING to the hardware domain (no lock held). */
static void ring_notify(void *data)
{
	struct domain *d = hardware_domain;

	(void)data;
	if (d)
		evtchn_send_virq(d, VIRQ_CON_RING);
}

/* New text in the ring: have ring_notify run, if anyone listens. */
static void ring_news(void)
{
	struct domain *d = hardware_domain;

	if (panicking || !d ||
	    !__atomic_load_n(&d->events.virq_port[0][VIRQ_CON_RING], __ATOMIC_ACQUIRE))
		return;
	if (!timer_is_active(&ring_timer))
		timer_set(&ring_timer, 0);
}

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
	ring_news();
	spin_unlock(&console_lock);
}

void console_ring_guest(const char *s, size_t n)
{
	spin_lock(&console_lock);
	console_ring_put(s, n);
	ring_news();
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

	panicking = true;
	console_enabled = true;
	spin_unlock(&console_lock);
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk(LOG_ERR, "PANIC: %s", buf);
	arch_machine_exit(LAMINA_EXIT_PANIC, true);
}
