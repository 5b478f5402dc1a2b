#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The random dom0 traffic + live update run (tests/xenstore/xslufuzz.py)
# for longer than the integration test gives it: build/xenstored on a
# private socket, seeds 1..N, SECONDS each (make fuzz: FUZZ_SECONDS, 4 seeds).
#
#   lufuzz.sh [SECONDS] [SEEDS]
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-30}
seeds=${2:-4}
tmp=$(mktemp -d /tmp/xs-lufuzz.XXXXXX)
export XENSTORED_PATH=$tmp/socket
failed=0
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

for seed in $(seq "$seeds"); do
	rm -f "$XENSTORED_PATH"
	"$top/build/xenstored" -N >"$tmp/log" 2>&1 &
	pid=$!
	for _ in $(seq 200); do
		[ -S "$XENSTORED_PATH" ] && break
		sleep 0.05
	done
	timeout $((secs + 120)) python3 "$top/tests/xenstore/xslufuzz.py" "$pid" "$seed" "$secs" ||
		failed=$((failed + 1))
	grep -E 'refused|cannot start' "$tmp/log" | sed 's/^/INFO: daemon: /'
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
done
exit $((failed > 0))
