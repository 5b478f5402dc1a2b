// SPDX-License-Identifier: GPL-2.0-only
/*
 * The boot CPU's C entry: console, loader information, command line,
 * descriptor tables, memory, time, the other CPUs, then the generic boot.
 */
#include <asm/percpu.h>
#include <asm/pv.h>
#include <asm/setup.h>
#include <asm/x86.h>
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/lib.h>
#include <lamina/mm.h>

extern char _image_start[], _end[];
static struct boot_info boot_info;

void arch_halt_forever(void)
{
	for (;;)
		asm volatile("cli; hlt");
}

void arch_machine_exit(unsigned int code, bool reboot)
{
	outl(HV_DEBUG_EXIT_PORT, code);
	if (reboot && !boot_opts.noreboot) {
		printk(LOG_ERR, "rebooting");
		outb(0x64, 0xfe);
	}
	printk(LOG_ERR, "halted");
	arch_halt_forever();
}

/* Moves the legacy PICs to vectors 0x20-0x2f and masks every line: Lamina
 * uses the local APIC only, and a stray IRQ must not look like an exception. */
static void pic_disable(void)
{
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 0x20);
	outb(0xa1, 0x28);
	outb(0x21, 0x04);
	outb(0xa1, 0x02);
	outb(0x21, 0x01);
	outb(0xa1, 0x01);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

static void reserve_boot_ranges(const struct boot_info *bi)
{
	mm_reserve(0, 1 << 20);
	mm_reserve(image_virt_to_maddr(_image_start), image_virt_to_maddr(_end));
	for (unsigned int i = 0; i < bi->nr_modules; i++)
		mm_reserve(bi->mod[i].start & PAGE_MASK, ROUNDUP(bi->mod[i].end, PAGE_SIZE));
}

void start_lamina(uint32_t magic, uint32_t info)
{
	struct boot_info *bi = &boot_info;
	unsigned int ncpus;

	console_init();
	if (multiboot_parse(magic, info, bi) < 0) {
		printk(LOG_ERR, "not booted by a multiboot loader (magic %x)", magic);
		arch_machine_exit(LAMINA_EXIT_PANIC, false);
	}
	cmdline_parse(bi->cmdline, &boot_opts);
	console_set_level(boot_opts.loglvl < 0 ? LOG_ERR : (enum log_level)boot_opts.loglvl);
	console_set_enabled(!boot_opts.console_none);
	pic_disable();
	arch_idt_init();
	arch_cpu_init(0);
	arch_fpu_check();
	percpu[0].online = true;

	printk(LOG_INFO, "Lamina hypervisor, Xen 4.17 PV ABI (%s)", bi->loader);
	printk(LOG_INFO, "command line: %s", bi->cmdline);
	for (unsigned int i = 0; i < bi->nr_ranges; i++)
		printk(LOG_DEBUG, " RAM %016lx - %016lx", bi->ram[i].start, bi->ram[i].end);
	for (unsigned int i = 0; i < bi->nr_modules; i++)
		printk(LOG_INFO, "module %u: %08lx-%08lx '%s'", i, bi->mod[i].start, bi->mod[i].end,
		       bi->mod[i].cmdline);

	reserve_boot_ranges(bi);
	mm_init(bi);
	time_init();
	ncpus = smp_boot();
	printk(LOG_INFO, "%u CPU%s online", ncpus, ncpus == 1 ? "" : "s");
	paging_drop_identity();
	lamina_main(bi);
}
