// SPDX-License-Identifier: MIT
/*
 * console_io for the initial domain: writes of every size (0, 1, one that
 * spans Xen's internal chunking), the read side with no input pending,
 * and the hostile cases: unmapped and non-canonical buffers, an unknown
 * sub-op.
 */
#include <gpv/gpv.h>
#include <gpv/test.h>

#define BAD_PTR ((void *)0x00007f0000000000UL)
#define NONCANON ((void *)0x8000000000000000UL)

int gpv_main(void)
{
	static char big[700];
	char rbuf[64];
	long rc;
	size_t i;

	gpv_test_area("console_io");
	gpv_test_eq(gpv_console_io(CONSOLEIO_write, 0, "x"), 0, "write of 0 bytes returns 0");
	gpv_test_eq(gpv_console_io(CONSOLEIO_write, 0, NULL), 0, "write of 0 bytes from NULL = 0");
	gpv_test_eq(gpv_console_io(CONSOLEIO_write, 1, "\n"), 0, "write of 1 byte returns 0");
	for (i = 0; i + 1 < sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	big[sizeof(big) - 2] = '\n';
	gpv_test_eq(gpv_console_io(CONSOLEIO_write, sizeof(big) - 1, big), 0,
		    "write of 699 bytes returns 0");
	gpv_test_eq(gpv_console_io(CONSOLEIO_write, 16, BAD_PTR), -XEN_EFAULT,
		    "write from an unmapped buffer = -EFAULT");
	gpv_test_eq(gpv_console_io(CONSOLEIO_write, 16, NONCANON), -XEN_EFAULT,
		    "write from a non-canonical buffer = -EFAULT");
	gpv_test_eq(gpv_console_io(CONSOLEIO_write, 16, (void *)HYPERVISOR_VIRT_START), -XEN_EFAULT,
		    "write from the hypervisor's range = -EFAULT");
	rc = gpv_console_io(CONSOLEIO_read, sizeof(rbuf), rbuf);
	gpv_test_checkf(rc >= 0 && rc <= (long)sizeof(rbuf), "read returns a byte count", "rc %ld",
			rc);
	gpv_test_eq(gpv_console_io(CONSOLEIO_read, 0, rbuf), 0, "read of 0 bytes returns 0");
	gpv_test_eq(gpv_console_io(99, 1, rbuf), -XEN_ENOSYS, "unknown sub-op = -ENOSYS");
	return gpv_test_finish();
}
