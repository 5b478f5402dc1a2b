/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exception, event and syscall delivery to a 64-bit PV guest kernel (Xen
 * 4.17's create_bounce_frame in x86_64/entry.S) and its inverse, the iret
 * hypercall (pv/iret.c), as pure functions: they compute the words to write
 * on the guest kernel stack and the registers and vCPU state that follow;
 * the caller writes the words (a fault there crashes the domain) and only
 * then commits the rest.
 *
 * The frame, from the new guest RSP upwards:
 *
 *   RCX, R11, [error code], RIP, CS | saved_upcall_mask << 32, RFLAGS, RSP, SS
 *
 *   - from guest user mode: switch to kernel mode; the frame goes below the
 *     kernel stack registered with stack_switch;
 *   - from guest kernel mode: below the current RSP, and the frame's CS has
 *     its RPL cleared (0xe030), which tells the guest it came from kernel;
 *   - the base is rounded down to 16 bytes; a base inside Xen's range (above
 *     HYPERVISOR_VIRT_START and below HYPERVISOR_VIRT_END + 64) crashes the
 *     domain, as in Xen; Lamina also refuses a frame that would not be
 *     canonical or would wrap;
 *   - RFLAGS.IF in the frame is !saved_upcall_mask, RFLAGS.IOPL is the
 *     virtual IOPL with VMASST architectural_iopl, else 0;
 *   - the upcall mask is set when the bounce masks events (trap gate with
 *     TI_GET_IF, event callback, syscall callback with events disabled);
 *   - afterwards: RIP = the handler (0 crashes the domain), CS = 0xe033,
 *     SS = 0xe02b, RSP = the frame, RFLAGS loses TF, NT, RF, VM and AC.
 */
#ifndef LAMINA_ASM_BOUNCE_FRAME_H
#define LAMINA_ASM_BOUNCE_FRAME_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/errno.h>
#include <xen/xen.h>

#include <asm/canonical.h>

#define PV_BOUNCE_MAX_WORDS 11

/* What to deliver: Xen's trap_bounce. */
struct pv_trap_bounce {
	uint64_t eip; /* the guest handler */
	bool has_error_code;
	uint32_t error_code;
	bool mask_events; /* TBF_INTERRUPT */
	bool failsafe;	  /* the failsafe callback: see pv_bounce_frame() */
};

/* The vCPU state delivery depends on. */
struct pv_vcpu_mode {
	bool kernel_mode;
	uint64_t kernel_sp; /* stack_switch */
	uint8_t upcall_mask;
	bool arch_iopl;	  /* VMASST_TYPE_architectural_iopl */
	uint32_t iopl;	  /* virtual IOPL as RFLAGS bits 13:12 */
	bool has_user_pt; /* a user top-level page table was set */
};

struct pv_bounce {
	uint64_t frame_sp; /* guest address of words[0] */
	unsigned int nr_words;
	uint64_t words[PV_BOUNCE_MAX_WORDS];
	struct cpu_user_regs regs; /* guest registers once delivered */
	bool to_kernel_mode;	   /* switch page tables and GS: was user */
	uint8_t upcall_mask;	   /* the new evtchn_upcall_mask */
};

/*
 * Compute the delivery of @tb to a vCPU in state @v with registers @regs.
 * With tb->failsafe (a segment reload failed on the way back to the guest;
 * Xen's load_segments) the frame is RCX, R11, DS, ES, FS, GS (from @regs),
 * RIP, CS | mask << 32, RFLAGS, RSP, SS, not 16-byte aligned and with no
 * error code, and RFLAGS.IOPL is also cleared in the new registers; it must
 * not touch Xen's range (Xen's guest-access check would fail and crash).
 * Returns 0, or -XEN_EFAULT (bad guest stack) / -XEN_EINVAL (no handler):
 * the domain is to be crashed.
 */
int pv_bounce_frame(const struct cpu_user_regs *regs, const struct pv_vcpu_mode *v,
		    const struct pv_trap_bounce *tb, struct pv_bounce *out);

/* A trap-table entry as a bounce (error code as the hardware gave it). */
void pv_trap_bounce_from_trap_info(const struct trap_info *ti, bool has_error_code,
				   uint32_t error_code, struct pv_trap_bounce *tb);

/*
 * May "int $n" reach the guest's handler with DPL @dpl from the current
 * mode? (Xen's permit_softint: DPL >= 1 from kernel, DPL 3 from user.)
 * If not, the guest gets #GP with error code (n << 3) | 2.
 */
bool pv_softint_permitted(uint8_t dpl, bool kernel_mode);

/*
 * The registers delivery and the iret hypercall read or change: the
 * hypervisor's hot paths hand over only these (pv_bounce_regs(),
 * pv_iret_regs()); pv_bounce_frame() and pv_iret() are the same logic on a
 * whole struct cpu_user_regs. The segment selectors matter only to the
 * failsafe frame.
 */
struct pv_frame_regs {
	uint64_t rax, rcx, r11, rip, cs, rflags, rsp, ss;
	uint16_t ds, es, fs, gs;
};

/* pv_bounce_frame()'s result without the registers (those change in place). */
struct pv_bounce_words {
	uint64_t frame_sp;
	unsigned int nr_words;
	uint64_t words[PV_BOUNCE_MAX_WORDS]; /* only nr_words are set */
	bool to_kernel_mode;
	uint8_t upcall_mask;
};

/* Helpers of pv_bounce_regs() below. */
#define PV_BF_XEN_VIRT_START 0xffff800000000000ull
#define PV_BF_XEN_VIRT_END 0xffff880000000000ull

#define PV_BF_EFLAGS_TF (1ull << 8)
#define PV_BF_EFLAGS_IF (1ull << 9)
#define PV_BF_EFLAGS_IOPL (3ull << 12)
#define PV_BF_EFLAGS_NT (1ull << 14)
#define PV_BF_EFLAGS_RF (1ull << 16)
#define PV_BF_EFLAGS_VM (1ull << 17)
#define PV_BF_EFLAGS_AC (1ull << 18)

/* Where the frame's top goes, or false when the domain must crash. */
static inline bool pv_bf_frame_top(uint64_t rsp, const struct pv_vcpu_mode *v, bool failsafe,
				   uint64_t *top)
{
	uint64_t sp = v->kernel_mode ? rsp : v->kernel_sp;

	if (failsafe) { /* load_segments: no alignment, only frame_ok() */
		*top = sp;
		return true;
	}
	sp &= ~(uint64_t)0xf;
	if (sp > PV_BF_XEN_VIRT_START && sp < PV_BF_XEN_VIRT_END + 64)
		return false;
	*top = sp;
	return true;
}

/* The frame [sp, top) is canonical, does not wrap and stays out of Xen's range. */
static inline bool pv_bf_frame_ok(uint64_t sp, uint64_t top)
{
	if (sp > top || !is_canonical_address(sp) || !is_canonical_address(top - 1))
		return false;
	return top <= PV_BF_XEN_VIRT_START || sp >= PV_BF_XEN_VIRT_END;
}

/*
 * pv_bounce_frame() on @r alone: on success @r holds the registers once
 * delivered (RIP, CS, RFLAGS, RSP, SS change) and @out the frame; on failure
 * (same codes) @r is unchanged. Inline (here, not in bounce_frame.c): on the
 * hypervisor's hot paths its constant arguments fold away; the host tests
 * run the same code.
 */
static inline int pv_bounce_regs(struct pv_frame_regs *r, const struct pv_vcpu_mode *v,
				 const struct pv_trap_bounce *tb, struct pv_bounce_words *out)
{
	uint64_t top, sp, flags, cs = r->cs;
	unsigned int n = 0;
	uint64_t *w = out->words;

	if (!pv_bf_frame_top(r->rsp, v, tb->failsafe, &top))
		return -XEN_EFAULT;
	if (!tb->eip)
		return -XEN_EINVAL;
	if (v->kernel_mode)
		cs &= ~(uint64_t)3; /* tell the guest it came from kernel mode */

	flags = r->rflags & ~(PV_BF_EFLAGS_IF | PV_BF_EFLAGS_IOPL);
	if (!v->upcall_mask)
		flags |= PV_BF_EFLAGS_IF;
	if (v->arch_iopl)
		flags |= v->iopl & PV_BF_EFLAGS_IOPL;

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
	if (!pv_bf_frame_ok(sp, top))
		return -XEN_EFAULT;

	out->frame_sp = sp;
	out->nr_words = n;
	out->to_kernel_mode = !v->kernel_mode;
	out->upcall_mask = v->upcall_mask | (tb->mask_events ? 1 : 0);
	r->rflags &= ~(PV_BF_EFLAGS_AC | PV_BF_EFLAGS_VM | PV_BF_EFLAGS_RF | PV_BF_EFLAGS_NT |
		       PV_BF_EFLAGS_TF);
	if (tb->failsafe)
		r->rflags &= ~PV_BF_EFLAGS_IOPL;
	r->ss = FLAT_KERNEL_SS;
	r->rsp = sp;
	r->cs = FLAT_KERNEL_CS;
	r->rip = tb->eip;
	return 0;
}

struct pv_iret {
	struct cpu_user_regs regs; /* guest registers after the iret */
	bool to_user_mode;	   /* switch to user page tables and GS */
	bool set_iopl;
	uint32_t iopl;
	uint8_t upcall_mask;
	bool via_sysret; /* VGCF_in_syscall: RCX/R11 are SYSRET's (RIP, RFLAGS) */
	uint64_t rax;	 /* the hypercall's return value: the saved RAX */
};

/*
 * The iret hypercall: @ctx was copied from the guest's RSP (a copy fault
 * crashes the domain). RIP/RSP/CS/SS come from the frame with RPL forced to
 * 3, RFLAGS with IF set and IOPL and VM cleared, RCX and R11 from the frame
 * unless VGCF_in_syscall (then the return is a SYSRET and they end up as RIP
 * and RFLAGS), the upcall mask from the frame's IF, the virtual IOPL from the
 * frame's IOPL with VMASST architectural_iopl. Returns 0, or
 * -XEN_EINVAL (return to user mode with no user page table): crash the
 * domain. As Xen, nothing else is checked: a frame the CPU refuses (a
 * non-canonical RIP, a bad selector) faults on the way out, and that fault
 * is the guest's (pv_exit_fault()).
 */
int pv_iret(const struct cpu_user_regs *regs, const struct pv_vcpu_mode *v,
	    const struct iret_context *ctx, struct pv_iret *out);

/* What pv_iret() decides besides the registers. */
struct pv_iret_mode {
	bool to_user_mode;
	bool set_iopl;
	uint32_t iopl;
	uint8_t upcall_mask;
	bool via_sysret;
};

/*
 * pv_iret() on the registers it sets: on success RAX, RCX, R11, RIP, CS,
 * RFLAGS, RSP and SS of @r are the guest's after the iret (the rest of the
 * guest's registers keep their values); on failure @r is unchanged.
 */
/* Inline, as pv_bounce_regs(). */
static inline int pv_iret_regs(const struct pv_vcpu_mode *v, const struct iret_context *ctx,
			       struct pv_frame_regs *r, struct pv_iret_mode *mode)
{
	bool to_user = (ctx->cs & 3) == 3;

	if (to_user && !v->has_user_pt)
		return -XEN_EINVAL;

	mode->to_user_mode = to_user && v->kernel_mode;
	mode->set_iopl = v->arch_iopl;
	mode->iopl = v->arch_iopl ? (uint32_t)(ctx->rflags & PV_BF_EFLAGS_IOPL) : v->iopl;
	mode->via_sysret = (ctx->flags & VGCF_in_syscall) != 0;
	mode->upcall_mask = !(ctx->rflags & PV_BF_EFLAGS_IF);
	r->rip = ctx->rip;
	r->cs = (uint16_t)(ctx->cs | 3);
	r->rflags = (ctx->rflags & ~(PV_BF_EFLAGS_IOPL | PV_BF_EFLAGS_VM)) | PV_BF_EFLAGS_IF;
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

#endif
