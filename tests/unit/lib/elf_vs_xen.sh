#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# lib/elfnote's acceptance rules against real Xen 4.17: small kernels that
# break one rule each (an unknown required feature, no dom0 bit) and a valid
# one, booted as dom0 on Xen under QEMU; Lamina must accept
# and refuse the same ones, and lay out the accepted one as Xen does. (The
# other rules are unit-tested in hv_elfnote: each boot here costs 2-3 s.)
set -uo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
out=$top/build/tests
bin=$out/unit/lib
xen=$out/hv_xen.elf
work=$out/hv_elf
mkdir -p "$work" "$out/logs"
bad=0
fail() { echo "FAIL: $*"; bad=1; }

if [ ! -s "$xen" ]; then
	zcat /boot/xen-4.17-amd64.gz >"$xen.tmp" && mv "$xen.tmp" "$xen" || fail "xen: no /boot/xen-4.17-amd64.gz"
fi
names=$("$bin/elf_gen" "$work") || fail "elf_gen failed"

for name in $names; do
	elf=$work/$name.elf
	log=$out/logs/hv_elf-$name.log
	: >"$log"
	setsid "$top/scripts/qemu-run.sh" --kernel "$xen" --cpu Westmere --mem 256 \
		--append "console=com1 com1=115200,8n1 loglvl=all dom0_mem=64M smap=0 smep=0" \
		--module "$elf" --timeout 60 --log "$log" >/dev/null 2>&1 &
	pid=$!
	for ((i = 0; i < 300; i++)); do
		grep -qE 'ENTRY ADDRESS|Panic|domain 0' "$log" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	sleep 0.2
	kill -- -"$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if grep -q 'ENTRY ADDRESS' "$log"; then
		xen_says=accepted
	elif grep -qE 'Panic|domain 0' "$log"; then
		xen_says=refused
	else
		fail "$name: Xen gave no verdict (log $log)"
		continue
	fi
	if mine=$("$out/unit/x86_64/layout_tool" "$elf" 16384 0); then
		we_say=accepted
	else
		we_say=refused
	fi
	if [ "$xen_says" != "$we_say" ]; then
		fail "$name: Xen $xen_says it, Lamina $we_say it ($mine)"
		continue
	fi
	echo "PASS: $name: $we_say, as Xen 4.17"
	[ "$we_say" = accepted ] || continue
	for label in "Loaded kernel:" "Start info:" "Page tables:" "Boot stack:" "TOTAL:" "ENTRY ADDRESS:"; do
		want=$(tr -d '\r' <"$log" | sed -n '/VIRTUAL MEMORY ARRANGEMENT/,$p' |
			grep -m1 "(XEN)  $label" | sed "s/.*$label *//")
		got=$(printf '%s\n' "$mine" | grep -m1 "^$label" | sed "s/^$label *//")
		if [ -n "$want" ] && [ "$want" = "$got" ]; then
			echo "PASS: $name: ${label%:} $got as Xen"
		else
			fail "$name: ${label%:}: Xen '$want', Lamina '$got'"
		fi
	done
done
exit $bad
