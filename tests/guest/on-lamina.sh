#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Boot every guest-pv test kernel as dom0 on Lamina (build/lamina) under the
# same QEMU as on-xen.sh, one boot per kernel. A kernel passes when it
# printed its checks, ended with "RESULT: N passed, 0 failed", and Lamina
# turned its SHUTDOWN_poweroff into isa-debug-exit code 0. Each check line
# the kernel printed is repeated as "PASS/FAIL: lamina: ...".
set -uo pipefail
. "$(dirname "$0")/boot-lib.sh"

# Left out until Lamina gets there (name them in GPV_TEST_KERNELS to run
# them): domu-test needs grant mapping and a second domain (issue 10).
kernels=${GPV_TEST_KERNELS:-"hello boot xen_version console sched traps emul hostile mmu
	hcpage callgate archiopl specmsr iretfault sysenter debugreg consoleio"}
# Event channels and grant tables (issue 10).
[ -n "${GPV_TEST_KERNELS:-}" ] || kernels="$kernels fifo grant grant_map grant_v2 grant_user"
# The MMU's reference counts, ptwr and memory reservations (issue 9).
[ -n "${GPV_TEST_KERNELS:-}" ] || kernels="$kernels mmu_refs mmu_ldt mmu_mem mmu_foreign mmu_deep"
# domctl and sysctl (issue 11); domctl_destroy destroys a domU of ~400 MiB.
[ -n "${GPV_TEST_KERNELS:-}" ] || kernels="$kernels domctl domctl_destroy tkbuild"
# Time and vCPU operations (issue 10).
[ -n "${GPV_TEST_KERNELS:-}" ] || kernels="$kernels time vcpu"
logdir=$GPV_TOP/build/tests/guest-lamina
mkdir -p "$logdir"
bad=0
if [ ! -f "$GPV_LAMINA" ]; then
	echo "FAIL: lamina: hypervisor image $GPV_LAMINA not built"
	exit 1
fi

# The crash kernel: a dump, then SHUTDOWN_crash, which Lamina exits with 3.
if [ -z "${GPV_TEST_KERNELS:-}" ]; then
	gpv_boot_lamina "$GPV_TOP/build/guest-pv/crash.elf" "$logdir/crash.log" 60
	rc=$?
	gpv_check_crash "$logdir/crash.log" lamina || bad=1
	if [ "$rc" = 3 ]; then
		echo "PASS: lamina: crash: exit code 3 (SHUTDOWN_crash)"
	else
		echo "FAIL: lamina: crash: exit code 3 (SHUTDOWN_crash) (got $rc)"
		bad=1
	fi
	# The fail kernel: a failed check must give exit code 1, not 0.
	gpv_boot_lamina "$GPV_TOP/build/guest-pv/fail.elf" "$logdir/fail.log" 60
	rc=$?
	gpv_check_fail "$logdir/fail.log" lamina || bad=1
	if [ "$rc" = 1 ]; then
		echo "PASS: lamina: fail: exit code 1 (SHUTDOWN_reboot)"
	else
		echo "FAIL: lamina: fail: exit code 1 (SHUTDOWN_reboot) (got $rc)"
		bad=1
	fi
fi
for k in $kernels; do
	elf=$GPV_TOP/build/guest-pv/$k.elf
	log=$logdir/$k.log
	if [ ! -f "$elf" ]; then
		echo "FAIL: lamina: $k: kernel $elf not built"
		bad=1
		continue
	fi
	# SYSENTER is #UD in long mode on AMD: sysenter runs on an Intel model.
	cpu=$GPV_CPU
	[ "$k" = sysenter ] && cpu="$GPV_CPU,vendor=GenuineIntel"
	mem=$GPV_MEM
	[ "$k" = domctl_destroy ] && mem=512
	GPV_CPU=$cpu GPV_MEM=$mem gpv_boot_lamina "$elf" "$log" 60
	rc=$?
	echo "INFO: lamina: $k: qemu-run verdict $rc (log $log)"
	gpv_report "$k" "$log" "lamina" || bad=1
	if [ "$rc" = 0 ]; then
		echo "PASS: lamina: $k: exit code 0 (SHUTDOWN_poweroff)"
	else
		echo "FAIL: lamina: $k: exit code 0 (SHUTDOWN_poweroff) (got $rc)"
		bad=1
	fi
done
exit $bad
