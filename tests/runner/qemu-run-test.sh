#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Tests of scripts/qemu-run.sh itself, with a probe image whose command line
# says what to do: the verdict codes, the timeout, the console log.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
run=$top/scripts/qemu-run.sh
probe=$top/build/tests/runner/probe.elf
log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed=0

check() { # name expected-status actual-status
	if [ "$2" = "$3" ]; then
		echo "PASS: runner: $1"
	else
		echo "FAIL: runner: $1 (expected status $2, got $3)"
		failed=1
	fi
}

bash "$run" --kernel "$probe" --append "exit 0" --timeout 30 --log "$log"
check "guest verdict 0 is exit status 0" 0 $?

bash "$run" --kernel "$probe" --append "print lamina-probe-says-hi exit 42" --timeout 30 --log "$log"
check "guest verdict 42 is exit status 42" 42 $?
if grep -qx 'lamina-probe-says-hi' "$log"; then
	echo "PASS: runner: serial console captured in the log"
else
	echo "FAIL: runner: serial console not in the log"; failed=1
fi

bash "$run" --kernel "$probe" --append "exit 0" --cpu Haswell --timeout 30 --log "$log" 2>/dev/null
check "verdict 0 with QEMU warnings (CPU features TCG lacks) is still 0" 0 $?

bash "$run" --kernel "$probe" --append "hang" --timeout 3 --log "$log"
check "a hung guest is stopped by the timeout" 124 $?

bash "$run" --kernel "$probe" --append "reset" --timeout 30 --log "$log"
check "a reset without a verdict is status 125" 125 $?

bash "$run" --kernel /nonexistent --timeout 5 --log "$log" 2>/dev/null
check "a missing image is status 126" 126 $?

printf 'not an image' >"$log.img"
bash "$run" --kernel "$log.img" --timeout 5 --log "$log" 2>/dev/null
check "an image QEMU cannot load is status 126, not verdict 0" 126 $?
rm -f "$log.img"

LAMINA_ACCEL=bogus bash "$run" --kernel "$probe" --timeout 5 --log "$log" 2>/dev/null
check "an unknown accelerator is refused" 126 $?

exit $failed
