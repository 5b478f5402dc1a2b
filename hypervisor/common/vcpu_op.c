// SPDX-License-Identifier: GPL-2.0-only
/*
 * vcpu_op (xen/common/domain.c do_vcpu_op and x86's arch_do_vcpu_op in
 * Xen 4.17), one row per sub-op. As on Xen the command is an int and the
 * vCPU id an unsigned int (the upper halves of the registers are ignored);
 * an id with no vCPU is -ENOENT before anything else.
 *
 *   initialise   copy in (-EFAULT), once only (-EEXIST), the context checked
 *                and its page tables typed by arch_set_info_guest (the one
 *                XEN_DOMCTL_setvcpucontext uses, -EINVAL), the kernel L4's
 *                validation preemptible: the hypercall continues from it,
 *                as Xen's; VGCF_online brings it up as well
 *   up / down    up needs a context (-EINVAL); down of the last vCPU that is
 *                up powers the domain off, as Xen; is_up answers 0 or 1
 *   timers       the one-shot ones only on the caller itself (-EINVAL);
 *                periodic: 1 ms to 2^63-1 ns (-EINVAL); a past one-shot
 *                deadline fires at once, VCPU_SSHOTTMR_future or not
 *   vcpu_info, runstate area, get_runstate_info, get_physid (a vCPU of
 *   dom0 that can run on one CPU only, else -EINVAL); anything else -ENOSYS.
 *
 * Locking: initialise, up and down run under the domain's domain_lock (as
 * Xen's), so two vCPUs racing to initialise, bring up or take down a third
 * (or each other) see each other's result: a vCPU never runs a context
 * half loaded, and the last vCPU going down is always seen as the last.
 */
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/domctl.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/mm.h>
#include <lamina/runstate.h>
#include <lamina/schedule.h>
#include <lamina/spinlock.h>
#include <lamina/timer.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

/* The running vCPU's domain wants v, the current vCPU is cur. */
struct vcpu_op_args {
	struct vcpu *v, *cur;
	uint64_t arg;
	const uint64_t *a; /* the hypercall's arguments (a continuation's) */
};

static long op_initialise(const struct vcpu_op_args *o)
{
	struct vcpu_guest_context *c = mm_alloc_heap(sizeof(*c));
	long rc = -XEN_EFAULT;

	if (!c)
		return -XEN_ENOMEM;
	if (copy_from_guest(c, o->arg, sizeof(*c)))
		goto out_free;
	spin_lock(&o->v->domain->domain_lock);
	rc = -XEN_EEXIST;
	if (!arch_vcpu_has_context(o->v))
		rc = arch_set_info_guest(o->v, c); /* down unless VGCF_online, as Xen */
	if (!rc)
		arch_vcpu_time_update(o->v);
	spin_unlock(&o->v->domain->domain_lock);
out_free:
	mm_free_heap(c, sizeof(*c));
	/* The L4's validation stopped half-way: the call goes on from it (Xen). */
	if (rc == -HYPERCALL_ERESTART)
		return hypercall_create_continuation(__HYPERVISOR_vcpu_op, o->a);
	return rc;
}

static long op_up(const struct vcpu_op_args *o)
{
	long rc = -XEN_EINVAL;

	spin_lock(&o->v->domain->domain_lock);
	if (arch_vcpu_has_context(o->v)) {
		arch_vcpu_set_down(o->v, false);
		sched_vcpu_up(o->v); /* runnable: the scheduler runs it */
		rc = 0;
	}
	spin_unlock(&o->v->domain->domain_lock);
	return rc;
}

static long op_down(const struct vcpu_op_args *o)
{
	struct domain *d = o->v->domain;
	bool others = false;

	spin_lock(&d->domain_lock);
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		others |= d->vcpu[i] != o->v && arch_vcpu_is_online(d->vcpu[i]);
	if (!others) {
		spin_unlock(&d->domain_lock);
		domain_shutdown_current(SHUTDOWN_poweroff); /* the last one: as Xen */
	}
	arch_vcpu_set_down(o->v, true);
	/* Off its CPU; one that took itself down is switched out on its way back. */
	sched_vcpu_down(o->v);
	spin_unlock(&d->domain_lock);
	return 0;
}

static long op_is_up(const struct vcpu_op_args *o)
{
	return arch_vcpu_is_online(o->v);
}

static long op_get_runstate(const struct vcpu_op_args *o)
{
	struct vcpu_runstate_info r;

	runstate_get(o->v, &r);
	return copy_to_guest(o->arg, &r, sizeof(r)) ? -XEN_EFAULT : 0;
}

static long op_set_periodic(const struct vcpu_op_args *o)
{
	struct vcpu_set_periodic_timer t;

	if (copy_from_guest(&t, o->arg, sizeof(t)))
		return -XEN_EFAULT;
	if (t.period_ns < TIMER_PERIOD_MIN_NS || t.period_ns > TIMER_PERIOD_MAX_NS)
		return -XEN_EINVAL;
	timer_set_periodic(o->v, t.period_ns);
	return 0;
}

static long op_stop_periodic(const struct vcpu_op_args *o)
{
	timer_set_periodic(o->v, 0);
	return 0;
}

static long op_set_singleshot(const struct vcpu_op_args *o)
{
	struct vcpu_set_singleshot_timer t;

	if (o->v != o->cur)
		return -XEN_EINVAL;
	if (copy_from_guest(&t, o->arg, sizeof(t)))
		return -XEN_EFAULT;
	/*
	 * Xen 4.17 as Debian ships it (the stable fix that stopped Linux's
	 * hangs) ignores VCPU_SSHOTTMR_future: a past deadline is never
	 * -ETIME, its event is raised at once (tests/guest/time.c, both).
	 */
	timer_set_singleshot(o->v, t.timeout_abs_ns);
	return 0;
}

static long op_stop_singleshot(const struct vcpu_op_args *o)
{
	if (o->v != o->cur)
		return -XEN_EINVAL;
	timer_stop_singleshot(o->v);
	return 0;
}

/*
 * register_vcpu_info: vcpu_info moves into a page of the guest's own
 * (which can then never become a page table or descriptor page); the old
 * contents come along and everything is marked pending, as Xen does, so no
 * event is lost. Only once, and only for itself or a vCPU that is down.
 */
static long op_register_vcpu_info(const struct vcpu_op_args *o)
{
	struct vcpu *v = o->v;
	struct vcpu_register_vcpu_info r;
	vcpu_info_t *n;
	struct mm_ctx c;
	int rc;

	if (copy_from_guest(&r, o->arg, sizeof(r)))
		return -XEN_EFAULT;
	if (r.offset > PAGE_SIZE - sizeof(vcpu_info_t))
		return -XEN_ENXIO; /* Xen's answer */
	if (v->vcpu_info != &v->domain->shared_info->vcpu_info[v->id])
		return -XEN_EINVAL;
	if (v != o->cur && arch_vcpu_is_online(v))
		return -XEN_EINVAL;
	/* A writable type ref for good: the page can never become a table. */
	mm_ctx_init(&c, v->domain, v->domain->id);
	spin_lock(&mm_lock);
	rc = mm_get_page_and_type(&c, r.mfn, v->domain->id, MM_PGT_WRITABLE);
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
	if (rc)
		return -XEN_EINVAL;
	n = (vcpu_info_t *)((uint8_t *)mfn_to_virt(_mfn(r.mfn)) + r.offset);
	*n = *v->vcpu_info;
	n->evtchn_upcall_pending = 1;
	n->evtchn_pending_sel = ~(xen_ulong_t)0;
	v->vcpu_info = n;
	arch_vcpu_time_update(v);
	return 0;
}

/* register_runstate_memory_area: any address a guest may name (no alignment), written now. */
static long op_register_runstate(const struct vcpu_op_args *o)
{
	struct vcpu_register_runstate_memory_area r;
	struct vcpu_runstate_info info;

	if (copy_from_guest(&r, o->arg, sizeof(r)))
		return -XEN_EFAULT;
	if (!guest_range_ok(r.addr.p, sizeof(info)))
		return -XEN_EFAULT;
	o->v->runstate_area = r.addr.p;
	if (o->v == o->cur) {
		runstate_area_update(o->v);
	} else if (r.addr.p) {
		runstate_get(o->v, &info);
		(void)copy_to_guest(r.addr.p, &info, sizeof(info)); /* a fault is dropped */
	}
	return 0;
}

static long op_get_physid(const struct vcpu_op_args *o)
{
	struct vcpu_get_physid id;
	int rc = arch_vcpu_physid(o->v, &id.phys_id);

	if (rc)
		return rc;
	return copy_to_guest(o->arg, &id, sizeof(id)) ? -XEN_EFAULT : 0;
}

typedef long (*vcpu_op_fn)(const struct vcpu_op_args *o);

static const vcpu_op_fn vcpu_ops[] = {
	[VCPUOP_initialise] = op_initialise,
	[VCPUOP_up] = op_up,
	[VCPUOP_down] = op_down,
	[VCPUOP_is_up] = op_is_up,
	[VCPUOP_get_runstate_info] = op_get_runstate,
	[VCPUOP_register_runstate_memory_area] = op_register_runstate,
	[VCPUOP_set_periodic_timer] = op_set_periodic,
	[VCPUOP_stop_periodic_timer] = op_stop_periodic,
	[VCPUOP_set_singleshot_timer] = op_set_singleshot,
	[VCPUOP_stop_singleshot_timer] = op_stop_singleshot,
	[VCPUOP_register_vcpu_info] = op_register_vcpu_info,
	[VCPUOP_get_physid] = op_get_physid,
};

long do_vcpu_op(const uint64_t a[HYPERCALL_NR_ARGS])
{
	int cmd = (int)a[0];
	unsigned int id = (unsigned int)a[1];
	struct vcpu *cur = current_vcpu();
	struct domain *d = cur->domain;
	struct vcpu_op_args o = { .cur = cur, .arg = a[2], .a = a };

	if (id >= d->max_vcpus || !d->vcpu[id])
		return -XEN_ENOENT;
	o.v = d->vcpu[id];
	if (cmd < 0 || (unsigned int)cmd >= ARRAY_SIZE(vcpu_ops) || !vcpu_ops[cmd])
		return -XEN_ENOSYS;
	return vcpu_ops[cmd](&o);
}
