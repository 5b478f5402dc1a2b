#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run Lamina's tests: the CUnit binaries (each prints CUnit's own summary) and
# the test scripts (boots, integration, the Xen rig). A script reports each
# check on a line of its own, "PASS: name" or "FAIL: name", and exits non-zero
# when any check failed. A script that exits non-zero without a FAIL line, or
# reports no check at all, counts as one failure: a test must assert something.
#
#   run-tests.sh --unit "BIN..." --scripts "SCRIPT..."
# Logs of each script go to build/tests/logs/. The last line is
# "N passed, N failed" for the scripts; the exit status is non-zero when any
# CUnit test or script check failed.
set -uo pipefail

unit= scripts=
while [ $# -gt 0 ]; do
	case "$1" in
	--unit) unit=$2; shift 2 ;;
	--scripts) scripts=$2; shift 2 ;;
	*) echo "run-tests: unknown argument '$1'" >&2; exit 2 ;;
	esac
done

top=$(cd "$(dirname "$0")/.." && pwd)
logdir=$top/build/tests/logs
mkdir -p "$logdir"
status=0

for t in $unit; do
	echo "== unit: $t"
	if ! "$t"; then
		echo "FAILED unit suite: $t"
		status=1
	fi
done

passed=0 failed=0 skipped=0
for s in $scripts; do
	name=$(basename "$s" .sh)
	log=$logdir/$name.log
	echo "== script: $s"
	start=$(date +%s)
	bash "$s" >"$log" 2>&1
	rc=$?
	end=$(date +%s)
	p=$(grep -c '^PASS: ' "$log")
	f=$(grep -c '^FAIL: ' "$log")
	k=$(grep -c '^SKIP: ' "$log")
	grep -E '^(PASS|FAIL|SKIP|BENCH|INFO): ' "$log" | sed 's/^/   /'
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "   FAIL: $name exited with status $rc (log: $log)"
		f=1
	elif [ "$p" = 0 ] && [ "$f" = 0 ]; then
		echo "   FAIL: $name reported no check (log: $log)"
		f=1
	fi
	if [ "$f" != 0 ]; then
		echo "   --- last lines of $log:"
		tail -n 40 "$log" | sed 's/^/   | /'
	fi
	echo "   ($name: $p passed, $f failed, $((end - start)) s)"
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + k))
done

[ "$failed" = 0 ] || status=1
if [ "$skipped" != 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
exit $status
