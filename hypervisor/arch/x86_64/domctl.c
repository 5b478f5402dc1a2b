// SPDX-License-Identifier: GPL-2.0-only
/*
 * The x86 PV domctl sub-ops (Xen 4.17's xen/arch/x86/domctl.c and
 * arch_set_info_guest / arch_get_info_guest in xen/arch/x86/domain.c):
 *
 *   setvcpucontext   a 64-bit vcpu_guest_context for a vCPU of another
 *                    domain: every address canonical (-EINVAL), selectors
 *                    given RPL 3 (Xen fixes them up, it does not refuse
 *                    them), IOPL virtualised and IF forced on, the LDT
 *                    page-aligned; then the kernel L4 (and a user L4) and
 *                    the GDT frames take their type refs, which validate
 *                    them; the kernel L4's validation is preemptible (the
 *                    domctl, and VCPUOP_initialise, continue as Xen's). A vCPU with a context may only be given the same
 *                    tables again (-EOPNOTSUPP). A NULL context resets it.
 *   getvcpucontext   the same structure back (-ENODATA before a context)
 *   getpageframeinfo3  the type of up to 1024 frames (MFNs: PV)
 *   get/set_address_size  64 bits; Lamina has no 32-bit PV (-EINVAL)
 *
 * The LDT is named only (ldt_base, ldt_ents): its pages are mapped on the
 * first fault, as for MMUEXT_SET_LDT (pv/ldt.c). Lamina's limit: the FPU
 * state and debug registers of a context are not loaded (the vCPU starts
 * with the hypervisor's defaults, Xen's too for debug registers it refuses).
 */
#include <asm/canonical.h>
#include <asm/layout.h>
#include <asm/page_info.h>
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/pv/emul.h>
#include <asm/pv/mm.h>
#include <asm/x86.h>
#include <lamina/domain.h>
#include <lamina/domctl.h>
#include <lamina/guest_access.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/schedule.h>
#include <xen/errno.h>

#define PV_GDT_MAX_FRAMES 14
#define LDT_MAX_ENTS 8192
#define DR6_DEFAULT 0xffff0ff0ULL
#define DR7_DEFAULT 0x400ULL

bool arch_vcpu_is_online(const struct vcpu *v)
{
	return !(v->pause_flags & SCHED_VPF_DOWN); /* the scheduler's Xen VPF_down */
}

bool arch_vcpu_is_running(const struct vcpu *v)
{
	for (unsigned int i = 0; i < HV_MAX_CPUS; i++)
		if (percpu[i].online && percpu[i].curr == v)
			return true;
	return false;
}

/* Xen's __fixup_guest_selector for a 64-bit PV guest: RPL at least 3. */
static uint16_t fixup_selector(uint16_t sel)
{
	return (uint16_t)(sel | 3);
}

/* Xen's __addr_ok: the lower half, or above the hypervisor's range. */
static bool addr_ok(uint64_t va)
{
	return va < (1ULL << 47) || va >= HV_VIRT_END;
}

/* The checks Xen makes before it changes anything: 0, -EINVAL, -EOPNOTSUPP. */
static int check_context(const struct vcpu *v, const struct vcpu_guest_context *c)
{
	const uint64_t va[] = { c->user_regs.rip,
				c->user_regs.rsp,
				c->kernel_sp,
				c->fs_base,
				c->gs_base_kernel,
				c->gs_base_user,
				c->event_callback_eip,
				c->syscall_callback_eip,
				c->failsafe_callback_eip };

	for (unsigned int i = 0; i < ARRAY_SIZE(va); i++)
		if (!is_canonical_address(va[i]))
			return -XEN_EINVAL;
	for (unsigned int i = 0; i < ARRAY_SIZE(c->trap_ctxt); i++)
		if (!is_canonical_address(c->trap_ctxt[i].address))
			return -XEN_EINVAL;
	if (c->ldt_ents && !is_canonical_address(c->ldt_base))
		return -XEN_EINVAL;
	if (!addr_ok(c->ldt_base) || (c->ldt_base & (PAGE_SIZE - 1)) || c->ldt_ents > LDT_MAX_ENTS)
		return -XEN_EINVAL;
	if (v->id == 0 && (c->vm_assist & ~PV_VM_ASSIST_VALID))
		return -XEN_EINVAL;
	if ((c->gdt_ents + 511) / 512 > PV_GDT_MAX_FRAMES || c->gdt_ents > HV_GDT_FIRST_RESERVED)
		return -XEN_EINVAL;
	return 0;
}

/* An initialised vCPU may be given its own tables again, nothing else (Xen). */
static int same_tables(const struct vcpu *v, const struct vcpu_guest_context *c)
{
	const struct arch_vcpu *a = &v->arch;
	bool fail = xen_pfn_to_cr3(mfn_x(a->guest_table)) != c->ctrlreg[3];

	if (mfn_x(a->guest_table_user) == INVALID_MFN_RAW)
		fail |= c->ctrlreg[1] || !(c->flags & VGCF_in_kernel);
	else
		fail |= xen_pfn_to_cr3(mfn_x(a->guest_table_user)) != c->ctrlreg[1];
	fail |= a->gdt_ents != c->gdt_ents;
	for (unsigned int i = 0; !fail && i < a->gdt_nr_frames; i++)
		fail = a->gdt_frames[i] != c->gdt_frames[i];
	fail |= a->ldt_ents != c->ldt_ents;
	if (a->ldt_ents)
		fail |= a->ldt_base != c->ldt_base;
	return fail ? -XEN_EOPNOTSUPP : 0;
}

/*
 * The kernel L4's general and type refs, its validation preemptible as
 * Xen's get_page_type_preemptible in arch_set_info_guest: 0; -MM_ERESTART
 * (the L4 is PARTIAL, its token holds it; the call is issued again and
 * takes the token over); -EINVAL. A validation that failed half-way is
 * torn down here at once.
 */
static int get_kernel_l4(struct mm_ctx *ctx, domid_t d, uint64_t l4)
{
	int rc;

	if (!mm_get_page(l4, d))
		return -XEN_EINVAL;
	ctx->preemptible = true;
	rc = mm_get_page_type(ctx, l4, MM_PGT_L4);
	ctx->preemptible = false;
	if (rc && rc != -MM_ERESTART && ctx->left_partial)
		(void)mm_put_type_partial(ctx, l4); /* not preemptible now: it ends */
	if (rc)
		mm_put_page(ctx, l4);
	return rc;
}

/*
 * Takes the references the context's tables need, under mm_lock: the
 * kernel L4 (preemptibly), the user L4 (if any), the GDT frames. All or
 * nothing: 0, -ERESTART (nothing held but the L4's token: issue it again),
 * or -EINVAL with every reference taken here dropped again.
 */
static int take_tables(struct domain *d, const struct vcpu_guest_context *c)
{
	uint64_t l4 = xen_cr3_to_pfn(c->ctrlreg[3]), ul4 = xen_cr3_to_pfn(c->ctrlreg[1]);
	unsigned int nr = (unsigned int)((c->gdt_ents + 511) / 512), f = 0;
	bool strict = c->vm_assist & (1UL << VMASST_TYPE_m2p_strict);
	struct mm_ctx ctx;
	int rc;

	mm_ctx_init(&ctx, d, d->id);
	spin_lock(&mm_lock);
	rc = get_kernel_l4(&ctx, d->id, l4);
	if (rc)
		goto out_unlock;
	if (c->ctrlreg[1]) {
		rc = mm_get_page_and_type(&ctx, ul4, d->id, MM_PGT_L4);
		if (rc)
			goto err_put_l4;
	}
	for (; f < nr; f++) {
		rc = mm_get_page_and_type(&ctx, c->gdt_frames[f], d->id, MM_PGT_SEG_DESC);
		if (rc)
			goto err_put_gdt;
	}
	/* Xen's fill_ro_mpt / zap_ro_mpt: the RO M2P in the kernel table unless m2p_strict. */
	if (!strict)
		((uint64_t *)mfn_to_virt(_mfn(l4)))[HV_FIRST_SLOT] =
			paging_idle_l4()[HV_FIRST_SLOT];
	if (c->ctrlreg[1] && strict)
		((uint64_t *)mfn_to_virt(_mfn(ul4)))[HV_FIRST_SLOT] = 0;
	goto out_unlock;

err_put_gdt:
	while (f-- > 0)
		mm_put_page_and_type(&ctx, c->gdt_frames[f]);
	if (c->ctrlreg[1])
		mm_put_page_and_type(&ctx, ul4);
err_put_l4:
	mm_put_page_and_type(&ctx, l4);
out_unlock:
	spin_unlock(&mm_lock);
	mm_ctx_flush(&ctx);
	return rc == -MM_ERESTART ? -HYPERCALL_ERESTART : rc ? -XEN_EINVAL : 0;
}

/* The registers and the rest of the context, into v (cannot fail). */
static void load_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
	const struct cpu_user_regs *u = &c->user_regs;
	struct arch_vcpu *a = &v->arch;

	a->user_regs = (struct cpu_regs){
		.r15 = u->r15,
		.r14 = u->r14,
		.r13 = u->r13,
		.r12 = u->r12,
		.rbp = u->rbp,
		.rbx = u->rbx,
		.r11 = u->r11,
		.r10 = u->r10,
		.r9 = u->r9,
		.r8 = u->r8,
		.rax = u->rax,
		.rcx = u->rcx,
		.rdx = u->rdx,
		.rsi = u->rsi,
		.rdi = u->rdi,
		.rip = u->rip,
		.rsp = u->rsp,
		.cs = fixup_selector(u->cs),
		.ss = fixup_selector(u->ss),
		.rflags = (u->rflags & ~X86_EFLAGS_IOPL) | X86_EFLAGS_IF,
	};
	a->iopl = (unsigned int)((u->rflags & X86_EFLAGS_IOPL) >> 12);
	for (unsigned int i = 0; i < PV_NR_TRAPS; i++) {
		a->trap_ctxt[i] = c->trap_ctxt[i];
		a->trap_ctxt[i].cs = fixup_selector(c->trap_ctxt[i].cs);
	}
	a->kernel_mode = c->flags & VGCF_in_kernel;
	a->kernel_ss = fixup_selector((uint16_t)c->kernel_ss);
	a->kernel_sp = c->kernel_sp;
	a->event_cb = (struct pv_callback){ c->event_callback_eip, false };
	a->failsafe_cb = (struct pv_callback){ c->failsafe_callback_eip,
					       c->flags & VGCF_failsafe_disables_events };
	a->syscall_cb = (struct pv_callback){ c->syscall_callback_eip,
					      c->flags & VGCF_syscall_disables_events };
	a->fs_base = c->fs_base;
	a->gs_base_kernel = c->gs_base_kernel;
	a->gs_base_user = c->gs_base_user;
	a->vcr0_ts = c->ctrlreg[0] & X86_CR0_TS; /* only CR0.TS is the guest's */
	a->vcr2 = c->ctrlreg[2];
	a->vcr4 = pv_guest_cr4_bits(v, c->ctrlreg[4]); /* as Xen's pv_fixup_guest_cr4 */
	memset(a->dr, 0, sizeof(a->dr));
	a->dr6 = a->dr7 = 0;
	a->sel_ds = u->ds;
	a->sel_es = u->es;
	a->sel_fs = u->fs;
	a->sel_gs = u->gs;
	a->vgc_flags = c->flags;
	a->down = !(c->flags & VGCF_online);
	if (c->flags & VGCF_online)
		sched_vcpu_up(v); /* it runs once its domain is unpaused */
	else
		sched_vcpu_down(v);
}

/* Takes the new tables and installs them in a vCPU that had none. */
static int first_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
	int rc;

	/* Xen: a first context in user mode needs a user page table. */
	if (!(c->flags & VGCF_in_kernel) && !c->ctrlreg[1])
		return -XEN_EINVAL;
	rc = take_tables(v->domain, c);
	if (rc)
		return rc;
	v->arch.guest_table = _mfn(xen_cr3_to_pfn(c->ctrlreg[3]));
	v->arch.guest_table_user =
		_mfn(c->ctrlreg[1] ? xen_cr3_to_pfn(c->ctrlreg[1]) : INVALID_MFN_RAW);
	v->arch.gdt_nr_frames = (unsigned int)((c->gdt_ents + 511) / 512);
	v->arch.gdt_ents = c->gdt_ents;
	memcpy(v->arch.gdt_frames, c->gdt_frames, v->arch.gdt_nr_frames * sizeof(uint64_t));
	/* A vCPU without a context has no LDT page mapped: the LDT is just named. */
	v->arch.ldt_ents = (unsigned int)c->ldt_ents;
	v->arch.ldt_base = c->ldt_ents ? c->ldt_base : 0;
	if (v->id == 0)
		v->domain->vm_assist = c->vm_assist;
	v->arch.initialised = true;
	return 0;
}

/* Xen's vcpu_reset: the tables' refs go, the vCPU is down without a context. */
static void reset_vcpu(struct vcpu *v)
{
	pv_mm_vcpu_release(v); /* the tables', the GDT's and the LDT pages' refs */
	v->arch.ldt_base = 0;
	v->arch.ldt_ents = 0;
	v->arch.initialised = false;
	sched_vcpu_down(v);
	v->arch.vgc_flags = 0;
	v->arch.user_regs = (struct cpu_regs){ 0 };
}

int arch_set_info_guest(struct vcpu *v, const struct vcpu_guest_context *c)
{
	int rc = check_context(v, c);

	if (!rc)
		rc = v->arch.initialised ? same_tables(v, c) : first_context(v, c);
	if (!rc)
		load_context(v, c);
	return rc;
}

static struct vcpu *ctl_vcpu(struct domain *d, uint32_t id)
{
	if (id >= d->max_vcpus || d->vcpus_hidden)
		return NULL;
	return d->vcpu[id];
}

long arch_domctl_setvcpucontext(struct xen_domctl *op, struct domain *d, uint64_t uop,
				bool *copyback)
{
	struct vcpu *v = ctl_vcpu(d, op->u.vcpucontext.vcpu);
	uint64_t src = (uint64_t)op->u.vcpucontext.ctxt.p;
	struct vcpu_guest_context *c;
	int rc;

	(void)copyback;
	if (d == current_vcpu()->domain || !v)
		return -XEN_EINVAL;
	if (!src) {
		reset_vcpu(v);
		return 0;
	}
	c = mm_alloc_heap(sizeof(*c));
	if (!c)
		return -XEN_ENOMEM;
	rc = copy_from_guest(c, src, sizeof(*c)) ? -XEN_EFAULT : arch_set_info_guest(v, c);
	mm_free_heap(c, sizeof(*c));
	if (rc == -HYPERCALL_ERESTART) { /* the L4 is half validated: as Xen, go on from it */
		uint64_t a[HYPERCALL_NR_ARGS] = { uop };

		return hypercall_create_continuation(__HYPERVISOR_domctl, a);
	}
	return rc;
}

static void save_context(const struct vcpu *v, struct vcpu_guest_context *c)
{
	const struct arch_vcpu *a = &v->arch;
	const struct cpu_regs *r = &a->user_regs;
	struct cpu_user_regs *u = &c->user_regs;

	c->flags = a->vgc_flags & ~(uint64_t)(VGCF_i387_valid | VGCF_in_kernel);
	if (arch_vcpu_is_online(v))
		c->flags |= VGCF_online;
	if (a->kernel_mode) /* Xen's guest_kernel_mode(): the mode, not the flag it was given */
		c->flags |= VGCF_in_kernel;
	u->r15 = r->r15, u->r14 = r->r14, u->r13 = r->r13, u->r12 = r->r12, u->rbp = r->rbp;
	u->rbx = r->rbx, u->r11 = r->r11, u->r10 = r->r10, u->r9 = r->r9, u->r8 = r->r8;
	u->rax = r->rax, u->rcx = r->rcx, u->rdx = r->rdx, u->rsi = r->rsi, u->rdi = r->rdi;
	u->rip = r->rip, u->cs = (uint16_t)r->cs, u->rsp = r->rsp, u->ss = (uint16_t)r->ss;
	u->ds = a->sel_ds, u->es = a->sel_es, u->fs = a->sel_fs, u->gs = a->sel_gs;
	u->rflags = r->rflags | (uint64_t)a->iopl << 12;
	memcpy(c->trap_ctxt, a->trap_ctxt, sizeof(c->trap_ctxt));
	memcpy(c->debugreg, a->dr, sizeof(a->dr));
	c->debugreg[6] = a->dr6 ? a->dr6 : DR6_DEFAULT;
	c->debugreg[7] = a->dr7 | DR7_DEFAULT;
	memcpy(c->gdt_frames, a->gdt_frames, sizeof(c->gdt_frames));
	c->ldt_base = a->ldt_ents ? a->ldt_base : 0;
	c->ldt_ents = a->ldt_ents;
	c->gdt_ents = a->gdt_ents;
	c->kernel_ss = a->kernel_ss;
	c->kernel_sp = a->kernel_sp;
	c->ctrlreg[0] = a->vcr0_ts | (read_cr0() & ~X86_CR0_TS);
	c->ctrlreg[1] = mfn_x(a->guest_table_user) == INVALID_MFN_RAW
				? 0
				: xen_pfn_to_cr3(mfn_x(a->guest_table_user));
	c->ctrlreg[2] = a->vcr2;
	c->ctrlreg[3] = xen_pfn_to_cr3(mfn_x(a->guest_table));
	c->ctrlreg[4] = pv_guest_cr4(v);
	c->event_callback_eip = a->event_cb.eip;
	c->failsafe_callback_eip = a->failsafe_cb.eip;
	c->syscall_callback_eip = a->syscall_cb.eip;
	c->fs_base = a->fs_base;
	c->gs_base_kernel = a->gs_base_kernel;
	c->gs_base_user = a->gs_base_user;
	c->vm_assist = v->domain->vm_assist;
}

long arch_domctl_getvcpucontext(struct xen_domctl *op, struct domain *d, uint64_t uop,
				bool *copyback)
{
	struct vcpu *v = ctl_vcpu(d, op->u.vcpucontext.vcpu);
	struct vcpu_guest_context *c;
	int rc;

	(void)uop;
	if (!v || v == current_vcpu())
		return -XEN_EINVAL;
	if (!v->arch.initialised)
		return -XEN_ENODATA;
	c = mm_alloc_heap(sizeof(*c));
	if (!c)
		return -XEN_ENOMEM;
	save_context(v, c);
	rc = copy_to_guest((uint64_t)op->u.vcpucontext.ctxt.p, c, sizeof(*c)) ? -XEN_EFAULT : 0;
	mm_free_heap(c, sizeof(*c));
	*copyback = true;
	return rc;
}
