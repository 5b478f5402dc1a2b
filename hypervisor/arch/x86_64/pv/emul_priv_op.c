// SPDX-License-Identifier: GPL-2.0-only
/*
 * Privileged instructions a PV kernel issues from ring 3, emulated from the
 * #GP they raise (after xen/arch/x86/pv/emul-priv-op.c). The bytes at RIP
 * are copied from the guest and decoded by the PV-logic decoder
 * (asm/insn_decode.h, host-tested against GNU as); this file checks the
 * guest's right to each and performs it:
 *
 *   rdmsr/wrmsr, mov to/from CR0/2/3/4 and DR0-7, clts, wbinvd, invd
 *                          guest kernel only (user mode keeps its #GP)
 *   rdtsc, rdtscp          from either mode when the domain's TSC is
 *                          emulated (asm/tsc.h), from the kernel when
 *                          the guest set CR4.TSD (user mode keeps its #GP)
 *   in/out/ins/outs, cli/sti
 *                          with the virtual IOPL (>= 1 from the kernel, any
 *                          under architectural_iopl, 3 from user mode);
 *                          dom0 sees no device through
 *                          Lamina yet: a read returns all ones, a write is
 *                          dropped; string forms move up to 4096 elements
 *                          per trap (a longer rep runs again) and a bad
 *                          buffer gives the guest the #PF at its first
 *                          byte that faults (#GP if not canonical)
 *
 * Anything else is left to the caller, which injects the #GP. Once done, an
 * emulated instruction raises the #DB the CPU would have: single step (the
 * guest's TF) and the guest's I/O breakpoints (with its CR4.DE), as Xen.
 */
#include <asm/canonical.h>
#include <asm/insn_decode.h>
#include <asm/pv/debugreg.h>
#include <asm/pv/cpuid.h>
#include <asm/pv/emul.h>
#include <asm/traps.h>
#include <asm/tsc.h>
#include <asm/x86.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/mm.h>
#include <xen/errno.h>

#define MAX_STRING_IO 4096	    /* elements per emulated rep ins/outs */
#define CPUID_EXT_RDTSCP (1u << 27) /* 0x80000001:EDX */
#define DR6_BS (1u << 14)	    /* %dr6: single step */
#define PFEC_WRITE 2

/* How an emulation ended. */
enum emul_end {
	EMUL_REFUSED, /* not emulated: the caller's #GP */
	EMUL_DONE,    /* completed, RIP past it */
	EMUL_AGAIN,   /* a rep to resume: RIP stays */
	EMUL_RAISED,  /* an exception was delivered instead */
};

static uint64_t *gpr(struct cpu_regs *r, unsigned int n)
{
	uint64_t *const map[16] = { &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
				    &r->rsi, &r->rdi, &r->r8,  &r->r9,	&r->r10, &r->r11,
				    &r->r12, &r->r13, &r->r14, &r->r15 };

	return map[n & 15];
}

size_t pv_fetch_insn(uint8_t *buf, uint64_t rip)
{
	size_t n = 0;

	if (!copy_from_guest(buf, rip, PV_INSN_MAX_LEN))
		return PV_INSN_MAX_LEN;
	while (n < PV_INSN_MAX_LEN && !copy_from_guest(&buf[n], rip + n, 1))
		n++;
	return n;
}

/*
 * Xen's iopl_ok(): the guest's virtual CPL against its virtual IOPL. User
 * mode is CPL 3; the kernel is CPL 1, or CPL 0 under VMASST_TYPE_
 * architectural_iopl (there, any IOPL lets the kernel do I/O and cli/sti).
 */
static bool iopl_ok(const struct vcpu *v)
{
	unsigned int cpl = 3;

	if (v->arch.kernel_mode)
		cpl = (v->domain->vm_assist & (1UL << VMASST_TYPE_architectural_iopl)) ? 0 : 1;
	return v->arch.iopl >= cpl;
}

static uint64_t ones(unsigned int size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

static void emul_in(struct cpu_regs *regs, unsigned int size)
{
	if (size == 4)
		regs->rax = ones(4);
	else
		regs->rax |= ones(size);
}

/*
 * rep ins / outs: ins stores all ones at rDI, outs reads (and drops) rSI.
 * @one: a single iteration (the guest single-steps, or an I/O breakpoint
 * matched: Xen stops there for the #DB). Returns 0 when done, 1 when a rep
 * must resume (RIP stays), -1 when a guest address faulted (*fault: the
 * first byte that did; the iterations before it stay done, as Xen's).
 */
static int emul_string_io(struct cpu_regs *regs, const struct pv_insn *in, bool one,
			  uint64_t *fault)
{
	uint64_t count = in->rep ? regs->rcx : 1;
	unsigned int size = in->opsize > 4 ? 4 : in->opsize;
	int64_t step = (regs->rflags & X86_EFLAGS_DF) ? -(int64_t)size : (int64_t)size;
	uint64_t val = ones(size);

	if (count > MAX_STRING_IO)
		count = MAX_STRING_IO;
	if (one && count)
		count = 1;
	for (; count; count--) {
		uint64_t tmp, at;
		int rc;

		if (in->kind == PV_INSN_INS) {
			at = regs->rdi;
			rc = copy_to_guest(at, &val, size);
		} else {
			at = regs->rsi;
			rc = copy_from_guest(&tmp, at, size);
		}
		if (rc) {
			/* The first byte that faults, for %cr2. */
			for (*fault = at; *fault < at + size - 1; (*fault)++)
				if (in->kind == PV_INSN_INS ? copy_to_guest(*fault, &val, 1)
							    : copy_from_guest(&tmp, *fault, 1))
					break;
			return -1;
		}
		if (in->kind == PV_INSN_INS)
			regs->rdi += step;
		else
			regs->rsi += step;
		if (in->rep)
			regs->rcx--;
	}
	return in->rep && regs->rcx ? 1 : 0;
}

/*
 * mov to/from %dr0-7 with Xen's checks (pv/debugreg.c): a register that
 * does not exist is #UD (injected here), a value refused is the caller's
 * #GP.
 */
static enum emul_end emul_mov_dr(struct vcpu *v, struct cpu_regs *regs, const struct pv_insn *in)
{
	uint64_t *r = gpr(regs, in->gpr);
	int rc = in->kind == PV_INSN_MOV_TO_DR ? pv_set_debugreg(v, in->reg, *r)
					       : pv_get_debugreg(v, in->reg, r);

	if (rc == -XEN_ENODEV) {
		pv_inject_exception(v, regs, TRAP_UD, -1);
		return EMUL_RAISED;
	}
	if (rc)
		return EMUL_REFUSED;
	regs->rip += in->len;
	return EMUL_DONE;
}

/*
 * RDTSC/RDTSCP that trapped on CR4.TSD: the domain's TSC is emulated, or
 * the guest set its own CR4.TSD (pv/ctrlreg.c). #UD for RDTSCP when its
 * CPUID lacks it; the guest's own TSD leaves a user-mode read its #GP
 * (false); else the guest's TSC in EDX:EAX, for RDTSCP TSC_AUX in ECX, in
 * kernel or user mode alike (Xen's x86_emulate: TSD checked outside ring 0
 * only, against the guest's CR4). A trap with neither is not this.
 */
static enum emul_end emul_rdtsc(struct vcpu *v, struct cpu_regs *regs, const struct pv_insn *in)
{
	bool own_tsd = (v->arch.vcr4 & X86_CR4_TSD) != 0;
	struct pv_cpuid_leaf r;
	uint64_t tsc;

	if (!v->domain->arch.tsc.vtsc && !own_tsd)
		return EMUL_REFUSED;
	if (in->kind == PV_INSN_RDTSCP) {
		pv_guest_cpuid(v, 0x80000001, 0, false, &r);
		if (!(r.d & CPUID_EXT_RDTSCP)) {
			pv_inject_exception(v, regs, TRAP_UD, -1);
			return EMUL_RAISED;
		}
	}
	if (own_tsd && !v->arch.kernel_mode)
		return EMUL_REFUSED;
	if (in->kind == PV_INSN_RDTSCP)
		regs->rcx = v->arch.tsc_aux;
	tsc = tsc_guest_read(v);
	regs->rax = tsc & 0xffffffff;
	regs->rdx = tsc >> 32;
	regs->rip += in->len;
	return EMUL_DONE;
}

static bool emul_kernel_op(struct vcpu *v, struct cpu_regs *regs, const struct pv_insn *in)
{
	uint64_t val;

	switch (in->kind) {
	case PV_INSN_RDMSR:
		if (pv_read_msr(v, (uint32_t)regs->rcx, &val) != PV_EMUL_OKAY)
			return false;
		regs->rax = val & 0xffffffff;
		regs->rdx = val >> 32;
		return true;
	case PV_INSN_WRMSR:
		return pv_write_msr(v, (uint32_t)regs->rcx,
				    ((regs->rdx & 0xffffffff) << 32) | (regs->rax & 0xffffffff)) ==
		       PV_EMUL_OKAY;
	case PV_INSN_MOV_FROM_CR:
		return pv_read_cr(v, in->reg, gpr(regs, in->gpr)) == PV_EMUL_OKAY;
	case PV_INSN_MOV_TO_CR:
		return pv_write_cr(v, in->reg, *gpr(regs, in->gpr)) == PV_EMUL_OKAY;
	case PV_INSN_CLTS:
		pv_set_vts(v, false);
		return true;
	case PV_INSN_WBINVD:
	case PV_INSN_INVD:
		return true; /* no device memory to write back for a guest yet */
	default:
		return false;
	}
}

/* The port an IN/OUT/INS/OUTS accesses, and how many bytes. */
static unsigned int io_port(const struct cpu_regs *regs, const struct pv_insn *in)
{
	return in->port_in_dx ? (uint16_t)regs->rdx : in->port;
}

static unsigned int io_size(const struct pv_insn *in)
{
	return in->opsize > 4 ? 4 : in->opsize;
}

static enum emul_end emul_io(struct vcpu *v, struct cpu_regs *regs, const struct pv_insn *in,
			     unsigned int *db)
{
	uint64_t fault = 0;
	int rc;

	if (!iopl_ok(v))
		return EMUL_REFUSED;
	*db = pv_io_breakpoints(v, io_port(regs, in), io_size(in));
	rc = 0;
	if (in->kind == PV_INSN_IN)
		emul_in(regs, io_size(in));
	else if (in->kind != PV_INSN_OUT)
		rc = emul_string_io(regs, in, *db || (regs->rflags & X86_EFLAGS_TF), &fault);
	if (rc > 0)
		return EMUL_AGAIN;
	if (rc == 0) {
		regs->rip += in->len;
		return EMUL_DONE;
	}
	/* A buffer that faults is the guest's #PF there, as Xen's rep_ins/rep_outs. */
	if (!is_canonical_address(fault)) {
		pv_inject_exception(v, regs, TRAP_GP, 0);
	} else {
		write_cr2(fault);
		pv_inject_exception(v, regs, TRAP_PF, in->kind == PV_INSN_INS ? PFEC_WRITE : 0);
	}
	return EMUL_RAISED;
}

static enum emul_end emulate(struct vcpu *v, struct cpu_regs *regs, const struct pv_insn *in,
			     unsigned int *db)
{
	bool ok;

	switch (in->kind) {
	case PV_INSN_IN:
	case PV_INSN_OUT:
	case PV_INSN_INS:
	case PV_INSN_OUTS:
		return emul_io(v, regs, in, db);
	case PV_INSN_CLI:
	case PV_INSN_STI:
		/* With the IOPL to do so a no-op, as Xen ("fast and loose"). */
		ok = iopl_ok(v);
		break;
	case PV_INSN_MOV_FROM_DR:
	case PV_INSN_MOV_TO_DR:
		return v->arch.kernel_mode ? emul_mov_dr(v, regs, in) : EMUL_REFUSED;
	case PV_INSN_RDTSC:
	case PV_INSN_RDTSCP:
		return emul_rdtsc(v, regs, in);
	default:
		ok = v->arch.kernel_mode && emul_kernel_op(v, regs, in);
		break;
	}
	if (!ok)
		return EMUL_REFUSED;
	regs->rip += in->len;
	return EMUL_DONE;
}

/*
 * After an instruction was emulated (Xen's x86_emulate retire and
 * pv_emul_instruction_done): RF is cleared, and a guest single-stepping
 * (TF) gets its #DB with BS, as one hitting an I/O breakpoint does with
 * that breakpoint's bit, both in one #DB.
 */
static void retire(struct vcpu *v, struct cpu_regs *regs, unsigned int db)
{
	regs->rflags &= ~X86_EFLAGS_RF;
	if (regs->rflags & X86_EFLAGS_TF)
		db |= DR6_BS;
	if (db)
		pv_emulated_db(v, regs, db);
}

bool pv_emulate_privileged(struct vcpu *v, struct cpu_regs *regs)
{
	uint8_t buf[PV_INSN_MAX_LEN];
	size_t len = pv_fetch_insn(buf, regs->rip);
	struct pv_insn in;
	unsigned int db = 0;
	enum emul_end end;

	if (!len || pv_insn_decode(buf, len, regs->cs != HV_GUEST_CS32, &in))
		return false;
	end = emulate(v, regs, &in, &db);
	if (end == EMUL_REFUSED)
		return false;
	if (end != EMUL_RAISED)
		retire(v, regs, db);
	return true;
}

bool pv_emulate_forced_cpuid(struct vcpu *v, struct cpu_regs *regs)
{
	uint8_t buf[PV_INSN_MAX_LEN];
	size_t len = pv_fetch_insn(buf, regs->rip);
	struct pv_insn in;
	struct pv_cpuid_leaf r;

	if (!len || pv_insn_decode(buf, len, regs->cs != HV_GUEST_CS32, &in) ||
	    in.kind != PV_INSN_CPUID || !in.forced)
		return false;
	pv_guest_cpuid(v, (uint32_t)regs->rax, (uint32_t)regs->rcx, true, &r);
	regs->rax = r.a;
	regs->rbx = r.b;
	regs->rcx = r.c;
	regs->rdx = r.d;
	regs->rip += in.len;
	retire(v, regs, 0);
	return true;
}
