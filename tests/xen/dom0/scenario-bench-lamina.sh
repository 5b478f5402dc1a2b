# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# The xenstore benchmark against Lamina's xenstored over dom0's ring, and the
# ratio to Xen's C xenstored's run earlier in the same boot (see bench.sh).

rig_xs_bench_ring lamina-ring
rig_xs_bench_ratio xen-ring lamina-ring
