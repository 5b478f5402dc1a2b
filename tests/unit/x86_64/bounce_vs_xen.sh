#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# x86_64/lib/bounce_frame against real Xen 4.17: hv_bounce_guest, dom0 on Xen under
# QEMU, takes int3 (#BP) and a blocked int $0x80 (#GP with its error code)
# through its own handlers at both stack alignments and prints the frames Xen
# built; bounce_tool computes Lamina's for the same state and compares
# address and words.
set -uo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
out=$top/build/tests
bin=$out/unit/x86_64
log=$out/logs/hv_bounce-xen.log
mkdir -p "$out/logs"

# shellcheck source=../../guest/boot-lib.sh
source "$top/tests/guest/boot-lib.sh"
GPV_CPU=Westmere gpv_boot_xen "$bin/bounce_guest.elf" "$log" 90
bad=0
if grep -q 'RESULT: 1 passed, 0 failed' "$log"; then
	echo "PASS: xen: the guest took its int3s and finished"
else
	echo "FAIL: xen: the guest did not finish (log $log)"
	bad=1
fi
tr -d '\r' <"$log" | "$bin/bounce_tool" || bad=1
exit $bad
