// SPDX-License-Identifier: MIT
/*
 * pvctl: a domU that answers the toolstack's shutdown requests as Linux's
 * drivers/xen/manage.c does, for `xl`/`lxl shutdown` and `reboot` in the
 * rig. It advertises control/feature-poweroff and feature-reboot, watches
 * control/shutdown, and for "poweroff", "halt" or "reboot" acknowledges in a
 * transaction (writes "" to the node, which is what xl waits for) and then
 * shuts down with SHUTDOWN_poweroff or SHUTDOWN_reboot. Anything else is
 * ignored with a line (and not acknowledged). With "nocontrol" on its
 * command line it has no PV control at all: it only idles, and a request
 * stays unanswered (the case of xl's -F). It never ends by itself.
 */
#include <gpv/gpv.h>
#include <gpv/time.h>
#include <gpv/xenbus.h>

#define SECOND 1000000000ULL

/* Read control/shutdown and clear it in one transaction; 0 = empty or gone. */
static long take_request(char *cmd, size_t size)
{
	uint32_t tx;
	long rc;

	for (int tries = 0; tries < 16; tries++) {
		if (gpv_xs_transaction_start(&tx))
			return -1;
		rc = gpv_xs_read(tx, "control/shutdown", cmd, size);
		if (rc <= 0) {
			gpv_xs_transaction_end(tx, true);
			return 0;
		}
		/* As Linux: only a request this kernel carries out is acknowledged. */
		if (strcmp(cmd, "poweroff") && strcmp(cmd, "halt") && strcmp(cmd, "reboot")) {
			gpv_xs_transaction_end(tx, true);
			return rc;
		}
		gpv_xs_write(tx, "control/shutdown", "");
		rc = gpv_xs_transaction_end(tx, false);
		if (rc == 0)
			return 1;
		if (rc != -XEN_EAGAIN)
			return -1;
	}
	return -1;
}

static void idle_forever(void)
{
	for (;;)
		gpv_poll_port(gpv_start_info->store_evtchn, gpv_time_now() + 10 * SECOND);
}

int gpv_main(void)
{
	char path[64], token[16], cmd[32];

	if (strstr((const char *)gpv_start_info->cmd_line, "nocontrol")) {
		gpv_printf("pvctl: no PV control, idling\n");
		idle_forever();
	}
	if (gpv_xs_init()) {
		gpv_printf("pvctl: no store ring, idling\n");
		idle_forever();
	}
	gpv_xs_write(0, "control/feature-poweroff", "1");
	gpv_xs_write(0, "control/feature-reboot", "1");
	if (gpv_xs_watch("control/shutdown", "shutdown")) {
		gpv_printf("pvctl: cannot watch control/shutdown, idling\n");
		idle_forever();
	}
	gpv_printf("pvctl: watching control/shutdown\n");
	for (;;) {
		long rc = gpv_xs_wait_watch(path, sizeof(path), token, sizeof(token), 10 * SECOND);

		if (rc == -XEN_ETIMEDOUT)
			continue;
		if (rc)
			break;
		rc = take_request(cmd, sizeof(cmd));
		if (rc < 0)
			break;
		if (rc == 0)
			continue;
		if (!strcmp(cmd, "reboot")) {
			gpv_printf("pvctl: reboot requested\n");
			gpv_shutdown(SHUTDOWN_reboot);
		} else if (!strcmp(cmd, "poweroff") || !strcmp(cmd, "halt")) {
			gpv_printf("pvctl: %s requested\n", cmd);
			gpv_shutdown(SHUTDOWN_poweroff);
		} else {
			gpv_printf("pvctl: ignoring shutdown request: %s\n", cmd);
		}
	}
	gpv_printf("pvctl: the store failed, idling\n");
	idle_forever();
	return 0;
}
