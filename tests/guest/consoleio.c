// SPDX-License-Identifier: MIT
/*
 * consoleio: CONSOLEIO_write is preemptible, as Xen 4.17's
 * guest_console_write: between chunks, when an event waits for delivery,
 * the hypercall is continued - the event is delivered with the frame's rip
 * on the hypercall's SYSCALL (which the return re-executes with the
 * remaining count and buffer) and the write then completes. Made
 * deterministic by unmasking events with a plain store right before the
 * SYSCALL, with an event already pending: only a preemption can deliver it
 * before the write returns.
 */
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/traps.h>
#include <gpv/test.h>

long t_cio_write(unsigned int count, const char *buf, uint8_t *mask);
extern char t_cio_syscall[], t_cio_after[];

static char text[1024];
static unsigned int upcalls;
static unsigned long upcall_rip;

/* Record the upcall; return with events masked (the event stays pending). */
static int on_event(struct gpv_regs *r)
{
	upcalls++;
	upcall_rip = r->rip;
	r->rflags &= ~0x200UL;
	return 0;
}

int gpv_main(void)
{
	struct vcpu_info *vi = gpv_vcpu_info();
	long a, b, rc;
	size_t i;

	gpv_test_area("consoleio: preemption");
	for (i = 0; i + 1 < sizeof(text); i++)
		text[i] = (char)(i % 64 == 63 ? '\n' : 'A' + i % 26);
	a = gpv_evtchn_alloc_unbound(DOMID_SELF);
	b = a > 0 ? gpv_evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a) : -1;
	if (!gpv_test_checkf(b > 0, "a loopback event channel", "rc %ld/%ld", a, b))
		return gpv_test_finish();
	gpv_events_mask(1);
	gpv_trap_set_hook(GPV_VEC_EVENT, on_event);
	gpv_test_eq(gpv_evtchn_send((evtchn_port_t)b), 0, "send with events masked");
	gpv_test_eq(vi->evtchn_upcall_pending, 1, "the upcall is pending");
	rc = t_cio_write(sizeof(text) - 1, text, &vi->evtchn_upcall_mask);
	gpv_test_eq(rc, 0, "a 1023-byte write issued with the event pending returns 0");
	gpv_test_eq(upcalls, 1, "the event was delivered once");
	gpv_test_eq((long)upcall_rip, (long)t_cio_syscall,
		    "during the write: its frame's rip is the hypercall's SYSCALL");
	gpv_test_info("upcall rip %lx (syscall at %lx, after it %lx)", upcall_rip,
		      (unsigned long)t_cio_syscall, (unsigned long)t_cio_after);
	gpv_trap_set_hook(GPV_VEC_EVENT, NULL);
	gpv_evtchn_close((evtchn_port_t)b);
	gpv_evtchn_close((evtchn_port_t)a);
	return gpv_test_finish();
}
