// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest kernel's entry points (after xen/arch/x86/pv/callback.c):
 * set_trap_table, set_callbacks and callback_op. Each copies its argument
 * in, checks it whole, then changes the vCPU.
 */
#include <asm/canonical.h>
#include <asm/layout.h>
#include <asm/pv/emul.h>
#include <asm/pv/hypercalls.h>
#include <asm/x86.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <xen/callback.h>
#include <xen/errno.h>

long do_set_trap_table(const uint64_t a[HYPERCALL_NR_ARGS])
{
	struct vcpu *v = current_vcpu();
	uint64_t p = a[0];
	struct trap_info ti;

	if (!p) {
		memset(v->arch.trap_ctxt, 0, sizeof(v->arch.trap_ctxt));
		return 0;
	}
	/* Xen applies entries one by one: a bad one stops the walk there. */
	for (unsigned int i = 0; i < 256 * 4; i++, p += sizeof(ti)) {
		if (copy_from_guest(&ti, p, sizeof(ti)))
			return -XEN_EFAULT;
		if (!ti.address)
			return 0;
		if (!is_canonical_address(ti.address))
			return -XEN_EINVAL;
		ti.cs |= 3;
		v->arch.trap_ctxt[ti.vector] = ti;
	}
	return 0;
}

/* Where a callback of @type is kept, or NULL for a type Xen does not know. */
static struct pv_callback *callback_slot(struct vcpu *v, unsigned int type)
{
	switch (type) {
	case CALLBACKTYPE_event:
		return &v->arch.event_cb;
	case CALLBACKTYPE_failsafe:
		return &v->arch.failsafe_cb;
	case CALLBACKTYPE_syscall:
		return &v->arch.syscall_cb;
	case CALLBACKTYPE_syscall32:
		return &v->arch.syscall32_cb;
	case CALLBACKTYPE_sysenter:
		return &v->arch.sysenter_cb;
	case CALLBACKTYPE_nmi:
		return &v->arch.nmi_cb;
	}
	return NULL;
}

static long register_callback(struct vcpu *v, const struct callback_register *cb)
{
	struct pv_callback *slot;

	if (!is_canonical_address(cb->address))
		return -XEN_EINVAL;
	slot = callback_slot(v, cb->type);
	if (!slot)
		return -XEN_ENOSYS;
	*slot = (struct pv_callback){ cb->address, cb->flags & CALLBACKF_mask_events };
	return 0;
}

/* As Xen: only the NMI callback can be unregistered; the others are EINVAL. */
static long unregister_callback(struct vcpu *v, const struct callback_unregister *cb)
{
	struct pv_callback *slot = callback_slot(v, cb->type);

	if (!slot)
		return -XEN_ENOSYS;
	if (cb->type != CALLBACKTYPE_nmi)
		return -XEN_EINVAL;
	*slot = (struct pv_callback){ 0 };
	return 0;
}

long do_set_callbacks(const uint64_t a[HYPERCALL_NR_ARGS])
{
	struct vcpu *v = current_vcpu();
	struct callback_register ev = { .type = CALLBACKTYPE_event, .address = a[0] };
	struct callback_register fs = { .type = CALLBACKTYPE_failsafe, .address = a[1] };
	struct callback_register sc = { .type = CALLBACKTYPE_syscall, .address = a[2] };

	register_callback(v, &ev);
	register_callback(v, &fs);
	register_callback(v, &sc);
	return 0;
}

long do_callback_op(const uint64_t a[HYPERCALL_NR_ARGS])
{
	struct vcpu *v = current_vcpu();

	switch (a[0]) {
	case CALLBACKOP_register: {
		struct callback_register cb;

		if (copy_from_guest(&cb, a[1], sizeof(cb)))
			return -XEN_EFAULT;
		return register_callback(v, &cb);
	}
	case CALLBACKOP_unregister: {
		struct callback_unregister cb;

		if (copy_from_guest(&cb, a[1], sizeof(cb)))
			return -XEN_EFAULT;
		return unregister_callback(v, &cb);
	}
	default:
		return -XEN_ENOSYS;
	}
}
