#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Boot every guest-pv test kernel as dom0 on Debian's real Xen 4.17 under
# QEMU (TCG), one boot per kernel, and report one PASS/FAIL line per check
# the kernel printed, plus one for the kernel's own end. Xen is the
# reference: what fails here is a wrong test, not a wrong hypervisor.
set -uo pipefail
. "$(dirname "$0")/boot-lib.sh"

# sysenter is left out: on QEMU TCG's Intel-branded model Xen 4.17 itself
# double-faults on a guest SYSENTER (its SYSENTER_ESP is still the early
# boot stack), and AMD models raise #UD for SYSENTER in long mode.
kernels=${GPV_TEST_KERNELS:-"hello boot xen_version console sched traps emul hostile mmu domu-test
	hcpage callgate archiopl specmsr iretfault debugreg consoleio conring"}
# Event channels and grant tables (issue 10).
[ -n "${GPV_TEST_KERNELS:-}" ] || kernels="$kernels fifo grant grant_map grant_v2 grant_user"
# The MMU's reference counts, ptwr and memory reservations (issue 9).
[ -n "${GPV_TEST_KERNELS:-}" ] || kernels="$kernels mmu_refs mmu_ldt mmu_mem mmu_foreign mmu_deep"
# domctl and sysctl (issue 11); domctl_destroy destroys a domU of ~400 MiB.
[ -n "${GPV_TEST_KERNELS:-}" ] || kernels="$kernels domctl domctl_destroy tkbuild domctl_tsc domctl_cpu"
# Time and vCPU operations (issue 10); vcpu_smp and evtchn_race on two CPUs and
# vcpu_race on three (dom0 gets a vCPU per CPU).
[ -n "${GPV_TEST_KERNELS:-}" ] || kernels="$kernels time vcpu vcpu_smp vcpu_race evtchn_race"
# CR4.FSGSBASE (two CPUs for its two vCPUs, then again on a CPU model without it).
[ -n "${GPV_TEST_KERNELS:-}" ] || kernels="$kernels fsgsbase"
# Cpupools, affinity and credit2's parameters (issues 10 and 11), on two CPUs;
# schedw: weights and a cap measured in two domUs dom0 builds.
[ -n "${GPV_TEST_KERNELS:-}" ] || kernels="$kernels cpupool schedw"
logdir=$(gpv_logdir guest-xen) # build/tests/guest-xen/last/KERNEL.log
bad=0

# The crash kernel: a dump, then SHUTDOWN_crash ("Hardware Dom0 crashed").
if [ -z "${GPV_TEST_KERNELS:-}" ]; then
	gpv_boot_xen "$GPV_TOP/build/guest-pv/crash.elf" "$logdir/crash.log" 60
	gpv_check_crash "$logdir/crash.log" xen || bad=1
	if grep -q 'Hardware Dom0 crashed' "$logdir/crash.log"; then
		echo "PASS: xen: crash: Xen reported the dom0 crash"
	else
		echo "FAIL: xen: crash: Xen reported the dom0 crash"
		bad=1
	fi
	# The fail kernel: a failed check must end in a reboot, not a poweroff.
	gpv_boot_xen "$GPV_TOP/build/guest-pv/fail.elf" "$logdir/fail.log" 60
	gpv_check_fail "$logdir/fail.log" xen || bad=1
	if grep -q 'Hardware Dom0 shutdown: rebooting' "$logdir/fail.log" &&
		! grep -q 'Hardware Dom0 halted' "$logdir/fail.log"; then
		echo "PASS: xen: fail: the failing kernel rebooted instead of powering off"
	else
		echo "FAIL: xen: fail: the failing kernel rebooted instead of powering off"
		bad=1
	fi
fi
# halted_check NAME LOG: a passing kernel powers off (Xen: "halted"); a failing one reboots.
halted_check() {
	if grep -q 'Hardware Dom0 halted' "$2"; then
		echo "PASS: xen: $1: dom0 ended with SHUTDOWN_poweroff"
	else
		echo "FAIL: xen: $1: dom0 ended with SHUTDOWN_poweroff"
		return 1
	fi
}
for k in $kernels; do
	elf=$GPV_TOP/build/guest-pv/$k.elf
	log=$logdir/$k.log
	if [ ! -f "$elf" ]; then
		echo "FAIL: xen: $k: kernel $elf not built"
		bad=1
		continue
	fi
	start=$(date +%s.%N)
	smp=${GPV_SMP:-1}
	[ "$k" = vcpu_smp ] && smp=2
	[ "$k" = cpupool ] && smp=2
	[ "$k" = schedw ] && smp=2
	[ "$k" = vcpu_race ] && smp=3
	[ "$k" = evtchn_race ] && smp=2
	[ "$k" = fsgsbase ] && smp=2
	[ "$k" = mmu_deep ] && smp=2 # VCPUOP_initialise of vCPU 1
	mem=$GPV_MEM
	[ "$k" = domctl_destroy ] && mem=512
	xappend=$GPV_XEN_APPEND
	[ "$k" = conring ] && xappend="$GPV_XEN_APPEND console_to_ring"
	# schedw measures CPU shares in guest time: under -icount (guest time
	# counts instructions) the host's load no longer lands in one domain's
	# share (Xen 1:2 in CPU time, 1.3-1.6 in wall time; x2APIC off, whose
	# timer MSRs QEMU's -icount aborts on). As on-lamina.sh.
	ic=${LAMINA_ICOUNT:-} cpu=$GPV_CPU limit=60
	[ "$k" = schedw ] && ic=${GPV_SCHEDW_ICOUNT-shift=3,sleep=off} cpu=$GPV_CPU,-x2apic limit=120
	LAMINA_ICOUNT=$ic GPV_CPU=$cpu GPV_XEN_APPEND=$xappend GPV_SMP=$smp GPV_MEM=$mem \
		gpv_boot_xen "$elf" "$log" $limit
	end=$(date +%s.%N)
	echo "INFO: xen: $k: boot took $(echo "$end - $start" | bc) s (log $log)"
	gpv_report "$k" "$log" "xen" || bad=1
	halted_check "$k" "$log" || bad=1
	if [ "$k" = fsgsbase ]; then
		log=$logdir/fsgsbase-nofsgsbase.log
		GPV_CPU=$GPV_CPU,-fsgsbase gpv_boot_xen "$elf" "$log" 60
		gpv_report "fsgsbase (-fsgsbase)" "$log" "xen: -fsgsbase" || bad=1
		halted_check "fsgsbase (-fsgsbase)" "$log" || bad=1
	fi
done
exit $bad
