// SPDX-License-Identifier: GPL-2.0-only
/*
 * Decoding and execution of a PV kernel's direct write to one of its
 * read-only L1 pages (the instruction list is in asm/ptwr_emul.h). Only the
 * memory destination's size and the source matter: the address is the
 * fault's %cr2, so the ModRM memory operand is parsed only to find where the
 * immediate starts and how long the instruction is.
 *
 * Flags follow the SDM: the logic ops clear CF and OF and set ZF SF PF; add
 * and sub set all six; cmpxchg sets them as cmp of the accumulator with the
 * destination; bts/btr/btc set CF to the old bit; mov and xchg leave them.
 */
#include <asm/ptwr_emul.h>
#include <xen/errno.h>

#define F_CF 0x001ULL
#define F_PF 0x004ULL
#define F_AF 0x010ULL
#define F_ZF 0x040ULL
#define F_SF 0x080ULL
#define F_OF 0x800ULL
#define F_ARITH (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)

struct decoder {
	const uint8_t *buf;
	size_t len, pos;
};

static int next(struct decoder *d, uint8_t *b)
{
	if (d->pos >= d->len || d->pos >= 15)
		return -XEN_EINVAL;
	*b = d->buf[d->pos++];
	return 0;
}

static int skip(struct decoder *d, size_t n)
{
	if (d->pos + n > d->len || d->pos + n > 15)
		return -XEN_EINVAL;
	d->pos += n;
	return 0;
}

/* A memory ModRM operand: its SIB and displacement skipped; 0 or -EINVAL. */
static int modrm_mem(struct decoder *d, uint8_t modrm)
{
	unsigned int mod = modrm >> 6, rm = modrm & 7;
	uint8_t sib;

	if (mod == 3)
		return -XEN_EINVAL;
	if (rm == 4) {
		if (next(d, &sib))
			return -XEN_EINVAL;
		if (mod == 0 && (sib & 7) == 5)
			return skip(d, 4);
	}
	if (mod == 0 && rm == 5)
		return skip(d, 4);
	return skip(d, mod == 1 ? 1 : mod == 2 ? 4 : 0);
}

static int imm(struct decoder *d, unsigned int n, struct mm_ptwr_op *op)
{
	uint64_t v = 0;

	if (d->pos + n > d->len || d->pos + n > 15)
		return -XEN_EINVAL;
	for (unsigned int i = 0; i < n; i++)
		v |= (uint64_t)d->buf[d->pos + i] << (8 * i);
	d->pos += n;
	if (n < 8 && (v >> (8 * n - 1)) & 1)
		v |= ~0ULL << (8 * n);
	op->imm = v;
	op->has_imm = true;
	return 0;
}

static const enum mm_ptwr_kind grp1[8] = { MM_PTWR_ADD, MM_PTWR_OR,  0xff,	  0xff,
					   MM_PTWR_AND, MM_PTWR_SUB, MM_PTWR_XOR, 0xff };

/* The opcode after 0F; 0 or -EINVAL. */
static int decode_0f(struct decoder *d, uint8_t opc, uint8_t modrm, struct mm_ptwr_op *op)
{
	switch (opc) {
	case 0xb0:
	case 0xb1:
		op->kind = MM_PTWR_CMPXCHG;
		return 0;
	case 0xab:
		op->kind = MM_PTWR_BTS;
		return 0;
	case 0xb3:
		op->kind = MM_PTWR_BTR;
		return 0;
	case 0xbb:
		op->kind = MM_PTWR_BTC;
		return 0;
	case 0xba:
		if (((modrm >> 3) & 7) < 5)
			return -XEN_EINVAL;
		op->kind = MM_PTWR_BTS + (((modrm >> 3) & 7) - 5);
		return imm(d, 1, op);
	default:
		return -XEN_EINVAL;
	}
}

/* The one-byte opcode; the immediate after the ModRM operand. */
static int decode_1(struct decoder *d, uint8_t opc, uint8_t modrm, struct mm_ptwr_op *op)
{
	unsigned int ext = (modrm >> 3) & 7, isz = op->size == 2 ? 2 : 4;

	switch (opc) {
	case 0x88:
	case 0x89:
		op->kind = MM_PTWR_MOV;
		return 0;
	case 0xc6:
	case 0xc7:
		op->kind = MM_PTWR_MOV;
		return ext ? -XEN_EINVAL : imm(d, opc == 0xc6 ? 1 : isz, op);
	case 0x86:
	case 0x87:
		op->kind = MM_PTWR_XCHG;
		return 0;
	case 0x80:
	case 0x81:
	case 0x83:
		if (grp1[ext] == (enum mm_ptwr_kind)0xff)
			return -XEN_EINVAL;
		op->kind = grp1[ext];
		return imm(d, opc == 0x81 ? isz : 1, op);
	}
	if (opc < 0x40 && (opc & 7) <= 1 && ((opc >> 3) & 7) != 2 && ((opc >> 3) & 7) != 3 &&
	    ((opc >> 3) & 7) != 7) {
		op->kind = grp1[(opc >> 3) & 7];
		return 0;
	}
	return -XEN_EINVAL;
}

/* Whether opcode opc (after 0F when two-byte) has an 8-bit operand. */
static bool byte_op(uint8_t opc, bool two)
{
	if (two)
		return opc == 0xb0;
	return opc == 0x88 || opc == 0xc6 || opc == 0x86 || opc == 0x80 ||
	       (opc < 0x40 && (opc & 1) == 0);
}

int mm_ptwr_decode(const uint8_t *buf, size_t len, struct mm_ptwr_op *op)
{
	struct decoder d = { buf, len, 0 };
	bool opsz16 = false, two = false;
	uint8_t b, rex = 0, opc, modrm;
	int rc;

	*op = (struct mm_ptwr_op){ 0 };
	for (;;) {
		if (next(&d, &b))
			return -XEN_EINVAL;
		if (b == 0x66)
			opsz16 = true;
		else if (b != 0xf0 && b != 0x2e && b != 0x36 && b != 0x3e && b != 0x26 &&
			 b != 0x64 && b != 0x65 && b != 0x67)
			break;
	}
	if ((b & 0xf0) == 0x40) {
		rex = b;
		if (next(&d, &b))
			return -XEN_EINVAL;
	}
	opc = b;
	if (opc == 0x0f) {
		two = true;
		if (next(&d, &opc))
			return -XEN_EINVAL;
	}
	if (next(&d, &modrm) || modrm_mem(&d, modrm))
		return -XEN_EINVAL;
	op->rex = rex != 0;
	op->reg = (uint8_t)(((modrm >> 3) & 7) | ((rex & 4) << 1));
	op->size = byte_op(opc, two) ? 1 : (rex & 8) ? 8 : opsz16 ? 2 : 4;
	rc = two ? decode_0f(&d, opc, modrm, op) : decode_1(&d, opc, modrm, op);
	if (rc)
		return rc;
	op->len = (uint8_t)d.pos;
	return 0;
}

static uint64_t mask_of(unsigned int size)
{
	return size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

static uint64_t reg_read(const struct mm_ptwr_op *op, const uint64_t gprs[16], unsigned int r)
{
	if (op->size == 1 && !op->rex && r >= 4 && r < 8)
		return (gprs[r - 4] >> 8) & 0xff; /* AH CH DH BH */
	return gprs[r] & mask_of(op->size);
}

static void reg_write(const struct mm_ptwr_op *op, uint64_t gprs[16], unsigned int r, uint64_t v)
{
	if (op->size == 1 && !op->rex && r >= 4 && r < 8)
		gprs[r - 4] = (gprs[r - 4] & ~0xff00ULL) | ((v & 0xff) << 8);
	else if (op->size == 4)
		gprs[r] = v & 0xffffffffULL;
	else
		gprs[r] = (gprs[r] & ~mask_of(op->size)) | (v & mask_of(op->size));
}

/* ZF SF PF of result r (size bytes). */
static uint64_t szp(uint64_t r, unsigned int size)
{
	uint64_t f = 0;

	r &= mask_of(size);
	if (!r)
		f |= F_ZF;
	if (r >> (8 * size - 1))
		f |= F_SF;
	if (!(__builtin_popcountll(r & 0xff) & 1))
		f |= F_PF;
	return f;
}

/* Result and flags of dst op src (add/sub/logic), and cmp for cmpxchg. */
static uint64_t alu(enum mm_ptwr_kind k, uint64_t dst, uint64_t src, unsigned int size,
		    uint64_t *flags)
{
	uint64_t m = mask_of(size), sign = 1ULL << (8 * size - 1), r;
	bool sub = k == MM_PTWR_SUB || k == MM_PTWR_CMPXCHG;

	dst &= m;
	src &= m;
	switch (k) {
	case MM_PTWR_OR:
		r = dst | src;
		break;
	case MM_PTWR_AND:
		r = dst & src;
		break;
	case MM_PTWR_XOR:
		r = dst ^ src;
		break;
	default:
		r = (sub ? dst - src : dst + src) & m;
		*flags = szp(r, size);
		if (sub ? src > dst : r < dst)
			*flags |= F_CF;
		if ((sub ? (dst ^ src) & (dst ^ r) : ~(dst ^ src) & (dst ^ r)) & sign)
			*flags |= F_OF;
		if ((dst ^ src ^ r) & 0x10)
			*flags |= F_AF;
		return r;
	}
	*flags = szp(r, size);
	return r;
}

static uint64_t source(const struct mm_ptwr_op *op, const uint64_t gprs[16])
{
	return op->has_imm ? op->imm & mask_of(op->size) : reg_read(op, gprs, op->reg);
}

int mm_ptwr_execute(const struct mm_ptwr_op *op, uint64_t addr, uint64_t old, uint64_t gprs[16],
		    uint64_t *rflags, uint64_t *entry, bool *write)
{
	unsigned int off = (unsigned int)(addr & 7), bits = 8 * op->size;
	uint64_t m = mask_of(op->size), cur = (old >> (8 * off)) & m, src, val, f = 0;
	unsigned int bit;

	if (off % op->size || off + op->size > 8)
		return -XEN_EINVAL;
	src = source(op, gprs);
	*write = true;
	switch (op->kind) {
	case MM_PTWR_MOV:
		val = src;
		break;
	case MM_PTWR_XCHG:
		val = src;
		reg_write(op, gprs, op->reg, cur);
		break;
	case MM_PTWR_CMPXCHG:
		alu(MM_PTWR_CMPXCHG, gprs[0], cur, op->size, &f);
		*rflags = (*rflags & ~F_ARITH) | f;
		if (!(f & F_ZF)) {
			reg_write(op, gprs, 0, cur);
			*write = false;
			val = cur;
			break;
		}
		val = reg_read(op, gprs, op->reg);
		break;
	case MM_PTWR_BTS:
	case MM_PTWR_BTR:
	case MM_PTWR_BTC:
		/* A register bit offset may reach beyond the operand: refused. */
		if (!op->has_imm && src >= bits)
			return -XEN_EINVAL;
		bit = (unsigned int)(src % bits);
		*rflags = (*rflags & ~F_CF) | ((cur >> bit) & 1);
		val = op->kind == MM_PTWR_BTS	? cur | (1ULL << bit)
		      : op->kind == MM_PTWR_BTR ? cur & ~(1ULL << bit)
						: cur ^ (1ULL << bit);
		break;
	default:
		val = alu(op->kind, cur, src, op->size, &f);
		*rflags = (*rflags & ~F_ARITH) | f;
		break;
	}
	*entry = (old & ~(m << (8 * off))) | ((val & m) << (8 * off));
	return 0;
}
