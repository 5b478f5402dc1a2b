#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# lib/elfnote + x86_64/lib/dom0_layout against the real thing: boot Debian's Xen 4.17
# under QEMU with a dom0 kernel, read the "VIRTUAL MEMORY ARRANGEMENT" it
# prints, stop QEMU, and compare it line by line with layout_tool for the
# same kernel, dom0_mem and initrd. Two kernels, each with an initrd: Debian's
# 6.1 vmlinux (INIT_P2M, MOD_START_PFN: the initrd is not mapped; VIRT_BASE)
# and guest-pv's hello.elf (no VIRT_BASE: loaded as linked; initrd and p2m in
# the initial mapping).
set -uo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
out=$top/build/tests
tool=$top/build/tests/unit/x86_64/layout_tool
xen=$out/hv_xen.elf
logdir=$out/logs
mkdir -p "$out" "$logdir"
bad=0

fail() { echo "FAIL: $*"; bad=1; }

if [ ! -s "$xen" ]; then
	zcat /boot/xen-4.17-amd64.gz >"$xen.tmp" && mv "$xen.tmp" "$xen" || fail "xen: no /boot/xen-4.17-amd64.gz"
fi
# hv_elfnote extracts (and keeps) the Debian vmlinux.
[ -s "$out/hv_vmlinux" ] || "$top/build/tests/unit/lib/elfnote" >/dev/null 2>&1

# boot_xen KERNEL MEM_MIB LOG [INITRD]: until Xen has printed dom0's layout.
boot_xen() {
	local kernel=$1 mem=$2 log=$3 initrd=${4:-} pid i
	local mods=(--module "$kernel console=hvc0")
	[ -n "$initrd" ] && mods+=(--module "$initrd")
	: >"$log"
	setsid "$top/scripts/qemu-run.sh" --kernel "$xen" --cpu max,-smap --mem $((mem + 512)) \
		--append "console=com1 com1=115200,8n1 loglvl=all dom0_mem=${mem}M,max:${mem}M smap=0 smep=0" \
		"${mods[@]}" --timeout 90 --log "$log" >/dev/null 2>&1 &
	pid=$!
	for ((i = 0; i < 450; i++)); do
		grep -q 'ENTRY ADDRESS' "$log" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	kill -- -"$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	grep -q 'ENTRY ADDRESS' "$log"
}

# compare NAME KERNEL MEM_MIB [INITRD]
compare() {
	local name=$1 kernel=$2 mem=$3 initrd=${4:-} log mine label want got size=0
	log=$logdir/hv_layout_vs_xen-$name.log
	[ -n "$initrd" ] && size=$(stat -c %s "$initrd")
	if ! mine=$("$tool" "$kernel" $((mem * 256)) "$size"); then
		fail "$name: layout_tool: $mine"
		return
	fi
	if ! boot_xen "$kernel" "$mem" "$log" "$initrd"; then
		fail "$name: Xen printed no layout (log $log)"
		return
	fi
	for label in "Loaded kernel:" "Init. ramdisk:" "Phys-Mach map:" "Start info:" \
		"Page tables:" "Boot stack:" "TOTAL:" "ENTRY ADDRESS:"; do
		want=$(tr -d '\r' <"$log" | sed -n '/VIRTUAL MEMORY ARRANGEMENT/,$p' |
			grep -m1 "(XEN)  $label" | sed "s/.*$label *//")
		got=$(printf '%s\n' "$mine" | grep -m1 "^$label" | sed "s/^$label *//")
		# Xen leaves out the initrd line when the initrd is not mapped.
		if [ "$label" = "Init. ramdisk:" ] && [ -z "$want" ] &&
			[ "$got" = "0000000000000000->0000000000000000" ]; then
			echo "PASS: $name: initrd not mapped, as Xen"
			continue
		fi
		if [ -n "$want" ] && [ "$want" = "$got" ]; then
			echo "PASS: $name: ${label%:} $got as Xen"
		else
			fail "$name: ${label%:}: Xen '$want', Lamina '$got'"
		fi
	done
	want=$(tr -d '\r' <"$log" | grep -m1 'Dom0 alloc' | sed -n 's/.*(\([0-9]*\) pages to be allocated).*/\1/p')
	got=$(printf '%s\n' "$mine" | sed -n 's/^pages-to-be-allocated //p')
	if [ -n "$want" ] && [ "$want" = "$got" ]; then
		echo "PASS: $name: first chunk leaves $got pages to allocate, as Xen"
	else
		fail "$name: pages to be allocated: Xen '$want', Lamina '$got'"
	fi
}

initrd=$out/hv_initrd.bin
head -c 300001 /dev/urandom >"$initrd"
compare debian "$out/hv_vmlinux" 1024 "$initrd"
compare hello "$top/build/guest-pv/hello.elf" 64 "$initrd"
rm -f "$initrd"
exit $bad
