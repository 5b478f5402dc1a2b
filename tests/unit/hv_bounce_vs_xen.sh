#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# pv/bounce_frame against real Xen 4.17: hv_bounce_guest, dom0 on Xen under
# QEMU, takes int3 (#BP) and a blocked int $0x80 (#GP with its error code)
# through its own handlers at both stack alignments and prints the frames Xen
# built; hv_bounce_tool computes Lamina's for the same state and compares
# address and words.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/tests
bin=$out/unit
xen=$out/hv_xen.elf
log=$out/logs/hv_bounce-xen.log
mkdir -p "$out/logs"

if [ ! -s "$xen" ]; then
	zcat /boot/xen-4.17-amd64.gz >"$xen.tmp" && mv "$xen.tmp" "$xen" ||
		{ echo "FAIL: xen: no /boot/xen-4.17-amd64.gz"; exit 1; }
fi
: >"$log"
setsid "$top/scripts/qemu-run.sh" --kernel "$xen" --cpu Westmere --mem 256 \
	--append "console=com1 com1=115200,8n1 loglvl=all dom0_mem=64M smap=0 smep=0" \
	--module "$bin/hv_bounce_guest.elf" --timeout 90 --log "$log" >/dev/null 2>&1 &
pid=$!
for ((i = 0; i < 450; i++)); do
	grep -qE 'Hardware Dom0 (halted|shutdown|crashed)|Panic' "$log" && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.2
done
kill -- -"$pid" 2>/dev/null
wait "$pid" 2>/dev/null
bad=0
if grep -q 'RESULT: 1 passed, 0 failed' "$log"; then
	echo "PASS: xen: the guest took its int3s and finished"
else
	echo "FAIL: xen: the guest did not finish (log $log)"
	bad=1
fi
tr -d '\r' <"$log" | "$bin/hv_bounce_tool" || bad=1
exit $bad
