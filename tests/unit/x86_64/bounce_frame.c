// SPDX-License-Identifier: GPL-2.0-only
/*
 * CUnit suite for x86_64/lib/bounce_frame: concrete frames for a kernel-mode page
 * fault (with error code, events masked by the gate), a user-mode bounce to
 * the kernel stack, the virtual IOPL, every bad-stack case, int $n
 * permissions, the iret hypercall to kernel and to user mode, and a
 * bounce-then-iret round trip that must give the original registers back.
 */
#include <string.h>
#include <xen/errno.h>

#include <asm/bounce_frame.h>
#include "cunit_run.h"

#define HANDLER 0xffffffff81800000ull
#define XEN_END_PLUS(n) (0xffff880000000000ull + (n))

static struct cpu_user_regs kregs(void)
{
	struct cpu_user_regs r;

	memset(&r, 0, sizeof(r));
	r.rip = 0xffffffff81001234ull;
	r.cs = 0xe033;
	r.rflags = 0x246 | 0x100 /* TF */ | 0x40000 /* AC */;
	r.rsp = 0xffffc90000003f58ull;
	r.ss = 0xe02b;
	r.rcx = 0x1111;
	r.r11 = 0x2222;
	r.rax = 0x3333;
	return r;
}

static void test_kernel_page_fault(void)
{
	struct cpu_user_regs r = kregs();
	struct pv_vcpu_mode v = { .kernel_mode = true,
				  .kernel_sp = 0xdead0000,
				  .has_user_pt = true };
	struct pv_trap_bounce tb = {
		.eip = HANDLER, .has_error_code = true, .error_code = 2, .mask_events = true
	};
	struct pv_bounce b;

	CU_ASSERT_EQUAL_FATAL(pv_bounce_frame(&r, &v, &tb, &b), 0);
	CU_ASSERT_EQUAL(b.nr_words, 8);
	CU_ASSERT_EQUAL(b.frame_sp, 0xffffc90000003f50ull - 64); /* 16-aligned base */
	CU_ASSERT_EQUAL(b.words[0], 0x1111);			 /* RCX */
	CU_ASSERT_EQUAL(b.words[1], 0x2222);			 /* R11 */
	CU_ASSERT_EQUAL(b.words[2], 2);				 /* error code */
	CU_ASSERT_EQUAL(b.words[3], 0xffffffff81001234ull);	 /* RIP */
	CU_ASSERT_EQUAL(b.words[4], 0xe030);			 /* CS, RPL 0, mask 0 */
	CU_ASSERT_EQUAL(b.words[5], 0x40346);			 /* RFLAGS, IF = !mask */
	CU_ASSERT_EQUAL(b.words[6], 0xffffc90000003f58ull);	 /* RSP */
	CU_ASSERT_EQUAL(b.words[7], 0xe02b);			 /* SS */
	CU_ASSERT_EQUAL(b.regs.rip, HANDLER);
	CU_ASSERT_EQUAL(b.regs.cs, 0xe033);
	CU_ASSERT_EQUAL(b.regs.ss, 0xe02b);
	CU_ASSERT_EQUAL(b.regs.rsp, b.frame_sp);
	CU_ASSERT_EQUAL(b.regs.rflags, 0x246); /* TF and AC cleared */
	CU_ASSERT_EQUAL(b.regs.rax, 0x3333);
	CU_ASSERT_FALSE(b.to_kernel_mode);
	CU_ASSERT_EQUAL(b.upcall_mask, 1);
	/* events already masked: saved mask 1 in CS bits 32-39, IF clear */
	v.upcall_mask = 1;
	tb.mask_events = false;
	CU_ASSERT_EQUAL_FATAL(pv_bounce_frame(&r, &v, &tb, &b), 0);
	CU_ASSERT_EQUAL(b.words[4], 0x100000000ull | 0xe030);
	CU_ASSERT_EQUAL(b.words[5], 0x40146);
	CU_ASSERT_EQUAL(b.upcall_mask, 1);
}

static void test_user_to_kernel_stack(void)
{
	struct cpu_user_regs r = kregs();
	struct pv_vcpu_mode v = { .kernel_mode = false,
				  .kernel_sp = 0xffffc90000008008ull,
				  .has_user_pt = true };
	struct pv_trap_bounce tb = { .eip = HANDLER };
	struct pv_bounce b;

	r.rip = 0x401000;
	r.rsp = 0x7ffd12345678ull;
	r.rflags = 0x202;
	CU_ASSERT_EQUAL_FATAL(pv_bounce_frame(&r, &v, &tb, &b), 0);
	CU_ASSERT_EQUAL(b.nr_words, 7);
	CU_ASSERT_EQUAL(b.frame_sp, 0xffffc90000008000ull - 56);
	CU_ASSERT_EQUAL(b.words[2], 0x401000);
	CU_ASSERT_EQUAL(b.words[3], 0xe033); /* user CS keeps RPL 3 */
	CU_ASSERT_EQUAL(b.words[4], 0x202);
	CU_ASSERT_EQUAL(b.words[5], 0x7ffd12345678ull);
	CU_ASSERT_TRUE(b.to_kernel_mode);
	CU_ASSERT_EQUAL(b.upcall_mask, 0);
}

static void test_virtual_iopl(void)
{
	struct cpu_user_regs r = kregs();
	struct pv_vcpu_mode v = { .kernel_mode = true, .arch_iopl = true, .iopl = 0x1000 };
	struct pv_trap_bounce tb = { .eip = HANDLER };
	struct pv_bounce b;

	r.rflags = 0x3202; /* a hardware IOPL never shows through */
	CU_ASSERT_EQUAL_FATAL(pv_bounce_frame(&r, &v, &tb, &b), 0);
	CU_ASSERT_EQUAL(b.words[4], 0x1202);
	v.arch_iopl = false;
	CU_ASSERT_EQUAL_FATAL(pv_bounce_frame(&r, &v, &tb, &b), 0);
	CU_ASSERT_EQUAL(b.words[4], 0x0202);
}

static int bounce_at(uint64_t sp, bool user, bool errcode)
{
	struct cpu_user_regs r = kregs();
	struct pv_vcpu_mode v = { .kernel_mode = !user, .kernel_sp = sp };
	struct pv_trap_bounce tb = { .eip = HANDLER, .has_error_code = errcode };
	struct pv_bounce b;

	r.rsp = sp;
	return pv_bounce_frame(&r, &v, &tb, &b);
}

static void test_bad_stacks(void)
{
	CU_ASSERT_EQUAL(bounce_at(0xffff800000001000ull, false, false), -XEN_EFAULT);
	CU_ASSERT_EQUAL(bounce_at(0xffff800000001000ull, true, false), -XEN_EFAULT);
	CU_ASSERT_EQUAL(bounce_at(0xffff87fffffffff0ull, false, false), -XEN_EFAULT);
	CU_ASSERT_EQUAL(bounce_at(0xffff880000000030ull, false, false), -XEN_EFAULT);
	CU_ASSERT_EQUAL(bounce_at(0xffff880000000040ull, false, true), 0); /* just clear */
	/* at VIRT_START the frame would go into the non-canonical hole */
	CU_ASSERT_EQUAL(bounce_at(0xffff800000000000ull, false, false), -XEN_EFAULT);
	CU_ASSERT_EQUAL(bounce_at(0x0000800000000000ull, false, false), 0); /* frame below it */
	CU_ASSERT_EQUAL(bounce_at(0x0000800000000040ull, false, false), -XEN_EFAULT);
	CU_ASSERT_EQUAL(bounce_at(0xffff000000000000ull, true, false), -XEN_EFAULT);
	CU_ASSERT_EQUAL(bounce_at(0x30, false, false), -XEN_EFAULT); /* wraps below 0 */
	CU_ASSERT_EQUAL(bounce_at(0, true, false), -XEN_EFAULT);
	CU_ASSERT_EQUAL(bounce_at(0x40, false, true), 0);
	CU_ASSERT_EQUAL(bounce_at(0x00007ffffffff000ull, false, false), 0);
	{
		struct cpu_user_regs r = kregs();
		struct pv_vcpu_mode v = { .kernel_mode = true };
		struct pv_trap_bounce tb = { .eip = 0 };
		struct pv_bounce b;

		CU_ASSERT_EQUAL(pv_bounce_frame(&r, &v, &tb, &b), -XEN_EINVAL);
	}
}

static void test_failsafe(void)
{
	struct cpu_user_regs r = kregs();
	struct pv_vcpu_mode v = { .kernel_mode = false, .kernel_sp = 0xffffc90000008008ull };
	struct pv_trap_bounce tb = { .eip = HANDLER,
				     .failsafe = true,
				     .mask_events = true,
				     .has_error_code = true,
				     .error_code = 5 };
	struct pv_bounce b;

	r.ds = 0x2b;
	r.es = 0x2b;
	r.fs = 0x63;
	r.gs = 0x6b;
	r.rflags = 0x1202;
	CU_ASSERT_EQUAL_FATAL(pv_bounce_frame(&r, &v, &tb, &b), 0);
	CU_ASSERT_EQUAL(b.nr_words, 11);
	CU_ASSERT_EQUAL(b.frame_sp, 0xffffc90000008008ull - 88); /* not aligned */
	CU_ASSERT_EQUAL(b.words[0], 0x1111);
	CU_ASSERT_EQUAL(b.words[1], 0x2222);
	CU_ASSERT_EQUAL(b.words[2], 0x2b);
	CU_ASSERT_EQUAL(b.words[3], 0x2b);
	CU_ASSERT_EQUAL(b.words[4], 0x63);
	CU_ASSERT_EQUAL(b.words[5], 0x6b);
	CU_ASSERT_EQUAL(b.words[6], r.rip);
	CU_ASSERT_EQUAL(b.words[7], 0xe033);
	CU_ASSERT_EQUAL(b.words[8], 0x0202);
	CU_ASSERT_EQUAL(b.words[9], r.rsp);
	CU_ASSERT_EQUAL(b.words[10], 0xe02b);
	CU_ASSERT_EQUAL(b.regs.rflags, 0x0202); /* IOPL cleared too */
	CU_ASSERT_TRUE(b.to_kernel_mode);
	CU_ASSERT_EQUAL(b.upcall_mask, 1);
	/* a frame reaching into Xen's range from above or below */
	v.kernel_sp = XEN_END_PLUS(40);
	CU_ASSERT_EQUAL(pv_bounce_frame(&r, &v, &tb, &b), -XEN_EFAULT);
	v.kernel_sp = XEN_END_PLUS(88);
	CU_ASSERT_EQUAL(pv_bounce_frame(&r, &v, &tb, &b), 0);
	v.kernel_sp = 0xffff800000000010ull;
	CU_ASSERT_EQUAL(pv_bounce_frame(&r, &v, &tb, &b), -XEN_EFAULT);
}

static void test_trap_info_and_softint(void)
{
	struct trap_info ti = { .vector = 14, .flags = 4 | 0, .cs = 0xe033, .address = HANDLER };
	struct pv_trap_bounce tb;

	pv_trap_bounce_from_trap_info(&ti, true, 0x6, &tb);
	CU_ASSERT_EQUAL(tb.eip, HANDLER);
	CU_ASSERT_TRUE(tb.mask_events);
	CU_ASSERT_TRUE(tb.has_error_code);
	CU_ASSERT_EQUAL(tb.error_code, 6);
	ti.flags = 3;
	pv_trap_bounce_from_trap_info(&ti, false, 0x6, &tb);
	CU_ASSERT_FALSE(tb.mask_events);
	CU_ASSERT_EQUAL(tb.error_code, 0);
	CU_ASSERT_FALSE(pv_softint_permitted(0, true));
	CU_ASSERT_TRUE(pv_softint_permitted(1, true));
	CU_ASSERT_TRUE(pv_softint_permitted(3, true));
	CU_ASSERT_FALSE(pv_softint_permitted(1, false));
	CU_ASSERT_FALSE(pv_softint_permitted(2, false));
	CU_ASSERT_TRUE(pv_softint_permitted(3, false));
	CU_ASSERT_TRUE(pv_softint_permitted(0xff, false)); /* only the DPL bits count */
}

static struct iret_context ctx_kernel(void)
{
	struct iret_context c = {
		.rax = 0x77,
		.r11 = 0x246,
		.rcx = 0xffffffff81002000ull,
		.flags = 0,
		.rip = 0xffffffff81003000ull,
		.cs = 0xe030,
		.rflags = 0x3246 | 0x20000, /* IOPL 3, VM */
		.rsp = 0xffffc90000004000ull,
		.ss = 0xe028,
	};
	return c;
}

static void test_iret(void)
{
	struct cpu_user_regs r = kregs();
	struct pv_vcpu_mode v = { .kernel_mode = true, .has_user_pt = false };
	struct iret_context c = ctx_kernel();
	struct pv_iret o;

	CU_ASSERT_EQUAL_FATAL(pv_iret(&r, &v, &c, &o), 0);
	CU_ASSERT_EQUAL(o.regs.rip, c.rip);
	CU_ASSERT_EQUAL(o.regs.cs, 0xe033);
	CU_ASSERT_EQUAL(o.regs.ss, 0xe02b);
	CU_ASSERT_EQUAL(o.regs.rsp, c.rsp);
	CU_ASSERT_EQUAL(o.regs.rflags, 0x0246);
	CU_ASSERT_EQUAL(o.regs.rcx, c.rcx);
	CU_ASSERT_EQUAL(o.regs.r11, c.r11);
	CU_ASSERT_EQUAL(o.rax, 0x77);
	CU_ASSERT_EQUAL(o.upcall_mask, 0);
	CU_ASSERT_FALSE(o.to_user_mode);
	CU_ASSERT_FALSE(o.via_sysret);
	CU_ASSERT_FALSE(o.set_iopl);
	/* IF clear in the frame masks events, but the guest runs with IF set */
	c.rflags = 0x46;
	CU_ASSERT_EQUAL_FATAL(pv_iret(&r, &v, &c, &o), 0);
	CU_ASSERT_EQUAL(o.upcall_mask, 1);
	CU_ASSERT_EQUAL(o.regs.rflags, 0x246);
	/* to user mode needs a user page table */
	c = ctx_kernel();
	c.cs = 0xe033;
	c.rip = 0x401000;
	c.rsp = 0x7ffd00000000ull;
	CU_ASSERT_EQUAL(pv_iret(&r, &v, &c, &o), -XEN_EINVAL);
	v.has_user_pt = true;
	CU_ASSERT_EQUAL_FATAL(pv_iret(&r, &v, &c, &o), 0);
	CU_ASSERT_TRUE(o.to_user_mode);
	/* VGCF_in_syscall: RCX/R11 become RIP/RFLAGS (SYSRET) */
	c.flags = VGCF_in_syscall;
	CU_ASSERT_EQUAL_FATAL(pv_iret(&r, &v, &c, &o), 0);
	CU_ASSERT_TRUE(o.via_sysret);
	CU_ASSERT_EQUAL(o.regs.rcx, 0x401000);
	CU_ASSERT_EQUAL(o.regs.r11, o.regs.rflags);
	/* virtual IOPL from the frame with the assist */
	v.arch_iopl = true;
	c.rflags = 0x1246;
	CU_ASSERT_EQUAL_FATAL(pv_iret(&r, &v, &c, &o), 0);
	CU_ASSERT_TRUE(o.set_iopl);
	CU_ASSERT_EQUAL(o.iopl, 0x1000);
	CU_ASSERT_EQUAL(o.regs.rflags & 0x3000, 0);
	/* non-canonical RIP or RSP: taken as they are (as Xen: the CPU's IRETQ
	 * faults and the fault goes to the guest) */
	c.rip = 0x0000800000000000ull;
	CU_ASSERT_EQUAL_FATAL(pv_iret(&r, &v, &c, &o), 0);
	CU_ASSERT_EQUAL(o.regs.rip, 0x0000800000000000ull);
	c.rip = 0x401000;
	c.rsp = 0x8000000000000000ull;
	CU_ASSERT_EQUAL_FATAL(pv_iret(&r, &v, &c, &o), 0);
	CU_ASSERT_EQUAL(o.regs.rsp, 0x8000000000000000ull);
}

/* Deliver a fault, then return with iret built from the frame (as Linux does). */
static void test_round_trip(void)
{
	struct cpu_user_regs r = kregs(), after;
	struct pv_vcpu_mode v = { .kernel_mode = true };
	struct pv_trap_bounce tb = { .eip = HANDLER, .has_error_code = true, .error_code = 0xd };
	struct iret_context c;
	struct pv_bounce b;
	struct pv_iret o;

	r.rflags = 0x246;
	CU_ASSERT_EQUAL_FATAL(pv_bounce_frame(&r, &v, &tb, &b), 0);
	c.rax = 0x3333;
	c.rcx = b.words[0];
	c.r11 = b.words[1];
	c.flags = 0;
	c.rip = b.words[3];
	c.cs = b.words[4] & 0xffff;
	c.rflags = b.words[5];
	c.rsp = b.words[6];
	c.ss = b.words[7];
	after = b.regs;
	v.upcall_mask = b.upcall_mask;
	CU_ASSERT_EQUAL_FATAL(pv_iret(&after, &v, &c, &o), 0);
	CU_ASSERT_EQUAL(memcmp(&o.regs, &r, sizeof(r)), 0);
	CU_ASSERT_EQUAL(o.upcall_mask, 0);
}

static const CU_TestInfo tests[] = {
	{ "kernel-mode #PF frame", test_kernel_page_fault },
	{ "user mode bounces to kernel_sp", test_user_to_kernel_stack },
	{ "virtual IOPL in the frame", test_virtual_iopl },
	{ "bad guest stacks", test_bad_stacks },
	{ "failsafe callback frame", test_failsafe },
	{ "trap_info and int $n permission", test_trap_info_and_softint },
	{ "iret hypercall", test_iret },
	{ "bounce + iret round trip", test_round_trip },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	static const struct cunit_suite suites[] = {
		{ "bounce_frame", tests },
		{ NULL, NULL },
	};

	return cunit_run(suites);
}
