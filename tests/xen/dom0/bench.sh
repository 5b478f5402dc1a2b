# SPDX-License-Identifier: GPL-2.0-only
#
# The xenstore benchmark inside dom0 (sourced by /rig/init): the bench
# engineer's libxenstore client, xs_bench_client, against whichever
# xenstored runs, over the Unix socket and over dom0's ring
# (/dev/xen/xenbus), and the ratio of Lamina's rates to Xen's.

XS_BENCH=/lamina/bin/xs_bench_client
XS_BENCH_ARGS="--iters 60 --rounds 3 --txns 20 --clients 4"

# rig_xs_bench PREFIX: run the client over both transports, print BENCH
# lines and keep its rows in /tmp/bench-PREFIX-{socket,ring}.
rig_xs_bench() {
	local p=$1 via path out
	if [ ! -x $XS_BENCH ]; then
		rig_fail "$p.bench-client-present" "$XS_BENCH not built"
		return 1
	fi
	for via in socket ring; do
		path=/run/xenstored/socket
		[ $via = ring ] && path=/dev/xen/xenbus
		out=/tmp/bench-$p-$via
		XENSTORED_PATH=$path timeout 90 $XS_BENCH $XS_BENCH_ARGS >$out 2>&1
		rig_check "$p.bench-$via-runs-clean" test $? = 0 ||
			sed 's/^/    | /' $out | tail -n 10
		awk -v p="$p" -v via="$via" '$1 == "OP" || $1 == "CONTEND" {
			split($3, u, "="); split($4, r, "=")
			printf "@@BENCH: xenstore %s %s %s: %s us/op, %s ops/s\n",
				p, via, $2, u[2], r[2] }' $out
	done
}

# rig_xs_bench_ratio A B: for each row both runs have, B's ops/s over A's.
rig_xs_bench_ratio() {
	local via
	for via in socket ring; do
		[ -f /tmp/bench-$1-$via ] && [ -f /tmp/bench-$2-$via ] || continue
		awk -v a="$1" -v b="$2" -v via="$via" '
			$1 == "OP" || $1 == "CONTEND" {
				split($4, r, "=")
				if (FILENAME ~ "-" a "-") ra[$2] = r[2]; else rb[$2] = r[2]
			}
			END { for (k in rb) if ((k in ra) && ra[k] > 0)
				printf "@@BENCH: xenstore %s %s: %s/%s ops/s ratio %.2f\n",
					via, k, b, a, rb[k] / ra[k] }' \
			/tmp/bench-$1-$via /tmp/bench-$2-$via
	done
}
