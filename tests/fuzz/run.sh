#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the libFuzzer harnesses built by tests/fuzz/build.mk (build/fuzz/).
# For each: replay its seed corpus (tests/fuzz/corpus/<name>/) and the inputs
# that once found a bug (tests/fuzz/regress/<name>/), every one of which must
# run clean, then fuzz it for --seconds (3 by default: the brief run of
# `make test`; `make fuzz` passes FUZZ_SECONDS) from the corpus plus what
# earlier runs kept in build/fuzz/work/<name>/. A crash, leak, sanitizer
# report or timeout is a FAIL naming the input it saved.
#
# The brief run of `make test` uses libFuzzer's seed 1, so that it walks the
# same mutations on every run (a CI run does not fail on what this machine's
# last run did not meet); `make fuzz` (--seconds) draws a new seed each run
# to explore. --seed N picks one.
#
#   run.sh [--seconds N] [--seed N] [name...]   (names: xs_msgs ...; default: all)
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
bins=$top/build/fuzz
seconds=3
seed=1
names=()
while [ $# -gt 0 ]; do
	case "$1" in
	--seconds) seconds=$2; seed=${seed_given:-0}; shift 2 ;;
	--seed) seed=$2; seed_given=$2; shift 2 ;;
	*) names+=("$1"); shift ;;
	esac
done
if [ ${#names[@]} = 0 ]; then
	for d in "$top"/tests/fuzz/corpus/*/; do
		names+=("$(basename "$d")")
	done
fi

failed=0
pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

for name in "${names[@]}"; do
	bin=$bins/fuzz_$name
	corpus=$top/tests/fuzz/corpus/$name
	regress=$top/tests/fuzz/regress/$name
	work=$bins/work/$name
	dict=$top/tests/fuzz/$name.dict
	if [ ! -x "$bin" ]; then
		fail "fuzz $name: $bin missing (run make all)"
		continue
	fi
	mkdir -p "$work" "$bins/logs"
	# The toolstack harnesses run over Debian's libxlutil, which leaks on
	# syntax errors (tests/fuzz/libxlutil.lsan says what is suppressed).
	unset LSAN_OPTIONS
	case "$name" in
	d0_*) export LSAN_OPTIONS=suppressions=$top/tests/fuzz/libxlutil.lsan:print_suppressions=0 ;;
	esac
	log=$bins/logs/$name.log
	dirs=("$corpus")
	[ -d "$regress" ] && dirs+=("$regress")
	nseed=$(find "${dirs[@]}" -type f | wc -l)
	if "$bin" -runs=0 "${dirs[@]}" >"$log" 2>&1; then
		pass "fuzz $name: $nseed seed and regression inputs replay clean"
	else
		fail "fuzz $name: replaying the corpus (log $log)"
		grep -E 'ERROR|runtime error|SUMMARY|Test unit' "$log" | head -5
		continue
	fi
	maxlen=4096
	[ "$name" = hv_elf ] && maxlen=16384 # whole small kernel images
	opts=(-max_total_time="$seconds" -max_len=$maxlen -timeout=20 -rss_limit_mb=2048
		-print_final_stats=1 -artifact_prefix="$work/")
	[ "$seed" != 0 ] && opts+=(-seed="$seed") # 0: libFuzzer draws one
	[ -f "$dict" ] && opts+=(-dict="$dict")
	if "$bin" "${opts[@]}" "$work" "$corpus" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
		pass "fuzz $name: ${seconds} s, ${runs:-?} runs, $cov, no finding"
	else
		fail "fuzz $name: a finding after fuzzing (log $log)"
		grep -E 'ERROR|runtime error|SUMMARY|Test unit|fuzz_' "$log" | head -8
	fi
done
exit $((failed > 0))
