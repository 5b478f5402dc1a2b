// SPDX-License-Identifier: GPL-2.0-only
/*
 * console_io: CONSOLEIO_write prints the guest's bytes on the console (in
 * 128-byte chunks, as Xen; a long write is preempted between chunks and
 * continued), CONSOLEIO_read returns pending serial input.
 * As Xen 4.17 with its default XSM policy (xsm_console_io), only the
 * privileged domain may use it: any other domain gets -EPERM for every
 * sub-op (a domU writes through its own console ring).
 */
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <xen/errno.h>
#include <xen/xen.h>

#define CHUNK 128

long do_console_io(const uint64_t a[HYPERCALL_NR_ARGS])
{
	uint64_t cmd = a[0], count = a[1], buf = a[2];
	const struct vcpu *v = current_vcpu();
	char tmp[CHUNK];
	uint32_t n = (uint32_t)count;

	if (!v || !v->domain->is_privileged)
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
			console_write(tmp, c);
			buf += c;
			n -= c;
		}
		return 0;
	case CONSOLEIO_read: {
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
