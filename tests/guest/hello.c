// SPDX-License-Identifier: MIT
/*
 * The smallest guest-pv kernel: say hello on the console and power off.
 * It is the first kernel a new hypervisor boots.
 */
#include <gpv/gpv.h>
#include <gpv/test.h>

int gpv_main(void)
{
	gpv_printf("hello from guest-pv (start_info %p, magic %s)\n", (void *)gpv_start_info,
		   gpv_start_info->magic);
	gpv_test_area("hello");
	gpv_test_check(true, "console_io write reached the console");
	return gpv_test_finish();
}
