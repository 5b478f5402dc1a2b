// SPDX-License-Identifier: GPL-2.0-only
/*
 * A dom0 that checks the initrd the builder handed it: start_info's
 * mod_start/mod_len (mapped after the kernel, as a kernel without
 * MOD_START_PFN gets it), and the bytes themselves against the size and
 * byte sum tests/boot/boot.sh passes on the command line as
 * "size=<n> sum=<s>".
 */
#include <gpv/gpv.h>
#include <gpv/test.h>

static unsigned long option(const char *line, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = line; *p; p++) {
		if ((p == line || p[-1] == ' ') && !strncmp(p, name, n)) {
			unsigned long v = 0;

			for (p += n; *p >= '0' && *p <= '9'; p++)
				v = v * 10 + (unsigned long)(*p - '0');
			return v;
		}
	}
	return ~0UL;
}

int gpv_main(void)
{
	const start_info_t *si = gpv_start_info;
	const char *line = (const char *)si->cmd_line;
	unsigned long size = option(line, "size="), sum = option(line, "sum="), got = 0;
	const uint8_t *p = (const uint8_t *)si->mod_start;

	gpv_test_area("initrd");
	gpv_test_checkf(size != ~0UL && sum != ~0UL, "size= and sum= on the command line", "'%s'",
			line);
	gpv_test_eq((long)si->mod_len, (long)size, "mod_len is the module's length");
	gpv_test_check(!(si->flags & SIF_MOD_START_PFN), "mapped initrd: mod_start is an address");
	gpv_test_check(si->mod_start >= (unsigned long)_end, "the initrd lies after the kernel");
	gpv_test_check(si->mod_start + si->mod_len <= si->mfn_list,
		       "and before the p2m list (start-of-day order)");
	if (si->mod_len == size) {
		for (unsigned long i = 0; i < size; i++)
			got += p[i];
		gpv_test_eq((long)got, (long)sum, "the initrd's bytes arrived intact");
	}
	return gpv_test_finish();
}
