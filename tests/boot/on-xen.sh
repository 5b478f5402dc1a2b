#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The hypervisor boot tests' own dom0 kernels (memory, pagetables, vcpuinfo,
# initrd, hcpage, preempt) booted on Debian's real Xen 4.17 under the same QEMU, and
# the hypercall page compared with Lamina's byte for byte. Xen is the
# reference, so a check that fails here is a wrong test (or a semantic
# Lamina must change), never something to skip. Uses the guest-pv boot
# helpers (tests/guest/boot-lib.sh) for the Xen command line and report.
set -uo pipefail
. "$(dirname "$0")/../guest/boot-lib.sh"

top=$GPV_TOP
logdir=$(gpv_logdir boot-xen) # build/tests/boot-xen/last/NAME.log
bad=0

# xen_boot LOG MODULE...: boot Xen with these modules; 0 when Xen saw dom0 end.
xen_boot() {
	local log=$1 pid i args=()
	shift
	for m in "$@"; do args+=(--module "$m"); done
	: >"$log"
	setsid "$top/scripts/qemu-run.sh" --kernel "$GPV_XEN" --append "$GPV_XEN_APPEND" \
		"${args[@]}" --cpu "$GPV_CPU" --mem 256 --timeout 60 --log "$log" >/dev/null 2>&1 &
	pid=$!
	for ((i = 0; i < 300; i++)); do
		if grep -qE 'Hardware Dom0 (halted|shutdown|crashed)|Panic on CPU' "$log"; then
			break
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	sleep 0.3
	kill -- -"$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	grep -qE 'Hardware Dom0 (halted|shutdown)' "$log"
}

crash=$top/build/tests/boot/crash-guest.elf
size=$(stat -c %s "$crash")
sum=$(od -An -v -tu1 "$crash" | awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s }')

xen_boot "$logdir/memory.log" "$top/build/tests/boot/memory.elf"
gpv_report memory "$logdir/memory.log" xen || bad=1
xen_boot "$logdir/pagetables.log" "$top/build/tests/boot/pagetables.elf"
gpv_report pagetables "$logdir/pagetables.log" xen || bad=1
xen_boot "$logdir/vcpuinfo.log" "$top/build/tests/boot/vcpuinfo.elf"
gpv_report vcpuinfo "$logdir/vcpuinfo.log" xen || bad=1
xen_boot "$logdir/initrd.log" "$top/build/tests/boot/initrd.elf size=$size sum=$sum" "$crash"
gpv_report initrd "$logdir/initrd.log" xen || bad=1
xen_boot "$logdir/preempt.log" "$top/build/tests/boot/preempt.elf"
gpv_report preempt "$logdir/preempt.log" xen || bad=1
# The hypercall page: Lamina's must be Xen's, byte for byte.
hc=$top/build/tests/boot/hcpage.elf
xen_boot "$logdir/hcpage-xen.log" "$hc"
gpv_report hcpage "$logdir/hcpage-xen.log" xen || bad=1
"$top/scripts/qemu-run.sh" --kernel "$GPV_LAMINA" --module "$hc" --timeout 60 \
	--log "$logdir/hcpage-lamina.log" >/dev/null 2>&1
xd=$(tr -d '\r' <"$logdir/hcpage-xen.log" | sed -n 's/^INFO: digest //p')
ld=$(tr -d '\r' <"$logdir/hcpage-lamina.log" | sed -n 's/^INFO: digest //p')
echo "INFO: hypercall page digest: xen $xd, lamina $ld"
if [ -n "$xd" ] && [ "$xd" = "$ld" ]; then
	echo "PASS: xen: the hypercall page Lamina writes is Xen's, byte for byte"
else
	echo "FAIL: xen: the hypercall page Lamina writes is Xen's, byte for byte"
	bad=1
fi
exit $bad
