// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bounce frames and the iret hypercall (see pv/bounce_frame.h).
 */
#include "pv/bounce_frame.h"

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

static bool canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

/* Where the frame's top goes, or false when the domain must crash. */
static bool frame_top(const struct cpu_user_regs *regs, const struct pv_vcpu_mode *v, bool failsafe,
		      uint64_t *top)
{
	uint64_t sp = v->kernel_mode ? regs->rsp : v->kernel_sp;

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
	if (sp > top || !canonical(sp) || !canonical(top - 1))
		return false;
	return top <= XEN_VIRT_START || sp >= XEN_VIRT_END;
}

int pv_bounce_frame(const struct cpu_user_regs *regs, const struct pv_vcpu_mode *v,
		    const struct pv_trap_bounce *tb, struct pv_bounce *out)
{
	uint64_t top, sp, flags, cs = regs->cs;
	unsigned int n = 0, i;
	uint64_t w[PV_BOUNCE_MAX_WORDS];

	if (!frame_top(regs, v, tb->failsafe, &top))
		return -XEN_EFAULT;
	if (!tb->eip)
		return -XEN_EINVAL;
	if (v->kernel_mode)
		cs &= ~(uint64_t)3; /* tell the guest it came from kernel mode */

	flags = regs->rflags & ~(EFLAGS_IF | EFLAGS_IOPL);
	if (!v->upcall_mask)
		flags |= EFLAGS_IF;
	if (v->arch_iopl)
		flags |= v->iopl & EFLAGS_IOPL;

	w[n++] = regs->rcx;
	w[n++] = regs->r11;
	if (tb->failsafe) {
		w[n++] = regs->ds;
		w[n++] = regs->es;
		w[n++] = regs->fs;
		w[n++] = regs->gs;
	} else if (tb->has_error_code) {
		w[n++] = tb->error_code;
	}
	w[n++] = regs->rip;
	w[n++] = (cs & 0xffff) | (uint64_t)v->upcall_mask << 32;
	w[n++] = flags;
	w[n++] = regs->rsp;
	w[n++] = regs->ss;

	sp = top - 8ull * n;
	if (!frame_ok(sp, top))
		return -XEN_EFAULT;

	out->frame_sp = sp;
	out->nr_words = n;
	for (i = 0; i < n; i++)
		out->words[i] = w[i];
	for (; i < PV_BOUNCE_MAX_WORDS; i++)
		out->words[i] = 0;
	out->regs = *regs;
	out->regs.rflags &= ~(EFLAGS_AC | EFLAGS_VM | EFLAGS_RF | EFLAGS_NT | EFLAGS_TF);
	if (tb->failsafe)
		out->regs.rflags &= ~EFLAGS_IOPL;
	out->regs.ss = FLAT_KERNEL_SS;
	out->regs.rsp = sp;
	out->regs.cs = FLAT_KERNEL_CS;
	out->regs.rip = tb->eip;
	out->to_kernel_mode = !v->kernel_mode;
	out->upcall_mask = v->upcall_mask | (tb->mask_events ? 1 : 0);
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

int pv_iret(const struct cpu_user_regs *regs, const struct pv_vcpu_mode *v,
	    const struct iret_context *ctx, struct pv_iret *out)
{
	bool to_user = (ctx->cs & 3) == 3;

	if (to_user && !v->has_user_pt)
		return -XEN_EINVAL;
	if (!canonical(ctx->rip) || !canonical(ctx->rsp))
		return -XEN_EINVAL;

	out->regs = *regs;
	out->to_user_mode = to_user && v->kernel_mode;
	out->set_iopl = v->arch_iopl;
	out->iopl = v->arch_iopl ? (uint32_t)(ctx->rflags & EFLAGS_IOPL) : v->iopl;
	out->regs.rip = ctx->rip;
	out->regs.cs = (uint16_t)(ctx->cs | 3);
	out->regs.rflags = (ctx->rflags & ~(EFLAGS_IOPL | EFLAGS_VM)) | EFLAGS_IF;
	out->regs.rsp = ctx->rsp;
	out->regs.ss = (uint16_t)(ctx->ss | 3);
	out->via_sysret = (ctx->flags & VGCF_in_syscall) != 0;
	if (out->via_sysret) {
		out->regs.rcx = out->regs.rip;
		out->regs.r11 = out->regs.rflags;
	} else {
		out->regs.r11 = ctx->r11;
		out->regs.rcx = ctx->rcx;
	}
	out->upcall_mask = !(ctx->rflags & EFLAGS_IF);
	out->rax = ctx->rax;
	out->regs.rax = ctx->rax;
	return 0;
}
