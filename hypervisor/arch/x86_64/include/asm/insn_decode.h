/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Decoding of the instructions a PV guest traps on (#GP or #UD) and the
 * hypervisor emulates or reflects: CPUID (also behind Xen's forced-emulation
 * prefix "ud2a; .ascii \"xen\""), RDMSR/WRMSR, MOV to/from CRn and DRn,
 * IN/OUT/INS/OUTS, CLI/STI, HLT, CLTS, INVD/WBINVD, RDTSC/RDTSCP/RDPMC,
 * INT n/INT3/INTO/INT1, UD2, and the system groups 0F 00 / 0F 01 (SLDT, STR,
 * LLDT, LTR, VERR, VERW, SGDT, SIDT, LGDT, LIDT, SMSW, LMSW, INVLPG, SWAPGS,
 * MONITOR, MWAIT, XGETBV, XSETBV, CLAC, STAC).
 *
 * The input is a byte buffer with its length: whoever fetched it from guest
 * memory stopped where the fetch faulted. The decoder never reads past @len
 * and says so (-XEN_EFAULT) when it needs a byte beyond it; it only decodes,
 * it checks no privilege and no guest state.
 *
 * Architectural decode rules kept: legacy prefixes in any order and number,
 * the last segment override and the last of F2/F3 win, REX counts only right
 * before the opcode (64-bit mode), 15 bytes at most (#GP beyond), LOCK only
 * on the lockable forms (none of these: so LOCK is #UD, except that it is
 * carried for MOV CR as AMD's CR8 alias and refused here), INTO and the
 * one-byte INC/DEC forms of 40-4F differ between 64-bit and 32-bit modes.
 */
#ifndef LAMINA_ASM_INSN_DECODE_H
#define LAMINA_ASM_INSN_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PV_INSN_MAX_LEN 15
#define PV_INSN_REG_NONE 0xff
#define PV_INSN_REG_RIP 0xfe /* RIP-relative memory operand (64-bit mode) */

enum pv_insn_kind {
	PV_INSN_NONE = 0,
	PV_INSN_CPUID,
	PV_INSN_RDMSR,
	PV_INSN_WRMSR,
	PV_INSN_RDTSC,
	PV_INSN_RDTSCP,
	PV_INSN_RDPMC,
	PV_INSN_MOV_FROM_CR, /* gpr <- CRn */
	PV_INSN_MOV_TO_CR,   /* CRn <- gpr */
	PV_INSN_MOV_FROM_DR,
	PV_INSN_MOV_TO_DR,
	PV_INSN_IN,   /* e4 e5 ec ed */
	PV_INSN_OUT,  /* e6 e7 ee ef */
	PV_INSN_INS,  /* 6c 6d */
	PV_INSN_OUTS, /* 6e 6f */
	PV_INSN_CLI,
	PV_INSN_STI,
	PV_INSN_HLT,
	PV_INSN_CLTS,
	PV_INSN_INVD,
	PV_INSN_WBINVD,
	PV_INSN_INT,  /* cd ib */
	PV_INSN_INT3, /* cc */
	PV_INSN_INTO, /* ce, 32-bit mode only */
	PV_INSN_INT1, /* f1 (icebp) */
	PV_INSN_UD2,  /* 0f 0b not followed by the "xen" signature */
	PV_INSN_SLDT,
	PV_INSN_STR,
	PV_INSN_LLDT,
	PV_INSN_LTR,
	PV_INSN_VERR,
	PV_INSN_VERW,
	PV_INSN_SGDT,
	PV_INSN_SIDT,
	PV_INSN_LGDT,
	PV_INSN_LIDT,
	PV_INSN_SMSW,
	PV_INSN_LMSW,
	PV_INSN_INVLPG,
	PV_INSN_SWAPGS,
	PV_INSN_MONITOR,
	PV_INSN_MWAIT,
	PV_INSN_CLAC,
	PV_INSN_STAC,
	PV_INSN_XGETBV,
	PV_INSN_XSETBV,
	PV_INSN_NR_KINDS
};

/* Segment override prefixes, as the SReg numbering: ES CS SS DS FS GS. */
enum pv_insn_seg { PV_SEG_ES, PV_SEG_CS, PV_SEG_SS, PV_SEG_DS, PV_SEG_FS, PV_SEG_GS };

/* A ModRM memory operand: EA = base + index * scale + disp (address-size wrap). */
struct pv_insn_mem {
	uint8_t base;  /* GPR 0-15, PV_INSN_REG_RIP, or PV_INSN_REG_NONE */
	uint8_t index; /* GPR 0-15 or PV_INSN_REG_NONE */
	uint8_t scale; /* 1, 2, 4, 8 */
	int64_t disp;
};

struct pv_insn {
	enum pv_insn_kind kind;
	uint8_t len;	  /* bytes, prefixes (and the forced prefix) included */
	uint8_t opsize;	  /* operand size in bytes: 1, 2, 4 or 8 */
	uint8_t addrsize; /* address size in bytes: 2, 4 or 8 */
	uint8_t rep;	  /* 0, 0xf2 or 0xf3 (the last one given) */
	bool has_seg;	  /* a segment override was given ... */
	uint8_t seg;	  /* ... this one (enum pv_insn_seg), else DS */
	bool forced;	  /* CPUID behind Xen's forced-emulation prefix */
	uint8_t rex;	  /* the REX byte in effect, 0 if none */
	uint8_t nr_prefixes;

	/* Operands; which are meaningful depends on kind. */
	uint8_t reg;	 /* MOV CR/DR: the CR/DR number */
	uint8_t gpr;	 /* MOV CR/DR: the GPR; LLDT/LTR/LMSW/SMSW... with mod 3 */
	bool port_in_dx; /* IN/OUT: port from DX; INS/OUTS always */
	uint8_t port;	 /* IN/OUT: the immediate port */
	uint8_t vector;	 /* INT n: n; INT3: 3; INTO: 4; INT1: 1 */
	bool has_mem;	 /* a memory operand (ModRM mod != 3) */
	struct pv_insn_mem mem;
};

/*
 * Decode the instruction at @buf (@len bytes available) for a code segment
 * in 64-bit mode (@mode64) or 32-bit mode. Returns 0 with @out filled,
 * -XEN_EFAULT when it needs byte @len or beyond (out->len says how many it had
 * consumed), -XEN_E2BIG when the instruction would exceed 15 bytes (#GP),
 * -XEN_EINVAL for an opcode outside the list above or an invalid form of one
 * (#UD for the caller to decide: e.g. MOV CR5, LOCK, INTO in 64-bit mode,
 * the forced prefix not followed by CPUID).
 */
int pv_insn_decode(const uint8_t *buf, size_t len, bool mode64, struct pv_insn *out);

/*
 * The effective address of @insn's memory operand given the guest's 16 GPRs
 * (x86 order: rax rcx rdx rbx rsp rbp rsi rdi r8-r15) and the address of the
 * next instruction (for RIP-relative forms), truncated to the address size.
 * Segment bases are the caller's business. Returns 0 or -XEN_EINVAL without a
 * memory operand.
 */
int pv_insn_mem_ea(const struct pv_insn *insn, const uint64_t gprs[16], uint64_t next_rip,
		   uint64_t *ea);

/* The #GP error code Xen reports for a blocked "int $n": (n << 3) | 2. */
uint32_t pv_insn_int_gp_errcode(uint8_t vector);

/* A short lower-case name for @kind ("cpuid", "mov-to-cr", ...). */
const char *pv_insn_kind_name(enum pv_insn_kind kind);

#endif
