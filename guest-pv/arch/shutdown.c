// SPDX-License-Identifier: MIT
/*
 * Ending the domain. Verdict convention (docs/guest-pv.md): success is
 * SHUTDOWN_poweroff (reason 0), failure SHUTDOWN_reboot (reason 1), a panic
 * SHUTDOWN_crash; Lamina turns the reason into the isa-debug-exit code.
 */
#include <gpv/gpv.h>

long gpv_shutdown(unsigned int reason)
{
	struct sched_shutdown s = { .reason = reason };

	gpv_console_flush();
	return gpv_sched_op(SCHEDOP_shutdown, &s);
}

static void __attribute__((noreturn)) stop_forever(void)
{
	for (;;)
		gpv_sched_op(SCHEDOP_yield, NULL);
}

void gpv_exit(int failed)
{
	gpv_shutdown(failed ? SHUTDOWN_reboot : SHUTDOWN_poweroff);
	stop_forever();
}

void gpv_panic(const char *msg)
{
	gpv_printf("PANIC: %s\n", msg);
	gpv_shutdown(SHUTDOWN_crash);
	stop_forever();
}
