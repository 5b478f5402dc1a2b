#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot a multiboot image (Lamina or real Xen) under QEMU, capture the serial
# console to a log, enforce a timeout, and return the guest's verdict.
#
#   qemu-run.sh --kernel IMG [--append CMDLINE] [--module "PATH ARGS"]...
#               [--log FILE] [--timeout SEC] [--smp N] [--mem MiB]
#               [--cpu MODEL] [--accel kvm|tcg] [--show] [-- QEMU-ARGS...]
#   qemu-run.sh --iso ISO ...       (boot a GRUB image instead of -kernel)
#
# Exit status: the code the guest wrote to isa-debug-exit (port 0xf4; QEMU
# exits with code*2+1, which is decoded here), 124 on timeout, 125 when QEMU
# stopped without a verdict (a reset with -no-reboot, a power-off), 126 when
# QEMU could not start.
#
# Acceleration: hardware KVM only where the CPU reports vmx/svm and /dev/kvm
# opens; TCG otherwise. LAMINA_ACCEL and LAMINA_CPU override.
set -uo pipefail

kernel= iso= append= log= timeout=60 smp=1 mem=512 cpu= accel= show=0
modules=()
extra=()
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift 2 ;;
	--iso) iso=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--module) modules+=("$2"); shift 2 ;;
	--log) log=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--cpu) cpu=$2; shift 2 ;;
	--accel) accel=$2; shift 2 ;;
	--show) show=1; shift ;;
	--) shift; extra=("$@"); break ;;
	*) echo "qemu-run: unknown argument '$1'" >&2; exit 126 ;;
	esac
done
if [ -z "$kernel" ] && [ -z "$iso" ]; then
	echo "qemu-run: --kernel or --iso is required" >&2
	exit 126
fi

hw_kvm_works() {
	grep -qwE 'vmx|svm' /proc/cpuinfo 2>/dev/null || return 1
	[ -r /dev/kvm ] && [ -w /dev/kvm ]
}

# LAMINA_ICOUNT=OPTS (e.g. shift=0): run under QEMU's -icount OPTS, the guest's
# TSC then counting instructions (the benchmarks' instruction-count mode).
[ -n "${LAMINA_ICOUNT:-}" ] && extra+=(-icount "$LAMINA_ICOUNT")

accel=${LAMINA_ACCEL:-$accel}
if [ -z "$accel" ]; then
	if hw_kvm_works; then accel=kvm; else accel=tcg; fi
fi
if [ -z "${LAMINA_CPU:-}" ]; then
	if [ "$accel" = kvm ]; then cpu=${cpu:-host}; else cpu=${cpu:-Westmere}; fi
else
	cpu=$LAMINA_CPU
fi
case "$accel" in
kvm) accel_args=(-accel kvm) ;;
tcg) # -icount (instruction counting) needs the single-threaded TCG
	case " ${extra[*]} " in
	*" -icount "*) accel_args=(-accel tcg,thread=single) ;;
	*) accel_args=(-accel tcg,thread=multi) ;;
	esac ;;
*) echo "qemu-run: unknown accelerator '$accel'" >&2; exit 126 ;;
esac

own_log=0
if [ -z "$log" ]; then
	log=$(mktemp /tmp/lamina-qemu.XXXXXX.log)
	own_log=1
fi
: >"$log"

args=("${accel_args[@]}" -cpu "$cpu" -m "$mem" -smp "$smp" -machine pc
	-nodefaults -no-user-config -display none -monitor none -no-reboot
	-serial "file:$log" -device isa-debug-exit,iobase=0xf4,iosize=0x04)
if [ -n "$iso" ]; then
	args+=(-cdrom "$iso" -boot d)
else
	args+=(-kernel "$kernel")
	[ -n "$append" ] && args+=(-append "$append")
	if [ ${#modules[@]} -gt 0 ]; then
		# QEMU separates modules with commas; a comma inside one is doubled.
		joined=
		for m in "${modules[@]}"; do
			joined+="${joined:+,}${m//,/,,}"
		done
		args+=(-initrd "$joined")
	fi
fi
args+=("${extra[@]}")

for f in "$kernel" "$iso" "${modules[@]%% *}"; do
	if [ -n "$f" ] && [ ! -r "$f" ]; then
		echo "qemu-run: cannot read '$f'" >&2
		exit 126
	fi
done

# QEMU's own start-up errors exit 1, which would decode as verdict 0: keep its
# stderr apart and treat status 1 with an error message from QEMU as a failure.
errs=$(mktemp /tmp/lamina-qemu.XXXXXX.err)
timeout --foreground -k 5 "$timeout" qemu-system-x86_64 "${args[@]}" </dev/null 2>"$errs"
rc=$?
grep -v 'terminating on signal' "$errs" >&2
qemu_error=0
# Warnings (e.g. CPU features TCG lacks) are not errors.
grep -E '^qemu(-system-x86_64)?: ' "$errs" | grep -vqE 'warning:|terminating on signal' && qemu_error=1
rm -f "$errs"
[ $show = 1 ] && cat "$log"
[ $own_log = 1 ] && rm -f "$log"
if [ $rc = 1 ] && [ $qemu_error = 1 ]; then
	echo "qemu-run: qemu could not run the machine" >&2
	exit 126
fi

case $rc in
124 | 137) exit 124 ;;
0) exit 125 ;;
esac
if [ $((rc % 2)) = 1 ]; then
	exit $((rc >> 1))
fi
echo "qemu-run: qemu failed with status $rc" >&2
exit 126
