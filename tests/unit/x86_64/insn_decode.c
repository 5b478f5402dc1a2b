// SPDX-License-Identifier: GPL-2.0-only
/*
 * CUnit suite for x86_64/lib/insn_decode: a table of encodings (as an assembler
 * writes them) with their expected kind, length and operands, then the
 * hostile cases: every truncation, the 15-byte limit, prefixes galore,
 * invalid forms, unknown opcodes.
 */
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>

#include <asm/insn_decode.h>
#include "cunit_run.h"

struct enc {
	const char *what;
	uint8_t bytes[16];
	uint8_t n;
	bool mode64;
	enum pv_insn_kind kind;
	uint8_t len;
	uint8_t opsize;
	uint8_t reg; /* CR/DR number, or port, or vector: see check() */
	uint8_t gpr;
};

#define B(...) { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ })

static const struct enc good[] = {
	{ "cpuid", B(0x0f, 0xa2), true, PV_INSN_CPUID, 2, 4, 0, 0 },
	{ "forced cpuid", B(0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2), true, PV_INSN_CPUID, 7, 4, 0,
	  0 },
	{ "rdmsr", B(0x0f, 0x32), true, PV_INSN_RDMSR, 2, 4, 0, 0 },
	{ "wrmsr", B(0x0f, 0x30), true, PV_INSN_WRMSR, 2, 4, 0, 0 },
	{ "rdtsc", B(0x0f, 0x31), true, PV_INSN_RDTSC, 2, 4, 0, 0 },
	{ "rdtscp", B(0x0f, 0x01, 0xf9), true, PV_INSN_RDTSCP, 3, 4, 0, 0 },
	{ "rdpmc", B(0x0f, 0x33), true, PV_INSN_RDPMC, 2, 4, 0, 0 },
	{ "clts", B(0x0f, 0x06), true, PV_INSN_CLTS, 2, 4, 0, 0 },
	{ "invd", B(0x0f, 0x08), true, PV_INSN_INVD, 2, 4, 0, 0 },
	{ "wbinvd", B(0x0f, 0x09), true, PV_INSN_WBINVD, 2, 4, 0, 0 },
	{ "ud2", B(0x0f, 0x0b), true, PV_INSN_UD2, 2, 4, 0, 0 },
	{ "ud2 with partial sig", B(0x0f, 0x0b, 'x', 'e', 'N'), true, PV_INSN_UD2, 2, 4, 0, 0 },
	/* mov %cr4,%rax = 0f 20 e0; mov %rax,%cr3 = 0f 22 d8; mov %cr2,%r9 = 41 0f 20 d1 */
	{ "mov cr4->rax", B(0x0f, 0x20, 0xe0), true, PV_INSN_MOV_FROM_CR, 3, 8, 4, 0 },
	{ "mov rax->cr3", B(0x0f, 0x22, 0xd8), true, PV_INSN_MOV_TO_CR, 3, 8, 3, 0 },
	{ "mov cr2->r9", B(0x41, 0x0f, 0x20, 0xd1), true, PV_INSN_MOV_FROM_CR, 4, 8, 2, 9 },
	{ "mov r15->cr8", B(0x45, 0x0f, 0x22, 0xc7), true, PV_INSN_MOV_TO_CR, 4, 8, 8, 15 },
	{ "mov cr0->eax (32)", B(0x0f, 0x20, 0xc0), false, PV_INSN_MOV_FROM_CR, 3, 4, 0, 0 },
	{ "mov cr0, mod ignored", B(0x0f, 0x20, 0x00), true, PV_INSN_MOV_FROM_CR, 3, 8, 0, 0 },
	{ "mov dr7->rcx", B(0x0f, 0x21, 0xf9), true, PV_INSN_MOV_FROM_DR, 3, 8, 7, 1 },
	{ "mov rdx->dr0", B(0x0f, 0x23, 0xc2), true, PV_INSN_MOV_TO_DR, 3, 8, 0, 2 },
	{ "in al,0x61", B(0xe4, 0x61), true, PV_INSN_IN, 2, 1, 0x61, 0 },
	{ "in eax,0x71", B(0xe5, 0x71), true, PV_INSN_IN, 2, 4, 0x71, 0 },
	{ "in ax,0x71", B(0x66, 0xe5, 0x71), true, PV_INSN_IN, 3, 2, 0x71, 0 },
	{ "in eax,0x71 rex.w", B(0x48, 0xe5, 0x71), true, PV_INSN_IN, 3, 4, 0x71, 0 },
	{ "out 0x80,al", B(0xe6, 0x80), true, PV_INSN_OUT, 2, 1, 0x80, 0 },
	{ "out 0x43,eax", B(0xe7, 0x43), true, PV_INSN_OUT, 2, 4, 0x43, 0 },
	{ "in al,dx", B(0xec), true, PV_INSN_IN, 1, 1, 0, 0 },
	{ "in eax,dx", B(0xed), true, PV_INSN_IN, 1, 4, 0, 0 },
	{ "out dx,al", B(0xee), true, PV_INSN_OUT, 1, 1, 0, 0 },
	{ "out dx,ax", B(0x66, 0xef), true, PV_INSN_OUT, 2, 2, 0, 0 },
	{ "insb", B(0x6c), true, PV_INSN_INS, 1, 1, 0, 0 },
	{ "rep insw", B(0x66, 0xf3, 0x6d), true, PV_INSN_INS, 3, 2, 0, 0 },
	{ "rep outsb fs", B(0xf3, 0x64, 0x6e), true, PV_INSN_OUTS, 3, 1, 0, 0 },
	{ "outsd a32", B(0x67, 0x6f), true, PV_INSN_OUTS, 2, 4, 0, 0 },
	{ "cli", B(0xfa), true, PV_INSN_CLI, 1, 4, 0, 0 },
	{ "sti", B(0xfb), true, PV_INSN_STI, 1, 4, 0, 0 },
	{ "hlt", B(0xf4), true, PV_INSN_HLT, 1, 4, 0, 0 },
	{ "int $0x80", B(0xcd, 0x80), true, PV_INSN_INT, 2, 4, 0x80, 0 },
	{ "int $0x0e", B(0xcd, 0x0e), true, PV_INSN_INT, 2, 4, 0x0e, 0 },
	{ "int3", B(0xcc), true, PV_INSN_INT3, 1, 4, 3, 0 },
	{ "int1", B(0xf1), true, PV_INSN_INT1, 1, 4, 1, 0 },
	{ "into (32)", B(0xce), false, PV_INSN_INTO, 1, 4, 4, 0 },
	{ "int $3 with prefixes", B(0x66, 0x2e, 0xcd, 0x03), true, PV_INSN_INT, 4, 2, 3, 0 },
	{ "sldt eax", B(0x0f, 0x00, 0xc0), true, PV_INSN_SLDT, 3, 2, 0, 0 },
	{ "str ecx", B(0x0f, 0x00, 0xc9), true, PV_INSN_STR, 3, 2, 0, 1 },
	{ "lldt dx", B(0x0f, 0x00, 0xd2), true, PV_INSN_LLDT, 3, 2, 0, 2 },
	{ "ltr r8w", B(0x41, 0x0f, 0x00, 0xd8), true, PV_INSN_LTR, 4, 2, 0, 8 },
	{ "verr ax", B(0x0f, 0x00, 0xe0), true, PV_INSN_VERR, 3, 2, 0, 0 },
	{ "verw ax", B(0x0f, 0x00, 0xe8), true, PV_INSN_VERW, 3, 2, 0, 0 },
	{ "smsw eax", B(0x0f, 0x01, 0xe0), true, PV_INSN_SMSW, 3, 4, 0, 0 },
	{ "smsw rax", B(0x48, 0x0f, 0x01, 0xe0), true, PV_INSN_SMSW, 4, 8, 0, 0 },
	{ "lmsw ax", B(0x0f, 0x01, 0xf0), true, PV_INSN_LMSW, 3, 2, 0, 0 },
	{ "swapgs", B(0x0f, 0x01, 0xf8), true, PV_INSN_SWAPGS, 3, 4, 0, 0 },
	{ "monitor", B(0x0f, 0x01, 0xc8), true, PV_INSN_MONITOR, 3, 4, 0, 0 },
	{ "mwait", B(0x0f, 0x01, 0xc9), true, PV_INSN_MWAIT, 3, 4, 0, 0 },
	{ "clac", B(0x0f, 0x01, 0xca), true, PV_INSN_CLAC, 3, 4, 0, 0 },
	{ "stac", B(0x0f, 0x01, 0xcb), true, PV_INSN_STAC, 3, 4, 0, 0 },
	{ "xgetbv", B(0x0f, 0x01, 0xd0), true, PV_INSN_XGETBV, 3, 4, 0, 0 },
	{ "xsetbv", B(0x0f, 0x01, 0xd1), true, PV_INSN_XSETBV, 3, 4, 0, 0 },
	/* lgdt (%rax) = 0f 01 10; sgdt 0x10(%rsp) = 0f 01 44 24 10 */
	{ "lgdt (rax)", B(0x0f, 0x01, 0x10), true, PV_INSN_LGDT, 3, 8, 0, 0 },
	{ "sgdt 0x10(rsp)", B(0x0f, 0x01, 0x44, 0x24, 0x10), true, PV_INSN_SGDT, 5, 8, 0, 0 },
	{ "lidt disp32(rip)", B(0x0f, 0x01, 0x1d, 0x78, 0x56, 0x34, 0x12), true, PV_INSN_LIDT, 7, 8,
	  0, 0 },
	{ "sidt (32)", B(0x0f, 0x01, 0x0d, 0x00, 0x10, 0x00, 0x00), false, PV_INSN_SIDT, 7, 4, 0,
	  0 },
	{ "invlpg (rdi)", B(0x0f, 0x01, 0x3f), true, PV_INSN_INVLPG, 3, 4, 0, 0 },
	{ "invlpg 0x1000(,%rbx,8)", B(0x0f, 0x01, 0x3c, 0xdd, 0x00, 0x10, 0x00, 0x00), true,
	  PV_INSN_INVLPG, 8, 4, 0, 0 },
	{ "smsw (rbx)", B(0x0f, 0x01, 0x23), true, PV_INSN_SMSW, 3, 2, 0, 0 },
	{ "lmsw 0x8(a16 bp+si) (32)", B(0x67, 0x0f, 0x01, 0x72, 0x08), false, PV_INSN_LMSW, 5, 2, 0,
	  0 },
};

static uint8_t operand(const struct enc *e, const struct pv_insn *i)
{
	switch (e->kind) {
	case PV_INSN_IN:
	case PV_INSN_OUT:
		return i->port;
	case PV_INSN_INT:
	case PV_INSN_INT3:
	case PV_INSN_INT1:
	case PV_INSN_INTO:
		return i->vector;
	default:
		return i->reg;
	}
}

static void test_table(void)
{
	for (size_t k = 0; k < sizeof(good) / sizeof(good[0]); k++) {
		const struct enc *e = &good[k];
		struct pv_insn i;
		int rc = pv_insn_decode(e->bytes, e->n, e->mode64, &i);
		bool ok = rc == 0 && i.kind == e->kind && i.len == e->len &&
			  i.opsize == e->opsize && operand(e, &i) == e->reg && i.gpr == e->gpr;

		if (!ok)
			fprintf(stderr, "  %s: rc %d kind %s len %u opsize %u op %#x gpr %u\n",
				e->what, rc, pv_insn_kind_name(i.kind), i.len, i.opsize,
				operand(e, &i), i.gpr);
		CU_ASSERT_TRUE(ok);
	}
}

/* The instruction may continue past the decoded length without effect. */
static void test_trailing_bytes_ignored(void)
{
	uint8_t b[15] = { 0xe4, 0x61, 0xff, 0xff, 0xff };
	struct pv_insn i;

	CU_ASSERT_EQUAL(pv_insn_decode(b, sizeof(b), true, &i), 0);
	CU_ASSERT_EQUAL(i.len, 2);
}

static void test_every_truncation_faults(void)
{
	for (size_t k = 0; k < sizeof(good) / sizeof(good[0]); k++) {
		const struct enc *e = &good[k];
		struct pv_insn i;

		for (uint8_t cut = 0; cut < e->len; cut++) {
			int rc = pv_insn_decode(e->bytes, cut, e->mode64, &i);

			/* A cut ud2 signature is a plain ud2 (2 bytes) when it fits. */
			if (e->bytes[0] == 0x0f && e->bytes[1] == 0x0b && cut >= 2)
				continue;
			CU_ASSERT_EQUAL(rc, -XEN_EFAULT);
			CU_ASSERT_TRUE(i.len <= cut);
		}
	}
	CU_ASSERT_EQUAL(pv_insn_decode(NULL, 10, true, &(struct pv_insn){ 0 }), -XEN_EFAULT);
}

static void test_prefix_limit(void)
{
	uint8_t b[20];
	struct pv_insn i;

	/* 14 prefixes + a one-byte opcode: 15 bytes, fine */
	memset(b, 0x66, 14);
	b[14] = 0xec;
	CU_ASSERT_EQUAL(pv_insn_decode(b, 15, true, &i), 0);
	CU_ASSERT_EQUAL(i.len, 15);
	CU_ASSERT_EQUAL(i.kind, PV_INSN_IN);
	CU_ASSERT_EQUAL(i.nr_prefixes, 14);
	/* 15 prefixes: the opcode would be byte 16 */
	memset(b, 0x2e, 15);
	b[15] = 0xec;
	CU_ASSERT_EQUAL(pv_insn_decode(b, sizeof(b), true, &i), -XEN_E2BIG);
	/* 14 prefixes + "in al, imm8": 16 bytes; 13 of them: 15, fine */
	memset(b, 0xf3, 14);
	b[14] = 0xe4;
	b[15] = 0x60;
	CU_ASSERT_EQUAL(pv_insn_decode(b, sizeof(b), true, &i), -XEN_E2BIG);
	CU_ASSERT_EQUAL(pv_insn_decode(b + 1, sizeof(b) - 1, true, &i), 0);
	CU_ASSERT_EQUAL(i.len, 15);
	CU_ASSERT_EQUAL(i.port, 0x60);
	CU_ASSERT_EQUAL(pv_insn_decode(b, sizeof(b), true, &i), -XEN_E2BIG);
	/* ...and an endless run of prefixes in a big buffer still stops at 15 */
	memset(b, 0x40, sizeof(b));
	CU_ASSERT_EQUAL(pv_insn_decode(b, sizeof(b), true, &i), -XEN_E2BIG);
	CU_ASSERT_EQUAL(i.len, 15);
	/* forced prefix + 8 prefixes + cpuid is not the forced form */
	{
		uint8_t f[16] = { 0x0f, 0x0b, 'x', 'e', 'n', 0x66, 0x0f, 0xa2 };

		CU_ASSERT_EQUAL(pv_insn_decode(f, sizeof(f), true, &i), -XEN_EINVAL);
	}
}

static void test_prefix_semantics(void)
{
	struct pv_insn i;
	/* REX then a legacy prefix: the REX is void, so "in eax" is not REX.W-ed */
	const uint8_t rex_void[] = { 0x41, 0x66, 0x0f, 0x20, 0xd1 };
	const uint8_t last_seg[] = { 0x64, 0x65, 0x26, 0xf3, 0xf2, 0x6e };
	const uint8_t two_rex[] = { 0x48, 0x41, 0x0f, 0x22, 0xc0 };

	CU_ASSERT_EQUAL(pv_insn_decode(rex_void, sizeof(rex_void), true, &i), 0);
	CU_ASSERT_EQUAL(i.rex, 0);
	CU_ASSERT_EQUAL(i.gpr, 1); /* not r9 */
	CU_ASSERT_EQUAL(pv_insn_decode(last_seg, sizeof(last_seg), true, &i), 0);
	CU_ASSERT_TRUE(i.has_seg);
	CU_ASSERT_EQUAL(i.seg, PV_SEG_ES);
	CU_ASSERT_EQUAL(i.rep, 0xf2);
	CU_ASSERT_EQUAL(pv_insn_decode(two_rex, sizeof(two_rex), true, &i), 0);
	CU_ASSERT_EQUAL(i.rex, 0x41); /* the last REX counts */
	CU_ASSERT_EQUAL(i.gpr, 8);
	CU_ASSERT_EQUAL(i.reg, 0);
	/* 32-bit mode: 0x40 is "inc eax", not a REX prefix */
	CU_ASSERT_EQUAL(pv_insn_decode((const uint8_t[]){ 0x41, 0xec }, 2, false, &i), -XEN_EINVAL);
	CU_ASSERT_EQUAL(i.len, 1); /* stopped at the "opcode" 0x41 */
	CU_ASSERT_EQUAL(pv_insn_decode((const uint8_t[]){ 0x67, 0x6c }, 2, true, &i), 0);
	CU_ASSERT_EQUAL(i.addrsize, 4);
	CU_ASSERT_EQUAL(pv_insn_decode((const uint8_t[]){ 0x67, 0x6c }, 2, false, &i), 0);
	CU_ASSERT_EQUAL(i.addrsize, 2);
}

static void test_invalid_forms(void)
{
	static const struct {
		const char *what;
		uint8_t bytes[8];
		uint8_t n;
		bool mode64;
	} bad[] = {
		{ "mov cr1", B(0x0f, 0x20, 0xc8), true },
		{ "mov cr5", B(0x0f, 0x22, 0xe8), true },
		{ "mov cr9 (rex.r)", B(0x44, 0x0f, 0x20, 0xc8), true },
		{ "mov dr8", B(0x44, 0x0f, 0x21, 0xc0), true },
		{ "lock mov cr0 (cr8 alias)", B(0xf0, 0x0f, 0x20, 0xc0), true },
		{ "lock cpuid", B(0xf0, 0x0f, 0xa2), true },
		{ "lock in", B(0xf0, 0xec), true },
		{ "into in 64-bit", B(0xce), true },
		{ "swapgs in 32-bit", B(0x0f, 0x01, 0xf8), false },
		{ "0f 00 /6", B(0x0f, 0x00, 0xf0), true },
		{ "0f 01 /5 mem", B(0x0f, 0x01, 0x28), true },
		{ "0f 01 /0 reg (vmcall etc)", B(0x0f, 0x01, 0xc1), true },
		{ "forced + rdmsr", B(0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0x32), true },
		{ "forced + forced", B(0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0x0b, 'x'), true },
		{ "nop", B(0x90), true },
		{ "mov eax,ebx", B(0x89, 0xd8), true },
		{ "0f ff", B(0x0f, 0xff), true },
		{ "syscall", B(0x0f, 0x05), true },
	};
	struct pv_insn i;

	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		int rc = pv_insn_decode(bad[k].bytes, bad[k].n, bad[k].mode64, &i);

		if (rc != -XEN_EINVAL)
			fprintf(stderr, "  %s: rc %d\n", bad[k].what, rc);
		CU_ASSERT_EQUAL(rc, -XEN_EINVAL);
	}
}

/* Every 1- and 2-byte input, and 3-byte 0f xx yy: never crash, sane length. */
static void test_exhaustive_short(void)
{
	uint8_t b[3];
	struct pv_insn i;
	unsigned int ok = 0;

	for (unsigned int x = 0; x < 256; x++)
		for (unsigned int y = 0; y < 256; y++)
			for (unsigned int z = 0; z < 256; z += (x == 0x0f ? 1 : 255)) {
				int rc;

				b[0] = (uint8_t)x;
				b[1] = (uint8_t)y;
				b[2] = (uint8_t)z;
				rc = pv_insn_decode(b, 3, (x + y) & 1, &i);
				CU_ASSERT_TRUE(rc == 0 || rc == -XEN_EINVAL || rc == -XEN_EFAULT);
				CU_ASSERT_TRUE(i.len <= 3);
				if (rc == 0) {
					CU_ASSERT_TRUE(i.kind > PV_INSN_NONE &&
						       i.kind < PV_INSN_NR_KINDS);
					ok++;
				}
			}
	CU_ASSERT_TRUE(ok > 0);
}

/* Random 16-byte buffers (fixed seed) in both modes: sane results only. */
static void test_random_bytes(void)
{
	uint64_t x = 0x243f6a8885a308d3ull;
	unsigned int ok = 0;

	for (int iter = 0; iter < 200000; iter++) {
		uint8_t b[16];
		struct pv_insn i;
		size_t len;
		int rc;

		for (int k = 0; k < 16; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* bias towards prefixes and 0f so the deep paths are reached */
			b[k] = (x & 0x300) == 0 ? (uint8_t[]){ 0x66, 0x67, 0xf3, 0x0f,
							       0x41, 0x65, 0xf0, 0x01 }[x % 8]
						: (uint8_t)x;
		}
		len = x % 17;
		rc = pv_insn_decode(b, len, x & 1, &i);
		CU_ASSERT_TRUE(rc == 0 || rc == -XEN_EINVAL || rc == -XEN_EFAULT ||
			       rc == -XEN_E2BIG);
		CU_ASSERT_TRUE(i.len <= PV_INSN_MAX_LEN && i.len <= len);
		if (rc == 0) {
			ok++;
			CU_ASSERT_TRUE(i.kind > PV_INSN_NONE && i.kind < PV_INSN_NR_KINDS);
			CU_ASSERT_TRUE(i.opsize == 1 || i.opsize == 2 || i.opsize == 4 ||
				       i.opsize == 8);
		}
	}
	CU_ASSERT_TRUE(ok > 1000);
}

static void test_effective_address(void)
{
	uint64_t gprs[16], ea;
	struct pv_insn i;

	for (int r = 0; r < 16; r++)
		gprs[r] = 0x1000 * (uint64_t)(r + 1);
	/* sgdt 0x10(%rsp): rsp is gpr 4 */
	CU_ASSERT_EQUAL(
		pv_insn_decode((const uint8_t[]){ 0x0f, 0x01, 0x44, 0x24, 0x10 }, 5, true, &i), 0);
	CU_ASSERT_EQUAL(pv_insn_mem_ea(&i, gprs, 0, &ea), 0);
	CU_ASSERT_EQUAL(ea, 0x5010);
	/* lidt -8(%rip) */
	CU_ASSERT_EQUAL(
		pv_insn_decode((const uint8_t[]){ 0x0f, 0x01, 0x1d, 0xf8, 0xff, 0xff, 0xff }, 7,
			       true, &i),
		0);
	CU_ASSERT_EQUAL(i.mem.base, PV_INSN_REG_RIP);
	CU_ASSERT_EQUAL(pv_insn_mem_ea(&i, gprs, 0xffffffff81000007ull, &ea), 0);
	CU_ASSERT_EQUAL(ea, 0xffffffff80ffffffull);
	/* invlpg 0x1000(,%rbx,8) and with REX.X|REX.B: 0x1000(%r13,%r11,2) */
	CU_ASSERT_EQUAL(pv_insn_decode((const uint8_t[]){ 0x0f, 0x01, 0x3c, 0xdd, 0, 0x10, 0, 0 },
				       8, true, &i),
			0);
	CU_ASSERT_EQUAL(pv_insn_mem_ea(&i, gprs, 0, &ea), 0);
	CU_ASSERT_EQUAL(ea, 0x1000 + 0x4000 * 8);
	CU_ASSERT_EQUAL(
		pv_insn_decode((const uint8_t[]){ 0x43, 0x0f, 0x01, 0xbc, 0x5d, 0, 0x10, 0, 0 }, 9,
			       true, &i),
		0);
	CU_ASSERT_EQUAL(i.mem.base, 13);
	CU_ASSERT_EQUAL(i.mem.index, 11);
	CU_ASSERT_EQUAL(pv_insn_mem_ea(&i, gprs, 0, &ea), 0);
	CU_ASSERT_EQUAL(ea, 0x1000 + 0xe000 + 0xc000 * 2);
	/* 32-bit address size wraps: 0x67, lgdt -0x10000(%eax) with eax 0x1000 */
	CU_ASSERT_EQUAL(
		pv_insn_decode((const uint8_t[]){ 0x67, 0x0f, 0x01, 0x90, 0, 0, 0xff, 0xff }, 8,
			       true, &i),
		0);
	CU_ASSERT_EQUAL(pv_insn_mem_ea(&i, gprs, 0, &ea), 0);
	CU_ASSERT_EQUAL(ea, (0x1000u - 0x10000u) & 0xffffffffu);
	/* 16-bit: lmsw 8(%bp,%si) */
	CU_ASSERT_EQUAL(
		pv_insn_decode((const uint8_t[]){ 0x67, 0x0f, 0x01, 0x72, 0x08 }, 5, false, &i), 0);
	CU_ASSERT_EQUAL(pv_insn_mem_ea(&i, gprs, 0, &ea), 0);
	CU_ASSERT_EQUAL(ea, (0x6000 + 0x7000 + 8) & 0xffff);
	/* no memory operand */
	CU_ASSERT_EQUAL(pv_insn_decode((const uint8_t[]){ 0x0f, 0xa2 }, 2, true, &i), 0);
	CU_ASSERT_EQUAL(pv_insn_mem_ea(&i, gprs, 0, &ea), -XEN_EINVAL);
}

static void test_int_error_code(void)
{
	CU_ASSERT_EQUAL(pv_insn_int_gp_errcode(0x80), 0x402);
	CU_ASSERT_EQUAL(pv_insn_int_gp_errcode(3), 0x1a);
	CU_ASSERT_EQUAL(pv_insn_int_gp_errcode(0xff), 0x7fa);
	CU_ASSERT_STRING_EQUAL(pv_insn_kind_name(PV_INSN_CPUID), "cpuid");
	CU_ASSERT_STRING_EQUAL(pv_insn_kind_name((enum pv_insn_kind)999), "?");
}

static const CU_TestInfo tests[] = {
	{ "encodings table", test_table },
	{ "trailing bytes ignored", test_trailing_bytes_ignored },
	{ "every truncation is a fetch fault", test_every_truncation_faults },
	{ "15-byte limit, prefixes galore", test_prefix_limit },
	{ "prefix semantics", test_prefix_semantics },
	{ "invalid forms", test_invalid_forms },
	{ "exhaustive short inputs", test_exhaustive_short },
	{ "random bytes", test_random_bytes },
	{ "effective addresses", test_effective_address },
	{ "int n #GP error code", test_int_error_code },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = {
		{ "insn_decode", tests },
		{ NULL, NULL },
	};

	return cunit_run(suites);
}
