// SPDX-License-Identifier: MIT
/*
 * The console. The initial domain writes with CONSOLEIO_write (its output
 * goes to the hypervisor's serial line). Other domains write into the
 * console ring (xencons_interface at start_info.console.domU.mfn) and kick
 * its event channel; when the ring is full the writer notifies and yields
 * until the backend has consumed, giving up after a bounded number of
 * tries so a dead backend cannot hang the kernel; a backend whose out_cons
 * runs past out_prod is not trusted again. Before shutdown the
 * ring is flushed: the kernel waits (at most 1 s) for the backend to
 * consume everything, so the last lines are not lost.
 */
#include <gpv/gpv.h>
#include <gpv/time.h>
#include <xen/io/console.h>

static struct xencons_interface *cons_ring;
static evtchn_port_t cons_port;
static int use_hypercall = 1;

/* The page the console ring is mapped at. */
static char cons_page[4096] __attribute__((aligned(4096)));

static void ring_map(void)
{
	uint64_t mfn = gpv_start_info->console.domU.mfn;

	if (gpv_update_va_mapping((unsigned long)cons_page, (mfn << 12) | 7, UVMF_INVLPG) == 0)
		cons_ring = (struct xencons_interface *)cons_page;
	cons_port = gpv_start_info->console.domU.evtchn;
}

void gpv_console_init(void)
{
	if (!gpv_is_dom0()) {
		ring_map();
		use_hypercall = cons_ring == NULL;
	}
}

void gpv_console_use_hypercall(int on)
{
	use_hypercall = on || cons_ring == NULL;
}

static void ring_kick(void)
{
	struct evtchn_send send = { .port = cons_port };

	gpv_event_channel_op(EVTCHNOP_send, &send);
}

static void ring_write(const char *buf, size_t len)
{
	struct xencons_interface *r = cons_ring;
	int tries = 0;

	while (len) {
		XENCONS_RING_IDX cons = __atomic_load_n(&r->out_cons, __ATOMIC_ACQUIRE);
		XENCONS_RING_IDX prod = r->out_prod;

		if (prod - cons > sizeof(r->out)) {
			/* The backend moved out_cons past out_prod: stop using the
			 * ring rather than trust it (output goes to console_io,
			 * which Xen drops for an unprivileged domain). */
			use_hypercall = 1;
			gpv_console_io(CONSOLEIO_write, (unsigned int)len, (void *)buf);
			return;
		}
		if (prod - cons == sizeof(r->out)) {
			ring_kick();
			gpv_sched_op(SCHEDOP_yield, NULL);
			if (++tries > 100000)
				return;
			continue;
		}
		r->out[prod % sizeof(r->out)] = *buf++;
		len--;
		__atomic_store_n(&r->out_prod, prod + 1, __ATOMIC_RELEASE);
	}
	ring_kick();
}

void gpv_console_flush(void)
{
	uint64_t deadline = gpv_time_now() + 1000000000ULL;

	if (use_hypercall || !cons_ring)
		return;
	while (__atomic_load_n(&cons_ring->out_cons, __ATOMIC_ACQUIRE) != cons_ring->out_prod &&
	       cons_ring->out_prod - cons_ring->out_cons <= sizeof(cons_ring->out) &&
	       gpv_time_now() < deadline) {
		ring_kick();
		gpv_sched_op(SCHEDOP_yield, NULL);
	}
}

void gpv_console_write(const char *buf, size_t len)
{
	if (use_hypercall)
		gpv_console_io(CONSOLEIO_write, (unsigned int)len, (void *)buf);
	else
		ring_write(buf, len);
}
