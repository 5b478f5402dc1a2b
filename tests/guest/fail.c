// SPDX-License-Identifier: MIT
/*
 * fail: a kernel whose one check fails on purpose, to prove the verdict
 * path: it must end with "RESULT: 0 passed, 1 failed" and SHUTDOWN_reboot
 * (Xen: "Hardware Dom0 shutdown: rebooting machine"; Lamina: exit code 1),
 * never with the poweroff that means success. The boot scripts check that.
 */
#include <gpv/gpv.h>
#include <gpv/test.h>

int gpv_main(void)
{
	gpv_test_area("fail");
	gpv_test_eq(gpv_xen_version(XENVER_pagesize, NULL), 4097,
		    "deliberate failure: the page size is 4097");
	return gpv_test_finish();
}
