// SPDX-License-Identifier: MIT
/*
 * traps: exceptions bounced with Xen's frame (the rcx/r11 words, cs with
 * RPL cleared and the saved upcall mask in bits 32-39), `int $n` without a
 * DPL3 gate as #GP((n << 3) | 2), page faults with cr2 in vcpu_info, iret
 * to kernel (page and inline syscall) and to user mode, syscall from user
 * mode to the registered callback on the stack_switch stack,
 * set_segment_base, fpu_taskswitch, multicall including an iret that ends
 * it.
 */
#include <gpv/gpv.h>
#include <gpv/mm.h>
#include <gpv/probe.h>
#include <gpv/traps.h>
#include <gpv/test.h>

#define BAD_ADDR 0x00007f0000001000UL

void t_int3(void);
void t_ud2(void);
void t_int80(void);
void t_int81(void);
void t_fpu(void);
void t_run_user(const struct gpv_regs *regs);
void t_user_resume(void);
void t_user_syscall(void);
void t_user_int3(void);
void t_user_int80(void);
void t_user_pf(void);
void t_user_gs(void);
long t_mc_iret(multicall_entry_t *calls, unsigned long n);
extern char t_int3_insn[], t_int3_after[], t_ud2_insn[], t_int80_insn[], t_int81_after[];
extern char t_fpu_insn[], t_user_syscall_after[];
extern unsigned long t_kernel_rsp;

static struct gpv_regs seen;
static unsigned long seen_frame; /* where the hook's regs lived */
static unsigned int hits;
static char kstack[8192] __attribute__((aligned(16)));
static char ustack[8192] __attribute__((aligned(16)));

/* Record the trap; resume at the next instruction (@skip bytes on). */
static int record(struct gpv_regs *r, unsigned long skip)
{
	seen = *r;
	seen_frame = (unsigned long)r;
	hits++;
	r->rip += skip;
	return 0;
}

static int hook_skip0(struct gpv_regs *r)
{
	return record(r, 0);
}

static int hook_skip2(struct gpv_regs *r)
{
	return record(r, 2);
}

/* Back from user mode to t_user_resume, in kernel mode, events masked. */
static int hook_to_kernel(struct gpv_regs *r)
{
	record(r, 0);
	r->rip = (unsigned long)t_user_resume;
	r->rsp = t_kernel_rsp;
	r->cs = FLAT_KERNEL_CS & ~3;
	r->ss = FLAT_KERNEL_SS;
	r->rflags = 0x2;
	return 0;
}

static void check_int3(void)
{
	gpv_test_area("traps: int3");
	gpv_trap_set_hook(3, hook_skip0);
	hits = 0;
	t_int3();
	gpv_test_eq(hits, 1, "int3 bounced to the #BP handler once");
	gpv_test_eq((long)seen.rcx, 0x1111222233334444L, "frame word 0 is the interrupted rcx");
	gpv_test_eq((long)seen.r11, 0x5555666677778888L, "frame word 1 is the interrupted r11");
	gpv_test_eq((long)seen.rip, (long)t_int3_after, "rip is after the int3");
	gpv_test_eq((long)(seen.cs & 0xffff), FLAT_KERNEL_CS & ~3,
		    "cs from kernel mode has RPL cleared (0xe030)");
	gpv_test_eq((long)((seen.cs >> 32) & 0xff), 1, "cs bits 32-39 hold the saved upcall mask");
	gpv_test_eq((long)(seen.ss & 0xffff), FLAT_KERNEL_SS, "ss is FLAT_KERNEL_SS");
	gpv_test_check(!(seen.rflags & 0x200), "rflags.IF clear while events are masked");
	gpv_test_info("int3 frame: cs %lx rflags %lx ss %lx", seen.cs, seen.rflags, seen.ss);
	gpv_trap_iret_via_syscall(1);
	hits = 0;
	t_int3();
	gpv_test_eq(hits, 1, "iret through an inline syscall returns to the kernel");
	gpv_trap_iret_via_syscall(0);
}

void t_iret_words(unsigned long flags);
extern uint64_t t_iret_seen[3];
extern char t_iret_land[];

static void check_iret_words(void)
{
	gpv_test_area("traps: iret");
	t_iret_words(0);
	gpv_test_eq((long)t_iret_seen[0], 0x1234, "iret returns the frame's rax");
	gpv_test_eq((long)t_iret_seen[1], 0xaaaa, "iret (flags 0) restores rcx from the frame");
	gpv_test_eq((long)t_iret_seen[2], 0xbbbb, "iret (flags 0) restores r11 from the frame");
	t_iret_words(VGCF_in_syscall);
	gpv_test_eq((long)t_iret_seen[0], 0x1234, "iret with VGCF_in_syscall returns rax");
	/* Xen then returns with sysret semantics: rcx = rip, r11 = rflags. */
	gpv_test_eq((long)t_iret_seen[1], (long)t_iret_land,
		    "iret with VGCF_in_syscall: rcx holds the return rip");
	gpv_test_checkf(t_iret_seen[2] & 0x200, "iret with VGCF_in_syscall: r11 holds rflags (IF)",
			"r11 %lx", (unsigned long)t_iret_seen[2]);
}

static void check_faults(void)
{
	uint64_t v;

	gpv_test_area("traps: exceptions");
	gpv_trap_set_hook(6, hook_skip2);
	hits = 0;
	t_ud2();
	gpv_test_eq(hits, 1, "ud2 bounced to the #UD handler");
	gpv_test_eq((long)seen.rip, (long)t_ud2_insn, "#UD rip is the ud2");

	gpv_trap_set_hook(13, hook_skip2);
	hits = 0;
	t_int80();
	gpv_test_eq(hits, 1, "int $0x80 with no gate raises #GP");
	gpv_test_eq((long)seen.error, (0x80 << 3) | 2, "#GP error code is (0x80 << 3) | 2");
	gpv_test_eq((long)seen.rip, (long)t_int80_insn, "#GP rip is the int instruction");

	gpv_test_eq(gpv_trap_install(0x81, 3), 0, "set_trap_table adds a DPL3 gate for 0x81");
	gpv_trap_set_hook(0x81, hook_skip0);
	hits = 0;
	t_int81();
	gpv_test_eq(hits, 1, "int $0x81 reaches its gate");
	gpv_test_eq((long)seen.vector, 0x81, "handler ran for vector 0x81");
	gpv_test_eq((long)seen.rip, (long)t_int81_after, "rip is after the int $0x81");

	gpv_test_check(!gpv_probe_read(BAD_ADDR, &v), "read of an unmapped page faults");
	gpv_test_eq((long)gpv_last_fault.vector, 14, "it is a #PF");
	gpv_test_eq((long)gpv_last_fault.cr2, (long)BAD_ADDR, "vcpu_info arch.cr2 = fault address");
	gpv_test_eq((long)gpv_last_fault.error, 0, "#PF error: not present, read, kernel (U=0)");
	gpv_test_check(!gpv_probe_write(gpv_start_info->pt_base, 0),
		       "write to a read-only page table faults");
	gpv_test_eq((long)gpv_last_fault.error & 3, 3, "#PF error: present, write");
}

void t_int82(void);
void t_int83(void);

/* set_trap_table stops at the first entry whose address is 0. */
static void check_table_end(void)
{
	struct trap_info t[4] = {
		{ .vector = 0x82,
		  .flags = 3,
		  .cs = FLAT_KERNEL_CS,
		  .address = gpv_trap_stub(0x82) },
		{ .vector = 0x84, .flags = 3, .cs = FLAT_KERNEL_CS, .address = 0 },
		{ .vector = 0x83,
		  .flags = 3,
		  .cs = FLAT_KERNEL_CS,
		  .address = gpv_trap_stub(0x83) },
		{ 0 },
	};

	gpv_test_area("traps: set_trap_table");
	gpv_test_eq(gpv_set_trap_table(t), 0, "a table with a zero-address entry returns 0");
	gpv_trap_set_hook(0x82, hook_skip0);
	gpv_trap_set_hook(0x83, hook_skip0);
	gpv_trap_set_hook(13, hook_skip2);
	hits = 0;
	t_int82();
	gpv_test_check(hits == 1 && seen.vector == 0x82, "the entry before the end was installed");
	hits = 0;
	t_int83();
	gpv_test_check(hits == 1 && seen.vector == 13 && seen.error == ((0x83 << 3) | 2),
		       "the entry after the end was not (int $0x83 raises #GP)");
	gpv_trap_set_hook(13, NULL);
}

static void check_fpu(void)
{
	gpv_test_area("traps: fpu_taskswitch");
	gpv_trap_set_hook(7, hook_skip0);
	gpv_test_eq(gpv_fpu_taskswitch(1), 0, "fpu_taskswitch(1) returns 0");
	hits = 0;
	t_fpu();
	gpv_test_eq(hits, 1, "FPU instruction with TS set raises #NM once");
	gpv_test_eq((long)seen.rip, (long)t_fpu_insn, "#NM rip is the FPU instruction");
	hits = 0;
	t_fpu();
	gpv_test_eq(hits, 0, "Xen cleared the virtual TS when it delivered #NM");
	gpv_test_eq(gpv_fpu_taskswitch(0), 0, "fpu_taskswitch(0) returns 0");
}

static void check_segbase(void)
{
	static uint64_t fs_target = 0x0123456789abcdefUL;
	uint64_t v;

	gpv_test_area("traps: set_segment_base");
	gpv_test_eq(gpv_set_segment_base(SEGBASE_FS, (unsigned long)&fs_target), 0,
		    "SEGBASE_FS returns 0");
	asm volatile("movq %%fs:0, %0" : "=r"(v));
	gpv_test_eq((long)v, (long)fs_target, "%fs:0 reads through the new base");
	gpv_test_eq(gpv_set_segment_base(SEGBASE_FS, 0x8000000000000000UL), -XEN_EINVAL,
		    "non-canonical FS base = -EINVAL");
	gpv_test_eq(gpv_set_segment_base(SEGBASE_GS_KERNEL, 0xffff000000000000UL), -XEN_EINVAL,
		    "non-canonical kernel GS base = -EINVAL");
	gpv_test_eq(gpv_set_segment_base(99, 0), -XEN_EINVAL, "unknown segment = -EINVAL");
	gpv_set_segment_base(SEGBASE_FS, 0);

	gpv_test_eq(gpv_set_segment_base(SEGBASE_GS_KERNEL, (unsigned long)&fs_target), 0,
		    "SEGBASE_GS_KERNEL returns 0");
	asm volatile("movq %%gs:0, %0" : "=r"(v));
	gpv_test_eq((long)v, (long)fs_target, "%gs:0 reads through the kernel GS base");
	gpv_test_check(gpv_probe_rdmsr(0xc0000101U, &v) && v == (unsigned long)&fs_target,
		       "rdmsr GS_BASE shows the kernel GS base");
	gpv_test_eq(gpv_set_segment_base(SEGBASE_GS_USER, 0x1234000UL), 0,
		    "SEGBASE_GS_USER returns 0");
	gpv_test_check(gpv_probe_rdmsr(0xc0000102U, &v) && v == 0x1234000UL,
		       "rdmsr SHADOW_GS_BASE shows the user GS base");
	gpv_set_segment_base(SEGBASE_GS_KERNEL, 0);
	gpv_set_segment_base(SEGBASE_GS_USER, 0);
}

static void run_user(void (*fn)(void))
{
	struct gpv_regs r;

	memset(&r, 0, sizeof(r));
	r.rip = (unsigned long)fn;
	r.cs = FLAT_USER_CS;
	r.rflags = 0x202;
	r.rsp = (unsigned long)ustack + sizeof(ustack) - 64;
	r.ss = FLAT_USER_SS;
	hits = 0;
	t_run_user(&r);
}

static void check_user(void)
{
	struct mmuext_op op;
	struct callback_register cb = {
		.type = CALLBACKTYPE_syscall,
		.flags = CALLBACKF_mask_events,
		.address = (unsigned long)gpv_syscall_entry,
	};
	unsigned long ktop = (unsigned long)kstack + sizeof(kstack);

	gpv_test_area("traps: user mode");
	op.cmd = MMUEXT_NEW_USER_BASEPTR;
	op.arg1.mfn = gpv_virt_to_mfn((void *)gpv_start_info->pt_base);
	if (!gpv_test_eq(gpv_mmuext_op(&op, 1, NULL, DOMID_SELF), 0,
			 "MMUEXT_NEW_USER_BASEPTR (kernel L4 shared) returns 0"))
		return;
	gpv_test_eq(gpv_stack_switch(FLAT_KERNEL_SS, ktop), 0, "stack_switch returns 0");
	gpv_test_eq(gpv_callback_op(CALLBACKOP_register, &cb), 0, "register the syscall callback");
	gpv_trap_set_hook(GPV_VEC_SYSCALL, hook_to_kernel);
	gpv_trap_set_hook(3, hook_to_kernel);
	gpv_trap_set_hook(13, hook_to_kernel);

	run_user(t_user_syscall);
	gpv_test_eq(hits, 1, "syscall from user mode reaches the syscall callback");
	gpv_test_eq((long)seen.rip, (long)t_user_syscall_after,
		    "callback rip is after the syscall");
	gpv_test_eq((long)(seen.cs & 3), 3, "callback cs is user mode (RPL 3)");
	gpv_test_eq((long)seen.rax, 0x5151, "rax from user mode is preserved");
	gpv_test_checkf(seen_frame < ktop && seen_frame > ktop - sizeof(kstack),
			"the bounce frame is on the stack_switch stack", "frame at %lx",
			seen_frame);
	gpv_test_eq((long)seen.rsp, (long)(ustack + sizeof(ustack) - 64),
		    "callback rsp is the user rsp");

	run_user(t_user_int3);
	gpv_test_eq(hits, 1, "int3 from user mode reaches #BP");
	gpv_test_eq((long)(seen.cs & 3), 3, "#BP from user mode has cs RPL 3");
	gpv_test_eq((long)seen.vector, 3, "vector is 3");

	run_user(t_user_int80);
	gpv_test_eq(hits, 1, "int $0x80 from user mode with no gate raises #GP");
	gpv_test_eq((long)seen.vector, 13, "vector is 13");
	gpv_test_eq((long)seen.error, (0x80 << 3) | 2, "#GP error code is (0x80 << 3) | 2");

	{
		static uint64_t user_word = 0x7575757575757575UL,
				kernel_word = 0x4b4b4b4b4b4b4b4bUL;
		uint64_t v;

		gpv_set_segment_base(SEGBASE_GS_USER, (unsigned long)&user_word);
		gpv_set_segment_base(SEGBASE_GS_KERNEL, (unsigned long)&kernel_word);
		run_user(t_user_gs);
		gpv_test_eq((long)seen.rax, (long)user_word, "user mode sees the user GS base");
		asm volatile("movq %%gs:0, %0" : "=r"(v));
		gpv_test_eq((long)v, (long)kernel_word, "back in the kernel, the kernel GS base");
		gpv_set_segment_base(SEGBASE_GS_USER, 0);
		gpv_set_segment_base(SEGBASE_GS_KERNEL, 0);
	}

	gpv_trap_set_hook(14, hook_to_kernel);
	run_user(t_user_pf);
	gpv_test_eq(hits, 1, "a user-mode read of an unmapped page raises #PF");
	gpv_test_eq((long)seen.error, 4, "#PF error from user mode: U set, not present, read");
	gpv_test_eq((long)gpv_vcpu_info()->arch.cr2, 0x00007f0000002000L,
		    "vcpu_info arch.cr2 = the user fault address");
	gpv_test_eq((long)seen.rip, (long)t_user_pf, "#PF rip is the faulting user instruction");
	gpv_trap_set_hook(14, NULL);
	gpv_trap_set_hook(3, NULL);
	gpv_trap_set_hook(13, NULL);
}

static void check_multicall(void)
{
	multicall_entry_t mc[4];
	long rc;

	gpv_test_area("traps: multicall");
	memset(mc, 0, sizeof(mc));
	mc[0].op = __HYPERVISOR_xen_version;
	mc[0].args[0] = XENVER_version;
	mc[1].op = __HYPERVISOR_xen_version;
	mc[1].args[0] = XENVER_pagesize;
	mc[2].op = 60;
	gpv_test_eq(gpv_multicall(mc, 3), 0, "multicall of 3 returns 0");
	gpv_test_eq((long)mc[0].result, gpv_xen_version(XENVER_version, NULL),
		    "entry 0 result is xen_version");
	gpv_test_eq((long)mc[1].result, 4096, "entry 1 result is the page size");
	gpv_test_eq((long)mc[2].result, -XEN_ENOSYS, "entry 2 (unknown op) result is -ENOSYS");

	memset(mc, 0, sizeof(mc));
	mc[0].op = __HYPERVISOR_xen_version;
	mc[0].args[0] = XENVER_pagesize;
	mc[1].op = __HYPERVISOR_iret;
	mc[2].op = __HYPERVISOR_xen_version;
	mc[2].args[0] = XENVER_pagesize;
	mc[2].result = 0x1234;
	rc = t_mc_iret(mc, 3);
	gpv_test_eq((long)mc[0].result, 4096, "entry before the iret ran");
	gpv_test_eq((long)mc[2].result, 0x1234, "entry after the iret did not run");
	gpv_test_eq(rc, 0x7777, "the iret returned to its frame with its rax");
}

void traps_check_desc(void);

int gpv_main(void)
{
	check_int3();
	check_iret_words();
	traps_check_desc();
	check_faults();
	check_table_end();
	check_fpu();
	check_segbase();
	check_multicall();
	check_user();
	return gpv_test_finish();
}
