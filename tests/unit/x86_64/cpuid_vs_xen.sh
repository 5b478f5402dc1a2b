#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# x86_64/lib/cpuid_policy against real Xen 4.17, on the same QEMU CPU: a bare
# multiboot kernel dumps the CPU's own CPUID (the host table), a guest-pv
# kernel booted as dom0 on Xen dumps what the forced-emulation CPUID shows a
# PV dom0, and cpuid_tool computes Lamina's view from the host table. One
# check per leaf and CPU model (HV_CPUS, default an AMD-flavoured "max" and
# Intel's Westmere). Leaves 0x40000003 (time) and 0x40000005 (machine address
# width) carry the running hypervisor's numbers and are left to hv_cpuid_msr.
set -uo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
out=$top/build/tests
bin=$top/build/tests/unit/x86_64
logdir=$out/logs
mkdir -p "$logdir"
bad=0
fail() { echo "FAIL: $*"; bad=1; }

# shellcheck source=../../guest/boot-lib.sh
source "$top/tests/guest/boot-lib.sh"

# compare_on CPU_MODEL: one host dump, one Xen boot, one check per leaf.
compare_on() {
	local cpu=$1 tag=${1//[^A-Za-z0-9]/_} hostlog xenlog rc mine theirs lamina leaves \
		leaf want got
	hostlog=$logdir/hv_cpuid-host-$tag.log
	"$top/scripts/qemu-run.sh" --kernel "$bin/cpuid_host.elf" --cpu "$cpu" --mem 64 \
		--timeout 30 --log "$hostlog" >/dev/null 2>&1
	rc=$?
	[ "$rc" = 0 ] || fail "$cpu: host dump: qemu-run.sh returned $rc (log $hostlog)"

	xenlog=$logdir/hv_cpuid-xen-$tag.log
	GPV_CPU=$cpu gpv_boot_xen "$bin/cpuid_guest.elf" "$xenlog" 90
	grep -q 'RESULT: 1 passed, 0 failed' "$xenlog" || fail "$cpu: xen dump: the guest did not finish (log $xenlog)"

	tr -d '\r' <"$xenlog" | sed -n "s/^GUESTMSR 0000010a /INFO: $cpu: Xen's MSR_ARCH_CAPABILITIES (readable, value): /p"
	mine=$("$bin/cpuid_tool" <"$hostlog") || fail "$cpu: cpuid_tool failed"
	theirs=$(tr -d '\r' <"$xenlog" | sed -n 's/^GUEST //p')
	lamina=$(printf '%s\n' "$mine" | sed -n 's/^LAMINA //p')

	leaves=$(printf '%s\n' "$lamina" | awk '{ print $1 }' | uniq)
	[ -n "$leaves" ] || fail "$cpu: no leaves to compare"
	for leaf in $leaves; do
		case $leaf in
		40000003 | 40000005) continue ;;
		esac
		want=$(printf '%s\n' "$theirs" | awk -v l="$leaf" '$1 == l')
		got=$(printf '%s\n' "$lamina" | awk -v l="$leaf" '$1 == l')
		if [ -n "$want" ] && [ "$want" = "$got" ]; then
			echo "PASS: $cpu: cpuid leaf 0x$leaf as Xen 4.17 shows it to a PV dom0"
		else
			fail "$cpu: cpuid leaf 0x$leaf differs from Xen 4.17"
			diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | grep '^[<>]' |
				sed 's/^</INFO:   xen   /; s/^>/INFO:   lamina/' | head -8
		fi
	done
}

# An AMD-flavoured and an Intel model, both fully supported by TCG.
for cpu in ${HV_CPUS:-max,-smap Westmere}; do
	compare_on "$cpu"
done
exit $bad
