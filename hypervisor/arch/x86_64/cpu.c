// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-CPU descriptor tables. Each CPU has a full 8192-entry GDT: entries
 * below HV_GDT_FIRST_RESERVED are the guest's (empty for now); the reserved
 * ones hold Xen's flat selectors and the TSS:
 *
 *   0xe008 ring-0 code 64   0xe010 ring-0 data      0xe023 ring-3 code 32
 *   0xe02b ring-3 data      0xe033 ring-3 code 64   0xe038 ring-0 code 32
 *   0xe040 TSS (16 bytes)
 *
 * SYSCALL enters on 0xe008 (STAR[47:32]); SYSRET would use 0xe020 as base.
 */
#include <asm/percpu.h>
#include <asm/traps.h>
#include <asm/x86.h>
#include <lamina/console.h>
#include <lamina/lib.h>

#define IDT_ENTRIES 256

struct idt_gate {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, rsvd;
} __attribute__((packed));

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

struct percpu percpu[HV_MAX_CPUS];
static uint64_t gdt[HV_MAX_CPUS][HV_GDT_ENTRIES] __attribute__((aligned(4096)));
static struct idt_gate idt[IDT_ENTRIES] __attribute__((aligned(4096)));

extern char idt_stubs[], syscall_entry[], cstar_entry[];

uint8_t hv_smap;

/*
 * SMEP and SMAP where the CPU has them (as Xen by default): the hypervisor
 * never runs code from a guest page, and reads or writes guest memory only
 * through arch_copy_raw (between STAC and CLAC). Every CPU has the boot
 * CPU's features here, so hv_smap is one flag for all.
 */
static void enable_smep_smap(unsigned int cpu)
{
	uint32_t a, b, c, d;
	uint64_t cr4 = read_cr4();

	cpuid_count(0, 0, &a, &b, &c, &d);
	if (a < 7)
		return;
	cpuid_count(7, 0, &a, &b, &c, &d);
	if (b & CPUID7_EBX_SMEP)
		cr4 |= X86_CR4_SMEP;
	if (b & CPUID7_EBX_SMAP) {
		cr4 |= X86_CR4_SMAP;
		hv_smap = 1;
	}
	write_cr4(cr4);
	if (cpu == 0)
		printk(LOG_INFO, "SMEP %s, SMAP %s", cr4 & X86_CR4_SMEP ? "on" : "off",
		       cr4 & X86_CR4_SMAP ? "on" : "off");
}

uint64_t *arch_cpu_gdt(unsigned int cpu)
{
	return gdt[cpu];
}

/*
 * #DF, NMI, #MC and #DB run on stacks of their own (IST): they can arrive while
 * RSP is not a hypervisor stack — in the first instructions of the SYSCALL
 * entry RSP is still the guest's — and must not push onto it.
 */
static uint8_t idt_ist(unsigned int vector)
{
	if (vector == TRAP_DF)
		return HV_IST_DF;
	if (vector == TRAP_NMI)
		return HV_IST_NMI;
	if (vector == TRAP_MC)
		return HV_IST_MC;
	if (vector == TRAP_DB)
		return HV_IST_DB; /* XSA-260: a MOV SS shadow delays it into the entry */
	return 0;
}

void arch_idt_init(void)
{
	for (unsigned int v = 0; v < IDT_ENTRIES; v++) {
		uint64_t a = (uint64_t)idt_stubs + 16 * v;
		/* int3 and into may be used from ring 3; everything else is a #GP. */
		uint8_t dpl = (v == 3 || v == 4) ? 3 : 0;

		idt[v] = (struct idt_gate){
			.off0 = (uint16_t)a,
			.sel = HV_CS,
			.ist = idt_ist(v),
			.type = (uint8_t)(0x8e | (dpl << 5)),
			.off1 = (uint16_t)(a >> 16),
			.off2 = (uint32_t)(a >> 32),
		};
	}
}

static void gdt_init(unsigned int cpu)
{
	uint64_t *g = gdt[cpu];
	uint64_t t = (uint64_t)&percpu[cpu].tss;
	uint64_t lim = sizeof(struct tss64) - 1;

	g[HV_CS >> 3] = 0x00af9a000000ffffULL;
	g[HV_DS >> 3] = 0x00cf92000000ffffULL;
	g[HV_GUEST_CS32 >> 3] = 0x00cffa000000ffffULL;
	g[HV_GUEST_DS >> 3] = 0x00cff2000000ffffULL;
	g[HV_GUEST_CS64 >> 3] = 0x00affa000000ffffULL;
	g[(HV_CS >> 3) + 6] = 0x00cf9a000000ffffULL;
	g[HV_TSS_SEL >> 3] = (lim & 0xffff) | ((t & 0xffffff) << 16) | (0x89ULL << 40) |
			     ((lim >> 16) << 48) | (((t >> 24) & 0xff) << 56);
	g[(HV_TSS_SEL >> 3) + 1] = t >> 32;
}

void arch_cpu_init(unsigned int cpu)
{
	struct percpu *pc = &percpu[cpu];
	struct desc_ptr gp = { sizeof(gdt[0]) - 1, (uint64_t)gdt[cpu] };
	struct desc_ptr ip = { sizeof(idt) - 1, (uint64_t)idt };

	pc->id = cpu;
	pc->stack_top = (uint64_t)(cpu_stacks[cpu] + HV_STACK_SIZE);
	pc->tss.rsp[0] = pc->stack_top;
	for (unsigned int i = 1; i <= HV_IST_COUNT; i++)
		pc->tss.ist[i - 1] = (uint64_t)(cpu_stacks[cpu] + i * HV_IST_STACK_SIZE);
	pc->tss.iomap_base = sizeof(struct tss64);
	gdt_init(cpu);

	asm volatile("lgdt %0" : : "m"(gp));
	asm volatile("lidt %0" : : "m"(ip));
	/* Reload CS through a far return, and the data segments. */
	asm volatile("pushq %0\n\t"
		     "leaq 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "lretq\n"
		     "1:\n\t"
		     "xorl %%eax, %%eax\n\t"
		     "movl %%eax, %%ds\n\t"
		     "movl %%eax, %%es\n\t"
		     "movl %%eax, %%ss\n\t"
		     :
		     : "i"((uint64_t)HV_CS)
		     : "rax", "memory");
	asm volatile("ltr %w0" : : "r"((uint16_t)HV_TSS_SEL));
	/*
	 * A null LDT, as Xen loads for a guest without one: the LDTR a CPU
	 * comes out of reset with (base 0, limit 0xffff) would otherwise make
	 * linear address 0 - guest memory - the LDT, and a guest's far call
	 * through a selector with TI set would find a call gate there.
	 */
	asm volatile("lldt %w0" : : "r"((uint16_t)0));
	/*
	 * SSE for the guests (OSFXSR, OSXMMEXCPT), as Xen sets them: without
	 * them a guest's first SSE instruction (Linux's ldmxcsr in
	 * kernel_fpu_begin) is #UD. The hypervisor itself uses no SSE.
	 */
	write_cr4(read_cr4() | 0x200 | 0x400);
	enable_smep_smap(cpu);

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)(HV_GUEST_CS32 & ~3) << 48) | ((uint64_t)HV_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_CSTAR, (uint64_t)cstar_entry);
	/* Clear TF, IF, DF, IOPL, NT, AC on entry. */
	wrmsr(MSR_SFMASK, 0x47700);
	wrmsr(MSR_SYSENTER_CS, HV_CS);
	wrmsr(MSR_SYSENTER_ESP, pc->stack_top);
	wrmsr(MSR_SYSENTER_EIP, (uint64_t)sysenter_entry);
	wrmsr(MSR_SHADOW_GS_BASE, (uint64_t)pc);
	wrmsr(MSR_GS_BASE, 0);
	wrmsr(MSR_FS_BASE, 0);
}
