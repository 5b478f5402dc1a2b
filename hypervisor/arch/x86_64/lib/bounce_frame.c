// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bounce frames and the iret hypercall (see asm/bounce_frame.h).
 */
#include <asm/bounce_frame.h>
#include <asm/canonical.h>

#include <xen/errno.h>

#define XEN_VIRT_START 0xffff800000000000ull
#define XEN_VIRT_END 0xffff880000000000ull

#define EFLAGS_TF (1ull << 8)
#define EFLAGS_IF (1ull << 9)
#define EFLAGS_IOPL (3ull << 12)
#define EFLAGS_NT (1ull << 14)
#define EFLAGS_RF (1ull << 16)
#define EFLAGS_VM (1ull << 17)
#define EFLAGS_AC (1ull << 18)

/* Where the frame's top goes, or false when the domain must crash. */
static bool frame_top(uint64_t rsp, const struct pv_vcpu_mode *v, bool failsafe, uint64_t *top)
{
	uint64_t sp = v->kernel_mode ? rsp : v->kernel_sp;

	if (failsafe) { /* load_segments: no alignment, only frame_ok() */
		*top = sp;
		return true;
	}
	sp &= ~(uint64_t)0xf;
	if (sp > XEN_VIRT_START && sp < XEN_VIRT_END + 64)
		return false;
	*top = sp;
	return true;
}

/* The frame [sp, top) is canonical, does not wrap and stays out of Xen's range. */
static bool frame_ok(uint64_t sp, uint64_t top)
{
	if (sp > top || !is_canonical_address(sp) || !is_canonical_address(top - 1))
		return false;
	return top <= XEN_VIRT_START || sp >= XEN_VIRT_END;
}

int pv_bounce_regs(struct pv_frame_regs *r, const struct pv_vcpu_mode *v,
		   const struct pv_trap_bounce *tb, struct pv_bounce_words *out)
{
	uint64_t top, sp, flags, cs = r->cs;
	unsigned int n = 0;
	uint64_t *w = out->words;

	if (!frame_top(r->rsp, v, tb->failsafe, &top))
		return -XEN_EFAULT;
	if (!tb->eip)
		return -XEN_EINVAL;
	if (v->kernel_mode)
		cs &= ~(uint64_t)3; /* tell the guest it came from kernel mode */

	flags = r->rflags & ~(EFLAGS_IF | EFLAGS_IOPL);
	if (!v->upcall_mask)
		flags |= EFLAGS_IF;
	if (v->arch_iopl)
		flags |= v->iopl & EFLAGS_IOPL;

	w[n++] = r->rcx;
	w[n++] = r->r11;
	if (tb->failsafe) {
		w[n++] = r->ds;
		w[n++] = r->es;
		w[n++] = r->fs;
		w[n++] = r->gs;
	} else if (tb->has_error_code) {
		w[n++] = tb->error_code;
	}
	w[n++] = r->rip;
	w[n++] = (cs & 0xffff) | (uint64_t)v->upcall_mask << 32;
	w[n++] = flags;
	w[n++] = r->rsp;
	w[n++] = r->ss;

	sp = top - 8ull * n;
	if (!frame_ok(sp, top))
		return -XEN_EFAULT;

	out->frame_sp = sp;
	out->nr_words = n;
	out->to_kernel_mode = !v->kernel_mode;
	out->upcall_mask = v->upcall_mask | (tb->mask_events ? 1 : 0);
	r->rflags &= ~(EFLAGS_AC | EFLAGS_VM | EFLAGS_RF | EFLAGS_NT | EFLAGS_TF);
	if (tb->failsafe)
		r->rflags &= ~EFLAGS_IOPL;
	r->ss = FLAT_KERNEL_SS;
	r->rsp = sp;
	r->cs = FLAT_KERNEL_CS;
	r->rip = tb->eip;
	return 0;
}

static void frame_regs_from(const struct cpu_user_regs *x, struct pv_frame_regs *r)
{
	r->rax = x->rax, r->rcx = x->rcx, r->r11 = x->r11, r->rip = x->rip;
	r->cs = x->cs, r->rflags = x->rflags, r->rsp = x->rsp, r->ss = x->ss;
	r->ds = x->ds, r->es = x->es, r->fs = x->fs, r->gs = x->gs;
}

static void frame_regs_to(const struct pv_frame_regs *r, struct cpu_user_regs *x)
{
	x->rax = r->rax, x->rcx = r->rcx, x->r11 = r->r11, x->rip = r->rip;
	x->cs = (uint16_t)r->cs, x->rflags = r->rflags, x->rsp = r->rsp;
	x->ss = (uint16_t)r->ss;
}

int pv_bounce_frame(const struct cpu_user_regs *regs, const struct pv_vcpu_mode *v,
		    const struct pv_trap_bounce *tb, struct pv_bounce *out)
{
	struct pv_frame_regs r;
	struct pv_bounce_words b;
	unsigned int i;
	int rc;

	frame_regs_from(regs, &r);
	rc = pv_bounce_regs(&r, v, tb, &b);
	if (rc)
		return rc;
	out->frame_sp = b.frame_sp;
	out->nr_words = b.nr_words;
	for (i = 0; i < b.nr_words; i++)
		out->words[i] = b.words[i];
	for (; i < PV_BOUNCE_MAX_WORDS; i++)
		out->words[i] = 0;
	out->regs = *regs;
	frame_regs_to(&r, &out->regs);
	out->to_kernel_mode = b.to_kernel_mode;
	out->upcall_mask = b.upcall_mask;
	return 0;
}

void pv_trap_bounce_from_trap_info(const struct trap_info *ti, bool has_error_code,
				   uint32_t error_code, struct pv_trap_bounce *tb)
{
	tb->eip = ti->address;
	tb->has_error_code = has_error_code;
	tb->error_code = has_error_code ? error_code : 0;
	tb->mask_events = TI_GET_IF(ti) != 0;
}

bool pv_softint_permitted(uint8_t dpl, bool kernel_mode)
{
	return (dpl & 3) >= (kernel_mode ? 1 : 3);
}

int pv_iret_regs(const struct pv_vcpu_mode *v, const struct iret_context *ctx,
		 struct pv_frame_regs *r, struct pv_iret_mode *mode)
{
	bool to_user = (ctx->cs & 3) == 3;

	if (to_user && !v->has_user_pt)
		return -XEN_EINVAL;

	mode->to_user_mode = to_user && v->kernel_mode;
	mode->set_iopl = v->arch_iopl;
	mode->iopl = v->arch_iopl ? (uint32_t)(ctx->rflags & EFLAGS_IOPL) : v->iopl;
	mode->via_sysret = (ctx->flags & VGCF_in_syscall) != 0;
	mode->upcall_mask = !(ctx->rflags & EFLAGS_IF);
	r->rip = ctx->rip;
	r->cs = (uint16_t)(ctx->cs | 3);
	r->rflags = (ctx->rflags & ~(EFLAGS_IOPL | EFLAGS_VM)) | EFLAGS_IF;
	r->rsp = ctx->rsp;
	r->ss = (uint16_t)(ctx->ss | 3);
	if (mode->via_sysret) {
		r->rcx = r->rip;
		r->r11 = r->rflags;
	} else {
		r->r11 = ctx->r11;
		r->rcx = ctx->rcx;
	}
	r->rax = ctx->rax;
	return 0;
}

int pv_iret(const struct cpu_user_regs *regs, const struct pv_vcpu_mode *v,
	    const struct iret_context *ctx, struct pv_iret *out)
{
	struct pv_frame_regs r;
	struct pv_iret_mode m;
	int rc;

	frame_regs_from(regs, &r);
	rc = pv_iret_regs(v, ctx, &r, &m);
	if (rc)
		return rc;
	out->regs = *regs;
	frame_regs_to(&r, &out->regs);
	out->to_user_mode = m.to_user_mode;
	out->set_iopl = m.set_iopl;
	out->iopl = m.iopl;
	out->upcall_mask = m.upcall_mask;
	out->via_sysret = m.via_sysret;
	out->rax = r.rax;
	return 0;
}
