// SPDX-License-Identifier: MIT
/*
 * Shared by the two-domain kernels (two-domain-dom0, two-domain-domu): the
 * command line's key=value words, waiting, and the port helpers of a
 * ping-pong over an interdomain event channel.
 */
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/time.h>

#include "two-domain.h"

long td_arg(const char *key, long def)
{
	const char *cl = (const char *)gpv_start_info->cmd_line;
	size_t kl = strlen(key);

	for (const char *p = cl; (p = strstr(p, key)) != NULL; p += kl) {
		long v = 0;
		bool neg = false;

		if ((p != cl && p[-1] != ' ') || p[kl] != '=')
			continue;
		p += kl + 1;
		if (*p == '-') {
			neg = true;
			p++;
		}
		if (*p < '0' || *p > '9')
			return def;
		while (*p >= '0' && *p <= '9')
			v = v * 10 + (*p++ - '0');
		return neg ? -v : v;
	}
	return def;
}

bool td_mode(const char *mode)
{
	const char *cl = (const char *)gpv_start_info->cmd_line;
	const char *p = strstr(cl, "mode=");
	size_t n = strlen(mode);

	return p && !strncmp(p + 5, mode, n) && (p[5 + n] == 0 || p[5 + n] == ' ');
}

bool td_port_take(evtchn_port_t port)
{
	unsigned long bit = 1UL << (port % 64);
	unsigned long old = __atomic_fetch_and(&gpv_shared_info->evtchn_pending[port / 64], ~bit,
					       __ATOMIC_SEQ_CST);

	return old & bit;
}

bool td_wait_port(evtchn_port_t port, uint64_t timeout_ns)
{
	uint64_t end = gpv_time_now() + timeout_ns;

	while (!td_port_take(port)) {
		if (gpv_time_now() >= end)
			return false;
		gpv_poll_port(port, end);
	}
	return true;
}

void td_sleep_until(uint64_t t)
{
	while (gpv_time_now() < t) {
		evtchn_port_t none = 0;
		struct sched_poll sp = { .nr_ports = 0, .timeout = t };

		set_xen_guest_handle(sp.ports, &none);
		gpv_sched_op(SCHEDOP_poll, &sp);
	}
}

/* A domU's side: binds the first of dom0's ports 1-63 left unbound for it, for up to 10 s. */
long td_bind_dom0(void)
{
	uint64_t end = gpv_time_now() + 10000 * TD_MS;

	while (gpv_time_now() < end) {
		for (evtchn_port_t p = 1; p < 64; p++) {
			long l = gpv_evtchn_bind_interdomain(0, p);

			if (l > 0)
				return l;
		}
		gpv_sched_op(SCHEDOP_yield, NULL);
	}
	return -1;
}
