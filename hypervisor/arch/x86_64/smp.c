// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bringing up the other CPUs: copy the trampoline below 1 MiB, broadcast
 * INIT-SIPI-SIPI, and wait until as many CPUs as the ACPI MADT lists have
 * arrived (without a MADT: until the count stops changing). Each AP loads
 * its own descriptor tables and enables its local APIC. By default it then
 * sets up its timer (its own scheduler tick) and joins the scheduler once
 * dom0 is built (sched_ap_start); with lamina_smp=off it idles with
 * interrupts on for good (the flush IPIs still reach it) and only the boot
 * CPU runs guests.
 */
#include <asm/percpu.h>
#include <asm/setup.h>
#include <asm/x86.h>
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/schedule.h>

#define TRAMP_BASE 0x6000
#define APIC_ICR_LO 0x300
#define APIC_ICR_HI 0x310
#define APIC_ID 0x20

extern char ap_trampoline_start[], ap_trampoline_end[];
extern uint64_t tramp_cr3, tramp_efer, tramp_entry, tramp_stacks;
extern uint32_t tramp_count;

static volatile unsigned int nr_online = 1;

void ap_start(unsigned int cpu);

void ap_start(unsigned int cpu)
{
	arch_cpu_init(cpu);
	apic_cpu_init(false);
	percpu[cpu].apic_id = apic_read(APIC_ID) >> 24;
	percpu[cpu].online = true;
	printk(LOG_DEBUG, "CPU%u up (APIC id %u)", cpu, percpu[cpu].apic_id);
	__atomic_add_fetch(&nr_online, 1, __ATOMIC_SEQ_CST);
	if (sched_smp_enabled()) {
		apic_cpu_init(true);
		sched_ap_start();
	}
	/* Idle with interrupts on: the flush IPIs (flush.c) must get through. */
	for (;;)
		asm volatile("sti; hlt; cli" ::: "memory");
}

unsigned int arch_nr_cpus(void)
{
	return __atomic_load_n(&nr_online, __ATOMIC_SEQ_CST);
}

static void wait_ns(uint64_t ns)
{
	uint64_t end = arch_now_ns() + ns;

	while (arch_now_ns() < end)
		cpu_relax();
}

static void send_ipi_all_but_self(uint32_t lo)
{
	apic_write(APIC_ICR_HI, 0);
	apic_write(APIC_ICR_LO, lo);
	for (int i = 0; i < 100000 && (apic_read(APIC_ICR_LO) & (1u << 12)); i++)
		cpu_relax();
}

unsigned int smp_boot(void)
{
	size_t len = ap_trampoline_end - ap_trampoline_start;
	uint8_t *tramp = maddr_to_virt(TRAMP_BASE);
	unsigned int last, expect = acpi_count_cpus();

	percpu[0].apic_id = apic_read(APIC_ID) >> 24;
	if (expect == 1)
		return 1;
	memcpy(tramp, ap_trampoline_start, len);
#define TRAMP_WORD(sym) (*(uint64_t *)(tramp + ((char *)&(sym)-ap_trampoline_start)))
	TRAMP_WORD(tramp_cr3) = read_cr3();
	TRAMP_WORD(tramp_efer) = rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE);
	TRAMP_WORD(tramp_entry) = (uint64_t)ap_start;
	TRAMP_WORD(tramp_stacks) = (uint64_t)cpu_stacks;
#undef TRAMP_WORD

	send_ipi_all_but_self(0x000c4500); /* INIT */
	wait_ns(10000000);
	send_ipi_all_but_self(0x000c4600 | (TRAMP_BASE >> 12)); /* SIPI */
	wait_ns(200000);
	send_ipi_all_but_self(0x000c4600 | (TRAMP_BASE >> 12));

	/*
	 * Wait for the CPUs the MADT lists (at most 5 s); without a MADT, until
	 * no new CPU has arrived for 300 ms.
	 */
	if (expect > HV_MAX_CPUS)
		expect = HV_MAX_CPUS;
	for (int i = 0; i < 500 && expect; i++) {
		if (nr_online >= expect)
			return nr_online;
		wait_ns(10000000);
	}
	if (expect)
		printk(LOG_WARN, "only %u of %u CPUs came up", nr_online, expect);
	for (int i = 0; !expect && i < 10; i++) {
		last = nr_online;
		wait_ns(300000000);
		if (nr_online == last)
			break;
	}
	return nr_online;
}
