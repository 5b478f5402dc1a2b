# SPDX-License-Identifier: GPL-2.0-only
#
# The xenstore benchmark against Lamina's xenstored, and the ratio to the
# run against Xen's C xenstored earlier in the same boot (see bench.sh).

rig_xs_bench lamina
rig_xs_bench_ratio xen lamina
