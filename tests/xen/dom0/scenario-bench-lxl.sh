# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# lxl create against xl create, the same boot, alternating (xl, lxl, xl, ...)
# so that load from outside hits both alike, for two configs of hello.elf
# (32 MiB, 1 vCPU): "nodev", no devices, and "dev", a disk (a file, which
# Xen's block hotplug script puts on a loop device) and a vif on bridge
# xenbr0 (Xen's vif-bridge script). xl runs those hotplug scripts and waits
# for them; lxl writes the frontend and backend entries and does not wait
# (nothing serves its backends yet: docs/lxl.md). Each run is timed from the
# create command to the guest's first line in the console daemon's log, and
# the command's own duration; medians and the ratios lxl/xl are BENCH lines.
# LXL_BENCH_RUNS runs of each (3 in make test). Run alone, it starts Xen's
# xenstored, or on Lamina (rig.hv=lamina, tests/bench/lxl-create.sh) Lamina's
# (with Xen's xenconsoled, which xl needs: docs/xen-rig.md).

if ! xs_running; then
	if grep -q 'rig\.hv=lamina' /proc/cmdline; then
		rig_start_lamina_xenstored bench-lxl
		rig_wait_for 5 test -s /run/xenconsoled.pid
	else
		rig_start_xen_xenstored bench-lxl
	fi
fi

# The timed window starts no process but the tool: the clock is read and the
# console log polled with ash builtins (read from /proc/uptime; a 10 ms
# read -t on a FIFO nothing writes to), not rig_now's cut, usleep or
# timeout. A fork and exec costs about 0.2 s of dom0's one vCPU here (the
# process start BENCH line), which the tool's own work after it returns
# (lxl's backends and console, below) would wait behind. A create that hangs
# is ended by the rig's limit.
rm -f /tmp/bench-fifo
mkfifo /tmp/bench-fifo
exec 7<>/tmp/bench-fifo
bench_clock() { read -r BENCH_T _ </proc/uptime; }
# bench_wait_log FILE SECS: 0 once FILE is not empty, 1 after SECS.
bench_wait_log() {
	local n=$(($2 * 100))
	while [ $n -gt 0 ]; do
		[ -s "$1" ] && return 0
		read -r -t 0.01 -u 7 _
		n=$((n - 1))
	done
	return 1
}

# rig_bench_create_one TOOL CFG: "ms-to-console ms-of-command", after which
# the domain is destroyed again (by the same tool).
rig_bench_create_one() {
	local tool=$1 cfg=$2 name t0 t1 tr ok=0
	name=bench-$cfg
	rm -f "$CONSOLE_DIR/guest-$name.log"
	bench_clock
	t0=$BENCH_T
	if LXL_TIMING=1 "$tool" create -q /tmp/$name.cfg >/tmp/$name.out 2>&1 &&
		bench_clock && tr=$BENCH_T && bench_wait_log "$CONSOLE_DIR/guest-$name.log" 20; then
		bench_clock
		t1=$BENCH_T
		ok=1
	fi
	timeout 60 "$tool" destroy "$name" >/dev/null 2>&1
	[ $ok = 1 ] || { sed 's/^/    | /' /tmp/$name.out >&2; return 1; }
	echo "$(rig_elapsed_ms "$t0" "$t1") $(rig_elapsed_ms "$t0" "$tr")"
}

# rig_bench_phase_line FILE: LXL_TIMING's lines in FILE as "phase ms/faults/cpu-ms ...".
rig_bench_phase_line() {
	awk '$2 == "timing:" { f = $0; sub(/.*ms[^,]*, /, "", f); split(f, a, " ");
		printf "%s %.0f/%s/%s ", $3, $4, a[1], a[4] }' "$1"
}

# rig_bench_spawn: process start in this dom0, alternating: busybox's true,
# a static lxl that stops at once (lxl help), xl's (dynamic) help; 10 each.
rig_bench_spawn() {
	local i=0 t c a
	rm -f /tmp/bench-spawn-*.ms
	while [ $i -lt 5 ]; do
		for c in /bin/true "$LXL help" "xl help"; do
			t=$(rig_now)
			for a in 1 2 3 4 5 6 7 8 9 10; do $c >/dev/null 2>&1; done
			echo "$(rig_elapsed_ms "$t" "$(rig_now)")" >>"/tmp/bench-spawn-$(echo "$c" | sed 's|.*/||; s/ .*//').ms"
		done
		i=$((i + 1))
	done
	rig_bench "process start, median of 5 x 10 alternating, per run: busybox true $(($(rig_median </tmp/bench-spawn-true.ms) / 10)) ms, lxl help $(($(rig_median </tmp/bench-spawn-lxl.ms) / 10)) ms, xl help $(($(rig_median </tmp/bench-spawn-xl.ms) / 10)) ms"
}

rig_median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
rig_ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / (b ? b : 1) }'; }

# rig_bench_config CFG: the alternating runs and the BENCH lines of one config.
rig_bench_config() {
	local cfg=$1 i=0 t ms a b
	rm -f /tmp/bench-$cfg-*.ms /tmp/bench-$cfg-*.ret
	while [ $i -lt "$bench_runs" ]; do
		for t in $bench_tools; do
			b=$(basename $t)
			ms=$(rig_bench_create_one $t "$cfg") ||
				{ rig_fail "bench-lxl.$cfg-$b-create-run-$i"; continue; }
			echo "${ms% *}" >>/tmp/bench-$cfg-$b.ms
			echo "${ms#* }" >>/tmp/bench-$cfg-$b.ret
			rig_info "bench-lxl: $cfg run $i: $b create to first console line: ${ms% *} ms (command returned after ${ms#* } ms)"
			[ "$b" != xl ] && rig_info "bench-lxl: $cfg run $i: lxl's phases: $(rig_bench_phase_line /tmp/bench-$cfg.out)"
		done
		i=$((i + 1))
	done
	if [ "$(cat /tmp/bench-$cfg-xl.ms /tmp/bench-$cfg-lxl.ms 2>/dev/null | wc -l)" != $((2 * bench_runs)) ]; then
		rig_fail "bench-lxl.$cfg-both-created-every-run"
		return 1
	fi
	rig_pass "bench-lxl.$cfg-both-created-every-run"
	a=$(rig_median </tmp/bench-$cfg-xl.ms)
	b=$(rig_median </tmp/bench-$cfg-lxl.ms)
	rig_bench "$cfg: create to first console line, median of $bench_runs alternating: xl $a ms, lxl $b ms, ratio lxl/xl $(rig_ratio "$b" "$a")"
	a=$(rig_median </tmp/bench-$cfg-xl.ret)
	b=$(rig_median </tmp/bench-$cfg-lxl.ret)
	rig_bench "$cfg: create command's own time, median of $bench_runs alternating: xl $a ms, lxl $b ms, ratio lxl/xl $(rig_ratio "$b" "$a")"
	if [ -s /tmp/bench-$cfg-lxl-old.ms ]; then
		a=$(rig_median </tmp/bench-$cfg-lxl.ms)
		b=$(rig_median </tmp/bench-$cfg-lxl-old.ms)
		rig_bench "$cfg: create to first console line, median of $bench_runs alternating: lxl $a ms, the older lxl-old $b ms, ratio lxl/lxl-old $(rig_ratio "$a" "$b")"
	fi
}

# rig_bench_store_ms CFG [ENV...]: the xenstore phase of one lxl create (ms).
rig_bench_store_ms() {
	local c=$1
	shift
	env LXL_TIMING=1 "$@" timeout 60 $LXL create -q -e /tmp/bench-$c.cfg 2>&1 |
		awk '$3 == "xenstore" { printf "%d\n", $4 }'
	timeout 30 $LXL destroy bench-$c >/dev/null 2>&1
}

# Where lxl's time goes, once per config (LXL_TIMING prints each phase), and
# the xenstore tree's cost with libxenstore's one round trip per request
# (LXL_XS_NO_PIPELINE=1) against lxl's pipelined transaction, alternating.
rig_bench_phases() {
	local c=$1 i=0 a b
	LXL_TIMING=1 timeout 60 $LXL create -q -e /tmp/bench-$c.cfg 2>&1 |
		sed -n "s/^lxl: timing: */bench-lxl: $c: lxl create phase: /p" |
		while IFS= read -r l; do rig_info "$l"; done
	timeout 30 $LXL destroy bench-$c >/dev/null 2>&1
	rm -f /tmp/bench-$c-store.*
	while [ $i -lt "$bench_runs" ]; do
		rig_bench_store_ms "$c" LXL_XS_NO_PIPELINE=1 >>/tmp/bench-$c-store.one
		rig_bench_store_ms "$c" >>/tmp/bench-$c-store.pipe
		i=$((i + 1))
	done
	a=$(rig_median </tmp/bench-$c-store.one)
	b=$(rig_median </tmp/bench-$c-store.pipe)
	rig_bench "$c: lxl's xenstore tree, median of $bench_runs alternating: one round trip per request (libxenstore) $a ms, pipelined $b ms"
}

bench_runs=${LXL_BENCH_RUNS:-3}
bench_tools="xl $LXL"
[ -x /lamina/bin/lxl-old ] && bench_tools="$bench_tools /lamina/bin/lxl-old"
# The dev config's backends: an 8 MiB file for the disk, bridge xenbr0.
dd if=/dev/zero of=/tmp/bench-disk.img bs=1M count=8 2>/dev/null
ip link show xenbr0 >/dev/null 2>&1 || ip link add name xenbr0 type bridge
ip link set xenbr0 up
rig_guest_cfg bench-nodev "$GUESTS/hello.elf"
rig_guest_cfg bench-dev "$GUESTS/hello.elf" "disk = [ '/tmp/bench-disk.img,raw,xvda,w' ]" \
	"vif = [ 'bridge=xenbr0' ]"
rig_bench_spawn
for c in nodev dev; do
	rig_bench_config $c
	rig_bench_phases $c
done
rig_check "bench-lxl.no-loop-device-left" sh -c "[ -z \"\$(losetup -a)\" ]"
rig_check "bench-lxl.no-vif-left" sh -c "! ip link | grep -q ' vif[0-9]'"
