#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The real-Xen rig's test: one boot of Xen 4.17 + Debian dom0 under QEMU
# running the scenarios in order (see docs/xen-rig.md):
#   xen      baseline on Xen's own xenstored, xen-init-dom0, xenconsoled, xl
#   guests   guest-pv test kernels as domUs under xl (Xen's xenstored)
#   bench    xenstore benchmark against Xen's xenstored
#   lamina   Lamina's xenstored replaces Xen's; xl create/list/console/destroy
#   ...      the same guests, the hostile guest and the bench on Lamina's
# `make test` runs the scenarios that work (XEN_RIG_CI below); `make test-xen`
# sets XEN_RIG_SCENARIOS to all of them.
set -uo pipefail

XEN_RIG_CI="xen guests-xen bench-xen lamina guests-lamina hostile bench-lamina"
scenarios=${XEN_RIG_SCENARIOS:-$XEN_RIG_CI}
exec bash "$(dirname "$0")/rig.sh" --scenarios "$scenarios" --timeout 240
