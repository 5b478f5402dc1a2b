# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# lxl's other commands against Debian's xl under Xen's xenstored and
# xenconsoled (rig_lxl_commands in lxl.sh), in the main rig boot after
# lxl-xen (or alone: tests/xen/test-lxl-rig.sh): listings, changes, errors, pause, shutdown
# and reboot with -w, -a and -F on pvctl.elf guests.

xs_running || rig_start_xen_xenstored lxl-cmd
if [ ! -x "$LXL" ]; then
	rig_fail lxl-cmd.lxl-present "$LXL not built"
else
	rig_lxl_fallback_start lxl-cmd
	rig_lxl_commands lxl-cmd
	rig_lxl_sched_credit lxl-cmd
	rig_lxl_fallback_check lxl-cmd
	rig_lxl_shutdown_all lxl-cmd
fi
