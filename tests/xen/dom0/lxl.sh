# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# lxl in the rig (sourced by /rig/init after guest.sh): Lamina's toolstack
# driving real Xen 4.17 next to Xen's own xl. rig_lxl PREFIX runs every
# check against whichever xenstored and console daemon are up: create with
# devices, list against `xl list`, the xenstore tree, console, the errors
# users hit, restart policies, and create/destroy cycles back to baseline.

LXL=/lamina/bin/lxl
LXL_LOGS=/var/log/lamina

# rig_lxl_cfg NAME KERNEL [LINE...]: /tmp/NAME.cfg for lxl (and xl).
rig_lxl_cfg() { rig_guest_cfg "$@"; }

# The guest's console log as the console daemon keeps it.
rig_lxl_log() { echo "$CONSOLE_DIR/guest-$1.log"; }

# rig_lxl_create PREFIX NAME [lxl create args...]: create, wait for the first
# console line (20 s), print the time as a BENCH line; the monitor's pid in
# /tmp/NAME.monitor.
rig_lxl_create() {
	local p=$1 name=$2 t0 t1 out rc
	shift 2
	rm -f "$(rig_lxl_log "$name")"
	t0=$(rig_now)
	out=$(timeout 60 $LXL create "$@" 2>&1)
	rc=$?
	if [ $rc != 0 ]; then
		rig_fail "$p.$name-lxl-create" "exit $rc"
		printf '%s\n' "$out" | tail -n 10 | sed 's/^/    | /'
		echo "    --- again with LXL_DEBUG=1:"
		LXL_DEBUG=1 timeout 60 $LXL create "$@" 2>&1 | tail -n 40 | sed 's/^/    | /'
		return 1
	fi
	rig_pass "$p.$name-lxl-create"
	printf '%s\n' "$out" | sed -n 's/.*to die \[pid \([0-9]*\)\].*/\1/p' >/tmp/$name.monitor
	if rig_wait_for 20 test -s "$(rig_lxl_log "$name")"; then
		t1=$(rig_now)
		rig_bench "$p: lxl create to $name's first console line: $(rig_elapsed_ms "$t0" "$t1") ms"
		return 0
	fi
	rig_fail "$p.$name-console-output" "no console line in 20 s"
	return 1
}

# Name, id, memory and vCPUs of every domain, from `xl list` / `lxl list`.
rig_list_cols() { timeout 30 "$@" list 2>&1 | awk 'NR > 1 { print $1, $2, $3, $4 }'; }

# rig_lxl_expect_err NAME WANT-TEXT CMD...: CMD fails (exit 1) saying WANT-TEXT on one line.
rig_lxl_expect_err() {
	local name=$1 want=$2 out rc
	shift 2
	out=$(timeout 60 "$@" 2>&1)
	rc=$?
	if [ $rc = 1 ] && printf '%s\n' "$out" | grep -q -- "$want"; then
		rig_pass "$name"
	else
		rig_fail "$name" "exit $rc, want '$want'"
		printf '%s\n' "$out" | tail -n 5 | sed 's/^/    | /'
	fi
}

# The basics on hello.elf with a disk and a vif in its config.
rig_lxl_basics() {
	local p=$1 name=lxl-$1 domid out
	rig_lxl_cfg "$name" "$GUESTS/hello.elf" "disk = [ '/dev/null,raw,xvda,r' ]" \
		"vif = [ 'mac=00:16:3e:00:00:42,bridge=xenbr0' ]"
	rig_lxl_create "$p" "$name" /tmp/$name.cfg || return 1
	rig_wait_for 10 rig_console_has "$name" '^RESULT: ' ||
		rig_fail "$p.$name-result" "no RESULT line"
	domid=$(timeout 20 $LXL domid "$name")
	rig_expect "$p.lxl-domid-agrees-with-xl" "$(rig_domid "$name")" "$domid"
	rig_expect "$p.lxl-domname" "$name" "$(timeout 20 $LXL domname "$domid" 2>&1)"
	rig_expect "$p.lxl-list-agrees-with-xl-list" "$(rig_list_cols xl)" "$(rig_list_cols $LXL)"
	rig_check "$p.xl-list-shows-lxl-domain" sh -c "xl list $name | grep -q '^$name '"
	rig_expect "$p.store-name" "$name" "$(timeout 20 xenstore-read /local/domain/$domid/name)"
	out=$(timeout 20 xenstore-read "$(timeout 20 xenstore-read /local/domain/$domid/vm)/name")
	rig_expect "$p.store-vm-name" "$name" "$out"
	rig_expect "$p.store-vbd-frontend" "/local/domain/0/backend/vbd/$domid/51712" \
		"$(timeout 20 xenstore-read /local/domain/$domid/device/vbd/51712/backend 2>&1)"
	rig_expect "$p.store-vbd-backend" "$domid" \
		"$(timeout 20 xenstore-read /local/domain/0/backend/vbd/$domid/51712/frontend-id 2>&1)"
	rig_expect "$p.store-vif-mac" "00:16:3e:00:00:42" \
		"$(timeout 20 xenstore-read /local/domain/$domid/device/vif/0/mac 2>&1)"
	rig_check "$p.store-console-tty" sh -c \
		"timeout 20 xenstore-read /local/domain/$domid/console/tty | grep -q /dev/pts/"
	out=$(timeout 5 $LXL console "$name" </dev/null 2>&1 | tr -d '\r')
	if printf '%s\n' "$out" | grep -q 'hello from guest-pv'; then
		rig_pass "$p.lxl-console"
	else
		rig_fail "$p.lxl-console" "no hello line from lxl console"
		printf '%s\n' "$out" | tail -n 5 | sed 's/^/    | /'
	fi
	rig_check "$p.lxl-list-json" sh -c "$LXL list -j | grep -q '\"lxl_schema\": 1'"
	rig_check "$p.lxl-info" sh -c "$LXL info | grep -q '^xen_major *: 4'"
	rig_lxl_expect_err "$p.err-duplicate-name" "a domain named '$name' already exists" \
		$LXL create -q /tmp/$name.cfg
	rig_check "$p.lxl-destroy" timeout 30 $LXL destroy "$name"
	rig_check "$p.lxl-destroy-gone" sh -c "! xl list $name"
	rig_check "$p.lxl-destroy-store-gone" sh -c "! xenstore-exists /local/domain/$domid"
	rig_check "$p.lxl-destroy-backend-gone" sh -c \
		"! xenstore-exists /local/domain/0/backend/vbd/$domid"
}

rig_lxl_errors() {
	local p=$1
	rig_lxl_cfg lxl-err "$GUESTS/hello.elf"
	rig_lxl_expect_err "$p.err-no-such-domain" "no domain named 'nosuch'" $LXL destroy nosuch
	rig_lxl_expect_err "$p.err-no-such-id" "no domain with id 4242" $LXL pause 4242
	rig_lxl_expect_err "$p.err-missing-kernel" "kernel '/nope.elf': No such file" \
		$LXL create -q /tmp/lxl-err.cfg kernel=\"/nope.elf\"
	rig_lxl_expect_err "$p.err-not-enough-memory" "not enough memory for 'lxl-err': .* MiB free, 100000 MiB asked" \
		$LXL create -q /tmp/lxl-err.cfg memory=100000
	rig_lxl_expect_err "$p.err-bad-config-line" "lxl-err.cfg:9: vcpus: must be a number" \
		$LXL create -q /tmp/lxl-err.cfg vcpus=\"many\"
	rig_check "$p.err-nothing-left" sh -c "! xl list lxl-err"
}

# rig_lxl PREFIX: every lxl check against the running daemons.
rig_lxl() {
	local p=$1
	if [ ! -x $LXL ]; then
		rig_fail "$p.lxl-present" "$LXL not built"
		return 1
	fi
	if ! xs_running; then
		rig_fail "$p.lxl" "no xenstored running"
		return 1
	fi
	rig_lxl_basics "$p"
	rig_lxl_errors "$p"
}
