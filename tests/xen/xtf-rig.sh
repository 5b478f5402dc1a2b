#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# XTF (the Xen Test Framework, an independent suite: not in Debian, so not in
# `make test`) as domUs under Debian's xl in the rig, on Xen 4.17 or Lamina:
#
#   tests/xen/xtf-rig.sh --xtf DIR [--hv xen|lamina] [--rep N] [TEST...]
#
# DIR is a built XTF tree (its tests/NAME/test-pv64-NAME); every pv64 test, or
# the ones named, runs N times (default 1) in one rig boot, each in a fresh
# domU (128 MiB, on_poweroff=destroy). Prints "NAME: Test result: ..." per run
# and keeps every console line in build/tests/xtf-HV/results.txt, so two runs
# compare with diff. Variants that need an extra= string (pv-iopl) report
# ERROR on both hypervisors.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
xtf='' hv=xen rep=1
while [ $# -gt 0 ]; do
	case "$1" in
	--xtf) xtf=$2; shift 2 ;;
	--hv) hv=$2; shift 2 ;;
	--rep) rep=$2; shift 2 ;;
	--) shift; break ;;
	-*) echo "xtf-rig: unknown option '$1'" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ -d "$xtf/tests" ] || { echo "xtf-rig: --xtf DIR (a built XTF tree) is needed" >&2; exit 2; }
case $rep in '' | *[!0-9]*) echo "xtf-rig: --rep takes a number" >&2; exit 2 ;; esac
work=$top/build/tests/xtf-$hv
rm -rf "$work" && mkdir -p "$work/extra/rig" "$work/extra/xtf" "$work/rigdir"
names=${*:-$(ls "$xtf/tests")}
list=''
for n in $names; do
	[ -f "$xtf/tests/$n/test-pv64-$n" ] || continue
	cp "$xtf/tests/$n/test-pv64-$n" "$work/extra/xtf/$n"
	list="$list $n"
done
[ -n "$list" ] || { echo "xtf-rig: no pv64 test found in $xtf/tests" >&2; exit 2; }
# The scenario (runs in dom0, busybox ash, with the rig's lib.sh helpers).
cat >"$work/extra/rig/scenario-xtf.sh" <<SCENARIO
rig_start_xen_xenstored
for n in $list; do for r in $(seq -s ' ' 1 "$rep"); do
	g=xtf-\$n-\$r
	rig_guest_cfg "\$g" "/xtf/\$n" 'memory = 128' 'on_poweroff = "destroy"'
	timeout 30 xl create "/tmp/\$g.cfg" >/tmp/\$g.xl 2>&1 ||
		echo "@@XTF \$n: xl create failed: \$(tail -1 /tmp/\$g.xl)"
	for i in \$(seq 1 60); do
		rig_console_has "\$g" 'Test result' && break
		sleep 0.25
	done
	tr -d '\r' <"\$CONSOLE_DIR/guest-\$g.log" | sed "s/^/@@XTF \$n: /"
	timeout 30 xl destroy "\$g" >/dev/null 2>&1
done; done
SCENARIO
(cd "$work/extra" && find . | cpio -o -H newc 2>/dev/null) >"$work/extra.cpio"
cat "$top/build/xen-rig/dom0.cpio" "$work/extra.cpio" >"$work/rigdir/dom0.cpio"
ln -s "$top/build/xen-rig/xen.elf" "$work/rigdir/xen.elf"
ln -s "$top/build/xen-rig/vmlinux" "$work/rigdir/vmlinux"
XEN_RIG_DIR=$work/rigdir "$top/tests/xen/rig.sh" --scenarios xtf --hv "$hv" \
	--log "$work/serial.log" --timeout $((300 + 20 * rep * $(wc -w <<<"$list"))) >"$work/rig.out" 2>&1
tr -d '\r' <"$work/serial.log" | grep -a '@@XTF' | sed 's/^.*@@XTF //' >"$work/results.txt"
grep -a 'Test result\|xl create failed' "$work/results.txt"
