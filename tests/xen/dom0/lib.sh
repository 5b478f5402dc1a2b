# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# Helpers for the rig's dom0 scenarios (sourced by /rig/init): check
# reporting, starting and stopping the xenstored under test, guests, timing.
# A check prints "@@PASS: name" or "@@FAIL: name"; the host-side script turns
# those into its own PASS/FAIL lines.

rig_passed=0
rig_failed=0
XEN_XENSTORED=/usr/lib/xen-4.17/bin/xenstored
LAMINA_XENSTORED=/lamina/bin/xenstored
CONSOLE_DIR=/var/log/xen/console
RIG_XSD_NAME=none # which xenstored rig_start_xenstored started: xen, lamina

rig_pass() {
	rig_passed=$((rig_passed + 1))
	echo "@@PASS: $1"
}

# rig_fail NAME [WHY]
rig_fail() {
	rig_failed=$((rig_failed + 1))
	echo "@@FAIL: $1${2:+ ($2)}"
}

rig_info() { echo "@@INFO: $*"; }
rig_bench() { echo "@@BENCH: $*"; }

# rig_check NAME CMD...: run CMD, pass when it exits 0; its output is shown
# only on failure. A program (not a shell function) gets 60 s: a hung daemon
# fails the check instead of hanging the boot.
rig_check() {
	local name=$1 out rc
	shift
	if [ "$(type "$1" 2>/dev/null | grep -c function)" = 0 ]; then
		out=$(timeout 60 "$@" 2>&1)
	else
		out=$("$@" 2>&1)
	fi
	rc=$?
	if [ $rc = 0 ]; then
		rig_pass "$name"
	else
		rig_fail "$name" "exit $rc"
		printf '%s\n' "$out" | tail -n 15 | sed 's/^/    | /'
	fi
	return $rc
}

# rig_expect NAME WANT GOT: pass when GOT equals WANT.
rig_expect() {
	if [ "$3" = "$2" ]; then
		rig_pass "$1"
	else
		rig_fail "$1" "want '$2', got '$3'"
		return 1
	fi
}

# Seconds since dom0 booted, with centiseconds.
rig_now() { cut -d' ' -f1 /proc/uptime; }

# rig_elapsed_ms START END: milliseconds between two rig_now values.
rig_elapsed_ms() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 }'
}

rig_load_modules() {
	local m
	for m in $(cat /lib/modules/load-order); do
		insmod "/lib/modules/$m.ko" || rig_fail "rig.insmod-$m"
	done
}

# rig_wait_for SECONDS CMD...: poll CMD every 50 ms until it succeeds.
rig_wait_for() {
	local n=$(($1 * 20))
	shift
	while [ $n -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		usleep 50000
		n=$((n - 1))
	done
	return 1
}

xs_socket_up() { [ -S /run/xenstored/socket ]; }

# A xenstored is running and listening (xl would block without one).
xs_running() {
	xs_socket_up && [ -f /run/xenstored.pid ] && kill -0 "$(cat /run/xenstored.pid)" 2>/dev/null
}

# Start a xenstored (Xen's or Lamina's, same options), then populate dom0's
# part of the store with xen-init-dom0 and start xenconsoled.
# rig_start_xenstored NAME BINARY
rig_start_xenstored() {
	local name=$1 bin=$2
	RIG_XSD_NAME=xen
	[ "$bin" = "$LAMINA_XENSTORED" ] && RIG_XSD_NAME=lamina
	rm -f /run/xenstored/socket /run/xenstored/socket_ro /run/xenstored.pid
	if [ ! -x "$bin" ]; then
		rig_fail "$name.xenstored-present" "$bin missing"
		return 1
	fi
	# As an init script starts it: it must fork and return (10 s at most).
	if ! timeout 10 "$bin" --pid-file /run/xenstored.pid \
		>/var/log/xen/xenstored-$name.out 2>&1; then
		rig_fail "$name.xenstored-starts" "did not start and fork in 10 s"
		sed 's/^/    | /' /var/log/xen/xenstored-$name.out | tail -n 15
		return 1
	fi
	rig_pass "$name.xenstored-starts"
	rig_wait_for 10 xs_socket_up || {
		rig_fail "$name.xenstored-socket" "no /run/xenstored/socket"
		return 1
	}
	rig_check "$name.xen-init-dom0" xen-init-dom0 || return 1
	xenconsoled --log=guest --log-dir=$CONSOLE_DIR --pid-file=/run/xenconsoled.pid ||
		rig_fail "$name.xenconsoled-starts"
	return 0
}

# rig_start_{xen,lamina}_xenstored [PREFIX]: checks are named PREFIX.*
# (default xen or lamina).
rig_start_xen_xenstored() { rig_start_xenstored "${1:-xen}" "$XEN_XENSTORED"; }
rig_start_lamina_xenstored() { rig_start_xenstored "${1:-lamina}" "$LAMINA_XENSTORED"; }

# Stop the xenstored under test and xenconsoled, after destroying every domU,
# so another xenstored can take dom0's ring over from a quiet state. As an
# init script would: SIGTERM, and the daemon must be gone within 5 s (a
# check named after it); one that is not gets SIGKILL so the boot goes on.
rig_stop_xenstored() {
	local d p pid
	xs_running && for d in $(timeout 30 xl list 2>/dev/null | awk 'NR > 2 { print $1 }'); do
		timeout 30 xl destroy "$d" >/dev/null 2>&1
	done
	for p in /run/xenconsoled.pid /run/xenstored.pid; do
		[ -f $p ] && kill "$(cat $p)" 2>/dev/null
	done
	for p in /run/xenconsoled.pid /run/xenstored.pid; do
		[ -f $p ] || continue
		pid=$(cat $p)
		if rig_wait_for 5 sh -c "! kill -0 $pid"; then
			[ $p = /run/xenstored.pid ] && rig_pass "$RIG_XSD_NAME.xenstored-exits-on-SIGTERM"
		else
			[ $p = /run/xenstored.pid ] && rig_fail "$RIG_XSD_NAME.xenstored-exits-on-SIGTERM" \
				"still running 5 s after SIGTERM: killed"
			kill -9 "$pid" 2>/dev/null
			rig_wait_for 5 sh -c "! kill -0 $pid"
		fi
		rm -f $p
	done
	rm -f /run/xenstored/socket /run/xenstored/socket_ro
}

# rig_guest_cfg NAME KERNEL [EXTRA-LINE...]: write /tmp/NAME.cfg, a PV guest
# with no devices.
rig_guest_cfg() {
	local name=$1 kernel=$2
	shift 2
	{
		echo "name = \"$name\""
		echo "type = \"pv\""
		echo "kernel = \"$kernel\""
		echo "memory = 32"
		echo "vcpus = 1"
		echo "on_poweroff = \"preserve\""
		echo "on_crash = \"preserve\""
		for l in "$@"; do echo "$l"; done
	} >/tmp/$name.cfg
}

# rig_console_has NAME PATTERN: the guest's console log has a line matching.
rig_console_has() { grep -q "$2" "$CONSOLE_DIR/guest-$1.log" 2>/dev/null; }

rig_domid() { timeout 30 xl domid "$1" 2>/dev/null; }

# rig_show_console NAME: print the guest's console log, indented.
rig_show_console() {
	echo "    --- console of $1:"
	sed 's/^/    | /' "$CONSOLE_DIR/guest-$1.log" 2>/dev/null | tail -n 40
}

# rig_exit CODE: end the QEMU run with CODE through its isa-debug-exit port
# (0xf4; dom0 may do port I/O). A PV dom0 with acpi=off cannot power the
# machine off (Xen only halts), so a reboot, which QEMU's -no-reboot turns
# into an exit, is the fallback.
rig_exit() {
	local code=$(($1 > 255 ? 255 : $1))
	printf "\\$(printf %o "$code")" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
	sleep 1
	reboot -f
}

# rig_test_xenstore PREFIX: Xen's own xenstore conformance test (every test
# of xen-utils-4.17's test-xenstore) against the running daemon, over the
# socket and over dom0's ring.
rig_test_xenstore() {
	rig_check "$1.test-xenstore-socket" timeout 60 test-xenstore
	rig_check "$1.test-xenstore-ring" env XENSTORED_PATH=/dev/xen/xenbus \
		timeout 60 test-xenstore
}
