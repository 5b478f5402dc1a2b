// SPDX-License-Identifier: GPL-2.0-only
/*
 * Running a PV vCPU: the first entry, the kernel/user toggle (page table and
 * GS bases, as Xen's toggle_guest_mode), and the end of a domain. dom0's end
 * is the machine's end: its shutdown reason becomes the exit code.
 */
#include <asm/paging.h>
#include <asm/percpu.h>
#include <asm/pv/dom0_build.h>
#include <asm/x86.h>
#include <lamina/arch.h>
#include <lamina/console.h>
#include <lamina/domain.h>
#include <lamina/hypercall.h>
#include <lamina/lib.h>
#include <lamina/mm.h>
#include <xen/sched.h>

struct vcpu *current_vcpu(void)
{
	return this_cpu()->curr;
}

void pv_load_context(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;
	mfn_t l4 = a->kernel_mode ? a->guest_table : a->guest_table_user;

	write_cr3(mfn_x(l4) << PAGE_SHIFT);
	wrmsr(MSR_FS_BASE, a->fs_base);
	wrmsr(MSR_GS_BASE, a->kernel_mode ? a->gs_base_kernel : a->gs_base_user);
}

/*
 * Kernel and user mode share the FS base, so only the L4 and the GS base
 * change (as Xen's toggle_guest_mode, which leaves FS alone): one WRMSR
 * fewer on every user/kernel switch, and an FS base the guest loaded
 * through a selector survives the switch as it does on Xen.
 */
void pv_toggle_guest_mode(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;

	a->kernel_mode = !a->kernel_mode;
	write_cr3(mfn_x(a->kernel_mode ? a->guest_table : a->guest_table_user) << PAGE_SHIFT);
	wrmsr(MSR_GS_BASE, a->kernel_mode ? a->gs_base_kernel : a->gs_base_user);
}

void domain_run_dom0(void)
{
	struct vcpu *v = &dom0.vcpu0;
	struct cpu_regs *regs = cpu_guest_regs(this_cpu()->id);

	dom0.shutdown_code = -1;
	dom0.periodic_ns = 10000000ULL; /* Xen's default periodic timer: 10 ms */
	dom0.periodic_next = arch_now_ns() + dom0.periodic_ns;
	v->arch.kernel_mode = true;
	this_cpu()->curr = v;
	dom0_initial_regs(regs);
	pv_load_context(v);
	printk(LOG_INFO, "starting dom0");
	arch_enter_frame(regs);
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
	static const char *const names[] = { "poweroff", "reboot",   "suspend",
					     "crash",	 "watchdog", "soft_reset" };
	unsigned int code = reason;

	d->is_shutdown = true;
	d->shutdown_reason = reason;
	if (reason == SHUTDOWN_poweroff && d->shutdown_code > 0)
		code = (unsigned int)d->shutdown_code;
	printk(LOG_INFO, "dom%u shut down: %s (%u); ending the machine with code %u", d->id,
	       reason < ARRAY_SIZE(names) ? names[reason] : "unknown", reason, code);
	/* Back on the hypervisor's own tables before the guest's go away. */
	write_cr3(image_virt_to_maddr(paging_idle_l4()));
	arch_machine_exit(code, reason == SHUTDOWN_reboot);
}

void domain_crash(struct domain *d, const char *why)
{
	struct cpu_regs *regs = cpu_guest_regs(this_cpu()->id);

	printk(LOG_ERR, "dom%u crashed: %s", d->id, why);
	arch_dump_regs("guest registers:", regs);
	domain_shutdown(d, SHUTDOWN_crash);
}
