// SPDX-License-Identifier: GPL-2.0-only
/*
 * The privileged-instruction decoder (see asm/insn_decode.h). One pass over
 * the bytes: the forced-emulation signature, legacy prefixes and REX, the
 * opcode, then ModRM/SIB/displacement/immediate as the opcode requires. Each
 * byte comes through fetch(), which enforces both the 15-byte limit and the
 * caller's buffer length.
 */
#include <asm/insn_decode.h>

#include <xen/errno.h>

struct cursor {
	const uint8_t *buf;
	size_t len;
	uint8_t pos;
	bool mode64;
};

static int fetch(struct cursor *c, uint8_t *b)
{
	if (c->pos >= PV_INSN_MAX_LEN)
		return -XEN_E2BIG;
	if (c->pos >= c->len)
		return -XEN_EFAULT;
	*b = c->buf[c->pos++];
	return 0;
}

/* Fetch an @n-byte little-endian value, sign-extended. */
static int fetch_signed(struct cursor *c, unsigned int n, int64_t *val)
{
	uint64_t v = 0;
	unsigned int i;
	uint8_t b;
	int rc;

	for (i = 0; i < n; i++) {
		rc = fetch(c, &b);
		if (rc)
			return rc;
		v |= (uint64_t)b << (8 * i);
	}
	if (n < 8 && (v >> (8 * n - 1)) & 1)
		v |= ~(uint64_t)0 << (8 * n);
	*val = (int64_t)v;
	return 0;
}

static const uint8_t forced_sig[5] = { 0x0f, 0x0b, 'x', 'e', 'n' };

static bool has_forced_sig(const uint8_t *buf, size_t len)
{
	unsigned int i;

	for (i = 0; i < sizeof(forced_sig); i++)
		if (i >= len || buf[i] != forced_sig[i])
			return false;
	return true;
}

/* The 16-bit addressing forms of ModRM.rm (mod != 3). */
static void mem16(struct pv_insn_mem *m, uint8_t rm)
{
	static const uint8_t base[8] = { 3, 3, 5, 5, 6, 7, 5, 3 }; /* bx bx bp bp si di bp bx */
	static const uint8_t index[8] = { 6, 7, 6, 7, 0xff, 0xff, 0xff, 0xff }; /* si di si di */

	m->base = base[rm];
	m->index = index[rm];
	m->scale = 1;
}

/*
 * Decode ModRM (already fetched as @modrm) and its SIB/displacement into
 * insn->mem when mod != 3. Register fields are left to the caller.
 */
static int decode_modrm_mem(struct cursor *c, struct pv_insn *insn, uint8_t modrm)
{
	uint8_t mod = modrm >> 6, rm = modrm & 7, sib;
	struct pv_insn_mem *m = &insn->mem;
	unsigned int disp_size = 0;
	int rc;

	if (mod == 3)
		return 0;
	insn->has_mem = true;
	m->scale = 1;
	m->index = PV_INSN_REG_NONE;
	if (insn->addrsize == 2) {
		mem16(m, rm);
		if (mod == 0 && rm == 6) {
			m->base = PV_INSN_REG_NONE;
			disp_size = 2;
		} else {
			disp_size = mod == 1 ? 1 : mod == 2 ? 2 : 0;
		}
		return disp_size ? fetch_signed(c, disp_size, &m->disp) : 0;
	}
	if (rm == 4) {
		rc = fetch(c, &sib);
		if (rc)
			return rc;
		m->scale = (uint8_t)(1u << (sib >> 6));
		m->index = (uint8_t)(((sib >> 3) & 7) | ((insn->rex & 2) << 2));
		if (m->index == 4)
			m->index = PV_INSN_REG_NONE;
		m->base = (uint8_t)((sib & 7) | ((insn->rex & 1) << 3));
		if ((sib & 7) == 5 && mod == 0) {
			m->base = PV_INSN_REG_NONE;
			disp_size = 4;
		}
	} else if (rm == 5 && mod == 0) {
		/* RIP-relative in 64-bit mode (EIP-relative with 0x67). */
		m->base = c->mode64 ? PV_INSN_REG_RIP : PV_INSN_REG_NONE;
		disp_size = 4;
	} else {
		m->base = (uint8_t)(rm | ((insn->rex & 1) << 3));
	}
	if (mod == 1)
		disp_size = 1;
	else if (mod == 2)
		disp_size = 4;
	return disp_size ? fetch_signed(c, disp_size, &m->disp) : 0;
}

/* The 0F 00 group: SLDT STR LLDT LTR VERR VERW, by ModRM.reg. */
static int decode_grp6(struct cursor *c, struct pv_insn *insn)
{
	static const enum pv_insn_kind kinds[8] = { PV_INSN_SLDT, PV_INSN_STR,	PV_INSN_LLDT,
						    PV_INSN_LTR,  PV_INSN_VERR, PV_INSN_VERW };
	uint8_t modrm;
	int rc = fetch(c, &modrm);

	if (rc)
		return rc;
	insn->kind = kinds[(modrm >> 3) & 7];
	if (insn->kind == PV_INSN_NONE)
		return -XEN_EINVAL;
	insn->opsize = 2;
	insn->gpr = (uint8_t)((modrm & 7) | ((insn->rex & 1) << 3));
	return decode_modrm_mem(c, insn, modrm);
}

/* 0F 01 with mod == 3: the whole ModRM byte selects the instruction. */
static int decode_grp7_reg(struct pv_insn *insn, uint8_t modrm, bool mode64)
{
	uint8_t reg = (modrm >> 3) & 7;

	switch (modrm) {
	case 0xc8:
		insn->kind = PV_INSN_MONITOR;
		return 0;
	case 0xc9:
		insn->kind = PV_INSN_MWAIT;
		return 0;
	case 0xca:
		insn->kind = PV_INSN_CLAC;
		return 0;
	case 0xcb:
		insn->kind = PV_INSN_STAC;
		return 0;
	case 0xd0:
		insn->kind = PV_INSN_XGETBV;
		return 0;
	case 0xd1:
		insn->kind = PV_INSN_XSETBV;
		return 0;
	case 0xf8:
		insn->kind = PV_INSN_SWAPGS;
		return mode64 ? 0 : -XEN_EINVAL;
	case 0xf9:
		insn->kind = PV_INSN_RDTSCP;
		return 0;
	}
	insn->gpr = (uint8_t)((modrm & 7) | ((insn->rex & 1) << 3));
	if (reg == 4) {
		insn->kind = PV_INSN_SMSW; /* register form: full operand size */
		return 0;
	}
	if (reg == 6) {
		insn->kind = PV_INSN_LMSW;
		insn->opsize = 2;
		return 0;
	}
	return -XEN_EINVAL;
}

/* The 0F 01 group. */
static int decode_grp7(struct cursor *c, struct pv_insn *insn)
{
	static const enum pv_insn_kind kinds[8] = {
		PV_INSN_SGDT, PV_INSN_SIDT, PV_INSN_LGDT, PV_INSN_LIDT,
		PV_INSN_SMSW, PV_INSN_NONE, PV_INSN_LMSW, PV_INSN_INVLPG,
	};
	uint8_t modrm;
	int rc = fetch(c, &modrm);

	if (rc)
		return rc;
	if (modrm >> 6 == 3)
		return decode_grp7_reg(insn, modrm, c->mode64);
	insn->kind = kinds[(modrm >> 3) & 7];
	if (insn->kind == PV_INSN_NONE)
		return -XEN_EINVAL;
	if (insn->kind == PV_INSN_SMSW || insn->kind == PV_INSN_LMSW)
		insn->opsize = 2;
	else if (insn->kind != PV_INSN_INVLPG)
		insn->opsize = c->mode64 ? 8 : 4; /* the table base; the limit is 2 more */
	return decode_modrm_mem(c, insn, modrm);
}

/* 0F 20-23: MOV to/from CRn/DRn. ModRM.mod is ignored: always registers. */
static int decode_mov_crdr(struct cursor *c, struct pv_insn *insn, uint8_t op)
{
	static const enum pv_insn_kind kinds[4] = { PV_INSN_MOV_FROM_CR, PV_INSN_MOV_FROM_DR,
						    PV_INSN_MOV_TO_CR, PV_INSN_MOV_TO_DR };
	uint8_t modrm;
	int rc = fetch(c, &modrm);

	if (rc)
		return rc;
	insn->kind = kinds[op - 0x20];
	insn->reg = (uint8_t)(((modrm >> 3) & 7) | ((insn->rex & 4) << 1));
	insn->gpr = (uint8_t)((modrm & 7) | ((insn->rex & 1) << 3));
	insn->opsize = c->mode64 ? 8 : 4;
	if (op == 0x20 || op == 0x22) {
		/* CR0, CR2, CR3, CR4, CR8 exist; others are #UD. */
		if (insn->reg != 0 && insn->reg != 2 && insn->reg != 3 && insn->reg != 4 &&
		    insn->reg != 8)
			return -XEN_EINVAL;
	} else if (insn->reg > 7) {
		return -XEN_EINVAL;
	}
	return 0;
}

static int decode_0f(struct cursor *c, struct pv_insn *insn)
{
	uint8_t op;
	int rc = fetch(c, &op);

	if (rc)
		return rc;
	switch (op) {
	case 0x00:
		return decode_grp6(c, insn);
	case 0x01:
		return decode_grp7(c, insn);
	case 0x06:
		insn->kind = PV_INSN_CLTS;
		return 0;
	case 0x08:
		insn->kind = PV_INSN_INVD;
		return 0;
	case 0x09:
		insn->kind = PV_INSN_WBINVD;
		return 0;
	case 0x0b:
		insn->kind = PV_INSN_UD2;
		return 0;
	case 0x20:
	case 0x21:
	case 0x22:
	case 0x23:
		return decode_mov_crdr(c, insn, op);
	case 0x30:
		insn->kind = PV_INSN_WRMSR;
		return 0;
	case 0x31:
		insn->kind = PV_INSN_RDTSC;
		return 0;
	case 0x32:
		insn->kind = PV_INSN_RDMSR;
		return 0;
	case 0x33:
		insn->kind = PV_INSN_RDPMC;
		return 0;
	case 0xa2:
		insn->kind = PV_INSN_CPUID;
		return 0;
	}
	return -XEN_EINVAL;
}

/* E4-E7 (imm8 port), EC-EF (DX port), 6C-6F (string forms, DX port). */
static int decode_io(struct cursor *c, struct pv_insn *insn, uint8_t op)
{
	bool in = !(op & 2);

	insn->opsize = (op & 1) ? (insn->opsize == 2 ? 2 : 4) : 1;
	if (op >= 0xe4 && op <= 0xe7) {
		insn->kind = in ? PV_INSN_IN : PV_INSN_OUT;
		return fetch(c, &insn->port);
	}
	insn->port_in_dx = true;
	if (op >= 0xec)
		insn->kind = in ? PV_INSN_IN : PV_INSN_OUT;
	else
		insn->kind = in ? PV_INSN_INS : PV_INSN_OUTS;
	return 0;
}

static int decode_one_byte(struct cursor *c, struct pv_insn *insn, uint8_t op)
{
	switch (op) {
	case 0x0f:
		return decode_0f(c, insn);
	case 0x6c:
	case 0x6d:
	case 0x6e:
	case 0x6f:
	case 0xe4:
	case 0xe5:
	case 0xe6:
	case 0xe7:
	case 0xec:
	case 0xed:
	case 0xee:
	case 0xef:
		return decode_io(c, insn, op);
	case 0xcc:
		insn->kind = PV_INSN_INT3;
		insn->vector = 3;
		return 0;
	case 0xcd:
		insn->kind = PV_INSN_INT;
		return fetch(c, &insn->vector);
	case 0xce:
		insn->kind = PV_INSN_INTO;
		insn->vector = 4;
		return c->mode64 ? -XEN_EINVAL : 0;
	case 0xf1:
		insn->kind = PV_INSN_INT1;
		insn->vector = 1;
		return 0;
	case 0xf4:
		insn->kind = PV_INSN_HLT;
		return 0;
	case 0xfa:
		insn->kind = PV_INSN_CLI;
		return 0;
	case 0xfb:
		insn->kind = PV_INSN_STI;
		return 0;
	}
	return -XEN_EINVAL;
}

static int seg_prefix(uint8_t b)
{
	switch (b) {
	case 0x26:
		return PV_SEG_ES;
	case 0x2e:
		return PV_SEG_CS;
	case 0x36:
		return PV_SEG_SS;
	case 0x3e:
		return PV_SEG_DS;
	case 0x64:
		return PV_SEG_FS;
	case 0x65:
		return PV_SEG_GS;
	}
	return -1;
}

/* Consume prefixes; returns the opcode byte in *op. */
static int decode_prefixes(struct cursor *c, struct pv_insn *insn, bool *lock, uint8_t *op)
{
	bool opsize16 = false, addr_override = false;
	uint8_t b;
	int rc, seg;

	for (;;) {
		rc = fetch(c, &b);
		if (rc)
			return rc;
		seg = seg_prefix(b);
		if (seg >= 0) {
			insn->has_seg = true;
			insn->seg = (uint8_t)seg;
		} else if (b == 0x66) {
			opsize16 = true;
		} else if (b == 0x67) {
			addr_override = true;
		} else if (b == 0xf0) {
			*lock = true;
		} else if (b == 0xf2 || b == 0xf3) {
			insn->rep = b;
		} else if (c->mode64 && (b & 0xf0) == 0x40) {
			insn->rex = b; /* kept only if the opcode follows at once */
			insn->nr_prefixes++;
			continue;
		} else {
			break;
		}
		insn->rex = 0; /* a legacy prefix after REX voids it */
		insn->nr_prefixes++;
	}
	*op = b;
	if (c->mode64)
		insn->addrsize = addr_override ? 4 : 8;
	else
		insn->addrsize = addr_override ? 2 : 4;
	insn->opsize = (insn->rex & 8) ? 8 : opsize16 ? 2 : 4;
	return 0;
}

int pv_insn_decode(const uint8_t *buf, size_t len, bool mode64, struct pv_insn *out)
{
	struct cursor c = { .buf = buf, .len = buf ? len : 0, .pos = 0, .mode64 = mode64 };
	struct pv_insn insn = { .kind = PV_INSN_NONE, .seg = PV_SEG_DS };
	bool lock = false;
	uint8_t op;
	int rc;

	insn.mem.base = PV_INSN_REG_NONE;
	insn.mem.index = PV_INSN_REG_NONE;
	insn.mem.scale = 1;
	if (has_forced_sig(c.buf, c.len)) {
		/* Xen emulates exactly "0f a2" after the signature, no prefixes. */
		uint8_t b0 = 0, b1 = 0;

		c.pos = sizeof(forced_sig);
		insn.forced = true;
		insn.opsize = 4;
		insn.addrsize = mode64 ? 8 : 4;
		rc = fetch(&c, &b0);
		if (!rc)
			rc = fetch(&c, &b1);
		if (!rc && (b0 != 0x0f || b1 != 0xa2))
			rc = -XEN_EINVAL;
		if (!rc)
			insn.kind = PV_INSN_CPUID;
	} else {
		rc = decode_prefixes(&c, &insn, &lock, &op);
		if (!rc)
			rc = decode_one_byte(&c, &insn, op);
		if (!rc && lock)
			rc = -XEN_EINVAL; /* none of these forms takes LOCK */
	}
	insn.len = c.pos;
	*out = insn;
	return rc;
}
