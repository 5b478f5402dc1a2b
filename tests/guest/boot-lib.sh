# SPDX-License-Identifier: MIT
#
# Shared by on-xen.sh, on-lamina.sh and the hypercall benchmark: boot one
# guest-pv kernel as dom0 under QEMU and turn its serial log into check lines.
#
# Real Xen halts (does not power off) the machine when dom0 powers off, so
# gpv_boot_xen watches the log and stops its own QEMU once Xen reports that
# dom0 is gone. Each function prints nothing but the log path's contents.

GPV_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GPV_XEN=$GPV_TOP/build/xen/xen-4.17.elf
GPV_LAMINA=${GPV_LAMINA:-$GPV_TOP/build/lamina}
GPV_CPU=${GPV_CPU:-max,-smap}
GPV_SMP=${GPV_SMP:-1} # CPUs of the QEMU machine (Xen's dom0 gets one vCPU per CPU)
GPV_MEM=${GPV_MEM:-256} # MiB of the QEMU machine (dom0 has 64 of them)
# GPV_LAMINA_APPEND: more words for Lamina's command line (lamina_smp=on, dom0_max_vcpus=2)
GPV_XEN_APPEND="console=com1 com1=115200,8n1 loglvl=all guest_loglvl=all dom0_mem=64M smap=0 smep=0"

# gpv_logdir NAME: this run's own log directory, build/tests/NAME/run.PID
# (build/tests/NAME/last links to it), so that two runs of a script in one
# tree (make test and a single kernel's run beside it) never truncate or read
# each other's logs, and gpv_boot_xen never stops its QEMU on the other run's
# "halted". The directories of runs that have ended are removed first.
gpv_logdir() {
	local base=$GPV_TOP/build/tests/$1 d
	mkdir -p "$base"
	for d in "$base"/run.*; do
		[ -d "$d" ] && ! kill -0 "${d##*.}" 2>/dev/null && rm -rf "$d"
	done
	d=$base/run.$$
	rm -rf "$d"
	mkdir -p "$d"
	ln -sfn "run.$$" "$base/last"
	echo "$d"
}

# gpv_boot_xen KERNEL LOG [TIMEOUT]: returns 0 when Xen reported dom0's end.
gpv_boot_xen() {
	local kernel=$1 log=$2 limit=${3:-60} pid i
	: >"$log"
	setsid "$GPV_TOP/scripts/qemu-run.sh" --kernel "$GPV_XEN" --append "$GPV_XEN_APPEND" \
		--module "$kernel" --cpu "$GPV_CPU" --smp "$GPV_SMP" --mem "$GPV_MEM" --timeout "$limit" \
		--log "$log" >/dev/null 2>&1 &
	pid=$!
	for ((i = 0; i < limit * 20; i++)); do
		if grep -qE 'Hardware Dom0 (halted|shutdown|crashed)|Domain 0 crashed|Panic on CPU' "$log"; then
			# Halted and shutdown are Xen's last lines; a crash or panic
			# may print more (the panic's reason) for a moment.
			grep -qE 'Hardware Dom0 (halted|shutdown)' "$log" || sleep 0.3
			kill -- -"$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -- -"$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	grep -qE 'Hardware Dom0 (halted|shutdown|crashed)' "$log"
}

# gpv_boot_lamina KERNEL LOG [TIMEOUT]: returns qemu-run.sh's verdict code.
gpv_boot_lamina() {
	local kernel=$1 log=$2 limit=${3:-60}
	"$GPV_TOP/scripts/qemu-run.sh" --kernel "$GPV_LAMINA" \
		--append "console=com1 loglvl=all dom0_mem=64M${GPV_LAMINA_APPEND:+ $GPV_LAMINA_APPEND}" \
		--module "$kernel" --cpu "$GPV_CPU" --smp "$GPV_SMP" --mem "$GPV_MEM" --timeout "$limit" \
		--log "$log" >/dev/null 2>&1
}

# gpv_lines LOG: the serial log without CR and NUL, one check line per line.
# Output of two CPUs can share a console line (a domain's line written while
# another's was not ended, or a dom0 line over 128 bytes, written in chunks):
# a PASS/FAIL/BENCH/INFO/RESULT marker (with or without its "(dN) ") inside
# a line starts a line of its own, so no check is lost from the count.
gpv_lines() {
	tr -d '\r\000' <"$1" | awk '{
		out = ""; rest = $0; n = 0
		while (match(rest, /(\(d[0-9]+\) )?(PASS|FAIL|BENCH|INFO|RESULT): /)) {
			if (RSTART > 1 || n > 0)
				out = out substr(rest, 1, RSTART - 1) "\n"
			out = out substr(rest, RSTART, RLENGTH)
			rest = substr(rest, RSTART + RLENGTH)
			n++
		}
		print out rest
	}'
}

# gpv_report NAME LOG PREFIX: re-print the kernel's PASS/FAIL lines as
# "PASS: PREFIX: ..." and fail when the kernel died or reported nothing.
# Returns the number of failures (capped at 1).
gpv_report() {
	local name=$1 log=$2 prefix=$3 lines all
	all=$(gpv_lines "$log")
	lines=$(grep -aE '^(PASS|FAIL): ' <<<"$all")
	if [ -n "$lines" ]; then
		printf '%s\n' "$lines" | sed -E "s/^(PASS|FAIL): /\1: $prefix: /"
	fi
	grep -aE '^(INFO|BENCH): ' <<<"$all" | sed -E "s/^(INFO|BENCH): /\1: $prefix: /"
	if ! grep -aqE '^RESULT: [0-9]+ passed, 0 failed' <<<"$all"; then
		echo "FAIL: $prefix: $name: kernel ended with a RESULT line and no failure"
		tr -d '\r\000' <"$log" | grep -aE 'PANIC|TRAP|crash|Unhandled' | head -5 | sed 's/^/INFO: /'
		return 1
	fi
	echo "PASS: $prefix: $name: kernel ended with a RESULT line and no failure"
	printf '%s\n' "$lines" | grep -aq '^FAIL' && return 1
	return 0
}

# gpv_check_crash LOG PREFIX: the crash kernel's register dump is in LOG.
gpv_check_crash() {
	local log=$1 prefix=$2 bad=0
	if tr -d '\r\000' <"$log" | grep -aq '^TRAP: vector 6 #UD'; then
		echo "PASS: $prefix: crash: the unhandled #UD printed a register dump"
	else
		echo "FAIL: $prefix: crash: the unhandled #UD printed a register dump"
		bad=1
	fi
	if tr -d '\r\000' <"$log" | grep -aq 'r12 000c0ffee0ddba11'; then
		echo "PASS: $prefix: crash: the dump shows the faulting context's r12"
	else
		echo "FAIL: $prefix: crash: the dump shows the faulting context's r12"
		bad=1
	fi
	return $bad
}

# gpv_check_fail LOG PREFIX: the fail kernel reported its failure.
gpv_check_fail() {
	if tr -d '\r\000' <"$1" | grep -aq '^RESULT: 0 passed, 1 failed'; then
		echo "PASS: $2: fail: a failing kernel reports RESULT 0 passed, 1 failed"
		return 0
	fi
	echo "FAIL: $2: fail: a failing kernel reports RESULT 0 passed, 1 failed"
	return 1
}
