# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# Guest helpers for the rig's scenarios (sourced by /rig/init after lib.sh):
# create a PV domU with Xen's xl, time it to its first console line, turn a
# guest-pv test kernel's PASS/FAIL lines into the rig's, and the whole
# lifecycle check (create, list, console, destroy, @introduceDomain and
# @releaseDomain) that scenarios xen and lamina share.

GUESTS=/lamina/guests

# rig_xl_create PREFIX NAME KERNEL [CMDLINE]: xl create a no-device PV guest
# and wait up to 20 s for its first console line. Prints the time from
# `xl create` to that line as a BENCH line.
rig_xl_create() {
	local prefix=$1 name=$2 kernel=$3 cmdline=${4:-} t0 t1
	if [ ! -f "$kernel" ]; then
		rig_fail "$prefix.$name-kernel-present" "$kernel not built"
		return 1
	fi
	if ! xs_running; then
		rig_fail "$prefix.$name-xl-create" "no xenstored running"
		return 1
	fi
	rig_guest_cfg "$name" "$kernel" ${cmdline:+"cmdline = \"$cmdline\""}
	rm -f "$CONSOLE_DIR/guest-$name.log"
	t0=$(rig_now)
	rig_check "$prefix.$name-xl-create" xl create /tmp/$name.cfg || return 1
	if rig_wait_for 20 test -s "$CONSOLE_DIR/guest-$name.log"; then
		t1=$(rig_now)
		rig_bench "$prefix: xl create to $name's first console line: $(rig_elapsed_ms "$t0" "$t1") ms"
		return 0
	fi
	rig_fail "$prefix.$name-console-output" "no console line in 20 s"
	timeout 30 xl list
	return 1
}

# rig_guest_results PREFIX NAME SECS: wait for the kernel's RESULT line, then
# report each of its PASS/FAIL lines as PREFIX.NAME: ... and save them to
# /tmp/NAME.results. Fails when no RESULT line came.
rig_guest_results() {
	local prefix=$1 name=$2 secs=$3 log
	log=$CONSOLE_DIR/guest-$name.log
	if ! rig_wait_for "$secs" grep -q '^RESULT: ' "$log"; then
		rig_fail "$prefix.$name-result" "no RESULT line in $secs s"
		rig_show_console "$name"
		return 1
	fi
	tr -d '\r' <"$log" | grep -E '^(PASS|FAIL): ' >/tmp/$name.results
	while IFS= read -r l; do
		case $l in
		PASS:*) rig_pass "$prefix.${l#PASS: }" ;;
		FAIL:*) rig_fail "$prefix.${l#FAIL: }" ;;
		esac
	done </tmp/$name.results
	grep -q '^FAIL: ' /tmp/$name.results && rig_show_console "$name"
	return 0
}

# rig_xl_destroy PREFIX NAME: destroy the guest and check it is gone.
rig_xl_destroy() {
	rig_check "$1.$2-xl-destroy" xl destroy "$2" || return 1
	rig_check "$1.$2-gone" sh -c "! xl list $2"
}

# rig_lifecycle PREFIX: the hello kernel's whole life under xl against the
# running xenstored: create (with @introduceDomain), list, its store node,
# console, destroy (with @releaseDomain), its store nodes gone.
rig_lifecycle() {
	local p=$1 name=hello-$1 domid=none out
	rm -f /tmp/intro.$p /tmp/release.$p
	xenstore-watch -n 2 @introduceDomain >/tmp/intro.$p 2>&1 &
	local intro=$!
	xenstore-watch -n 2 @releaseDomain >/tmp/release.$p 2>&1 &
	local release=$!
	# Each watch fires once when set: then it is registered.
	rig_wait_for 10 test -s /tmp/intro.$p
	rig_wait_for 10 test -s /tmp/release.$p
	if rig_xl_create "$p" "$name" "$GUESTS/hello.elf"; then
		rig_wait_for 10 rig_console_has "$name" '^RESULT: ' ||
			rig_fail "$p.$name-result" "no RESULT line"
		rig_check "$p.$name-in-xl-list" sh -c "xl list | grep -q '^$name '"
		domid=$(rig_domid "$name")
		rig_expect "$p.$name-store-name" "$name" \
			"$(timeout 20 xenstore-read /local/domain/$domid/name 2>&1)"
		out=$(timeout 5 xl console "$name" </dev/null 2>&1 | tr -d '\r')
		if printf '%s\n' "$out" | grep -q 'hello from guest-pv'; then
			rig_pass "$p.$name-xl-console"
		else
			rig_fail "$p.$name-xl-console" "no hello line from xl console"
			printf '%s\n' "$out" | tail -n 5 | sed 's/^/    | /'
		fi
		rig_check "$p.introduceDomain-fired" rig_wait_for 5 sh -c "! kill -0 $intro"
		rig_xl_destroy "$p" "$name"
		rig_check "$p.$name-store-released" sh -c "! xenstore-exists /local/domain/$domid"
		rig_check "$p.releaseDomain-fired" rig_wait_for 5 sh -c "! kill -0 $release"
	fi
	kill $intro $release 2>/dev/null
}
