// SPDX-License-Identifier: GPL-2.0-only
/*
 * A dom0 that reports a digest of the hypercall page its hypervisor wrote,
 * so tests/boot/on-xen.sh can compare Lamina's page with Xen's byte for
 * byte; it also checks one stub's bytes and that the page is reachable.
 */
#include <gpv/gpv.h>
#include <gpv/hypercall.h>
#include <gpv/test.h>

int gpv_main(void)
{
	const uint8_t *p = (const uint8_t *)gpv_hypercall_page;
	static const uint8_t stub17[14] = { 0x51, 0x41, 0x53, 0xb8, 17,	  0,	0,
					    0,	  0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3 };
	uint64_t digest = 0xcbf29ce484222325ULL;
	bool same = true;

	gpv_test_area("hcpage");
	for (unsigned int i = 0; i < 4096; i++)
		digest = (digest ^ p[i]) * 0x100000001b3ULL;
	for (unsigned int i = 0; i < sizeof(stub17); i++)
		same &= p[17 * 32 + i] == stub17[i];
	gpv_test_check(same, "stub 17 is push rcx; push r11; mov $17,eax; syscall; pop; pop; ret");
	gpv_test_info("digest %lx", (unsigned long)digest);
	return gpv_test_finish();
}
