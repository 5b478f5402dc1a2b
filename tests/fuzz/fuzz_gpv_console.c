// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: guest-pv's console ring writer (guest-pv/arch/
 * console.c, built for the host) against a console backend that is the
 * fuzzer. On every kick and every yield the backend does what the next
 * input byte says: consume some bytes honestly, move out_cons anywhere (a
 * lie), or nothing (dead for a while). Writes of input-chosen lengths, some
 * flushes, switches to the hypercall and back. Checked: no memory error or
 * undefined behaviour, no hang, and while the backend has not lied and the
 * writer has not given up on a dead one, what the backend read is exactly
 * what was written, in order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gpv/console.h>
#include <gpv/gpv.h>
#include <gpv/time.h>
#include <xen/io/console.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

start_info_t *gpv_start_info;
shared_info_t *gpv_shared_info;
static start_info_t fake_si;
static uint64_t fake_now;
static struct xencons_interface *ring;
static const uint8_t *in;
static size_t in_len, in_off;
static char written[1 << 16], seen[1 << 16];
static size_t nwritten, nseen;
static bool lied, gave_up, overflow;
static unsigned long yields_this_write;

static unsigned int next_byte(void)
{
	return in_off < in_len ? in[in_off++] : 0xff;
}

bool gpv_is_dom0(void)
{
	return false;
}

uint64_t gpv_time_now(void)
{
	return fake_now;
}

static void backend(void)
{
	unsigned int op = next_byte(), n;

	switch (op % 4) {
	case 0:
	case 3: /* consume up to n bytes (all of it once the input is used up) */
		n = op == 0xff ? ~0u : op >> 2;
		while (n-- && ring->out_cons != ring->out_prod &&
		       ring->out_prod - ring->out_cons <= sizeof(ring->out)) {
			if (nseen < sizeof(seen))
				seen[nseen++] =
					ring->out[MASK_XENCONS_IDX(ring->out_cons, ring->out)];
			ring->out_cons++;
		}
		break;
	case 1: /* a lie */
		ring->out_cons = ring->out_prod + (op >> 2) * 1000 + 1;
		lied = true;
		break;
	default: /* nothing this time */
		break;
	}
}

long gpv_hcall(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
	       unsigned long a4, unsigned long a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	if (nr == __HYPERVISOR_update_va_mapping) {
		ring = (struct xencons_interface *)a1;
		return 0;
	}
	if (nr == __HYPERVISOR_console_io)
		return 0;
	if (nr == __HYPERVISOR_sched_op && a1 == SCHEDOP_yield) {
		fake_now += 1000;
		if (++yields_this_write > 99999)
			gave_up = true;
		backend();
		return 0;
	}
	if (nr == __HYPERVISOR_event_channel_op && a1 == EVTCHNOP_send) {
		backend();
		return 0;
	}
	return -XEN_ENOSYS;
}

static void write_some(void)
{
	static char buf[5000];
	size_t len = (next_byte() * 23) % sizeof(buf), i;

	for (i = 0; i < len; i++)
		buf[i] = (char)('a' + (nwritten + i) % 26);
	yields_this_write = 0;
	gpv_console_write(buf, len);
	if (nwritten + len > sizeof(written)) {
		overflow = true; /* no room to remember it: stop checking */
		return;
	}
	memcpy(written + nwritten, buf, len);
	nwritten += len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int op;

	if (!gpv_start_info) {
		fake_si.console.domU.mfn = 1;
		fake_si.console.domU.evtchn = 2;
		gpv_start_info = &fake_si;
		gpv_console_init();
		if (!ring)
			abort();
	}
	memset(ring, 0, sizeof(*ring));
	gpv_console_use_hypercall(0);
	in = data;
	in_len = size;
	in_off = nwritten = nseen = 0;
	lied = gave_up = overflow = false;
	while (in_off < in_len) {
		op = next_byte();
		if (op % 8 == 7)
			gpv_console_flush();
		else if (op % 8 == 6)
			gpv_console_use_hypercall(op & 8);
		else
			write_some();
		if (op % 8 == 6 && (op & 8))
			break; /* what follows would not reach the ring */
	}
	gpv_console_flush();
	if (!lied && !gave_up && !overflow && (nseen > nwritten || memcmp(seen, written, nseen)))
		abort();
	return 0;
}
