#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# lxl create -> first console line against xl create -> first console line,
# same config, same boot of the real-Xen rig, alternating; prints each run,
# the medians and the ratio lxl/xl (tests/xen/dom0/scenario-bench-lxl.sh).
#   lxl-create.sh [RUNS]   (default 5; `make test` runs 3 inside the rig)
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-5}
# The scenario reads LXL_BENCH_RUNS from dom0's environment: pass it on the
# kernel command line through rig.sh's scenario list is not possible, so a
# copy of the image carries it.
rig=$(mktemp -d)
trap 'rm -rf "$rig"' EXIT
cp "$top/build/xen-rig/xen.elf" "$top/build/xen-rig/vmlinux" "$rig/"
(
	cd "$rig" && mkdir img && cd img && cpio -id --quiet <"$top/build/xen-rig/dom0.cpio" &&
		sed -i "1a LXL_BENCH_RUNS=$runs" rig/scenario-bench-lxl.sh &&
		find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet >"$rig/dom0.cpio"
) || exit 1
XEN_RIG_DIR=$rig bash "$top/tests/xen/rig.sh" --scenarios "bench-lxl" |
	grep -E '^(BENCH|INFO: bench-lxl|FAIL)'
