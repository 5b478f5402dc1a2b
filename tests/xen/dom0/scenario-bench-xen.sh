# SPDX-License-Identifier: GPL-2.0-only
#
# The xenstore benchmark against Xen's C xenstored (see bench.sh).

rig_xs_bench xen
