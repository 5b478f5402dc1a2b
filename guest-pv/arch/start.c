// SPDX-License-Identifier: MIT
/*
 * C start of day: keep the start_info pointer, map shared_info at the page
 * reserved for it, pick the console, run gpv_main() and shut down with its
 * verdict.
 */
#include <gpv/gpv.h>
#include <gpv/traps.h>

start_info_t *gpv_start_info;
shared_info_t *gpv_shared_info;

/* The page shared_info is mapped at (its original frame is wasted). */
static char shared_info_page[4096] __attribute__((aligned(4096)));

static void map_shared_info(void)
{
	uint64_t pte = gpv_start_info->shared_info | 7; /* P|RW|US */

	if (gpv_update_va_mapping((unsigned long)shared_info_page, pte, UVMF_INVLPG) == 0)
		gpv_shared_info = (shared_info_t *)shared_info_page;
}

bool gpv_is_dom0(void)
{
	return gpv_start_info && (gpv_start_info->flags & SIF_INITDOMAIN);
}

struct vcpu_info *gpv_vcpu_info(void)
{
	return gpv_shared_info ? &gpv_shared_info->vcpu_info[0] : NULL;
}

void gpv_start(start_info_t *si)
{
	int rc;

	gpv_start_info = si;
	map_shared_info();
	gpv_console_init();
	gpv_traps_init();
	rc = gpv_main();
	gpv_exit(rc != 0);
}
