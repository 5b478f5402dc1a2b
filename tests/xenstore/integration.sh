#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# xenstored against real clients, on a private socket: Debian's xenstore-utils
# (read/write/ls/rm/chmod/exists/list/watch), Xen's own test-xenstore (every
# test), the hostile-input checks and the live update (xsclient.py), the same
# raw requests to this daemon and to Xen's C xenstored with every reply and
# event compared (xscompare.py), then the clients once more with the daemon
# under valgrind.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
xsd=$top/build/xenstored
txs=/usr/lib/xen-4.17/bin/test-xenstore
tmp=$(mktemp -d /tmp/xs-integ.XXXXXX)
export XENSTORED_PATH=$tmp/socket
pid=
failed=0

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }
check() { local name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
# all_passed FILE LAST: FILE has no FAIL line and has the line LAST.
all_passed() {
	! grep -q '^FAIL' "$1" && grep -q "^$2" "$1"
}
# has_all TEXT REGEX...: every regex matches some line of TEXT.
has_all() {
	local text=$1 re
	shift
	for re in "$@"; do
		grep -q -- "$re" <<<"$text" || return 1
	done
}

cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# Start "$@" as the daemon; wait for its socket.
start() {
	rm -f "$XENSTORED_PATH"
	"$@" &
	pid=$!
	for _ in $(seq 200); do
		[ -S "$XENSTORED_PATH" ] && return 0
		sleep 0.05
	done
	return 1
}

stop() {
	kill -TERM "$pid" 2>/dev/null
	wait "$pid"
	local rc=$?
	pid=
	return $rc
}

utils_checks() {
	local sfx=$1 out
	check "xenstore-write$sfx" xenstore-write /it/a/b hello /it/c world
	check "xenstore-read$sfx" test "$(xenstore-read /it/a/b)" = hello
	check "xenstore-exists (present)$sfx" xenstore-exists /it/c
	check "xenstore-exists (absent)$sfx" bash -c '! xenstore-exists /it/none 2>/dev/null'
	out=$(xenstore-list /it | tr '\n' ' ')
	check "xenstore-list$sfx" test "$out" = "a c "
	out=$(xenstore-ls /it)
	check "xenstore-ls$sfx" grep -q '^ b = "hello"' <<<"$out"
	check "xenstore-chmod$sfx" xenstore-chmod /it/c n0 r3
	out=$(xenstore-ls -p /it)
	check "xenstore-ls -p shows chmod's perms$sfx" grep -q 'c = "world".*(n0,r3)' <<<"$out"
	check "xenstore-rm$sfx" xenstore-rm /it/a
	check "removed subtree is gone$sfx" bash -c '! xenstore-read /it/a/b 2>/dev/null'
	timeout 30 xenstore-watch -n 2 /it/w >"$tmp/watch.out" 2>&1 &
	local wpid=$!
	for _ in $(seq 400); do
		[ -s "$tmp/watch.out" ] && break
		sleep 0.05
	done
	xenstore-write /it/w/x 1
	wait $wpid
	check "xenstore-watch sees initial firing and change$sfx" \
		test "$(tr '\n' ' ' <"$tmp/watch.out")" = "/it/w /it/w/x "
	echo "INFO: xenstore-watch printed: $(tr '\n' ' ' <"$tmp/watch.out")"
	check "xenstore-rm of the test tree$sfx" xenstore-rm /it
}

# 1. The daemon on its own.
if ! start "$xsd" -N -F "$tmp/pid"; then
	fail "xenstored starts on a private socket"
	exit 1
fi
pass "xenstored starts on a private socket"
sleep 0.1
check "pid file written (-F)" test "$(cat "$tmp/pid" 2>/dev/null)" = "$pid"
utils_checks ""
check "test-xenstore: all tests" "$txs"
check "test-xenstore: 20 iterations" "$txs" -i 20
python3 "$top/tests/xenstore/xsclient.py" hostile || failed=$((failed + 1))
python3 "$top/tests/xenstore/xsclient.py" liveupdate "$pid" || failed=$((failed + 1))
check "test-xenstore after live update" "$txs"
# Random dom0 traffic from up to 8 clients with live updates mixed in
# (issue 12): every live update carries the whole store across.
for seed in 1 2; do
	timeout 120 python3 "$top/tests/xenstore/xslufuzz.py" "$pid" "$seed" "${XS_LUFUZZ_SECONDS:-5}" ||
		failed=$((failed + 1))
done
check "SIGTERM: clean exit" stop
check "socket removed on exit" test ! -e "$XENSTORED_PATH"
# As an init script starts it: forks, the parent returns, -P prints the pid.
rm -f "$XENSTORED_PATH" "$tmp/pid2"
dpid=$(timeout 10 "$xsd" -P -F "$tmp/pid2")
check "without -N: forks, returns, -P prints the daemon's pid" \
	test -n "$dpid" -a "$dpid" = "$(cat "$tmp/pid2" 2>/dev/null)"
check "the forked daemon serves" bash -c "kill -0 $dpid && xenstore-write /forked yes"
kill "$dpid" 2>/dev/null
for _ in $(seq 100); do
	kill -0 "$dpid" 2>/dev/null || break
	sleep 0.05
done
check "the forked daemon stops on SIGTERM" bash -c "! kill -0 $dpid 2>/dev/null"
kill -9 "$dpid" 2>/dev/null
check "bad option refused" bash -c "! '$xsd' -N --bogus 2>/dev/null"
check "Xen's ignored options accepted" bash -c \
	"timeout 2 '$xsd' -N -D -I -R -q memory=1 -w watch-event=5 -V; test \$? = 124"
if start "$xsd" -N -D -E 10 -S 100 -W 5 -t 2 -A 3 -M 100 -Q outstanding=6 \
	-Q transaction-nodes=7 -T "$tmp/trace"; then
	out=$(python3 "$top/tests/xenstore/xsclient.py" control quota)
	check "limit options reach the quotas (-E -S -W -t -A -M -Q)" has_all "$out" \
		'domain: *10$' 'Entry size: *100$' 'Watches per domain: *5$' \
		'Transactions per domain: *2$' 'per node: *3$' 'Path length: *100$' \
		'Outstanding requests: *6$' 'per transaction: *7$'
	xenstore-write /traced/node v
	check "-T traces requests and replies" grep -q "WRITE (/traced/node" "$tmp/trace"
	out=$(python3 "$top/tests/xenstore/xsclient.py" control help)
	check "CONTROL help lists check, log, quota, memreport" has_all "$out" \
		'^check' '^log' '^quota' '^memreport'
	check "CONTROL check" test "$(python3 "$top/tests/xenstore/xsclient.py" control check)" = OK
	stop
else
	fail "xenstored starts with Xen's limit options"
fi

# 2. Side by side with Xen 4.17's C xenstored (the bench's stub preload stands
# in for the hypervisor calls it makes at start): the same raw requests must
# get the same replies and events.
stub=$top/build/tests/bench/xen_stub_preload.so
xendir=$tmp/xen
mkdir -p "$xendir"
if [ -x /usr/lib/xen-4.17/bin/xenstored ] && [ -e "$stub" ] && start "$xsd" -N; then
	XENSTORED_RUNDIR=$xendir XENSTORED_PATH=$xendir/socket LD_PRELOAD=$stub \
		/usr/lib/xen-4.17/bin/xenstored -N -F "$xendir/pid" >"$xendir/log" 2>&1 &
	for _ in $(seq 100); do
		[ -S "$xendir/socket" ] && break
		sleep 0.05
	done
	python3 "$top/tests/xenstore/xscompare.py" "$XENSTORED_PATH" "$xendir/socket" ||
		failed=$((failed + 1))
	kill "$(cat "$xendir/pid" 2>/dev/null)" 2>/dev/null
	stop
	# Differential fuzzing: fresh daemons for each seed.
	for seed in 1 2 3 4 5 6; do
		rm -f "$xendir/socket" "$xendir/pid"
		start "$xsd" -N
		XENSTORED_RUNDIR=$xendir XENSTORED_PATH=$xendir/socket LD_PRELOAD=$stub \
			/usr/lib/xen-4.17/bin/xenstored -N -F "$xendir/pid" >"$xendir/log" 2>&1 &
		for _ in $(seq 100); do
			[ -S "$xendir/socket" ] && [ -s "$xendir/pid" ] && break
			sleep 0.05
		done
		(cd "$top/tests/xenstore" && timeout 120 python3 xsfuzz.py "$XENSTORED_PATH" \
			"$xendir/socket" "$seed" 1500) | grep -v '^INFO: [0-9]*:' ||
			failed=$((failed + 1))
		kill "$(cat "$xendir/pid" 2>/dev/null)" 2>/dev/null
		stop
	done
else
	fail "Xen's C xenstored and build/tests/bench/xen_stub_preload.so available for comparison"
fi

# 3. Under valgrind: no invalid access, no leak.
vglog=$tmp/valgrind.log
if start valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
	--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
	--log-file="$vglog" "$xsd" -N; then
	utils_checks " (valgrind)"
	check "test-xenstore (valgrind)" "$txs"
	python3 "$top/tests/xenstore/xsclient.py" hostile >"$tmp/hostile-vg.out" 2>&1
	check "hostile input (valgrind): every check passed" all_passed "$tmp/hostile-vg.out" \
		"PASS: committed data survives everything"
	sed -n 's/^FAIL/INFO: (valgrind) FAIL/p' "$tmp/hostile-vg.out"
	stop
	rc=$?
	check "valgrind: exit clean, no errors, no leaks" test "$rc" = 0
	[ -s "$vglog" ] && sed 's/^/INFO: /' "$vglog" | head -40
else
	fail "xenstored starts under valgrind"
fi

# The live update under valgrind, following the exec: both images clean.
vglog=$tmp/valgrind-lu.log
if start valgrind -q --trace-children=yes --leak-check=full \
	--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
	--log-file="$vglog" "$xsd" -N; then
	python3 "$top/tests/xenstore/xsclient.py" liveupdate "$pid" >"$tmp/lu-vg.out" 2>&1
	check "live update (valgrind): every check passed" all_passed "$tmp/lu-vg.out" \
		"PASS: tree consistent after live update"
	sed -n 's/^FAIL/INFO: (valgrind) FAIL/p' "$tmp/lu-vg.out"
	stop
	rc=$?
	check "valgrind across live update: no errors, no leaks" test "$rc" = 0
	[ -s "$vglog" ] && sed 's/^/INFO: /' "$vglog" | head -40
else
	fail "xenstored starts under valgrind for the live update"
fi

# The unit tests under valgrind too.
for u in xenstore xenstore-xen; do
	check "unit tests $u clean under valgrind" valgrind -q --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
		"$top/build/tests/unit/$u" >/dev/null
done

exit $((failed > 0))
