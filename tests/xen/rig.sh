#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot the real-Xen rig once under QEMU and run dom0 scenarios in it: Debian's
# Xen 4.17 (build/xen-rig/xen.elf), Debian's kernel as dom0 (the uncompressed
# build/xen-rig/vmlinux) and the rig's initramfs (build/xen-rig/dom0.cpio).
#
#   rig.sh --scenarios "a b ..." [--hv xen|lamina] [--log FILE] [--timeout SEC]
# --hv lamina boots build/lamina in Xen's place, with the same dom0 image and
# QEMU machine (Lamina takes dom0's kernel and initrd as multiboot modules,
# as Xen does); dom0's /init then sees rig.hv=lamina.
# Prints one PASS:/FAIL:/INFO:/BENCH: line per line dom0 reported (its
# "@@PASS: x" becomes "PASS: x"), plus the rig's own checks (dom0's /init
# ran, the scenarios completed, QEMU's exit status is dom0's failure count)
# and the wall time from QEMU's start to dom0's /init. RIG_DOM0_VCPUS=N
# (default 1) gives dom0 N vCPUs on either hypervisor. On any
# failure it prints the whole serial console: Xen's and dom0's output, with
# the guests' consoles that the scenarios dumped. Exits non-zero when any
# check failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
rig=${XEN_RIG_DIR:-$top/build/xen-rig}
scenarios='' log='' timeout=480 hv=xen
while [ $# -gt 0 ]; do
	case "$1" in
	--scenarios) scenarios=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--hv) hv=$2; shift 2 ;;
	*) echo "rig: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
case $hv in
xen) hv_image=$rig/xen.elf ;;
lamina) hv_image=${LAMINA_IMAGE:-$top/build/lamina} ;;
*) echo "rig: --hv is xen or lamina" >&2; exit 2 ;;
esac
for f in "$hv_image" "$rig/vmlinux" "$rig/dom0.cpio"; do
	if [ ! -f "$f" ]; then
		echo "FAIL: rig.built ($f missing: run make all)"
		exit 1
	fi
done

mkdir -p "$top/build/tests/logs"
# A private log while running (several engineers' `make test` may boot the
# rig at once); the last one is kept as build/tests/logs/xen-rig-serial.log.
keep=${log:-$top/build/tests/logs/xen-rig-serial.log}
log=$(mktemp "$top/build/tests/logs/xen-rig-serial.XXXXXX")
checks=$log.checks

# Xen: serial console, a fixed dom0 size, timestamps, no XPTI surprises
# (-cpu max,-smap gives XPTI off; pin it so timings compare).
xen_cmdline="console=com1 com1=115200,8n1 dom0_mem=512M,max:512M loglvl=all"
xen_cmdline+=" guest_loglvl=all console_timestamps=boot console_to_ring xpti=false"
dom0_vcpus=${RIG_DOM0_VCPUS:-1}
xen_cmdline+=" dom0_max_vcpus=$dom0_vcpus"
# With acpi=off dom0's dynamic IRQs start at 0, and rtc_cmos claims IRQ 8
# at boot; when hvc0's event channel also lands on IRQ 8, opening
# /dev/console fails and init dies. Dom0 needs no RTC: leave rtc_cmos out.
dom0_cmdline="console=hvc0 earlyprintk=xen acpi=off pci=off nr_cpus=$dom0_vcpus"
dom0_cmdline+=" swiotlb=noforce mitigations=off mce=off initcall_blacklist=cmos_init"
scenario_list=$(echo "$scenarios" | xargs | tr ' ' ',')
dom0_cmdline+=" rig.scenarios=$scenario_list"
if [ "$hv" = lamina ]; then
	# Lamina's spelling of the same: its options are a subset of Xen's.
	# (Lamina gives dom0 a vCPU per CPU unless told: only RIG_DOM0_VCPUS tells it.)
	xen_cmdline="console=com1 loglvl=all dom0_mem=512M ${LAMINA_CMDLINE:-}"
	[ -n "${RIG_DOM0_VCPUS:-}" ] && xen_cmdline+=" dom0_max_vcpus=$dom0_vcpus"
	dom0_cmdline+=" rig.hv=lamina"
fi
qemu_cpu=max,-smap

# Stamp the wall-clock moment dom0's /init reports itself (to 0.1 s).
: >"$log"
stamp=$(mktemp)
(while ! grep -qa '@@INFO: dom0 /init reached' "$log"; do
	sleep 0.1
done
echo "$EPOCHREALTIME" >"$stamp") </dev/null >/dev/null 2>&1 &
watcher=$!

start=$EPOCHREALTIME
bash "$top/scripts/qemu-run.sh" --kernel "$hv_image" \
	--append "$xen_cmdline" \
	--module "$rig/vmlinux $dom0_cmdline" --module "$rig/dom0.cpio" \
	--cpu $qemu_cpu --mem 1280 --smp 2 --timeout "$timeout" --log "$log"
qrc=$?
end=$EPOCHREALTIME
kill $watcher 2>/dev/null
wait $watcher 2>/dev/null

failed=0
tr -d '\r' <"$log" | sed -n 's/^.*@@\(PASS\|FAIL\|INFO\|BENCH\): /\1: /p' >"$checks"
cat "$checks"
grep -q '^FAIL: ' "$checks" && failed=1

if [ -s "$stamp" ]; then
	echo "BENCH: xen-rig boot to dom0 /init: $(awk -v a="$start" -v b="$(cat "$stamp")" \
		'BEGIN { printf "%.2f", b - a }') s wall (QEMU TCG)"
	echo "PASS: rig.dom0-init-reached"
else
	echo "FAIL: rig.dom0-init-reached"
	failed=1
fi
rm -f "$stamp"
echo "INFO: rig boot took $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s, qemu-run status $qrc"
if tr -d '\r' <"$log" | grep '@@DONE: ' >/dev/null; then # no -q: pipefail
	echo "PASS: rig.scenarios-completed"
	# dom0 ends the run with its failure count as the exit code. Lamina
	# gives dom0 no I/O ports: the isa-debug-exit write is dropped and
	# dom0's reboot ends the machine with its reason, 1.
	want=$(grep -c '^FAIL: ' "$checks")
	[ "$want" -gt 255 ] && want=255
	what=dom0-failure-count
	[ "$hv" = lamina ] && want=1 what=dom0-reboot
	if [ "$qrc" = "$want" ]; then
		echo "PASS: rig.exit-status-is-$what"
	else
		echo "FAIL: rig.exit-status-is-$what (status $qrc, want $want)"
		failed=1
	fi
else
	echo "FAIL: rig.scenarios-completed (qemu-run status $qrc: 124 is a timeout)"
	failed=1
fi

mv "$log" "$keep"
rm -f "$checks"
if [ $failed != 0 ]; then
	echo "--- serial console ($hv and dom0), $keep:"
	tr -d '\r' <"$keep" | sed 's/^/| /'
fi
exit $failed
