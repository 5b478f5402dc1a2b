#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Boot-time domUs on Lamina (domu= on its command line, docs/hypervisor.md):
# one QEMU boot per scenario, dom0 = two-domain-dom0, domUs =
# two-domain-domu (the same module may back several domUs). Each kernel's
# check lines come back as "PASS/FAIL: two-domain: <scenario>: ...", the
# domUs' with their "(dN) " prefix; the script adds its own checks:
#   pingpong  dom0 <-> dom1 event ping-pong; dom1's memory back to the
#             allocator's count from before it was built
#   weights   dom1 (weight 256) and dom2 (weight 512) spin in the same
#             9 s (three 3 s windows) of guest time, under QEMU -icount
#             (see there): dom2's loop count / dom1's within 5% of 2 (each
#             window's and the scheduler's accounting printed; at most 3
#             runs)
#   fpu       dom1 and dom2 keep distinct XMM/MXCSR/FCW values across
#             thousands of switches (yields and preemption)
#   crash     dom1 crashes (ud2): dom0 hears VIRQ_DOM_EXC and ends well,
#             dom1's memory returns to its baseline
#   fault     dom1 faults with no trap table: the hypervisor crashes it,
#             dom0 lives, dom1's memory returns
#   exit      dom0 powers off while dom1 yields in a loop (once dom1 has sent
#             it an event): the machine ends with 0;
#             malformed domu= options are refused, the rest boots
#   smp       on two CPUs with lamina_smp=on: the ping-pong with a 2-vCPU dom1
#             (dom0 and dom1 on different CPUs, events crossing by IPI), then
#             the fpu scenario (vCPUs moving between CPUs keep their state)
#   evrace    on two CPUs: 200 rounds of a fresh channel sent on and closed
#             from both ends at once (the two domains' event locks taken in
#             both orders), with go/done events: no deadlock, no lost event
set -uo pipefail
. "$(dirname "$0")/boot-lib.sh"

G=$GPV_TOP/build/guest-pv
logdir=$(gpv_logdir two-domain) # build/tests/two-domain/last/SCENARIO.log
bad=0
only=${TD_SCENARIOS:-"pingpong weights fpu crash fault exit smp evrace"}

pass() { echo "PASS: two-domain: $1"; }
fail() { echo "FAIL: two-domain: $1"; bad=1; }

# boot NAME DOM0-ARGS APPEND [TIMEOUT]: boots, echoes the verdict code.
boot() {
	local name=$1 dargs=$2 append=$3 limit=${4:-90}
	"$GPV_TOP/scripts/qemu-run.sh" --kernel "$GPV_LAMINA" \
		--append "console=com1 loglvl=all dom0_mem=64M $append" \
		--module "$G/two-domain-dom0.elf $dargs" --module "$G/two-domain-domu.elf" \
		--cpu "$GPV_CPU" --smp "${TD_SMP:-1}" --mem 256 --timeout "$limit" --log "$logdir/$name.log" \
		>/dev/null 2>&1
	echo $?
}

# report NAME DOMIDS: every kernel's lines, and each one's RESULT.
report() {
	local name=$1 log=$logdir/$1.log clean
	shift
	clean=$(gpv_lines "$log")
	printf '%s\n' "$clean" | grep -aE '^(\(d[0-9]+\) )?(PASS|FAIL|BENCH|INFO): ' |
		sed -E "s/^(\(d[0-9]+\) )?(PASS|FAIL|BENCH|INFO): /\2: two-domain: $name: \1/"
	for d in "$@"; do
		local pre="^"
		[ "$d" != 0 ] && pre="^\\(d$d\\) "
		if grep -aqE "${pre}RESULT: [0-9]+ passed, 0 failed" <<<"$clean"; then
			pass "$name: dom$d ended with a RESULT line and no failure"
		else
			fail "$name: dom$d ended with a RESULT line and no failure"
		fi
	done
	grep -aqE '^(\(d[0-9]+\) )?FAIL: ' <<<"$clean" && bad=1
	return 0
}

# baseline NAME DOMID: the allocator's free pages after domN's death equal those before.
baseline() {
	local line
	line=$(gpv_lines "$logdir/$1.log" | grep -a "dom$2 destroyed:" | head -1)
	if [[ $line =~ destroyed:\ ([0-9]+)\ pages\ free,\ ([0-9]+)\ before ]] &&
		[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]; then
		pass "$1: dom$2's memory is back (${BASH_REMATCH[1]} free pages, as before it was built)"
	else
		fail "$1: dom$2's memory is back (${line:-no 'destroyed' line})"
	fi
}

exit_code() { # NAME GOT WANT
	if [ "$2" = "$3" ]; then pass "$1: machine exit code $3"; else fail "$1: machine exit code $3 (got $2)"; fi
}

for s in $only; do
	case $s in
	pingpong)
		rc=$(boot pingpong "mode=pingpong" 'domu=1,mem=32M,cmdline="mode=pingpong"')
		exit_code pingpong "$rc" 0
		report pingpong 0 1
		baseline pingpong 1
		;;
	weights)
		# The windows open 3 s after boot: three of 3 s. Under TCG in wall
		# time the host's preemption of QEMU is charged to whichever domain
		# runs (1.9-2.1 on an idle host, out of 5% at load 10), so the boot
		# runs under -icount (TD_WEIGHTS_ICOUNT, empty for wall time): the
		# guest's clock counts its instructions (shift=3: 8 ns each;
		# sleep=off: idle time is skipped), the same for every host load:
		# 2.000 in 4-6 s of host time (12 s in wall time). A run outside 5%
		# is run again, at most 3 runs in all, each one printed; a
		# scheduler that ignores weights fails all three (before the reset
		# multiplier: 1.47 every time).
		wic=${TD_WEIGHTS_ICOUNT-shift=3,sleep=off}
		for attempt in 1 2 3; do
			rc=$(LAMINA_ICOUNT=$wic boot weights "mode=wait exits=2" 'domu=1,mem=16M,weight=256,cmdline="mode=spin start=3000 window=3000 windows=3" domu=1,mem=16M,weight=512,cmdline="mode=spin start=3000 window=3000 windows=3"' 120)
			clean=$(gpv_lines "$logdir/weights.log")
			ratios=$(printf '%s\n' "$clean" | awk '
				/^\(d1\) INFO: loops [0-9]+ [0-9]+$/ { a[$4] = $5; ta += $5; na++ }
				/^\(d2\) INFO: loops [0-9]+ [0-9]+$/ { b[$4] = $5; tb += $5; nb++ }
				END { if (na != 3 || nb != 3 || ta == 0) exit 1
					printf "%.3f", tb / ta
					for (w = 0; w < 3; w++) printf " %.3f", b[w] / a[w] }')
			sr=$(printf '%s\n' "$clean" | awk '
				/^\(LAMINA\) dom1: vCPU 0 ran [0-9]+ ms/ { a = $6 }
				/^\(LAMINA\) dom2: vCPU 0 ran [0-9]+ ms/ { b = $6 }
				END { if (a > 0) printf "%.3f", b / a }')
			total=${ratios%% *}
			echo "BENCH: two-domain: weights 256:512 (run $attempt): loop ratio over 9 s${wic:+ of -icount $wic} ${total:-n/a} (want 2.000 +- 5%); per 3 s window${ratios#$total}; scheduler's accounting ${sr:-n/a}"
			[ -n "$total" ] && awk -v r="$total" 'BEGIN { exit !(r >= 1.9 && r <= 2.1) }' && break
		done
		exit_code weights "$rc" 0
		report weights 0 1 2
		if [ -n "$total" ] && awk -v r="$total" 'BEGIN { exit !(r >= 1.9 && r <= 2.1) }'; then
			pass "weights: CPU time of weights 1:2 within 5% of 1:2 (loop ratio $total, run $attempt of at most 3)"
		else
			fail "weights: CPU time of weights 1:2 within 5% of 1:2 (loop ratio ${total:-n/a} in 3 runs)"
		fi
		;;
	fpu)
		rc=$(boot fpu "mode=wait exits=2" 'domu=1,mem=16M,cmdline="mode=fpu rounds=3000 seed=1" domu=1,mem=16M,cmdline="mode=fpu rounds=3000 seed=2"' 120)
		exit_code fpu "$rc" 0
		report fpu 0 1 2
		;;
	crash)
		rc=$(boot crash "mode=wait exits=1" 'domu=1,mem=32M,cmdline="mode=crash"')
		exit_code crash "$rc" 0
		report crash 0
		clean=$(gpv_lines "$logdir/crash.log")
		if grep -aq '^(d1) TRAP: vector 6 #UD' <<<"$clean" &&
			grep -aq 'dom1 shut down: crash' <<<"$clean"; then
			pass "crash: dom1's ud2 dumped and shut it down with SHUTDOWN_crash"
		else
			fail "crash: dom1's ud2 dumped and shut it down with SHUTDOWN_crash"
		fi
		baseline crash 1
		;;
	fault)
		rc=$(boot fault "mode=wait exits=1" 'domu=1,mem=32M,cmdline="mode=fault"')
		exit_code fault "$rc" 0
		report fault 0
		if grep -aq 'dom1 crashed: ' "$logdir/fault.log"; then
			pass "fault: the hypervisor crashed dom1, not the machine"
		else
			fail "fault: the hypervisor crashed dom1, not the machine"
		fi
		baseline fault 1
		;;
	exit)
		# dom0 powers off once dom1 has told it it runs (hello=1): before,
		# dom1's lines were there or not by the scheduler's turn (126/128).
		rc=$(boot exit "mode=exit hello=1" 'domu=0 domu=1,vcpus=99 domu=1,weight=0 domu=1,mem=x domu=1,mem=16M,cmdline="mode=yieldbench rounds=1000000000 hello=1" domu=7')
		exit_code exit "$rc" 0
		report exit 0
		clean=$(gpv_lines "$logdir/exit.log")
		n=$(printf '%s\n' "$clean" | grep -ac 'refused (see docs/hypervisor.md')
		if [ "$n" = 4 ]; then pass "exit: 4 malformed domu= options refused"; else fail "exit: 4 malformed domu= options refused (got $n)"; fi
		if grep -aq 'dom2: module 7 does not exist' <<<"$clean"; then
			pass "exit: a domu= naming a missing module builds nothing, the others boot"
		else
			fail "exit: a domu= naming a missing module builds nothing, the others boot"
		fi
		;;
	smp)
		rc=$(TD_SMP=2 boot smp-pingpong "mode=pingpong" 'lamina_smp=on domu=1,mem=32M,vcpus=2,cmdline="mode=pingpong"')
		exit_code smp-pingpong "$rc" 0
		report smp-pingpong 0 1
		baseline smp-pingpong 1
		clean=$(gpv_lines "$logdir/smp-pingpong.log")
		if grep -aq 'scheduler: credit2 on cpupool 0 (every CPU)' <<<"$clean" &&
			grep -aq 'dom1 vCPU 0 runs on CPU' <<<"$clean" &&
			[ "$(grep -ac 'dom0 vCPU 0 runs on CPU' <<<"$clean")" -ge 1 ] &&
			grep -aqE 'dom[01] vCPU 0 runs on CPU1' <<<"$clean"; then
			pass "smp-pingpong: both CPUs ran guests"
		else
			fail "smp-pingpong: both CPUs ran guests"
		fi
		rc=$(TD_SMP=2 boot smp-fpu "mode=wait exits=2" 'lamina_smp=on domu=1,mem=16M,cmdline="mode=fpu rounds=3000 seed=1" domu=1,mem=16M,cmdline="mode=fpu rounds=3000 seed=2"' 120)
		exit_code smp-fpu "$rc" 0
		report smp-fpu 0 1 2
		;;
	evrace)
		rc=$(TD_SMP=2 boot evrace "mode=evrace rounds=200" 'domu=1,mem=16M,cmdline="mode=evrace rounds=200"' 120)
		exit_code evrace "$rc" 0
		report evrace 0 1
		baseline evrace 1
		;;
	*) fail "unknown scenario $s" ;;
	esac
done
exit $bad
