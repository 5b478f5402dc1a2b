# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# lxl, Lamina's toolstack, on real Xen under Lamina's xenstored (see lxl.sh).
# Run alone, it starts Lamina's xenstored and Xen's xenconsoled.

xs_running || rig_start_lamina_xenstored lxl-lamina
rig_lxl lxl-lamina
