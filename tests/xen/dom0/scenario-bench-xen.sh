# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# The xenstore benchmark: a first run of Xen's C xenstored over dom0's ring,
# then both daemons alternating over the socket (Lamina's as a second one on
# its own socket). See bench.sh.

rm -f /tmp/bench-xen-ring /tmp/bench-lamina-ring
rig_xs_bench_ring xen-ring
rig_xs_bench_socket
