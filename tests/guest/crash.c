// SPDX-License-Identifier: MIT
/*
 * crash: a kernel that dies on purpose. It loads a marker into r12 and
 * executes ud2 with no #UD hook; guest-pv's dispatcher prints the register
 * dump ("TRAP: vector 6 #UD ...", r12 showing the marker) and shuts down
 * with SHUTDOWN_crash. The boot scripts check the dump and that the
 * hypervisor saw a crash (Xen: "Hardware Dom0 crashed"; Lamina: exit code
 * 3) rather than a hang. It prints no RESULT line.
 */
#include <gpv/gpv.h>

int gpv_main(void)
{
	gpv_printf("INFO: crash: executing ud2 with r12 = 0xc0ffee0ddba11\n");
	asm volatile("movabsq $0xc0ffee0ddba11, %%r12\n\tud2" ::: "r12", "memory");
	return 1;
}
