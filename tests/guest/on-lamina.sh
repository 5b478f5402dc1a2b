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
	hcpage callgate archiopl specmsr iretfault sysenter debugreg consoleio conring"}
# Event channels and grant tables (issue 10).
[ -n "${GPV_TEST_KERNELS:-}" ] || kernels="$kernels fifo grant grant_map grant_v2 grant_user"
# The MMU's reference counts, ptwr and memory reservations (issue 9).
[ -n "${GPV_TEST_KERNELS:-}" ] || kernels="$kernels mmu_refs mmu_ldt mmu_mem mmu_foreign mmu_deep"
# domctl and sysctl (issue 11); domctl_destroy destroys a domU of ~400 MiB.
[ -n "${GPV_TEST_KERNELS:-}" ] || kernels="$kernels domctl domctl_destroy tkbuild domctl_tsc domctl_cpu"
# Time and vCPU operations (issue 10).
[ -n "${GPV_TEST_KERNELS:-}" ] || kernels="$kernels time vcpu"
# CR4.FSGSBASE (two vCPUs on the one CPU; then on two CPUs and on a CPU model without it).
[ -n "${GPV_TEST_KERNELS:-}" ] || kernels="$kernels fsgsbase"
logdir=$(gpv_logdir guest-lamina) # build/tests/guest-lamina/last/KERNEL.log
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
# poweroff_check NAME RC: the kernel's SHUTDOWN_poweroff became exit code 0.
poweroff_check() {
	if [ "$2" = 0 ]; then
		echo "PASS: lamina: $1: exit code 0 (SHUTDOWN_poweroff)"
	else
		echo "FAIL: lamina: $1: exit code 0 (SHUTDOWN_poweroff) (got $2)"
		return 1
	fi
}

# A second vCPU (issue 10's SMP): vcpu_smp as on Xen, on two CPUs with
# lamina_smp=on (dom0 gets a vCPU per CPU, vCPU 1 runs on the AP), and on one
# CPU with dom0_max_vcpus=2 (both vCPUs take turns on the boot CPU).
if [ -z "${GPV_TEST_KERNELS:-}" ]; then
	# vcpu_race: initialise and up of one vCPU racing on three CPUs.
	GPV_SMP=3 GPV_LAMINA_APPEND=lamina_smp=on \
		gpv_boot_lamina "$GPV_TOP/build/guest-pv/vcpu_race.elf" "$logdir/vcpu_race.log" 90
	rc=$?
	gpv_report vcpu_race "$logdir/vcpu_race.log" "lamina" || bad=1
	poweroff_check vcpu_race "$rc" || bad=1
	# evtchn_race: two vCPUs on two CPUs sending, binding and closing at once.
	GPV_SMP=2 gpv_boot_lamina "$GPV_TOP/build/guest-pv/evtchn_race.elf" "$logdir/evtchn_race.log" 90
	rc=$?
	gpv_report evtchn_race "$logdir/evtchn_race.log" "lamina" || bad=1
	poweroff_check evtchn_race "$rc" || bad=1
	# cpupool: pools, affinity and credit2's parameters on two CPUs, as on Xen;
	# schedw: weights 1:2 and a cap measured in two domUs in a pool of their own,
	# in guest time under -icount (guest time counts instructions: the host's
	# load no longer lands in one domain's share; as on-xen.sh).
	for k in cpupool schedw; do
		ic=${LAMINA_ICOUNT:-}
		[ $k = schedw ] && ic=${GPV_SCHEDW_ICOUNT-shift=3,sleep=off}
		LAMINA_ICOUNT=$ic GPV_SMP=2 gpv_boot_lamina "$GPV_TOP/build/guest-pv/$k.elf" "$logdir/$k.log" 90
		rc=$?
		gpv_report $k "$logdir/$k.log" "lamina" || bad=1
		poweroff_check $k "$rc" || bad=1
	done
	for cfg in "2:lamina_smp=on" "1:dom0_max_vcpus=2"; do
		log=$logdir/vcpu_smp-${cfg%%:*}cpu.log
		GPV_SMP=${cfg%%:*} GPV_LAMINA_APPEND=${cfg#*:} \
			gpv_boot_lamina "$GPV_TOP/build/guest-pv/vcpu_smp.elf" "$log" 60
		rc=$?
		gpv_report "vcpu_smp (${cfg#*:})" "$log" "lamina: ${cfg#*:}" || bad=1
		poweroff_check "vcpu_smp (${cfg#*:})" "$rc" || bad=1
		# Where the vCPUs ran (the scheduler's debug lines): vCPU 1 ran; with
		# two CPUs the AP ran dom0's vCPUs too (which one where is the
		# scheduler's choice), with one only CPU0 did.
		ran=$(tr -d '\r' <"$log" | grep -aoE 'dom0 vCPU [01] runs on CPU[0-9]+')
		got=$(printf '%s\n' "$ran" | grep -oE 'CPU[0-9]+' | sort -u | xargs)
		ok=0
		if [ "${cfg%%:*}" = 1 ]; then [ "$got" = CPU0 ] && ok=1; else grep -q CPU1 <<<"$got" && ok=1; fi
		if grep -q 'vCPU 1 runs' <<<"$ran" && [ "$ok" = 1 ]; then
			echo "PASS: lamina: vcpu_smp (${cfg#*:}): vCPU 1 ran; dom0's vCPUs ran on $got"
		else
			echo "FAIL: lamina: vcpu_smp (${cfg#*:}): vCPU 1 ran, on the AP with two CPUs (got ${got:-none})"
			bad=1
		fi
	done
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
	append=${GPV_LAMINA_APPEND:-}
	[ "$k" = fsgsbase ] && append=dom0_max_vcpus=2
	[ "$k" = conring ] && append="${append:+$append }console_to_ring"
	[ "$k" = mmu_deep ] && append=dom0_max_vcpus=2 # VCPUOP_initialise of vCPU 1
	GPV_CPU=$cpu GPV_MEM=$mem GPV_LAMINA_APPEND=$append gpv_boot_lamina "$elf" "$log" 60
	rc=$?
	echo "INFO: lamina: $k: qemu-run verdict $rc (log $log)"
	gpv_report "$k" "$log" "lamina" || bad=1
	poweroff_check "$k" "$rc" || bad=1
	# fsgsbase again on two CPUs (a vCPU on each, as on Xen) and on a CPU model without FSGSBASE.
	[ "$k" = fsgsbase ] && for cfg in "2:$cpu:two CPUs" "1:$cpu,-fsgsbase:-fsgsbase"; do
		name=${cfg##*:}
		log=$logdir/fsgsbase-${name// /-}.log
		c=${cfg#*:}
		GPV_SMP=${cfg%%:*} GPV_CPU=${c%:*} gpv_boot_lamina "$elf" "$log" 60
		rc=$?
		gpv_report "fsgsbase ($name)" "$log" "lamina: $name" || bad=1
		poweroff_check "fsgsbase ($name)" "$rc" || bad=1
	done
done
exit $bad
