# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# lxl create against xl create: the same config (hello.elf, 32 MiB, no
# devices), the same boot, alternating (xl, lxl, xl, lxl, ...) so that load
# from outside hits both alike. Each run is timed from the create command to
# the guest's first line in the console daemon's log; medians and the ratio
# lxl/xl are BENCH lines. Run alone, it starts Xen's xenstored.

xs_running || rig_start_xen_xenstored bench-lxl

# rig_bench_create_one TOOL: ms from TOOL create to the first console line,
# and ms until the create command itself returned.
rig_bench_create_one() {
	local tool=$1 name t0 t1 tr ok=0
	name=bench-$(basename "$tool")
	rig_guest_cfg "$name" "$GUESTS/hello.elf"
	rm -f "$CONSOLE_DIR/guest-$name.log"
	t0=$(rig_now)
	if timeout 60 "$tool" create -q /tmp/$name.cfg >/tmp/$name.out 2>&1 &&
		tr=$(rig_now) && rig_wait_for 20 test -s "$CONSOLE_DIR/guest-$name.log"; then
		t1=$(rig_now)
		ok=1
	fi
	timeout 30 "$tool" destroy "$name" >/dev/null 2>&1
	[ $ok = 1 ] || { sed 's/^/    | /' /tmp/$name.out >&2; return 1; }
	echo "$(rig_elapsed_ms "$t0" "$t1") $(rig_elapsed_ms "$t0" "$tr")"
}

rig_median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

bench_runs=${LXL_BENCH_RUNS:-5}
rm -f /tmp/bench-xl.ms /tmp/bench-lxl.ms /tmp/bench-xl.ret /tmp/bench-lxl.ret
i=0
while [ $i -lt "$bench_runs" ]; do
	for t in xl /lamina/bin/lxl; do
		ms=$(rig_bench_create_one $t) || { rig_fail "bench-lxl.$(basename $t)-create-run-$i"; continue; }
		echo "${ms% *}" >>/tmp/bench-$(basename $t).ms
		echo "${ms#* }" >>/tmp/bench-$(basename $t).ret
		rig_info "bench-lxl: run $i: $(basename $t) create to first console line: ${ms% *} ms (command returned after ${ms#* } ms)"
	done
	i=$((i + 1))
done
# Where lxl's time goes, once (LXL_TIMING prints each phase of the create).
rig_guest_cfg bench-phases "$GUESTS/hello.elf"
LXL_TIMING=1 timeout 60 /lamina/bin/lxl create -q -e /tmp/bench-phases.cfg 2>&1 |
	sed -n 's/^lxl: timing: */bench-lxl: lxl create phase: /p' | while IFS= read -r l; do rig_info "$l"; done
timeout 30 /lamina/bin/lxl destroy bench-phases >/dev/null 2>&1
if [ -s /tmp/bench-xl.ms ] && [ -s /tmp/bench-lxl.ms ]; then
	xl_ms=$(rig_median </tmp/bench-xl.ms)
	lxl_ms=$(rig_median </tmp/bench-lxl.ms)
	rig_bench "create to first console line, median of $bench_runs alternating: xl $xl_ms ms, lxl $lxl_ms ms, ratio lxl/xl $(awk -v a="$lxl_ms" -v b="$xl_ms" 'BEGIN { printf "%.2f", a / b }')"
	xl_ms=$(rig_median </tmp/bench-xl.ret)
	lxl_ms=$(rig_median </tmp/bench-lxl.ret)
	rig_bench "create command's own time, median of $bench_runs alternating: xl $xl_ms ms, lxl $lxl_ms ms, ratio lxl/xl $(awk -v a="$lxl_ms" -v b="$xl_ms" 'BEGIN { printf "%.2f", a / (b ? b : 1) }')"
	rig_pass "bench-lxl.both-created-every-run"
else
	rig_fail "bench-lxl.both-created-every-run"
fi
