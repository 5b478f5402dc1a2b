#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The rig on Lamina: the real-Xen rig's dom0 image (Debian's kernel, xl,
# Lamina's xenstored, lxl and lamina-consoled) booted as dom0 of
# build/lamina instead of Xen (rig.sh --hv lamina), running scenario
# lxl-hv: lxl creates, lists, shows the console of and destroys guest-pv
# domUs on Lamina (see docs/xen-rig.md).
set -uo pipefail

exec bash "$(dirname "$0")/rig.sh" --hv lamina --scenarios "${LAMINA_RIG_SCENARIOS:-lxl-hv}" \
	--timeout 540 --log "$(dirname "$0")/../../build/tests/logs/lamina-rig-serial.log"
