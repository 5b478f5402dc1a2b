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
	printf '%s\n' "$out" | sed -n 's/.*(domid \([0-9]*\)).*/\1/p' >/tmp/$name.domid
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
	rig_check "$p.store-perms-guest-reads" sh -c \
		"timeout 20 xenstore-ls -p /local/domain/$domid | grep '^name ' | grep -q '(n0,r$domid)'"
	rig_check "$p.store-perms-guest-owns-control" sh -c \
		"timeout 20 xenstore-ls -p /local/domain/$domid/control | grep '^shutdown ' | grep -q '(n$domid)'"
	rig_check "$p.store-perms-backend-guest-reads" sh -c \
		"timeout 20 xenstore-ls -p /local/domain/0/backend/vbd/$domid/51712 | grep '^state ' | grep -q '(n0,r$domid)'"
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
	# For docs/lxl.md: what Xen's own xl says of a key it does not know.
	rig_lxl_cfg lxl-unk "$GUESTS/hello.elf" "frobnicate = 1"
	rig_info "$p: xl create -n on an unknown key says: '$(timeout 20 xl create -n /tmp/lxl-unk.cfg 2>&1 |
		grep -i frobnicate | head -n 1)'"
}

# rig_lxl_cmp NAME ARGS...: `xl ARGS` and `lxl ARGS` print the same on stdout
# and exit with the same status (xl's and lxl's error words differ on stderr).
rig_lxl_cmp() {
	local name=$1 a b ra rb
	shift
	a=$(timeout 20 xl "$@" 2>/dev/null)
	ra=$?
	b=$(timeout 20 $LXL "$@" 2>/dev/null)
	rb=$?
	rig_expect "$name" "$a
[exit $ra]" "$b
[exit $rb]"
}

# rig_lxl_cmp_filter NAME FILTER ARGS...: the same through `sh -c FILTER`
# (for what changes between two calls, e.g. dom0's CPU time).
rig_lxl_cmp_filter() {
	local name=$1 f=$2
	shift 2
	rig_expect "$name" "$(timeout 20 xl "$@" 2>/dev/null | sh -c "$f")" \
		"$(timeout 20 $LXL "$@" 2>/dev/null | sh -c "$f")"
}

# rig_lxl_err_cmp NAME ARGS...: xl fails, lxl fails with the same status, and
# for a plain failure (1) says why in one "lxl: ..." line.
rig_lxl_err_cmp() {
	local name=$1 ra rb err
	shift
	timeout 20 xl "$@" >/dev/null 2>&1
	ra=$?
	err=$(timeout 20 $LXL "$@" 2>&1 >/dev/null)
	rb=$?
	if [ $ra != 0 ] && [ $rb = $ra ] && { [ $ra != 1 ] ||
		{ [ "$(printf '%s\n' "$err" | grep -c .)" = 1 ] && printf '%s' "$err" | grep -q '^lxl: '; }; }; then
		rig_pass "$name"
	else
		rig_fail "$name" "xl exit $ra, lxl exit $rb"
		printf '%s\n' "$err" | head -n 5 | sed 's/^/    | /'
	fi
}

# rig_lxl_info_numa P: lxl info -n prints xl's cpu_topology, device topology
# and numa_info tables, in xl's place (after free_cpus), with what xl prints
# for them (free memory, which a scrub may move between the two, left out).
rig_lxl_info_numa() {
	local f="grep -v '^free_memory' | awk '/^numa_info/ { n = 1 } /^xen_major/ { n = 0 }
		n && /^ *[0-9]+:/ { \$3 = \"FREE\" } { print }'"
	rig_lxl_cmp_filter "$1.info-n-as-xl" "$f" info -n
	rig_check "$1.info-n-has-cpu-and-node-rows" sh -c "$LXL info -n 2>/dev/null |
		grep -A1 '^cpu:    core    socket     node' | grep -q '^  0:' &&
		$LXL info -n 2>/dev/null | grep -A1 '^node:    memsize' | grep -Eq '^   0: +[1-9]'"
}

rig_lxl_node() { timeout 20 xenstore-read "/local/domain/$1/$2" 2>&1; }
rig_lxl_state() { timeout 20 xl list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }'; }
# The vCPUs' affinities as `xl vcpu-list` shows them.
rig_lxl_affinity() { timeout 20 xl vcpu-list "$1" | awk 'NR > 1 { print $3, $7, $8, $9 }'; }
# A domain's max_mem_kb as lxl list -j gives it.
rig_lxl_maxmem() { timeout 20 $LXL list -j "$1" | tr ',' '\n' | grep max_mem_kb | tr -d ' '; }

# rig_lxl_fallback_start PREFIX: a pvctl guest without PV control, and xl's and
# lxl's `shutdown -F` of it started in the background (each waits libxl's
# 60 s for an acknowledgement that never comes) while rig_lxl_commands runs;
# rig_lxl_fallback_check collects them.
rig_lxl_fallback_start() {
	local p=$1 n=lxln-$1
	rig_lxl_cfg "$n" "$GUESTS/pvctl.elf" "extra = 'nocontrol'"
	RIG_FB_X= RIG_FB_L=
	rig_lxl_create "$p" "$n" -e /tmp/$n.cfg || return 1
	rig_wait_for 10 rig_console_has "$n" 'no PV control'
	(timeout 90 xl shutdown -F "$n" >/tmp/fbx.out 2>&1; echo "[exit $?]" >>/tmp/fbx.out) &
	RIG_FB_X=$!
	(timeout 90 $LXL shutdown -F "$n" >/tmp/fbl.out 2>&1; echo "[exit $?]" >>/tmp/fbl.out) &
	RIG_FB_L=$!
	RIG_FB_T0=$(rig_now)
}

rig_lxl_fallback_check() {
	local p=$1 n=lxln-$1 id
	[ -n "$RIG_FB_L" ] || return 1
	wait "$RIG_FB_X" "$RIG_FB_L"
	rig_info "$p: shutdown -F of a guest without PV control came back after $(rig_elapsed_ms "$RIG_FB_T0" "$(rig_now)") ms"
	id=$(rig_domid "$n")
	rig_check "$p.shutdown-F-xl-fails-without-pv-control" grep -q '^\[exit 1\]' /tmp/fbx.out
	rig_check "$p.shutdown-F-lxl-fails-as-xl" sh -c "grep -q '^\[exit 1\]' /tmp/fbl.out &&
		grep -q '^Shutting down domain $id\$' /tmp/fbl.out &&
		[ \$(grep -c '^lxl: ' /tmp/fbl.out) = 1 ] &&
		grep -q 'did not acknowledge the poweroff request in 60 s' /tmp/fbl.out" ||
		sed 's/^/    | /' /tmp/fbl.out
	rig_expect "$p.shutdown-F-guest-still-running" "-b----" "$(rig_lxl_state "$n")"
	rig_info "$p: xl says: $(grep -v '^\[exit' /tmp/fbx.out | tr '\n' '|')"
	timeout 30 $LXL destroy "$n"
}

# Both tools' -w messages (stderr) with the domain ids as N.
rig_lxl_ids_as_n() { sed 's/\([Dd]omain\) [0-9][0-9]*/\1 N/'; }

# rig_lxl_commands PREFIX: the commands of a running toolstack, each compared
# with Debian's xl on the same domains: two twins of one pvctl config (vCPUs
# 2, maxmem 64), X made by xl and L by lxl, both paused; the listings, the
# changes (xl on X, lxl on L, read back the same way), the errors; then
# unpause, pause, and shutdown -w of both.
# rig_lxl_info_keys P: lxl info KEY chooses lines as xl's prefix rule does
# (xl_info.c): one key, a prefix several keys share, the key padded as the
# line is, an unknown key (nothing, exit 0), and extra arguments ignored.
rig_lxl_info_keys() {
	local k
	for k in xen_major xen_ x nosuch "virt_caps" "xen_minor   "; do
		rig_lxl_cmp "$1.info-key-as-xl:$(echo "$k" | tr ' ' _)" info "$k"
	done
	rig_lxl_cmp "$1.info-key-extra-args-as-xl" info release xen_major
	rig_expect "$1.info-key-xen_-has-lines" "ok" \
		"$(timeout 20 $LXL info xen_ | awk 'NR == 1 && /^[0-9]+$/ { n = 1 } END { print (n && NR > 8) ? "ok" : NR }')"
}

# rig_lxl_sched_credit P [ERRS]: sched-credit and cpupool-list against xl on a
# credit (credit1) cpupool. xl takes CPU 1 out of Pool-0 and makes pool
# "cred" of it (sched="credit"); twins of one config (2 vCPUs, paused), one
# made by xl and one by lxl, move into it. The listings (all, -d, -p, -s),
# what -w/-c and -s -t/-r/-m leave (read back by xl), libxl's range checks
# and xl's option checks (the same exit status, one lxl: line), and the
# JSON kinds. Then the pool goes and CPU 1 is back in Pool-0.
rig_lxl_sched_credit() {
	local p=$1 xn=lxcx-$1 ln=lxcl-$1 c want errs
	rig_info "$p: sched-credit: start at $(rig_now) s"
	# No credit pool yet: xl lists nothing; Pool-0's credit parameters are unavailable.
	rig_lxl_cmp "$p.sched-credit-no-pool-as-xl" sched-credit
	rig_lxl_cmp "$p.sched-credit-s-credit2-pool-as-xl" sched-credit -s
	rig_check "$p.credit-pool-cpu-1-out-of-pool-0" timeout 30 xl cpupool-cpu-remove Pool-0 1 ||
		return 1
	if ! timeout 30 xl cpupool-create 'name="cred"' 'sched="credit"' 'cpus="1"' >/tmp/cred.out 2>&1; then
		rig_fail "$p.credit-pool-created" "xl cpupool-create failed"
		sed 's/^/    | /' /tmp/cred.out
		timeout 30 xl cpupool-cpu-add Pool-0 1
		return 1
	fi
	rig_pass "$p.credit-pool-created"
	rig_lxl_cfg "$xn" "$GUESTS/pvctl.elf" "vcpus = 2"
	sed "s/$xn/$ln/" /tmp/$xn.cfg >/tmp/$ln.cfg
	rig_check "$p.credit-twin-xl-create-paused" timeout 60 xl create -q -p /tmp/$xn.cfg &&
		rig_check "$p.credit-twin-lxl-create-paused" timeout 60 $LXL create -q -p -e /tmp/$ln.cfg &&
		rig_check "$p.credit-twins-moved" sh -c "timeout 30 xl cpupool-migrate $xn cred &&
			timeout 30 xl cpupool-migrate $ln cred"
	# Running, not paused: on Xen 4.17, taking CPU 1 out of a credit pool that
	# had held paused domains hung dom0 (xl cpupool-destroy, three boots).
	timeout 20 xl unpause "$xn"
	timeout 20 xl unpause "$ln"
	rig_lxl_cmp "$p.cpupool-list-credit-as-xl" cpupool-list
	rig_lxl_cmp "$p.cpupool-list-credit-c-as-xl" cpupool-list -c
	rig_lxl_cmp "$p.cpupool-list-credit-pool-as-xl" cpupool-list cred
	rig_lxl_cmp "$p.sched-credit-as-xl" sched-credit
	rig_lxl_cmp "$p.sched-credit-d-as-xl" sched-credit -d "$ln"
	rig_lxl_cmp "$p.sched-credit-p-as-xl" sched-credit -p cred
	rig_lxl_cmp "$p.sched-credit-s-p-as-xl" sched-credit -s -p cred
	rig_lxl_cmp "$p.sched-credit2-pool-0-only-as-xl" sched-credit2
	# dom0 is in Pool-0 (credit2): xl prints the header, then fails
	rig_lxl_cmp "$p.sched-credit-d-credit2-domain-as-xl" sched-credit -d 0
	# Changes by both tools, read back by xl.
	timeout 20 xl sched-credit -d "$xn" -w 512 -c 150
	rig_check "$p.lxl-sched-credit-set" timeout 20 $LXL sched-credit -d "$ln" -w 512 -c 150
	rig_expect "$p.sched-credit-set-as-xl" "512 150 512 150" \
		"$(timeout 20 xl sched-credit -d "$xn" | awk 'NR == 2 { printf "%s %s ", $3, $4 }')$(
			timeout 20 xl sched-credit -d "$ln" | awk 'NR == 2 { print $3, $4 }')"
	timeout 20 $LXL sched-credit -d "$ln" -w 300
	rig_expect "$p.sched-credit-w-keeps-cap" "300 150" \
		"$(timeout 20 xl sched-credit -d "$ln" | awk 'NR == 2 { print $3, $4 }')"
	rig_check "$p.lxl-sched-credit-params-set" timeout 20 $LXL sched-credit -s -p cred -t 20 -r 700 -m 40
	want="Cpupool cred: tslice=20ms ratelimit=700us migration-delay=40us"
	rig_expect "$p.sched-credit-params-set-seen-by-xl" "$want" "$(timeout 20 xl sched-credit -s -p cred)"
	timeout 20 $LXL sched-credit -s -p cred -t 25
	rig_expect "$p.sched-credit-t-keeps-the-rest" "$(echo "$want" | sed 's/=20ms/=25ms/')" \
		"$(timeout 20 xl sched-credit -s -p cred)"
	timeout 20 xl sched-credit -s -p cred -t 30 -r 1000 -m 0
	rig_lxl_cmp "$p.sched-credit-params-set-by-xl-as-xl" sched-credit -s -p cred
	# Errors: libxl's ranges (weight, cap for 2 vCPUs, tslice, ratelimit, the
	# ratelimit above the slice, the migration delay), xl's option checks.
	# lxl's own checks are the same on any hypervisor: with ERRS "hv", only
	# the one Xen (or Lamina) answers (lxl-hv: the boot's time is short).
	errs="-d $ln -w 0|-d $ln -w 65536|-d $ln -c 201|-s -p cred -t 1001|-s -p cred -r 99|"
	errs="$errs-s -p cred -t 1 -r 2000|-s -p cred -m 100001|-t 5|-p cred -d $ln|-w 5|-p nosuch|-x|"
	[ "${2:-all}" = hv ] && errs=
	IFS='|'
	set -- $errs"-d 0 -w 300"
	unset IFS
	for c in "$@"; do
		# shellcheck disable=SC2086 # word-split on purpose
		rig_lxl_err_cmp "$p.err-as-xl:sched-credit_$(echo "$c" | sed "s/$ln/L/; s/ /_/g")" sched-credit $c
	done
	for c in "sched-credit sched-credit" "sched-credit -s -p cred sched-credit-params"; do
		rig_check "$p.json-$(echo "${c% *}" | tr ' ' _)" sh -c "timeout 20 $LXL ${c% *} -j | tr -d ' \n' |
			grep -q '^{\"lxl_schema\":1,\"kind\":\"${c##* }\"'"
	done
	rig_check "$p.json-sched-credit-domains" sh -c "timeout 20 $LXL sched-credit -j -p cred |
		tr -d ' \n' | grep -q '\"name\":\"$ln\",\"domid\":[0-9]*,\"weight\":300,\"cap\":150'"
	rig_check "$p.credit-twins-back-to-pool-0" sh -c "timeout 30 xl cpupool-migrate $xn Pool-0 &&
		timeout 30 xl cpupool-migrate $ln Pool-0"
	rig_check "$p.credit-twin-xl-destroy" timeout -s KILL 30 xl destroy "$xn"
	rig_check "$p.credit-twin-lxl-destroy" timeout -s KILL 30 $LXL destroy "$ln"
	rig_check "$p.credit-pool-destroyed" timeout -s KILL 30 xl cpupool-destroy cred
	rig_check "$p.credit-pool-cpu-1-back" timeout -s KILL 30 xl cpupool-cpu-add Pool-0 1
	rig_lxl_cmp "$p.cpupool-list-after-credit-as-xl" cpupool-list -c
	rig_info "$p: sched-credit: done at $(rig_now) s"
}

rig_lxl_commands() {
	local p=$1 xn=lxlx-$1 ln=lxll-$1 lo xid lid j c a b
	rig_info "$p: commands: start at $(rig_now) s"
	RIG_XL_SHUTDOWN_W=
	rig_lxl_cfg "$xn" "$GUESTS/pvctl.elf" "vcpus = 2" "maxmem = 64"
	sed "s/$xn/$ln/" /tmp/$xn.cfg >/tmp/$ln.cfg
	rig_check "$p.twin-xl-create-paused" timeout 60 xl create -q -p /tmp/$xn.cfg || return 1
	rig_check "$p.twin-lxl-create-paused" timeout 60 $LXL create -q -p -e /tmp/$ln.cfg || return 1
	xid=$(rig_domid "$xn")
	lid=$(rig_domid "$ln")
	# Listings of the same domain by both tools.
	rig_lxl_cmp "$p.list-as-xl" list "$ln"
	rig_lxl_cmp "$p.list-v-as-xl" list -v "$ln"
	rig_lxl_cmp "$p.vcpu-list-as-xl" vcpu-list "$ln"
	rig_lxl_cmp "$p.sched-credit2-d-as-xl" sched-credit2 -d "$ln"
	rig_lxl_cmp "$p.sched-credit2-as-xl" sched-credit2
	rig_lxl_cmp "$p.cpupool-list-as-xl" cpupool-list
	rig_lxl_cmp "$p.cpupool-list-c-as-xl" cpupool-list -c
	rig_lxl_cmp_filter "$p.info-as-xl" "grep -v '^free_memory'" info
	rig_lxl_info_numa "$p"
	rig_lxl_info_keys "$p"
	rig_lxl_cmp_filter "$p.uptime-as-xl" "awk '{ print \$1, \$2 }'" uptime
	rig_lxl_cmp_filter "$p.uptime-s-as-xl" "sed 's/[0-9]/9/g'" uptime -s "$ln"
	rig_lxl_cmp "$p.domid-as-xl" domid "$ln"
	rig_lxl_cmp "$p.domname-as-xl" domname "$lid"
	rig_lxl_cmp_filter "$p.dmesg-as-xl" "head -n 30" dmesg
	rig_check "$p.help-exit-0-as-xl" sh -c "xl pause -h >/dev/null 2>&1 &&
		$LXL pause -h 2>/dev/null | grep -q '^Usage: lxl pause '"
	rig_info "$p: commands: listings done at $(rig_now) s"
	# Changes: xl on X, lxl on L, read back the same way.
	timeout 20 xl vcpu-set "$xn" 1
	rig_check "$p.lxl-vcpu-set" timeout 20 $LXL vcpu-set "$ln" 1
	rig_expect "$p.vcpu-set-as-xl" "$(rig_lxl_node "$xid" cpu/0/availability) $(rig_lxl_node "$xid" cpu/1/availability)" \
		"$(rig_lxl_node "$lid" cpu/0/availability) $(rig_lxl_node "$lid" cpu/1/availability)"
	timeout 20 xl vcpu-pin "$xn" 1 1 0-1
	rig_check "$p.lxl-vcpu-pin" timeout 20 $LXL vcpu-pin "$ln" 1 1 0-1
	timeout 20 xl vcpu-pin "$xn" all - 1
	timeout 20 $LXL vcpu-pin "$ln" all - 1
	rig_expect "$p.vcpu-pin-as-xl" "$(rig_lxl_affinity "$xn")" "$(rig_lxl_affinity "$ln")"
	rig_lxl_cmp "$p.vcpu-list-pinned-as-xl" vcpu-list "$ln"
	timeout 20 xl mem-max "$xn" 48m
	rig_check "$p.lxl-mem-max" timeout 20 $LXL mem-max "$ln" 48m
	rig_expect "$p.mem-max-as-xl" "$(rig_lxl_maxmem "$xn") $(rig_lxl_node "$xid" memory/static-max)" \
		"$(rig_lxl_maxmem "$ln") $(rig_lxl_node "$lid" memory/static-max)"
	timeout 20 xl mem-set "$xn" 24m
	rig_check "$p.lxl-mem-set" timeout 20 $LXL mem-set "$ln" 24m
	rig_expect "$p.mem-set-as-xl" "$(rig_lxl_maxmem "$xn") $(rig_lxl_node "$xid" memory/target)" \
		"$(rig_lxl_maxmem "$ln") $(rig_lxl_node "$lid" memory/target)"
	timeout 20 xl sched-credit2 -d "$xn" -w 512 -c 50
	rig_check "$p.lxl-sched-credit2-set" timeout 20 $LXL sched-credit2 -d "$ln" -w 512 -c 50
	timeout 20 xl sched-credit2 -d "$xn" -w 768
	timeout 20 $LXL sched-credit2 -d "$ln" -w 768
	rig_expect "$p.sched-credit2-set-as-xl" \
		"$(timeout 20 xl sched-credit2 -d "$xn" | awk 'NR == 2 { print $3, $4 }')" \
		"$(timeout 20 xl sched-credit2 -d "$ln" | awk 'NR == 2 { print $3, $4 }')"
	rig_lxl_cmp "$p.sched-credit2-set-shown-as-xl" sched-credit2 -d "$ln"
	rig_info "$p: commands: changes done at $(rig_now) s"
	# Errors: the same exit status as xl, one line saying why.
	# one per command (each xl call costs 0.2-1 s here): plain failures, then usage errors
	for c in "vcpu-set $ln 5" "vcpu-set $ln abc" "vcpu-pin $ln 7 0" "mem-set $ln 1000000" \
		"mem-max $ln 1" "sched-credit2 -d $ln -w 0" "sched-credit2 -w 5" "rename $ln $xn" \
		"domid nosuch" "domname 4242" "pause nosuch" "cpupool-list nosuch" "shutdown" \
		"list -x" "vcpu-set $ln"; do
		# shellcheck disable=SC2086 # word-split on purpose
		rig_lxl_err_cmp "$p.err-as-xl:$(echo "$c" | sed "s/$ln/L/; s/$xn/X/; s/ /_/g")" $c
	done
	rig_info "$p: commands: errors done at $(rig_now) s"
	rig_lxl_expect_err "$p.err-unpause-no-such-id" "no domain with id 4242" $LXL unpause 4242
	# JSON: every listing, and list -l is the same document.
	for j in "list domain-list" "info host-info" "uptime uptime" "vcpu-list vcpu-list" \
		"sched-credit2 sched-credit2" "cpupool-list cpupool-list"; do
		rig_check "$p.json-${j% *}" sh -c "timeout 20 $LXL ${j% *} -j | tr -d ' \n' |
			grep -q '^{\"lxl_schema\":1,\"kind\":\"${j#* }\"'"
	done
	rig_expect "$p.list-l-is-the-json-listing" "$(timeout 20 $LXL list -j "$ln" | grep -v cpu_time)" \
		"$(timeout 20 $LXL list -l "$ln" | grep -v cpu_time)"
	rig_check "$p.json-vcpu-list-soft-affinity" sh -c \
		"timeout 20 $LXL vcpu-list -j $ln | grep -q '\"soft_affinity\": \"1\"'"
	# rename, then both run: unpause, pause, unpause.
	rig_check "$p.lxl-rename" timeout 20 $LXL rename "$ln" "$ln-r"
	rig_expect "$p.lxl-rename-seen-by-xl" "$lid" "$(rig_domid "$ln-r")"
	rig_expect "$p.lxl-rename-vm-name" "$ln-r" \
		"$(timeout 20 xenstore-read "$(rig_lxl_node "$lid" vm)/name")"
	# xenconsoled keeps the log under the name the domain had when it came.
	lo=$ln ln=$ln-r
	timeout 20 xl unpause "$xn"
	rig_check "$p.lxl-unpause" timeout 20 $LXL unpause "$ln"
	rig_check "$p.unpaused-guest-runs" rig_wait_for 20 rig_console_has "$lo" 'watching control/shutdown'
	rig_wait_for 20 rig_console_has "$xn" 'watching control/shutdown'
	timeout 20 xl pause "$xn"
	rig_check "$p.lxl-pause" timeout 20 $LXL pause "$ln"
	rig_expect "$p.lxl-pause-as-xl" "$(rig_lxl_state "$xn")" "$(rig_lxl_state "$ln")"
	rig_check "$p.lxl-pause-seen-by-xl" sh -c "xl list $ln | awk 'NR == 2 { exit \$5 !~ /^..p/ }'"
	timeout 20 xl unpause "$xn"
	rig_check "$p.lxl-unpause-again" timeout 20 $LXL unpause "$ln"
	rig_expect "$p.lxl-unpause-as-xl" "$(rig_lxl_state "$xn")" "$(rig_lxl_state "$ln")"
	# shutdown -w: the guest acknowledges and powers off; xl's messages.
	a=$({ timeout 90 xl shutdown -w "$xn" 2>&1; echo "[exit $?]"; } | rig_lxl_ids_as_n)
	RIG_XL_SHUTDOWN_W=$a
	b=$({ timeout 90 $LXL shutdown -w "$ln" 2>&1; echo "[exit $?]"; } | rig_lxl_ids_as_n)
	rig_expect "$p.shutdown-w-as-xl" "$a" "$b"
	rig_check "$p.shutdown-w-acknowledged" rig_console_has "$lo" 'poweroff requested'
	rig_expect "$p.shutdown-w-state-as-xl" "$(rig_lxl_state "$xn")" "$(rig_lxl_state "$ln")"
	rig_expect "$p.shutdown-w-ack-cleared" "" "$(rig_lxl_node "$lid" control/shutdown)"
	timeout 30 xl destroy "$xn"
	timeout 30 $LXL destroy "$ln"
	rig_info "$p: commands: shutdown -w done at $(rig_now) s"
	rig_lxl_reboot "$p"
	rig_info "$p: commands: reboot -w done at $(rig_now) s"
}

# rig_lxl_reboot PREFIX: reboot -w of a pvctl guest with on_reboot=restart by
# xl and by lxl (its monitor): the same messages, and the domain comes back
# with a new id and boots again.
rig_lxl_reboot() {
	local p=$1 xn=lxlbx-$1 ln=lxlbl-$1 a b id1 id2
	rig_lxl_cfg "$xn" "$GUESTS/pvctl.elf" "on_reboot = 'restart'"
	sed "s/$xn/$ln/" /tmp/$xn.cfg >/tmp/$ln.cfg
	rig_xl_quiet_create "$xn" || return 1
	rig_lxl_create "$p" "$ln" /tmp/$ln.cfg || return 1
	rig_wait_for 20 rig_console_has "$xn" 'watching control/shutdown'
	rig_wait_for 20 rig_console_has "$ln" 'watching control/shutdown'
	id1=$(cat /tmp/$ln.domid)
	a=$({ timeout 90 xl reboot -w "$xn" 2>&1; echo "[exit $?]"; } | rig_lxl_ids_as_n)
	b=$({ timeout 90 $LXL reboot -w "$ln" 2>&1; echo "[exit $?]"; } | rig_lxl_ids_as_n)
	# The monitor may destroy the old domain before the waiter looks: xl says
	# "destroyed" then too.
	rig_expect "$p.reboot-w-as-xl" "$a" "$(printf '%s\n' "$b" |
		sed 's/Domain N has been destroyed/Domain N has been shut down, reason code 1/')"
	if id2=$(rig_lxl_new_id "$ln" "$id1"); then
		rig_pass "$p.reboot-restart-new-domain"
		rig_check "$p.reboot-restart-boots-again" rig_wait_for 20 sh -c \
			"[ \$(grep -c 'watching control/shutdown' $(rig_lxl_log "$ln")) -ge 2 ]"
		rig_check "$p.reboot-xl-restarts-too" rig_wait_for 20 sh -c \
			"[ \$(grep -c 'watching control/shutdown' $(rig_lxl_log "$xn")) -ge 2 ]"
	else
		rig_fail "$p.reboot-restart-new-domain" "still domain $id1 after 30 s"
	fi
	rig_lxl_stop "$ln"
	timeout 30 xl destroy "$xn"
}

# xl create of /tmp/NAME.cfg (its monitor daemonised), to NAME's first console line.
rig_xl_quiet_create() {
	rm -f "$(rig_lxl_log "$1")"
	timeout 60 xl create -q /tmp/$1.cfg >/dev/null 2>&1 &&
		rig_wait_for 20 test -s "$(rig_lxl_log "$1")"
}

# rig_lxl_shutdown_all PREFIX: lxl shutdown -a -w of two lxl guests: every
# running domU asked in turn and waited for, each line in the words of xl's
# own shutdown -w (RIG_XL_SHUTDOWN_W, from rig_lxl_commands). xl's -a is not
# run: it asks every domU (lxl's too), and xl 4.17's -a -w reported the
# first domain only and then waited forever when tried in the rig.
rig_lxl_shutdown_all() {
	local p=$1 b n
	for n in lxlsa1 lxlsa2; do
		rig_lxl_cfg "$n" "$GUESTS/pvctl.elf"
		rig_lxl_create "$p" "$n" -e /tmp/$n.cfg || return 1
	done
	rig_wait_for 20 rig_console_has lxlsa2 'watching control/shutdown'
	rig_info "$p: domains before shutdown -a: $(timeout 20 xl list | awk 'NR > 2 { print $1 "/" $5 }' | tr '\n' ' ')"
	b=$({ timeout 90 $LXL shutdown -a -w 2>&1; echo "[exit $?]"; } | rig_lxl_ids_as_n)
	rig_expect "$p.shutdown-a-w-in-xl-words" "$(printf '%s\n' "$RIG_XL_SHUTDOWN_W" |
		sed -n 1p)
$(printf '%s\n' "$RIG_XL_SHUTDOWN_W" | sed -n 1p)
Waiting for 2 domains
$(printf '%s\n' "$RIG_XL_SHUTDOWN_W" | sed -n 3p)
$(printf '%s\n' "$RIG_XL_SHUTDOWN_W" | sed -n 3p)
[exit 0]" "$b"
	rig_check "$p.shutdown-a-w-both-down" sh -c "[ \"\$(timeout 20 xl list | awk '/^lxlsa/ { print \$5 }' |
		tr '\n' ' ')\" = '---s-- ---s-- ' ]"
	for n in lxlsa1 lxlsa2; do timeout 30 $LXL destroy "$n"; done
	rig_info "$p: commands: shutdown -a done at $(rig_now) s"
}

# The monitor's log of a domain lxl created.
rig_lxl_mlog() { echo "$LXL_LOGS/lxl-$1.log"; }

# rig_lxl_stop NAME: end NAME's monitor, then destroy every domain whose name
# starts with NAME (restart policies may have made several).
rig_lxl_stop() {
	local d
	[ -s /tmp/$1.monitor ] && kill "$(cat /tmp/$1.monitor)" 2>/dev/null
	for d in $(timeout 20 $LXL list 2>/dev/null | awk -v n="$1" 'NR > 1 && index($1, n) == 1 { print $2 }'); do
		timeout 30 $LXL destroy "$d" >/dev/null 2>&1
	done
}

# A new id for NAME (not OLD) within 30 s: prints it.
rig_lxl_new_id() {
	local n=600 id
	while [ $n -gt 0 ]; do
		id=$(timeout 20 $LXL domid "$1" 2>/dev/null)
		[ -n "$id" ] && [ "$id" != "$2" ] && { echo "$id"; return 0; }
		usleep 50000
		n=$((n - 1))
	done
	return 1
}

# rig_lxl_policies PREFIX: on_poweroff=restart, on_reboot=rename-restart,
# on_crash=destroy and preserve, each on the guest-pv kernel that ends that way.
rig_lxl_policies() {
	local p=$1 n id1 id2 st
	n=lxlr-$p
	rig_lxl_cfg "$n" "$GUESTS/hello.elf" "on_poweroff = 'restart'"
	if rig_lxl_create "$p" "$n" /tmp/$n.cfg; then
		id1=$(cat /tmp/$n.domid)
		if id2=$(rig_lxl_new_id "$n" "$id1"); then
			rig_pass "$p.on_poweroff-restart-new-domain"
			rig_check "$p.on_poweroff-restart-boots-again" rig_wait_for 20 sh -c \
				"[ \$(grep -c 'hello from guest-pv' $(rig_lxl_log "$n")) -ge 2 ]"
			rig_check "$p.on_poweroff-restart-logged" grep -q "restarted as domain" "$(rig_lxl_mlog "$n")"
		else
			rig_fail "$p.on_poweroff-restart-new-domain" "still domain $id1 after 30 s"
		fi
		rig_lxl_stop "$n"
	fi
	n=lxlf-$p
	rig_lxl_cfg "$n" "$GUESTS/fail.elf" "on_reboot = 'rename-restart'"
	if rig_lxl_create "$p" "$n" /tmp/$n.cfg; then
		id1=$(cat /tmp/$n.domid)
		if id2=$(rig_lxl_new_id "$n" "$id1"); then
			rig_pass "$p.on_reboot-rename-restart-new-domain"
			st=$(timeout 20 $LXL list "$id1" 2>&1 | awk 'NR == 2 { print $1, $5 }')
			case $st in
			"$n-"*" "*s*) rig_pass "$p.on_reboot-rename-restart-old-kept-renamed" ;;
			*) rig_fail "$p.on_reboot-rename-restart-old-kept-renamed" "got '$st'" ;;
			esac
		else
			rig_fail "$p.on_reboot-rename-restart-new-domain" "still domain $id1 after 30 s"
		fi
		rig_lxl_stop "$n"
	fi
	n=lxlc-$p
	rig_lxl_cfg "$n" "$GUESTS/crash.elf" "on_crash = 'destroy'"
	if rig_lxl_create "$p" "$n" /tmp/$n.cfg; then
		rig_check "$p.on_crash-destroy-gone" rig_wait_for 20 sh -c "! timeout 20 $LXL domid $n"
		rig_check "$p.on_crash-destroy-monitor-exits" rig_wait_for 10 sh -c \
			"! kill -0 $(cat /tmp/$n.monitor)"
		rig_check "$p.crash-reported-with-console-lines" sh -c \
			"grep -q \"'$n' .* crashed\" $(rig_lxl_mlog "$n") &&
			 grep -q '| INFO: crash: executing ud2' $(rig_lxl_mlog "$n")" ||
			{ rig_info "monitor log:"; sed 's/^/    | /' "$(rig_lxl_mlog "$n")"; timeout 20 xl list; }
		rig_lxl_stop "$n"
	fi
	n=lxlp-$p
	rig_lxl_cfg "$n" "$GUESTS/crash.elf" "on_crash = 'preserve'"
	if rig_lxl_create "$p" "$n" /tmp/$n.cfg; then
		rig_check "$p.on_crash-preserve-kept" rig_wait_for 20 sh -c \
			"timeout 20 $LXL list $n | awk 'NR == 2 { exit !(\$5 ~ /^---sc-/) }'"
		rig_expect "$p.on_crash-preserve-xl-agrees" "$(timeout 20 xl list $n | awk 'NR == 2 { print $5 }')" \
			"$(timeout 20 $LXL list $n | awk 'NR == 2 { print $5 }')"
		rig_lxl_stop "$n"
	fi
}

# Everything of the store, as xenstore-ls shows it.
rig_store_dump() { timeout 30 xenstore-ls -f / 2>/dev/null | sort; }
rig_free_mb() { timeout 20 $LXL info free_memory; }
rig_fds() { ls "/proc/$(cat "$1" 2>/dev/null)/fd" 2>/dev/null | wc -l; }
rig_fds_are() { [ "$(rig_fds "$1")" = "$2" ]; }
# A daemon's mappings (grant and foreign mappings of guests' rings among
# them), its heap aside: brk growth after a daemon's fork is a VMA of its own
# (the inherited heap VMA is not extended), so a heap that grows once shows
# one more [heap] line; what the heap holds is checked by rig_xs_objects.
rig_maps() { grep -vc '\[heap\]' "/proc/$(cat "$1" 2>/dev/null)/maps" 2>/dev/null || echo none; }
# Lamina's xenstored's objects (nodes, connections, watches, transactions)
# from its memreport: the counts, not the bytes (buffers keep their size).
rig_xs_objects() {
	timeout 20 xenstore-control memreport 2>&1 | grep '^nodes\|^connections\|^watches\|^transactions' |
		sed 's/ (.*//' | tr '\n' ' '
}
rig_free_at_least() { [ "$(rig_free_mb)" -ge "$1" ]; }
# dom0's event channels as Xen lists them (lsevtchn, xen-utils): one line each.
rig_evtchns() { timeout 20 lsevtchn 0 2>/dev/null | grep -c .; }

# rig_lxl_cycles PREFIX N: N create/destroy cycles of a guest with a disk and a
# vif; then the store, free memory, dom0's event channels and the daemons'
# open files (their ports, connections) and mappings (of the guests' rings)
# are back where they were. The time of each step is summed over the cycles.
rig_lxl_cycles() {
	local p=$1 count=$2 n=lxlcyc-$1 i=0 store0 mem0 xsfd0 xcfd0 xsmap0 xcmap0 xsobj0 ev0 t0 t1 t2 t3
	local tc=0 tw=0 td=0
	rig_lxl_cfg "$n" "$GUESTS/hello.elf" "disk = [ '/dev/null,raw,xvda,r' ]" "vif = [ '' ]"
	# One cycle first: the first guest with devices leaves dom0's empty
	# backend/{console,vbd,vif} directories (as xl does), and the daemons
	# allocate once; the baseline is what every later cycle must return to.
	timeout 60 $LXL create -q -e /tmp/$n.cfg >/dev/null 2>&1 &&
		rig_wait_for 20 test -s "$(rig_lxl_log "$n")"
	timeout 30 $LXL destroy "$n" >/dev/null 2>&1
	rm -f "$(rig_lxl_log "$n")"
	store0=$(rig_store_dump)
	mem0=$(rig_free_mb)
	xsfd0=$(rig_fds /run/xenstored.pid)
	xcfd0=$(rig_fds /run/xenconsoled.pid)
	xsmap0=$(rig_maps /run/xenstored.pid)
	xcmap0=$(rig_maps /run/xenconsoled.pid)
	xsobj0=$(rig_xs_objects)
	rig_info "$p: xenstored before the cycles: $(timeout 20 xenstore-control memreport 2>&1 | tr '\n' ' ')"
	ev0=$(rig_evtchns)
	t0=$(rig_now)
	while [ $i -lt "$count" ]; do
		rm -f "$(rig_lxl_log "$n")"
		t1=$(rig_now)
		timeout 60 $LXL create -q -e /tmp/$n.cfg >/dev/null 2>&1 || break
		t2=$(rig_now)
		rig_wait_for 20 test -s "$(rig_lxl_log "$n")" || break
		t3=$(rig_now)
		timeout 30 $LXL destroy "$n" || break
		tc=$((tc + $(rig_elapsed_ms "$t1" "$t2")))
		tw=$((tw + $(rig_elapsed_ms "$t2" "$t3")))
		td=$((td + $(rig_elapsed_ms "$t3" "$(rig_now)")))
		i=$((i + 1))
	done
	rig_expect "$p.cycles-completed" "$count" "$i"
	rig_bench "$p: $i lxl create/destroy cycles took $(rig_elapsed_ms "$t0" "$(rig_now)") ms: lxl create $tc ms, to the first console line $tw ms more, lxl destroy $td ms"
	rig_wait_for 10 rig_fds_are /run/xenconsoled.pid "$xcfd0"
	if [ "$(rig_store_dump)" = "$store0" ]; then
		rig_pass "$p.cycles-store-at-baseline"
	else
		rig_fail "$p.cycles-store-at-baseline"
		printf '%s\n' "$store0" >/tmp/store0
		rig_store_dump | diff /tmp/store0 - | head -n 20 | sed 's/^/    | /'
	fi
	# Xen scrubs freed pages in the background: give it 15 s.
	rig_info "$p: free memory before the cycles: $mem0 MiB; dom0's event channels: $ev0"
	rig_check "$p.cycles-free-memory-at-baseline" rig_wait_for 15 rig_free_at_least "$mem0"
	rig_expect "$p.cycles-xenstored-fds-at-baseline" "$xsfd0" "$(rig_fds /run/xenstored.pid)"
	rig_expect "$p.cycles-console-daemon-fds-at-baseline" "$xcfd0" "$(rig_fds /run/xenconsoled.pid)"
	rig_expect "$p.cycles-xenstored-mappings-at-baseline" "$xsmap0" "$(rig_maps /run/xenstored.pid)"
	rig_info "$p: xenstored after the cycles: $(timeout 20 xenstore-control memreport 2>&1 | tr '\n' ' ')"
	[ "$RIG_XSD_NAME" = lamina ] &&
		rig_expect "$p.cycles-xenstored-objects-at-baseline" "$xsobj0" "$(rig_xs_objects)"
	rig_expect "$p.cycles-console-daemon-mappings-at-baseline" "$xcmap0" \
		"$(rig_maps /run/xenconsoled.pid)"
	rig_expect "$p.cycles-dom0-event-channels-at-baseline" "$ev0" "$(rig_evtchns)"
}

# rig_lxl PREFIX [policies] [cycles N]: the basics and errors against the
# running daemons, then the restart policies and N create/destroy cycles
# when asked (each scenario takes a part, to keep the rig fast; the other
# commands against xl have a boot of their own, scenario lxl-cmd).
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
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		policies) rig_lxl_policies "$p" ;;
		cycles) rig_lxl_cycles "$p" "$2"; shift ;;
		esac
		shift
	done
}

LAMINA_CONSOLED=/lamina/bin/lamina-consoled

# rig_start_lamina_consoled PREFIX: xenconsoled stops and lamina-consoled
# takes every console over (same log directory and pid file, so the rig's
# stop helpers stop it). Test limits: 20000 bytes/s, cut off after 2 s of
# flood, 16 KiB of log per guest.
rig_start_lamina_consoled() {
	local p=$1 pid
	if [ ! -x $LAMINA_CONSOLED ]; then
		rig_fail "$p.lamina-consoled-present" "$LAMINA_CONSOLED not built"
		return 1
	fi
	if [ -f /run/xenconsoled.pid ]; then
		pid=$(cat /run/xenconsoled.pid)
		kill "$pid" 2>/dev/null
		rig_wait_for 5 sh -c "! kill -0 $pid"
	fi
	$LAMINA_CONSOLED --log-dir=$CONSOLE_DIR --pid-file=/run/xenconsoled.pid --rate=20000 \
		--flood-secs=2 --log-max=16384 >/var/log/xen/lamina-consoled.log 2>&1
	rig_check "$p.lamina-consoled-starts" rig_wait_for 5 test -s /run/xenconsoled.pid
}

rig_consoled_alive() { kill -0 "$(cat /run/xenconsoled.pid 2>/dev/null)" 2>/dev/null; }

# rig_consoled_hostile PREFIX: one guest's ring indexes corrupted, another's
# flooded (played from dom0 by cons_poke); each is cut off alone, the daemon
# lives, and a guest started afterwards has its console.
rig_consoled_hostile() {
	local p=$1 a=lxlha-$1 b=lxlhb-$1 c=lxlhc-$1 ida idb size
	rig_lxl_cfg "$a" "$GUESTS/hello.elf"
	rig_lxl_cfg "$b" "$GUESTS/hello.elf"
	rig_lxl_cfg "$c" "$GUESTS/hello.elf"
	rig_lxl_create "$p" "$a" -e /tmp/$a.cfg || return 1
	rig_lxl_create "$p" "$b" -e /tmp/$b.cfg || return 1
	ida=$(timeout 20 $LXL domid "$a")
	idb=$(timeout 20 $LXL domid "$b")
	rig_check "$p.cons-poke-bad-index" timeout 20 /lamina/bin/cons_poke "$ida" index
	rig_check "$p.consoled-cuts-off-bad-index" rig_wait_for 5 grep -q \
		"domain $ida ($a): bad ring indexes: console cut off" /var/log/xen/lamina-consoled.log
	rig_check "$p.cons-poke-flood" timeout 30 /lamina/bin/cons_poke "$idb" flood 4
	rig_check "$p.consoled-cuts-off-flood" rig_wait_for 5 grep -q \
		"domain $idb ($b): output flood: console cut off" /var/log/xen/lamina-consoled.log
	size=$(wc -c <"$(rig_lxl_log "$b")")
	rig_info "$p: the flooding guest's log: $size bytes"
	rig_check "$p.consoled-log-capped" sh -c \
		"[ $size -le 16500 ] && grep -q 'log limit of 16384 bytes reached' $(rig_lxl_log "$b")"
	rig_check "$p.consoled-alive-after-hostile" rig_consoled_alive
	if rig_lxl_create "$p" "$c" -e /tmp/$c.cfg; then
		rig_check "$p.console-after-hostile" sh -c \
			"timeout 5 $LXL console $c </dev/null 2>&1 | grep -q 'hello from guest-pv'"
	fi
	for d in "$a" "$b" "$c"; do
		timeout 30 $LXL destroy "$d" >/dev/null 2>&1
	done
	rig_check "$p.consoled-alive-after-destroy" rig_consoled_alive
	rig_info "$p: lamina-consoled's log:"
	sed 's/^/    | /' /var/log/xen/lamina-consoled.log | tail -n 12
}
