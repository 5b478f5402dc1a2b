#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# lxl's commands against Debian's xl in a real-Xen rig boot of their own
# (scenario lxl-cmd, rig_lxl_commands in tests/xen/dom0/lxl.sh): every
# listing, change and error compared with xl's on twin domains, pause,
# shutdown and reboot with -w, -a and -F. `make test` runs lxl-cmd inside
# test-xen-rig.sh's boot; this script is for running it alone (bash
# tests/xen/test-lxl-rig.sh, after make all).
set -uo pipefail

exec bash "$(dirname "$0")/rig.sh" --scenarios "${LXL_RIG_SCENARIOS:-lxl-cmd}" --timeout 900 \
	--log "$(dirname "$0")/../../build/tests/logs/lxl-rig-serial.log"
