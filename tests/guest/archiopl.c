// SPDX-License-Identifier: MIT
/*
 * archiopl: VMASST_TYPE_architectural_iopl. Once enabled, the guest kernel
 * has virtual CPL 0 (Xen 4.17's iopl_ok), so its cli/sti and port I/O are
 * emulated whatever the virtual IOPL - the one PHYSDEVOP_set_iopl set or
 * the one its last iret hypercall loaded from EFLAGS. Guest user mode still
 * needs IOPL 3.
 */
#include <gpv/gpv.h>
#include <gpv/evtchn.h>
#include <gpv/probe.h>
#include <gpv/test.h>
#include "umode.h"

#define PORT_POST 0x80

void t_iret_iopl(unsigned long rflags);
void t_user_inb(void);

static long set_iopl(unsigned int iopl)
{
	struct physdev_set_iopl op = { .iopl = iopl };

	return gpv_physdev_op(PHYSDEVOP_set_iopl, &op);
}

static void check_kernel(const char *how)
{
	uint8_t v = 0;
	char name[96];

	gpv_snprintf(name, sizeof(name), "cli at %s completes", how);
	gpv_test_checkf(gpv_probe_cli(), name, "vector %lu", (unsigned long)gpv_last_fault.vector);
	gpv_snprintf(name, sizeof(name), "sti at %s completes", how);
	gpv_test_check(gpv_probe_sti(), name);
	gpv_snprintf(name, sizeof(name), "out at %s completes", how);
	gpv_test_check(gpv_probe_outb(PORT_POST, 0x42), name);
	gpv_snprintf(name, sizeof(name), "in at %s completes", how);
	gpv_test_check(gpv_probe_inb(PORT_POST, &v), name);
}

static void check_user(void)
{
	struct gpv_regs r;

	if (!gpv_test_check(umode_init(), "user mode set up"))
		return;
	gpv_trap_set_hook(13, umode_back);
	gpv_trap_set_hook(GPV_VEC_SYSCALL, umode_back);
	umode_regs(&r, t_user_inb);
	umode_run(&r);
	gpv_test_eq(umode_hits, 1, "user-mode in with virtual IOPL 0: one trap");
	gpv_test_eq((long)umode_seen.vector, 13, "it is #GP");
	gpv_trap_set_hook(13, NULL);
}

int gpv_main(void)
{
	gpv_test_area("archiopl");
	gpv_test_eq(set_iopl(0), 0, "PHYSDEVOP_set_iopl(0)");
	gpv_test_check(!gpv_probe_cli(), "without the assist, cli at IOPL 0 faults");
	gpv_test_eq(gpv_vm_assist(VMASST_CMD_enable, VMASST_TYPE_architectural_iopl), 0,
		    "vm_assist enable architectural_iopl");
	check_kernel("set_iopl(0)");
	t_iret_iopl(0x2);
	check_kernel("IOPL 0 from iret");
	t_iret_iopl(0x3002);
	check_kernel("IOPL 3 from iret");
	t_iret_iopl(0x2);
	check_user();
	gpv_events_mask(1);
	return gpv_test_finish();
}
