# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# Hostile guests against the running xenstored (sourced by /rig/init). The
# xs-hostile kernel writes garbage to its own store ring, one kind per domU:
# an unknown message type (answered with XS_ERROR, the ring keeps serving),
# an over-long message and a runaway req_prod (the daemon must stop serving
# that ring). After each, the daemon must still be running and serving dom0;
# a domu-test guest running alongside the runaway producer, and a fresh one
# at the end, must pass every check: the other guests keep working.

# rig_hostile_after P KIND PID: the daemon survived KIND and serves dom0.
# Destroying the cut-off guest must still release it: its store nodes go.
rig_hostile_after() {
	local domid
	domid=$(rig_domid "$1-$2")
	rig_check "$1.$2.xenstored-alive" kill -0 "$3"
	rig_expect "$1.$2.dom0-still-served" Domain-0 \
		"$(timeout 5 xenstore-read /local/domain/0/name 2>&1)"
	rig_check "$1.$2.xl-destroy" timeout 20 xl destroy "$1-$2"
	[ -n "$domid" ] && rig_check "$1.$2.store-released" sh -c \
		"! xenstore-exists /local/domain/$domid"
}

# rig_good_guest P NAME: a domu-test guest that must pass every check.
rig_good_guest() {
	rig_guest_results "$1" "$2" 30
	rig_check "$1.$2-all-pass" sh -c \
		"! grep -q '^FAIL' /tmp/$2.results && grep -q '^PASS' /tmp/$2.results"
	timeout 30 xl destroy "$2" >/dev/null 2>&1
}

# rig_hostile PREFIX [garbage-only]: the whole scenario; guests are named
# PREFIX-*. With garbage-only, no well-behaved guests (the reference run).
rig_hostile() {
	local p=$1 only=${2:-} kind pid
	if ! xs_running; then
		rig_fail "$p.xenstored-running" "no xenstored to attack"
		return 1
	fi
	pid=$(cat /run/xenstored.pid)
	for kind in type len; do
		if rig_xl_create "$p" "$p-$kind" "$GUESTS/xs-hostile.elf" "$kind"; then
			rig_guest_results "$p" "$p-$kind" 30
		fi
		rig_hostile_after "$p" $kind "$pid"
	done
	# A well-behaved guest started right behind the runaway producer, so
	# both run at once.
	if rig_xl_create "$p" "$p-prod" "$GUESTS/xs-hostile.elf" prod; then
		[ -z "$only" ] && rig_xl_create "$p" "$p-during" "$GUESTS/domu-test.elf" &&
			rig_good_guest "$p" "$p-during"
		rig_guest_results "$p" "$p-prod" 30
	fi
	rig_hostile_after "$p" prod "$pid"
	[ -n "$only" ] && return 0
	# And one started after all of it.
	rig_xl_create "$p" "$p-after" "$GUESTS/domu-test.elf" &&
		rig_good_guest "$p" "$p-after"
}
