#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Run guest-pv's domU kernels under `xl create` on real Xen 4.17, in the
# real-Xen rig (tests/xen: Xen + Debian's kernel as dom0 + Xen's C
# xenstored and xenconsoled). The rig's initramfs (build/xen-rig/dom0.cpio)
# is left alone: a second cpio holding one more scenario and the kernels is
# appended to a copy of it (the kernel unpacks both). One boot runs hello,
# domu-test, and xs-hostile twice (all scenarios; then extra="prod" on a
# fresh connection). Each kernel line comes back as "PASS/FAIL: domu: ...".
# Not in SCRIPT_TESTS: it needs `make xen-rig` and takes about a minute;
# the rig's own scenarios run these kernels in the suite.
set -uo pipefail
. "$(dirname "$0")/boot-lib.sh"

rig=$GPV_TOP/build/xen-rig
work=$GPV_TOP/build/tests/guest-xen-domu
for f in xen.elf vmlinux dom0.cpio; do
	if [ ! -f "$rig/$f" ]; then
		echo "FAIL: domu: rig file $rig/$f missing (make xen-rig)"
		exit 1
	fi
done
rm -rf "$work" && mkdir -p "$work/extra/rig" "$work/extra/lamina/guests"
for k in hello domu-test xs-hostile; do
	cp "$GPV_TOP/build/guest-pv/$k.elf" "$work/extra/lamina/guests/" || {
		echo "FAIL: domu: $k.elf not built"
		exit 1
	}
done
cat >"$work/extra/rig/scenario-gpv.sh" <<'SCENARIO'
# guest-pv domUs under xl (uses the rig's lib.sh helpers)
rig_start_xen_xenstored
gpv_run() {
	local name=$1 g=$2 extra=$3 i
	rig_guest_cfg "$name" "/lamina/guests/$g.elf" "extra = \"$extra\""
	if ! xl create "/tmp/$name.cfg" >"/tmp/$name.xl" 2>&1; then
		echo "@@FAIL: domu: $name: xl create"
		return
	fi
	for i in $(seq 1 60); do
		rig_console_has "$name" '^RESULT' && break
		sleep 0.5
	done
	tr -d '\r' <"$CONSOLE_DIR/guest-$name.log" | sed "s/^/@@GPV $name: /"
	xl destroy "$name" >/dev/null 2>&1
}
gpv_run gpv-hello hello ""
gpv_run gpv-domu-test domu-test ""
gpv_run gpv-xs-hostile xs-hostile ""
gpv_run gpv-xs-hostile-prod xs-hostile "prod"
SCENARIO
(cd "$work/extra" && find . | cpio -o -H newc 2>/dev/null) >"$work/extra.cpio"
cat "$rig/dom0.cpio" "$work/extra.cpio" >"$work/dom0.cpio"

log=$work/serial.log
"$GPV_TOP/scripts/qemu-run.sh" --kernel "$rig/xen.elf" \
	--append "console=com1 com1=115200,8n1 dom0_mem=512M,max:512M loglvl=all guest_loglvl=all xpti=false" \
	--module "$rig/vmlinux console=hvc0 earlyprintk=xen acpi=off pci=off nr_cpus=1 swiotlb=noforce mitigations=off mce=off initcall_blacklist=cmos_init rig.scenarios=gpv" \
	--module "$work/dom0.cpio" --cpu "$GPV_CPU" --mem 1280 --smp 2 --timeout 150 --log "$log" \
	>/dev/null 2>&1 &
pid=$!
for ((i = 0; i < 750; i++)); do
	grep -qa '@@DONE' "$log" 2>/dev/null && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.2
done
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null

bad=0
for name in gpv-hello gpv-domu-test gpv-xs-hostile gpv-xs-hostile-prod; do
	out=$work/$name.log
	tr -d '\r' <"$log" | sed -n "s/^.*@@GPV $name: //p" >"$out"
	grep -a '@@FAIL: domu: '"$name" "$log" | tr -d '\r' | sed 's/^.*@@//'
	gpv_report "$name" "$out" domu || bad=1
done
exit $bad
