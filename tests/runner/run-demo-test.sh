#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make run`'s script (scripts/run-demo.sh): with the demo kernel it shows
# every step and ends with a PASS verdict and exit 0; a kernel whose check
# fails (tests/guest/fail.c) gives a FAILED verdict and a non-zero exit; a
# missing kernel is an error before QEMU starts. The demo kernel's checks
# are also run on real Xen 4.17, which is the reference for what they assert.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/guest/boot-lib.sh"
failed=0
pass() { echo "PASS: run-demo: $1"; }
fail() { echo "FAIL: run-demo: $1"; failed=1; }

out=$(bash "$top/scripts/run-demo.sh" 2>&1)
rc=$?
echo "$out" | sed 's/^/INFO: run-demo: /' | grep -E 'demo: [0-9]\.|make run:|RESULT'
[ $rc = 0 ] && pass "the demo exits 0" || fail "the demo exited $rc"
echo "$out" | grep -q '^make run: PASS: ' && pass "it ends with a PASS verdict" ||
	fail "no PASS verdict: $(echo "$out" | tail -n 3)"
steps=$(echo "$out" | grep -cE '^demo: [0-9]\. ')
[ "$steps" -ge 5 ] && pass "it shows its $steps steps" || fail "only $steps steps shown"
echo "$out" | grep -q '^(LAMINA) starting dom0' && pass "the hypervisor's boot lines are shown" ||
	fail "no hypervisor lines in the output"

out=$(bash "$top/scripts/run-demo.sh" "$top/build/guest-pv/fail.elf" 2>&1)
rc=$?
[ $rc != 0 ] && pass "a failing kernel makes it exit non-zero ($rc)" ||
	fail "a failing kernel exited 0"
echo "$out" | grep -q '^make run: FAILED: ' && pass "a failing kernel gives a FAILED verdict" ||
	fail "no FAILED verdict: $(echo "$out" | tail -n 3)"

out=$(bash "$top/scripts/run-demo.sh" "$top/build/guest-pv/no-such.elf" 2>&1)
rc=$?
[ $rc = 2 ] && echo "$out" | grep -q 'build first' && pass "a missing kernel is an error (2)" ||
	fail "a missing kernel: rc $rc: $out"

log=$top/build/tests/run-demo-xen.log
mkdir -p "$(dirname "$log")"
if gpv_boot_xen "$top/build/guest-pv/demo.elf" "$log" 60; then
	gpv_report demo "$log" "xen" || failed=1
else
	fail "the demo kernel did not end on real Xen 4.17"
fi
exit $failed
