// SPDX-License-Identifier: MIT
/*
 * conring: VIRQ_CON_RING, booted with console_to_ring on both hypervisors
 * (Xen 4.17 puts the hardware domain's console_io output into its console
 * ring only then; every printk line goes there always). dom0 binds the VIRQ,
 * notes where the ring ends (XEN_SYSCTL_readconsole), writes a marker with
 * console_io and must get the VIRQ (Xen sends it from a tasklet after the
 * ring grew) and find the marker in the ring read from that index. Once the
 * port is closed, writes go on without it.
 */
#include "domctl-lib.h"
#include <gpv/evtchn.h>
#include <gpv/hypercalls.h>
#include <gpv/test.h>
#include <gpv/time.h>

#define MARKER "conring-marker-4217"
#define WAIT_NS 2000000000ULL

static char cbuf[16384];
static volatile unsigned long hits;

static void on_virq(evtchn_port_t port, void *data)
{
	(void)port;
	(void)data;
	hits++;
}

/* readconsole into cbuf from *index (incremental) or the oldest byte: rc; the count in *count. */
static long readcons(bool incremental, uint32_t *index, uint32_t *count)
{
	struct xen_sysctl op;
	long rc;

	dc_sinit(&op, XEN_SYSCTL_readconsole);
	set_xen_guest_handle(op.u.readconsole.buffer, cbuf);
	op.u.readconsole.count = sizeof(cbuf) - 1;
	op.u.readconsole.incremental = incremental;
	op.u.readconsole.index = *index;
	rc = dc_sysctl(&op);
	*count = op.u.readconsole.count;
	*index = op.u.readconsole.index;
	cbuf[*count < sizeof(cbuf) ? *count : sizeof(cbuf) - 1] = 0;
	return rc;
}

/* Waits (yielding) up to WAIT_NS for hits to pass @before: whether it did. */
static bool wait_hit(unsigned long before)
{
	uint64_t end = gpv_time_now() + WAIT_NS;

	while (hits == before && gpv_time_now() < end)
		gpv_sched_op(SCHEDOP_yield, NULL);
	return hits != before;
}

/* The ring's end: read from the oldest byte until a read comes back short. */
static uint32_t ring_end(void)
{
	uint32_t index = 0, count = 0;

	readcons(false, &index, &count);
	while (count == sizeof(cbuf) - 1)
		readcons(true, &index, &count);
	return index;
}

int gpv_main(void)
{
	uint32_t index, count = 0;
	unsigned long before;
	long port;

	gpv_test_area("VIRQ_CON_RING");
	port = gpv_evtchn_bind_virq(VIRQ_CON_RING);
	if (!gpv_test_checkf(port > 0, "bind VIRQ_CON_RING", "rc %ld", port))
		return gpv_test_finish();
	gpv_test_eq(gpv_evtchn_bind_virq(VIRQ_CON_RING), -XEN_EEXIST, "a second bind = -EEXIST");
	gpv_evtchn_set_handler((evtchn_port_t)port, on_virq, NULL);
	gpv_evtchn_unmask((evtchn_port_t)port);
	gpv_events_mask(0);
	/* Our own PASS lines go to the ring too: let their VIRQs pass first. */
	wait_hit(hits);
	index = ring_end();
	before = hits;
	gpv_test_eq(gpv_console_io(CONSOLEIO_write, sizeof(MARKER "\n") - 1, MARKER "\n"), 0,
		    "console_io write of the marker");
	gpv_test_check(wait_hit(before), "VIRQ_CON_RING came after the write");
	gpv_test_eq(readcons(true, &index, &count), 0, "readconsole from the index before it");
	gpv_test_checkf(strstr(cbuf, MARKER) != NULL, "the ring holds the marker after that index",
			"%u bytes", count);
	gpv_test_eq(gpv_evtchn_close((evtchn_port_t)port), 0, "close the VIRQ's port");
	before = hits;
	gpv_test_eq(gpv_console_io(CONSOLEIO_write, sizeof(MARKER "\n") - 1, MARKER "\n"), 0,
		    "a write with the VIRQ unbound");
	gpv_test_check(!wait_hit(before), "no upcall for the closed port");
	gpv_events_mask(1);
	return gpv_test_finish();
}
