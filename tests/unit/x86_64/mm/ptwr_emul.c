// SPDX-License-Identifier: GPL-2.0-only
/*
 * CUnit suite for arch/x86_64/mm/ptwr_emul: the writes Linux makes to its
 * read-only L1 pages (xchg, lock andb, mov, lock btr, cmpxchg) decoded from
 * their bytes (as GNU as encodes them) and executed on a copy of the entry,
 * sub-word writes merged into the 8-byte entry, registers and flags as the
 * SDM says; loads, register destinations and unknown opcodes refused.
 */
#include <string.h>
#include "asm/ptwr_emul.h"
#include "cunit_run.h"
#include <xen/errno.h>

#define RAX 0
#define RCX 1
#define RSI 6
#define RDI 7

static uint64_t gprs[16], flags, entry;
static bool wr;

static int run(const uint8_t *b, size_t n, uint64_t addr, uint64_t old, struct mm_ptwr_op *op)
{
	int rc = mm_ptwr_decode(b, n, op);

	if (rc)
		return rc;
	return mm_ptwr_execute(op, addr, old, gprs, &flags, &entry, &wr);
}

#define RUN(addr, old, ...)                                     \
	({                                                      \
		static const uint8_t b_[] = { __VA_ARGS__ };    \
		struct mm_ptwr_op op_;                          \
		int rc_ = run(b_, sizeof(b_), addr, old, &op_); \
		CU_ASSERT(rc_ != 0 || op_.len == sizeof(b_));   \
		rc_;                                            \
	})

static void reset(void)
{
	memset(gprs, 0, sizeof(gprs));
	flags = 0x202;
	entry = 0;
	wr = false;
}

static void test_xchg(void)
{
	reset();
	gprs[RAX] = 0; /* xchg %rax,(%rdi): ptep_get_and_clear */
	CU_ASSERT_EQUAL(RUN(0x1000, 0x1234067, 0x48, 0x87, 0x07), 0);
	CU_ASSERT_EQUAL(entry, 0);
	CU_ASSERT_EQUAL(gprs[RAX], 0x1234067);
	CU_ASSERT_TRUE(wr);
	CU_ASSERT_EQUAL(flags, 0x202);
}

static void test_lock_andb(void)
{
	reset(); /* lock andb $0xfd,(%rdi): fork's write-protect */
	CU_ASSERT_EQUAL(RUN(0x2008, 0x8000000012345067ULL, 0xf0, 0x80, 0x27, 0xfd), 0);
	CU_ASSERT_EQUAL(entry, 0x8000000012345065ULL);
	CU_ASSERT_EQUAL(flags & 0x8d5, 0x004); /* 0x65: not zero, not sign, parity even */
	/* The same on the entry's upper byte (the NX byte). */
	reset(); /* lock andb $0x7f,7(%rdi) */
	CU_ASSERT_EQUAL(RUN(0x200f, 0x8000000012345067ULL, 0xf0, 0x80, 0x67, 0x07, 0x7f), 0);
	CU_ASSERT_EQUAL(entry, 0x0000000012345067ULL);
	CU_ASSERT_TRUE(flags & 0x40); /* ZF */
}

static void test_mov(void)
{
	reset();
	gprs[RSI] = 0xabcd067; /* mov %rsi,(%rdi) */
	CU_ASSERT_EQUAL(RUN(0x3000, 0, 0x48, 0x89, 0x37), 0);
	CU_ASSERT_EQUAL(entry, 0xabcd067);
	reset(); /* movl $0x12345,4(%rdi): the upper half */
	CU_ASSERT_EQUAL(RUN(0x3004, 0x1111067, 0xc7, 0x47, 0x04, 0x45, 0x23, 0x01, 0x00), 0);
	CU_ASSERT_EQUAL(entry, 0x0001234501111067ULL);
	reset(); /* movq $-1,(%rdi): imm32 sign-extended */
	CU_ASSERT_EQUAL(RUN(0x3000, 0, 0x48, 0xc7, 0x07, 0xff, 0xff, 0xff, 0xff), 0);
	CU_ASSERT_EQUAL(entry, ~0ULL);
	reset();
	gprs[RAX] = 0x1200; /* mov %ah,1(%rdi): AH without REX */
	CU_ASSERT_EQUAL(RUN(0x3001, 0x67, 0x88, 0x67, 0x01), 0);
	CU_ASSERT_EQUAL(entry, 0x1267);
	reset();
	gprs[RSI] = 0x99; /* mov %sil,1(%rdi): SIL with REX */
	CU_ASSERT_EQUAL(RUN(0x3001, 0x67, 0x40, 0x88, 0x77, 0x01), 0);
	CU_ASSERT_EQUAL(entry, 0x9967);
	reset();
	gprs[RSI] = 0x5; /* mov %rsi,0x10(%rdi,%rcx,8) with SIB and disp8 */
	CU_ASSERT_EQUAL(RUN(0x3000, 7, 0x48, 0x89, 0x74, 0xcf, 0x10), 0);
	CU_ASSERT_EQUAL(entry, 5);
	reset(); /* mov %rsi,0x1000(%rip): RIP-relative, disp32 */
	CU_ASSERT_EQUAL(RUN(0x3000, 7, 0x48, 0x89, 0x35, 0x00, 0x10, 0x00, 0x00), 0);
	reset(); /* mov %si,2(%rdi) with the 66 prefix */
	gprs[RSI] = 0xbeef;
	CU_ASSERT_EQUAL(RUN(0x3002, 0x1111000000000067ULL, 0x66, 0x89, 0x77, 0x02), 0);
	CU_ASSERT_EQUAL(entry, 0x11110000beef0067ULL);
}

static void test_bt(void)
{
	reset(); /* lock btr $5,(%rdi): test_and_clear_young */
	CU_ASSERT_EQUAL(RUN(0x4000, 0x1067, 0xf0, 0x48, 0x0f, 0xba, 0x37, 0x05), 0);
	CU_ASSERT_EQUAL(entry, 0x1047);
	CU_ASSERT_EQUAL(flags & 1, 1);
	reset();
	gprs[RAX] = 1; /* lock bts %rax,(%rdi) */
	CU_ASSERT_EQUAL(RUN(0x4000, 0x1065, 0xf0, 0x48, 0x0f, 0xab, 0x07), 0);
	CU_ASSERT_EQUAL(entry, 0x1067);
	CU_ASSERT_EQUAL(flags & 1, 0);
	gprs[RAX] = 64; /* a bit beyond the operand: refused */
	CU_ASSERT_EQUAL(RUN(0x4000, 0x1065, 0xf0, 0x48, 0x0f, 0xab, 0x07), -XEN_EINVAL);
}

static void test_cmpxchg(void)
{
	reset();
	gprs[RAX] = 0x1067;
	gprs[RSI] = 0x2067; /* lock cmpxchg %rsi,(%rdi): equal */
	CU_ASSERT_EQUAL(RUN(0x5000, 0x1067, 0xf0, 0x48, 0x0f, 0xb1, 0x37), 0);
	CU_ASSERT_TRUE(wr);
	CU_ASSERT_EQUAL(entry, 0x2067);
	CU_ASSERT_TRUE(flags & 0x40);
	gprs[RAX] = 0x1000; /* unequal: no write, the accumulator gets the entry */
	CU_ASSERT_EQUAL(RUN(0x5000, 0x1067, 0xf0, 0x48, 0x0f, 0xb1, 0x37), 0);
	CU_ASSERT_FALSE(wr);
	CU_ASSERT_EQUAL(gprs[RAX], 0x1067);
	CU_ASSERT_FALSE(flags & 0x40);
}

static void test_alu(void)
{
	reset(); /* lock orq $2,(%rdi,%rcx,8) */
	CU_ASSERT_EQUAL(RUN(0x6000, 0x1065, 0xf0, 0x48, 0x83, 0x0c, 0xcf, 0x02), 0);
	CU_ASSERT_EQUAL(entry, 0x1067);
	reset();
	gprs[RSI] = 1; /* sub %rsi,(%rdi) from 0: borrow, sign */
	CU_ASSERT_EQUAL(RUN(0x6000, 0, 0x48, 0x29, 0x37), 0);
	CU_ASSERT_EQUAL(entry, ~0ULL);
	CU_ASSERT_EQUAL(flags & 0x81, 0x81);
}

static void test_refused(void)
{
	reset();
	CU_ASSERT_EQUAL(RUN(0, 0, 0x48, 0x8b, 0x07), -XEN_EINVAL);	 /* a load */
	CU_ASSERT_EQUAL(RUN(0, 0, 0x48, 0x89, 0xc7), -XEN_EINVAL);	 /* register dest */
	CU_ASSERT_EQUAL(RUN(0, 0, 0x48, 0x39, 0x07), -XEN_EINVAL);	 /* cmp */
	CU_ASSERT_EQUAL(RUN(0, 0, 0xf3, 0x48, 0xab), -XEN_EINVAL);	 /* rep stos */
	CU_ASSERT_EQUAL(RUN(0, 0, 0x48, 0x11, 0x07), -XEN_EINVAL);	 /* adc */
	CU_ASSERT_EQUAL(RUN(0, 0, 0x48, 0x89), -XEN_EINVAL);		 /* truncated */
	CU_ASSERT_EQUAL(RUN(0, 0, 0x48, 0xc7, 0x07, 0x01), -XEN_EINVAL); /* short imm */
	CU_ASSERT_EQUAL(RUN(0x1004, 0, 0x48, 0x89, 0x37), -XEN_EINVAL);	 /* straddles */
	CU_ASSERT_EQUAL(RUN(0x1001, 0, 0x89, 0x37), -XEN_EINVAL);	 /* misaligned */
	{
		uint8_t b[20];
		struct mm_ptwr_op op;

		memset(b, 0x66, sizeof(b)); /* more than 15 bytes of prefixes */
		CU_ASSERT_EQUAL(mm_ptwr_decode(b, sizeof(b), &op), -XEN_EINVAL);
	}
}

static const CU_TestInfo tests[] = {
	{ "xchg", test_xchg },	     { "lock andb", test_lock_andb },
	{ "mov", test_mov },	     { "bts/btr", test_bt },
	{ "cmpxchg", test_cmpxchg }, { "or/sub", test_alu },
	{ "refused", test_refused }, CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = {
		{ "ptwr_emul", tests },
		{ NULL, NULL },
	};

	return cunit_run(suites);
}
