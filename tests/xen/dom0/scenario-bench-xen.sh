# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# The xenstore benchmark against Xen's C xenstored over dom0's ring, then
# over the socket alternating with a second daemon, Lamina's (see bench.sh).

rig_xs_bench_ring xen-ring
rig_xs_bench_socket
