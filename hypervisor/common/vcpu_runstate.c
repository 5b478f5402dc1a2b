// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runstate accounting (lamina/runstate.h), as Xen's: v->runstate holds the
 * state, when it was entered and the ns spent in each state before that.
 * The guest's registered copy is written with Xen's update protocol when
 * the domain enabled VMASST_TYPE_runstate_update_flag: XEN_RUNSTATE_UPDATE
 * set in state_entry_time first, the record, then the bit cleared, so a
 * reader on another vCPU can tell a torn read. A write that faults is
 * dropped, as on Xen (the area is only a guest virtual address).
 */
#include <lamina/arch.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/runstate.h>
#include <xen/xen.h>

void runstate_init(struct vcpu *v)
{
	v->runstate = (struct vcpu_runstate_info){ .state = RUNSTATE_offline,
						   .state_entry_time = arch_now_ns() };
}

void runstate_change(struct vcpu *v, int state, uint64_t now)
{
	struct vcpu_runstate_info *r = &v->runstate;

	if (r->state == state)
		return;
	if (now > r->state_entry_time && r->state >= 0 && r->state <= RUNSTATE_offline)
		r->time[r->state] += now - r->state_entry_time;
	r->state = state;
	r->state_entry_time = now;
	if (v == current_vcpu())
		runstate_area_update(v);
}

void runstate_get(const struct vcpu *v, struct vcpu_runstate_info *out)
{
	uint64_t now = arch_now_ns();

	*out = v->runstate;
	if (now > out->state_entry_time && out->state >= 0 && out->state <= RUNSTATE_offline)
		out->time[out->state] += now - out->state_entry_time;
}

void runstate_area_update(struct vcpu *v)
{
	uint64_t va = v->runstate_area,
		 entry = offsetof(struct vcpu_runstate_info, state_entry_time);
	struct vcpu_runstate_info r = v->runstate;
	uint64_t done = r.state_entry_time;
	bool protocol = v->domain->vm_assist & (1UL << VMASST_TYPE_runstate_update_flag);

	if (!va)
		return;
	if (protocol) {
		r.state_entry_time |= XEN_RUNSTATE_UPDATE;
		(void)copy_to_guest(va + entry, &r.state_entry_time, sizeof(r.state_entry_time));
		__atomic_thread_fence(__ATOMIC_RELEASE);
	}
	(void)copy_to_guest(va, &r, sizeof(r));
	if (protocol) {
		__atomic_thread_fence(__ATOMIC_RELEASE);
		(void)copy_to_guest(va + entry, &done, sizeof(done));
	}
}
