// SPDX-License-Identifier: GPL-2.0-only
/*
 * Privileged instructions a PV kernel issues from ring 3, emulated from the
 * #GP they raise (after xen/arch/x86/pv/emul-priv-op.c): rdmsr/wrmsr,
 * mov to/from CR0/CR2/CR3/CR4, clts, wbinvd, cli/sti and in/out under the
 * virtual IOPL. Anything not decoded here is left to the caller, which
 * injects the #GP. MSR, control-register, clts and wbinvd emulation is for
 * the guest kernel only; from guest user mode they stay a #GP (I/O and
 * cli/sti follow the virtual IOPL, which user mode needs at 3). The
 * instruction bytes are copied from the guest and
 * decoded from that copy only; prefixes: REX and the operand-size 66.
 *
 * I/O: dom0 sees no device through Lamina yet; a permitted read returns all
 * ones and a permitted write is dropped.
 */
#include <asm/traps.h>
#include <asm/x86.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/guest_access.h>
#include <lamina/mm.h>
#include "cpuid.h"
#include "emul.h"

#define MAX_INSN 15

struct insn {
	uint8_t b[MAX_INSN];
	unsigned int len, pos;
	bool opsize16;
	uint8_t rex;
};

static uint64_t *gpr(struct cpu_regs *r, unsigned int n)
{
	uint64_t *const map[16] = { &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
				    &r->rsi, &r->rdi, &r->r8,  &r->r9,	&r->r10, &r->r11,
				    &r->r12, &r->r13, &r->r14, &r->r15 };

	return map[n & 15];
}

static bool fetch(struct insn *in, uint64_t rip)
{
	/* Fetch what is mapped: all at once, or byte by byte near a page end. */
	if (!copy_from_guest(in->b, rip, MAX_INSN)) {
		in->len = MAX_INSN;
		return true;
	}
	in->len = 0;
	for (unsigned int i = 0; i < MAX_INSN; i++) {
		if (copy_from_guest(&in->b[i], rip + i, 1))
			break;
		in->len++;
	}
	return in->len > 0;
}

static bool iopl_ok(const struct vcpu *v)
{
	return v->arch.iopl >= (v->arch.kernel_mode ? 1u : 3u);
}

static bool emul_io(struct vcpu *v, struct cpu_regs *regs, const struct insn *in, uint8_t op)
{
	unsigned int size = (op & 1) ? (in->opsize16 ? 2 : 4) : 1;
	bool is_in = !(op & 2);
	unsigned int extra = (op & 8) ? 0 : 1; /* the imm8 port */

	if (!iopl_ok(v) || in->pos + extra > in->len)
		return false;
	if (is_in) {
		uint64_t mask = size == 4 ? 0xffffffffULL : (1ULL << (size * 8)) - 1;

		if (size == 4)
			regs->rax = mask;
		else
			regs->rax |= mask;
	}
	regs->rip += in->pos + extra;
	return true;
}

static bool emul_cr(struct vcpu *v, struct cpu_regs *regs, const struct insn *in, bool write)
{
	uint8_t modrm;
	unsigned int cr, reg;

	if (in->pos + 2 > in->len)
		return false;
	modrm = in->b[in->pos + 1];
	if ((modrm >> 6) != 3)
		return false;
	cr = ((modrm >> 3) & 7) | ((in->rex & 4) ? 8 : 0);
	reg = (modrm & 7) | ((in->rex & 1) ? 8 : 0);
	if (write ? pv_write_cr(v, cr, *gpr(regs, reg)) : pv_read_cr(v, cr, gpr(regs, reg)))
		return false;
	regs->rip += in->pos + 2;
	return true;
}

static bool emul_0f(struct vcpu *v, struct cpu_regs *regs, struct insn *in)
{
	uint8_t op = in->b[in->pos];
	uint32_t msr = (uint32_t)regs->rcx;
	uint64_t val;

	switch (op) {
	case 0x30: /* wrmsr */
		if (pv_write_msr(v, msr,
				 ((regs->rdx & 0xffffffff) << 32) | (regs->rax & 0xffffffff)))
			return false;
		break;
	case 0x32: /* rdmsr */
		if (pv_read_msr(v, msr, &val))
			return false;
		regs->rax = val & 0xffffffff;
		regs->rdx = val >> 32;
		break;
	case 0x20:
	case 0x22:
		return emul_cr(v, regs, in, op == 0x22);
	case 0x06: /* clts */
		pv_set_vts(v, false);
		break;
	case 0x09: /* wbinvd: nothing to do for a guest without devices */
		break;
	default:
		return false;
	}
	regs->rip += in->pos + 1;
	return true;
}

bool pv_emulate_privileged(struct vcpu *v, struct cpu_regs *regs)
{
	struct insn in = { 0 };
	uint8_t op;

	if (!fetch(&in, regs->rip))
		return false;
	for (; in.pos < in.len; in.pos++) {
		op = in.b[in.pos];
		if (op == 0x66)
			in.opsize16 = true;
		else if ((op & 0xf0) == 0x40)
			in.rex = op;
		else
			break;
	}
	if (in.pos >= in.len)
		return false;
	op = in.b[in.pos];
	switch (op) {
	case 0x0f:
		/* Ring-0 instructions: for the guest kernel only, as Xen. */
		if (!v->arch.kernel_mode)
			return false;
		in.pos++;
		return in.pos < in.len && emul_0f(v, regs, &in);
	case 0xfa: /* cli */
	case 0xfb: /* sti: with the IOPL to do so, a no-op, as Xen */
		if (!iopl_ok(v))
			return false;
		regs->rip += in.pos + 1;
		return true;
	case 0xe4:
	case 0xe5:
	case 0xe6:
	case 0xe7:
	case 0xec:
	case 0xed:
	case 0xee:
	case 0xef:
		in.pos++;
		return emul_io(v, regs, &in, op);
	default:
		return false;
	}
}

bool pv_emulate_forced_cpuid(struct vcpu *v, struct cpu_regs *regs)
{
	static const uint8_t sig[7] = { 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2 };
	uint8_t b[7];
	struct pv_cpuid_leaf r;

	(void)v;
	if (copy_from_guest(b, regs->rip, sizeof(b)))
		return false;
	for (unsigned int i = 0; i < sizeof(sig); i++)
		if (b[i] != sig[i])
			return false;
	pv_guest_cpuid((uint32_t)regs->rax, (uint32_t)regs->rcx, &r);
	regs->rax = r.a;
	regs->rbx = r.b;
	regs->rcx = r.c;
	regs->rdx = r.d;
	regs->rip += sizeof(sig);
	return true;
}
