#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run Lamina's tests: the CUnit binaries (each prints CUnit's own summary) and
# the test scripts (boots, integration, the Xen rig). A script reports each
# check on a line of its own, "PASS: name" or "FAIL: name", and exits non-zero
# when any check failed. A script that exits non-zero without a FAIL line, or
# reports no check at all, counts as one failure: a test must assert something.
#
#   run-tests.sh --unit "BIN..." --scripts "SCRIPT..." [--alone "SCRIPT..."]
#                [--overlap "SCRIPT..."]
# Order: the CUnit binaries; then the scripts of --scripts named in --alone,
# one after another with nothing else running (their checks measure CPU
# shares or time); then those named in --overlap start as one chain in the
# background (one after another: the rig boots, whose dom0 keeps one of the
# machine's CPUs busy and leaves the other idle) while the other scripts run
# in the foreground; the chain's reports are printed when it ends.
# RUN_TESTS_SERIAL=1 runs every script in the foreground, in --scripts order.
# Logs of each script go to build/tests/logs/. The last line is
# "N passed, N failed" for the scripts; the exit status is non-zero when any
# CUnit test or script check failed.
set -uo pipefail

unit= scripts= alone= overlap=
while [ $# -gt 0 ]; do
	case "$1" in
	--unit) unit=$2; shift 2 ;;
	--scripts) scripts=$2; shift 2 ;;
	--alone) alone=$2; shift 2 ;;
	--overlap) overlap=$2; shift 2 ;;
	*) echo "run-tests: unknown argument '$1'" >&2; exit 2 ;;
	esac
done

top=$(cd "$(dirname "$0")/.." && pwd)
logdir=$top/build/tests/logs
mkdir -p "$logdir"
rm -f "$logdir"/*.counts "$logdir/overlap.report"
status=0

for t in $unit; do
	echo "== unit: $t"
	if ! "$t"; then
		echo "FAILED unit suite: $t"
		status=1
	fi
done

# run_script SCRIPT: run one script, print its report, and leave its counts
# ("passed failed skipped") in $logdir/NAME.counts.
run_script() {
	local s=$1 name log start end rc p f k
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
	echo "$p $f $k" >"$logdir/$name.counts"
}

passed=0 failed=0 skipped=0
# add_counts SCRIPT: add its counts to the totals.
add_counts() {
	local c name
	name=$(basename "$1" .sh)
	read -r -a c <"$logdir/$name.counts" || c=(0 1 0)
	passed=$((passed + c[0]))
	failed=$((failed + c[1]))
	skipped=$((skipped + c[2]))
}
listed() { case " $(echo $2) " in *" $1 "*) return 0 ;; esac; return 1; }

first= bg= rest=
for s in $scripts; do
	if [ "${RUN_TESTS_SERIAL:-0}" = 1 ]; then
		rest+=" $s"
	elif listed "$s" "$alone"; then
		first+=" $s"
	elif listed "$s" "$overlap"; then
		bg+=" $s"
	else
		rest+=" $s"
	fi
done
for s in $first; do
	run_script "$s"
	add_counts "$s"
done
bgpid=
if [ -n "$bg" ]; then
	bgstart=$(date +%s)
	(for s in $bg; do run_script "$s"; done
		echo "   (the chain took $(($(date +%s) - bgstart)) s)") >"$logdir/overlap.report" 2>&1 &
	bgpid=$!
	echo "== in the background while the scripts below run:$bg"
fi
for s in $rest; do
	run_script "$s"
	add_counts "$s"
done
if [ -n "$bgpid" ]; then
	wait "$bgpid"
	echo "== the background chain, done $(($(date +%s) - bgstart)) s after its start:"
	cat "$logdir/overlap.report"
	for s in $bg; do add_counts "$s"; done
fi

[ "$failed" = 0 ] || status=1
if [ "$skipped" != 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
exit $status
