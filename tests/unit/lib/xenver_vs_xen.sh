#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# lib/xen_version against real Xen 4.17: a guest-pv dom0 on Xen prints the
# answers (return value and the bytes written) of the sub-ops that do not
# depend on who built the hypervisor: version, capabilities, platform
# parameters, get_features (submaps 0 and 1), pagesize, guest_handle and two
# unknown sub-ops; xenver_tool prints lib/xen_version's. One check each.
# Then RDMSR of a list of MSRs and a few WRMSRs: emulated or #GP, as
# x86_64/lib/msr_policy says.
# Capabilities are compared whole: under TCG (no VMX/SVM) Debian's Xen lists
# only "xen-3.0-x86_64 ", as Lamina does.
set -uo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
out=$top/build/tests
bin=$out/unit/lib
mkdir -p "$out/logs"
bad=0
fail() { echo "FAIL: $*"; bad=1; }

# shellcheck source=../../guest/boot-lib.sh
source "$top/tests/guest/boot-lib.sh"
# One boot per CPU model: Westmere (Intel) and QEMU's max (AuthenticAMD under
# TCG; SVM off, or Xen lists its HVM capabilities, which Lamina has not),
# since several MSRs depend on the host's vendor.
compare_on() {
	local cpu=$1 log=$out/logs/hv_xenver-xen-${1%%,*}.log theirs mine n got want what short i
	GPV_CPU=$cpu gpv_boot_xen "$bin/xenver_guest.elf" "$log" 90
	grep -q 'RESULT: 1 passed, 0 failed' "$log" || fail "xen on $cpu: the guest did not finish (log $log)"

	theirs=$(tr -d '\r' <"$log" | grep '^XENVER ')
	mine=$(tr -d '\r' <"$log" | "$bin/xenver_tool" | grep '^XENVER ') || fail "xenver_tool failed"
	n=$(printf '%s\n' "$mine" | wc -l)
	for ((i = 1; i <= n; i++)); do
		got=$(printf '%s\n' "$mine" | sed -n "${i}p")
		want=$(printf '%s\n' "$theirs" | sed -n "${i}p")
		what=$(printf '%s\n' "$got" | awk '{ print "sub-op " $2 }')
		if [ -n "$want" ] && [ "$want" = "$got" ]; then
			short=${got#XENVER }
			echo "PASS: xen_version $what answers as Xen 4.17 on $cpu (${short:0:48})"
		else
			fail "xen_version $what on $cpu: Xen '$want', Lamina '$got'"
		fi
	done
	# MSRs: which ones RDMSR may read (the value too for PAT and Xen's MSR).
	theirs=$(tr -d '\r' <"$log" | grep '^MSR ')
	mine=$(tr -d '\r' <"$log" | "$bin/xenver_tool" | grep '^MSR ')
	[ -n "$theirs" ] || fail "xen: no MSR lines (log $log)"
	while read -r _ idx ok val; do
		read -r _ idx2 ok2 val2 <<<"$(printf '%s\n' "$mine" | awk -v i="$idx" '$2 == i')"
		case $idx in
		00000277 | 40000000 | 00000179 | 0000017b | 00000400 | 00000401 | 00000408) same=$([ "$ok/$val" = "$ok2/$val2" ] && echo y) ;;
		*) same=$([ "$ok" = "$ok2" ] && echo y) ;;
		esac
		if [ "$idx2" = "$idx" ] && [ "$same" = y ]; then
			echo "PASS: rdmsr $idx: $([ "$ok" = 1 ] && echo "emulated" || echo "#GP"), as Xen 4.17 on $cpu"
		else
			fail "rdmsr $idx on $cpu: Xen ok=$ok value=$val, Lamina ok=$ok2 value=$val2"
		fi
	done <<<"$theirs"

	# WRMSR: accepted or #GP (the value written is the value read, xor the mask).
	theirs=$(tr -d '\r' <"$log" | grep '^WRMSR ')
	mine=$(tr -d '\r' <"$log" | "$bin/xenver_tool" | grep '^WRMSR ')
	[ -n "$theirs" ] || fail "xen: no WRMSR lines (log $log)"
	while read -r _ idx x ok; do
		ok2=$(printf '%s\n' "$mine" | awk -v i="$idx" -v x="$x" '$2 == i && $3 == x { print $4 }')
		if [ -n "$ok2" ] && [ "$ok" = "$ok2" ]; then
			echo "PASS: wrmsr $idx (read value xor $x): $([ "$ok" = 1 ] && echo "accepted" || echo "#GP"), as Xen 4.17 on $cpu"
		else
			fail "wrmsr $idx (read value xor $x) on $cpu: Xen ok=$ok, Lamina ok=$ok2"
		fi
	done <<<"$theirs"
}
compare_on Westmere
compare_on max,-smap,-svm
exit $bad
