// SPDX-License-Identifier: GPL-2.0-only
/*
 * console_io: CONSOLEIO_write prints the guest's bytes on the console (in
 * 128-byte chunks, as Xen; a long write is preempted between chunks and
 * continued), CONSOLEIO_read returns pending serial input.
 * As Xen 4.17 with its default XSM policy (xsm_console_io), only the
 * privileged domain and a domain with is_console (Lamina's boot-time
 * domUs) may use it: any other domain gets -EPERM for every sub-op (a
 * domU writes through its own console ring). As Xen's guest_console_write,
 * another domain's output is gathered into lines, each printed as
 * "(dN) line" (a line longer than the buffer is cut into several) by one
 * console_write, so that no other CPU's output lands inside it (Xen prints
 * the line with one guest_printk); the partial lines are kept under
 * lines_lock (Xen's per-domain pbuf_lock), as two vCPUs may write at once.
 * CONSOLEIO_read stays the privileged domain's (Xen lets is_console read
 * too; Lamina keeps dom0's serial input from a domU). With console_to_ring
 * the hardware domain's bytes go into the console ring too (as Xen).
 */
#include <lamina/boot.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/spinlock.h>
#include <xen/errno.h>
#include <xen/xen.h>

#define CHUNK 128

static spinlock_t lines_lock;

/* The line as one write: console_lock keeps it whole against other CPUs. */
static void flush_line(struct domain *d)
{
	char line[16 + sizeof(d->cons_buf) + 1];
	int n = snprintf(line, 16, "(d%u) ", d->id);

	memcpy(line + n, d->cons_buf, d->cons_len);
	n += (int)d->cons_len;
	line[n++] = '\n';
	console_write(line, (size_t)n);
	d->cons_len = 0;
}

/* The hardware domain's bytes go out as they are; another's by lines. */
static void guest_write(struct domain *d, const char *s, uint32_t n)
{
	if (d->is_privileged) {
		console_write(s, n);
		if (boot_opts.console_to_ring)
			console_ring_guest(s, n);
		return;
	}
	spin_lock(&lines_lock);
	for (uint32_t i = 0; i < n; i++) {
		if (s[i] == '\n') {
			flush_line(d);
			continue;
		}
		if (s[i] == '\r')
			continue;
		d->cons_buf[d->cons_len++] = s[i];
		if (d->cons_len == sizeof(d->cons_buf))
			flush_line(d);
	}
	spin_unlock(&lines_lock);
}

long do_console_io(const uint64_t a[HYPERCALL_NR_ARGS])
{
	uint64_t cmd = a[0], count = a[1], buf = a[2];
	struct vcpu *v = current_vcpu();
	char tmp[CHUNK];
	uint32_t n = (uint32_t)count;

	if (!v || !(v->domain->is_privileged || v->domain->is_console))
		return -XEN_EPERM;
	switch (cmd) {
	case CONSOLEIO_write:
		for (bool first = true; n; first = false) {
			uint32_t c = n < CHUNK ? n : CHUNK;

			/* As Xen: after a chunk, a long write yields and continues where it is. */
			if (!first && hypercall_preempt_check()) {
				const uint64_t rest[HYPERCALL_NR_ARGS] = { CONSOLEIO_write, n,
									   buf };

				return hypercall_create_continuation(__HYPERVISOR_console_io, rest);
			}
			if (copy_from_guest(tmp, buf, c))
				return -XEN_EFAULT;
			guest_write(v->domain, tmp, c);
			buf += c;
			n -= c;
		}
		return 0;
	case CONSOLEIO_read: {
		/* Stricter than Xen: the serial input stays the hardware domain's. */
		if (!v->domain->is_privileged)
			return -XEN_EPERM;
		/* As Xen: a count the int return value could not carry is -E2BIG. */
		if (n > INT32_MAX)
			return -XEN_E2BIG;
		uint32_t done = 0;

		while (done < n) {
			uint32_t want = n - done < CHUNK ? n - done : CHUNK;
			size_t got = console_read(tmp, want);

			if (!got)
				break;
			if (copy_to_guest(buf + done, tmp, got))
				return -XEN_EFAULT;
			done += got;
		}
		return done;
	}
	default:
		return -XEN_ENOSYS;
	}
}
