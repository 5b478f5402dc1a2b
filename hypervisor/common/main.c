// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic boot: build dom0 from the first module and the boot-time
 * domUs from the modules domu= names, then schedule them. Everything
 * after this point happens in traps and hypercalls.
 */
#include <lamina/arch.h>
#include <lamina/boot.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <lamina/schedule.h>

const struct boot_info *hv_boot_info;

void lamina_main(struct boot_info *bi)
{
	int rc;

	hv_boot_info = bi;
	hypercall_init();
	sched_boot_init();
	/* XENVER_commandline: the loader's line without the image name, as Xen. */
	strlcpy(hv_cmdline, bi->cmdline, sizeof(hv_cmdline));
	if (boot_opts.selftest_fault) {
		printk(LOG_WARN, "lamina_selftest=hvfault: faulting on purpose");
		(void)*(volatile uint64_t *)0x8000000000000000ULL;
	}
	if (boot_opts.selftest_stack) {
		printk(LOG_WARN,
		       "lamina_selftest=stackfault: faulting with a bad stack on purpose");
		arch_selftest_stack_fault();
	}
	if (boot_opts.selftest_domains)
		domain_selftest();
	if (boot_opts.selftest_tlb)
		mm_flush_selftest();
	if (bi->nr_modules < 1) {
		printk(LOG_ERR, "no dom0 kernel (the first multiboot module)");
		arch_machine_exit(LAMINA_EXIT_NO_DOM0, false);
	}
	rc = domain_build_dom0(bi);
	if (rc < 0) {
		printk(LOG_ERR, "dom0 build failed: %d", rc);
		arch_machine_exit(LAMINA_EXIT_NO_DOM0, false);
	}
	domain_build_boot_domus(bi);
	domain_run_dom0();
}
