// SPDX-License-Identifier: GPL-2.0-only
/*
 * A dom0 that moves its vcpu_info into a page of its own
 * (VCPUOP_register_vcpu_info) and registers a runstate area, as Linux does
 * at boot: the refusals first, then the move (contents kept, everything
 * marked pending), events landing at the new place, and the runstate.
 */
#include <gpv/evtchn.h>
#include <gpv/gpv.h>
#include <gpv/mm.h>
#include <gpv/page.h>
#include <gpv/test.h>

static struct vcpu_runstate_info runstate;

static long reg(unsigned long mfn, unsigned int offset)
{
	struct vcpu_register_vcpu_info r = { .mfn = mfn, .offset = offset };

	return gpv_vcpu_op(VCPUOP_register_vcpu_info, 0, &r);
}

int gpv_main(void)
{
	uint8_t *page = gpv_page_alloc();
	unsigned long mfn = gpv_virt_to_mfn(page);
	struct vcpu_info *old = &gpv_shared_info->vcpu_info[0], *n = (void *)(page + 128);
	struct vcpu_register_runstate_memory_area ra;
	uint8_t mask = old->evtchn_upcall_mask;
	long a, b;
	struct evtchn_send s;

	gpv_test_area("vcpu_info");
	gpv_test_eq(reg(mfn, 4096 - 32), -XEN_ENXIO,
		    "an offset that does not fit = -ENXIO (as Xen)");
	gpv_test_eq(reg(gpv_virt_to_mfn((void *)gpv_start_info->pt_base), 0), -XEN_EINVAL,
		    "a page-table frame = -EINVAL");
	gpv_test_eq(reg(mfn, 128), 0, "register vcpu_info at offset 128 of a page");
	gpv_test_eq(n->evtchn_upcall_mask, mask, "the upcall mask came along");
	gpv_test_eq(n->evtchn_upcall_pending, 1, "everything is marked pending");
	gpv_test_eq(reg(mfn, 256), -XEN_EINVAL, "a second registration = -EINVAL");

	/* An event now lands at the new place only. */
	n->evtchn_upcall_mask = 1;
	n->evtchn_upcall_pending = 0;
	n->evtchn_pending_sel = 0;
	old->evtchn_upcall_pending = 0;
	a = gpv_evtchn_alloc_unbound(DOMID_SELF);
	b = a > 0 ? gpv_evtchn_bind_interdomain(DOMID_SELF, (evtchn_port_t)a) : -1;
	gpv_test_check(a > 0 && b > 0, "a loopback event channel");
	n->evtchn_upcall_pending = 0;
	n->evtchn_pending_sel = 0;
	gpv_shared_info->evtchn_pending[0] = 0;
	s.port = (evtchn_port_t)b;
	gpv_test_eq(gpv_event_channel_op(EVTCHNOP_send, &s), 0, "send");
	gpv_test_eq(n->evtchn_upcall_pending, 1, "the upcall is pending in the new vcpu_info");
	gpv_test_eq(old->evtchn_upcall_pending, 0, "and not in the old one");

	gpv_test_area("runstate");
	ra.addr.v = &runstate;
	runstate.state = -1;
	gpv_test_eq(gpv_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &ra), 0,
		    "register a runstate area");
	gpv_test_eq(runstate.state, RUNSTATE_running, "it says running");
	ra.addr.p = 0x00007f0000000000UL;
	gpv_test_eq(gpv_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &ra), 0,
		    "an unmapped area is accepted (the write is dropped, as Xen)");
	ra.addr.p = 0xffff800000000000UL;
	gpv_test_eq(gpv_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &ra), -XEN_EFAULT,
		    "an area in the hypervisor's range = -EFAULT");
	return gpv_test_finish();
}
