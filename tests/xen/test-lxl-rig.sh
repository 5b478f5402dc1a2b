#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# lxl's commands against Debian's xl in a real-Xen rig boot of their own
# (scenario lxl-cmd, rig_lxl_commands in tests/xen/dom0/lxl.sh): every
# listing, change and error compared with xl's on twin domains, pause,
# shutdown and reboot with -w, -a and -F. Its own boot keeps the main rig
# (test-xen-rig.sh) inside QEMU's 720 s limit: these checks cost 60-180 s
# on this machine, depending on the load.
set -uo pipefail

exec bash "$(dirname "$0")/rig.sh" --scenarios "${LXL_RIG_SCENARIOS:-lxl-cmd}" --timeout 480 \
	--log "$(dirname "$0")/../../build/tests/logs/lxl-rig-serial.log"
