# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# lxl, Lamina's toolstack, on real Xen under Xen's own xenstored and
# xenconsoled, with the restart policies (see lxl.sh for the checks). Run
# alone, it starts them.

xs_running || rig_start_xen_xenstored lxl-xen
rig_lxl lxl-xen policies
