#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Grants between two domains on Lamina (boot-time domUs, docs/hypervisor.md):
# dom0 = grant2d_dom0, dom1 = grant2d_domu (layout in tests/guest/grant2d.h).
#   ring  dom1 grants dom0 a ring page and a read-only data page; dom0 is
#         refused what it was not given, copies the data page, maps the
#         ring and serves 500 requests through <xen/io/ring.h>, unmaps;
#         dom1 sees its entries pinned while mapped and ends its grants
#   die   dom1 ends while dom0 maps its ring page: the page stays readable
#         and writable through the map, the map unmaps, dom1's grants are
#         gone for copies
#   ring-smp, die-smp  the same on two CPUs, dom0 and dom1 each on its own
#         (the two domains' grant locks; dom1's teardown orphaning dom0's
#         maps while dom0 runs)
# Each kernel's check lines come back as "PASS/FAIL: grant-two-domain:
# <scenario>: ...", dom1's with its "(d1) " prefix (the greps read
# here-strings: with pipefail a grep -q closing a pipe early fails printf).
# Lamina only: real Xen has no boot-time domUs (Xen's side of grants is
# checked by grant_map.c).
set -uo pipefail
. "$(dirname "$0")/boot-lib.sh"

G=$GPV_TOP/build/guest-pv
logdir=$GPV_TOP/build/tests/grant-two-domain
mkdir -p "$logdir"
bad=0

for s in ring die ring-smp die-smp; do
	log=$logdir/$s.log
	mode= cpus=1
	[ "${s%-smp}" = die ] && mode="mode=die"
	[ "${s%-smp}" != "$s" ] && cpus=2
	"$GPV_TOP/scripts/qemu-run.sh" --kernel "$GPV_LAMINA" \
		--append "console=com1 loglvl=all dom0_mem=64M domu=1,mem=32M,cmdline=\"$mode\"" \
		--module "$G/grant2d_dom0.elf $mode" --module "$G/grant2d_domu.elf" \
		--cpu "$GPV_CPU" --smp $cpus --mem 256 --timeout 90 --log "$log" >/dev/null 2>&1
	rc=$?
	clean=$(gpv_lines "$log")
	printf '%s\n' "$clean" | grep -aE '^(\(d[0-9]+\) )?(PASS|FAIL|INFO): ' |
		sed -E "s/^(\(d[0-9]+\) )?(PASS|FAIL|INFO): /\2: grant-two-domain: $s: \1/"
	grep -aqE '^(\(d[0-9]+\) )?FAIL: ' <<<"$clean" && bad=1
	for d in 0 1; do
		pre="^"
		[ $d = 1 ] && pre="^\\(d1\\) "
		if grep -aqE "${pre}RESULT: [0-9]+ passed, 0 failed" <<<"$clean"; then
			echo "PASS: grant-two-domain: $s: dom$d ended with a RESULT line and no failure"
		else
			echo "FAIL: grant-two-domain: $s: dom$d ended with a RESULT line and no failure"
			bad=1
		fi
	done
	if [ "$rc" = 0 ]; then
		echo "PASS: grant-two-domain: $s: machine exit code 0"
	else
		echo "FAIL: grant-two-domain: $s: machine exit code 0 (got $rc, log $log)"
		bad=1
	fi
done
exit $bad
