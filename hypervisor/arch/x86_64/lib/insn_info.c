// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a decoded instruction means beyond its bytes (asm/insn_decode.h): the
 * effective address of its memory operand, the #GP error code of a blocked
 * "int $n", and names for logs.
 */
#include <asm/insn_decode.h>

#include <xen/errno.h>

int pv_insn_mem_ea(const struct pv_insn *insn, const uint64_t gprs[16], uint64_t next_rip,
		   uint64_t *ea)
{
	const struct pv_insn_mem *m = &insn->mem;
	uint64_t v = (uint64_t)m->disp;

	if (!insn->has_mem || !gprs || !ea)
		return -XEN_EINVAL;
	if (m->base == PV_INSN_REG_RIP)
		v += next_rip;
	else if (m->base < 16)
		v += gprs[m->base];
	if (m->index < 16)
		v += gprs[m->index] * m->scale;
	if (insn->addrsize == 2)
		v &= 0xffff;
	else if (insn->addrsize == 4)
		v &= 0xffffffff;
	*ea = v;
	return 0;
}

uint32_t pv_insn_int_gp_errcode(uint8_t vector)
{
	return ((uint32_t)vector << 3) | 2;
}

static const char *const kind_names[PV_INSN_NR_KINDS] = {
	[PV_INSN_NONE] = "none",
	[PV_INSN_CPUID] = "cpuid",
	[PV_INSN_RDMSR] = "rdmsr",
	[PV_INSN_WRMSR] = "wrmsr",
	[PV_INSN_RDTSC] = "rdtsc",
	[PV_INSN_RDTSCP] = "rdtscp",
	[PV_INSN_RDPMC] = "rdpmc",
	[PV_INSN_MOV_FROM_CR] = "mov-from-cr",
	[PV_INSN_MOV_TO_CR] = "mov-to-cr",
	[PV_INSN_MOV_FROM_DR] = "mov-from-dr",
	[PV_INSN_MOV_TO_DR] = "mov-to-dr",
	[PV_INSN_IN] = "in",
	[PV_INSN_OUT] = "out",
	[PV_INSN_INS] = "ins",
	[PV_INSN_OUTS] = "outs",
	[PV_INSN_CLI] = "cli",
	[PV_INSN_STI] = "sti",
	[PV_INSN_HLT] = "hlt",
	[PV_INSN_CLTS] = "clts",
	[PV_INSN_INVD] = "invd",
	[PV_INSN_WBINVD] = "wbinvd",
	[PV_INSN_INT] = "int",
	[PV_INSN_INT3] = "int3",
	[PV_INSN_INTO] = "into",
	[PV_INSN_INT1] = "int1",
	[PV_INSN_UD2] = "ud2",
	[PV_INSN_SLDT] = "sldt",
	[PV_INSN_STR] = "str",
	[PV_INSN_LLDT] = "lldt",
	[PV_INSN_LTR] = "ltr",
	[PV_INSN_VERR] = "verr",
	[PV_INSN_VERW] = "verw",
	[PV_INSN_SGDT] = "sgdt",
	[PV_INSN_SIDT] = "sidt",
	[PV_INSN_LGDT] = "lgdt",
	[PV_INSN_LIDT] = "lidt",
	[PV_INSN_SMSW] = "smsw",
	[PV_INSN_LMSW] = "lmsw",
	[PV_INSN_INVLPG] = "invlpg",
	[PV_INSN_SWAPGS] = "swapgs",
	[PV_INSN_MONITOR] = "monitor",
	[PV_INSN_MWAIT] = "mwait",
	[PV_INSN_CLAC] = "clac",
	[PV_INSN_STAC] = "stac",
	[PV_INSN_XGETBV] = "xgetbv",
	[PV_INSN_XSETBV] = "xsetbv",
};

const char *pv_insn_kind_name(enum pv_insn_kind kind)
{
	if ((unsigned int)kind >= PV_INSN_NR_KINDS || !kind_names[kind])
		return "?";
	return kind_names[kind];
}
