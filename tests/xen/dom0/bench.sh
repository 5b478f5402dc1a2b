# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# The xenstore benchmark inside dom0 (sourced by /rig/init): the bench
# engineer's libxenstore client, xs_bench_client, against Xen's C xenstored
# and Lamina's, and the ratio of Lamina's rates to Xen's.
#  - over dom0's ring (/dev/xen/xenbus): only one daemon can own the ring, so
#    each is measured while it serves dom0, three runs each, the daemons
#    swapped between runs (scenarios bench-xen, bench-lamina);
#  - over the Unix socket: both daemons run at once (Lamina's a second one,
#    -D, on its own socket) and the rounds alternate between them, so load
#    from outside the rig hits both alike (scenario bench-socket).

XS_BENCH=/lamina/bin/xs_bench_client
XS_BENCH_ARGS="--iters 60 --txns 20 --clients 4"

# rig_xs_bench_run NAME PATH ARGS...: one client run against PATH, its rows
# appended to /tmp/bench-NAME; a check that it ran with no error.
rig_xs_bench_run() {
	local name=$1 path=$2 out=/tmp/bench-$1.last
	shift 2
	if [ ! -x $XS_BENCH ]; then
		rig_fail "$name.bench-client-present" "$XS_BENCH not built"
		return 1
	fi
	XENSTORED_PATH=$path timeout 90 $XS_BENCH "$@" >$out 2>&1
	if ! rig_check "$name.bench-runs-clean" test $? = 0; then
		sed 's/^/    | /' $out | tail -n 10
		return 1
	fi
	grep -E '^(OP|CONTEND) ' $out >>/tmp/bench-$name
}

# rig_xs_bench_median NAME: "row median-ops/s runs" per row of
# /tmp/bench-NAME, into /tmp/bench-NAME.med.
rig_xs_bench_median() {
	awk '{ split($4, r, "="); print $2, r[2] }' /tmp/bench-$1 2>/dev/null |
		sort -k1,1 -k2,2n | awk '{ k[NR] = $1; v[NR] = $2 }
		END { for (i = 1; i <= NR; ) { j = i; while (j < NR && k[j + 1] == k[i]) j++
			print k[i], v[int((i + j) / 2)], j - i + 1; i = j + 1 } }' >/tmp/bench-$1.med
}

# rig_xs_bench_print NAME: one BENCH line per row, the median over runs.
rig_xs_bench_print() {
	rig_xs_bench_median "$1"
	awk -v n="$1" '{ printf "@@BENCH: xenstore %s %s: %s ops/s (median, %d runs)\n", n, $1, $2, $3 }' \
		/tmp/bench-$1.med
}

# rig_xs_bench_ratio A B: per row, the median ops/s of B over A's.
rig_xs_bench_ratio() {
	rig_xs_bench_median "$1"
	rig_xs_bench_median "$2"
	awk -v a="$1" -v b="$2" 'NR == FNR { m[$1] = $2; next }
		($1 in m) && m[$1] > 0 { printf "@@BENCH: xenstore %s/%s %s: ops/s ratio %.2f\n", b, a, $1, $2 / m[$1] }' \
		/tmp/bench-$1.med /tmp/bench-$2.med
}

# rig_xs_bench_ring NAME: one one-round run of the daemon serving dom0's
# ring, its rows added to /tmp/bench-NAME.
rig_xs_bench_ring() {
	rig_xs_bench_run "$1" /dev/xen/xenbus $XS_BENCH_ARGS --rounds 1
}

# rig_xs_bench_swap xen|lamina: the other daemon takes dom0's ring over, as
# in scenario lamina but quietly (SIGTERM, then SIGKILL: whether a daemon
# stops on SIGTERM is checked by scenarios lamina and rollback).
rig_xs_bench_swap() {
	local p pid bin=$XEN_XENSTORED
	[ "$1" = lamina ] && bin=$LAMINA_XENSTORED
	for p in /run/xenconsoled.pid /run/xenstored.pid; do
		[ -f $p ] || continue
		pid=$(cat $p)
		kill "$pid" 2>/dev/null
		rig_wait_for 3 sh -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null
		rig_wait_for 3 sh -c "! kill -0 $pid"
		rm -f $p
	done
	rm -f /run/xenstored/socket /run/xenstored/socket_ro
	rig_start_xenstored "bench-swap-to-$1" "$bin"
}

# rig_xs_bench_ring_alternating: with Lamina's daemon serving dom0 and one
# run of Xen's already in /tmp/bench-xen-ring, two more of each, swapping the
# daemons between runs; Lamina's serves again at the end. The medians and
# the ratio per row.
rig_xs_bench_ring_alternating() {
	local _
	rig_xs_bench_ring lamina-ring
	for _ in 2 3; do
		rig_xs_bench_swap xen && rig_xs_bench_ring xen-ring
		rig_xs_bench_swap lamina && rig_xs_bench_ring lamina-ring
	done
	rig_xs_bench_print xen-ring
	rig_xs_bench_print lamina-ring
	rig_xs_bench_ratio xen-ring lamina-ring
}

# rig_xs_bench_socket: Xen's daemon (serving dom0) and a second, Lamina's,
# on /run/lamina-xs/socket; three alternating one-round runs each.
rig_xs_bench_socket() {
	local lpid
	rm -f /tmp/bench-xen-socket /tmp/bench-lamina-socket
	mkdir -p /run/lamina-xs
	if ! XENSTORED_RUNDIR=/run/lamina-xs timeout 10 $LAMINA_XENSTORED -D \
		--pid-file /run/lamina-xs.pid >/var/log/xen/xenstored-second.out 2>&1 ||
		! rig_wait_for 10 test -S /run/lamina-xs/socket; then
		rig_fail bench-socket.second-xenstored-starts
		return 1
	fi
	lpid=$(cat /run/lamina-xs.pid)
	for _ in 1 2 3; do
		rig_xs_bench_run xen-socket /run/xenstored/socket $XS_BENCH_ARGS --rounds 1
		rig_xs_bench_run lamina-socket /run/lamina-xs/socket $XS_BENCH_ARGS --rounds 1
	done
	# SIGTERM, then SIGKILL: stopping is checked in scenario rollback.
	kill "$lpid"
	rig_wait_for 3 sh -c "! kill -0 $lpid" || kill -9 "$lpid"
	rig_xs_bench_print xen-socket
	rig_xs_bench_print lamina-socket
	rig_xs_bench_ratio xen-socket lamina-socket
}
