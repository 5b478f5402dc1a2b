/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Writable page tables (ptwr): the instructions with which a PV kernel
 * writes its read-only L1 pages directly, decoded and executed on a copy of
 * the entry (arch/x86_64/mm/ptwr_emul.c, pure; host-tested). The caller
 * (pv/ro_page_fault.c) validates the resulting entry as mmu_update would
 * and, only if it is accepted, commits the entry, the registers and flags.
 *
 * Decoded (64-bit mode, any legacy prefixes, REX, memory destination only):
 *   88 89 C6/0 C7/0   mov            86 87   xchg (implicitly locked)
 *   0F B0 0F B1       cmpxchg        00 01 08 09 20 21 28 29 30 31
 *   80 81 83 /0 /1 /4 /5 /6  add or and sub xor (register or immediate)
 *   0F AB 0F B3 0F BB, 0F BA /5 /6 /7   bts btr btc
 * Anything else, a register destination or a store wider than 8 bytes is
 * refused (-EINVAL) and the fault goes to the guest.
 */
#ifndef LAMINA_ASM_PTWR_EMUL_H
#define LAMINA_ASM_PTWR_EMUL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mm_ptwr_kind {
	MM_PTWR_MOV,
	MM_PTWR_XCHG,
	MM_PTWR_CMPXCHG,
	MM_PTWR_ADD,
	MM_PTWR_OR,
	MM_PTWR_AND,
	MM_PTWR_SUB,
	MM_PTWR_XOR,
	MM_PTWR_BTS,
	MM_PTWR_BTR,
	MM_PTWR_BTC,
};

struct mm_ptwr_op {
	enum mm_ptwr_kind kind;
	uint8_t len;  /* instruction bytes */
	uint8_t size; /* operand bytes: 1, 2, 4, 8 */
	uint8_t reg;  /* source register (ModRM.reg + REX.R) when !has_imm */
	bool rex;     /* a REX prefix: 8-bit registers 4-7 are SPL..DIL */
	bool has_imm; /* the source is imm (sign-extended to size) */
	uint64_t imm;
};

/* Decodes buf (len bytes fetched at the guest's rip): 0 or -XEN_EINVAL. */
int mm_ptwr_decode(const uint8_t *buf, size_t len, struct mm_ptwr_op *op);

/*
 * Executes op on the 8-byte entry old whose byte (addr & 7) the access
 * starts at, with the guest's 16 GPRs (x86 order) and RFLAGS updated in
 * place: *entry gets the new entry, *write whether one is to be written
 * (false for a cmpxchg that compares unequal). -XEN_EINVAL for a store that
 * is not naturally aligned or leaves the entry. The caller passes copies and
 * commits them only if the entry is accepted.
 */
int mm_ptwr_execute(const struct mm_ptwr_op *op, uint64_t addr, uint64_t old, uint64_t gprs[16],
		    uint64_t *rflags, uint64_t *entry, bool *write);

#endif
