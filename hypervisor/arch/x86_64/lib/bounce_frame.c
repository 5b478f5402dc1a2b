// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bounce frames and the iret hypercall (see asm/bounce_frame.h).
 */
#include <asm/bounce_frame.h>
#include <asm/canonical.h>

#include <xen/errno.h>

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
