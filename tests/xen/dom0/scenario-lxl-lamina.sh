# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# lxl, Lamina's toolstack, on real Xen under Lamina's xenstored with Lamina's
# console backend, lamina-consoled, in xenconsoled's place (see lxl.sh):
# the basics, 5 create/destroy cycles back to baseline, then hostile console
# rings. Run alone, it starts Lamina's xenstored first.

xs_running || rig_start_lamina_xenstored lxl-lamina
if rig_start_lamina_consoled lxl-lamina; then
	rig_lxl lxl-lamina cycles 5
	rig_consoled_hostile lxl-lamina
fi
