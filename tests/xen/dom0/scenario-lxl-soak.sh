# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# The issue's soak (`make soak`, not in make test): LXL_SOAK_CYCLES (100)
# lxl create/destroy cycles of a guest with a disk and a vif under Lamina's
# xenstored and lamina-consoled, then everything back at its baseline: the
# whole store, Xen's free memory, dom0's event channels, both daemons' open
# files and mappings (rig_lxl_cycles in lxl.sh). make test runs 5 in lxl-lamina.

xs_running || rig_start_lamina_xenstored lxl-soak
rig_start_lamina_consoled lxl-soak && rig_lxl_cycles lxl-soak "${LXL_SOAK_CYCLES:-100}"
