# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# The xenstore benchmark over dom0's ring, Lamina's xenstored serving: runs
# alternate with Xen's C xenstored (the daemons swapped between runs) and
# the ratio per row is of the medians, Xen's first run (scenario bench-xen)
# included. Lamina's daemon serves again at the end. See bench.sh.

rig_xs_bench_ring_alternating
