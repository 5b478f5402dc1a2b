# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# lxl on Lamina itself (the rig booted with rig.sh --hv lamina): Debian's
# kernel is dom0 of Lamina, Lamina's xenstored and lamina-consoled serve it,
# and lxl builds guest-pv domUs through libxenguest and privcmd. The same
# checks as lxl-lamina runs on Xen (see lxl.sh): create to the first console
# line, lxl console, lxl list against Debian's xl list, the store tree,
# destroy, the errors, the restart policies and a crashing guest reported
# with its last console lines, then create/destroy cycles back to baseline.
# Before lamina-consoled takes over, Debian's xl creates, lists, shows the
# console of and destroys a guest the same way (xenconsoled serving), and
# once more after (lamina-consoled serving).

if rig_start_lamina_xenstored lxl-hv; then
	# rig_start_xenstored starts xenconsoled; let it write its pid file
	# before lamina-consoled takes its place (else both would serve).
	rig_wait_for 5 test -s /run/xenconsoled.pid
	# Debian's own xl under Xen's xenconsoled first: create of hello.elf to
	# its first console line, xl list, the store, xl console, xl destroy and
	# the introduce/release watches (rig_lifecycle, as on Xen).
	xl_t0=$(rig_now)
	rig_lifecycle lxl-hv-xl
	rig_info "lxl-hv: Debian's xl lifecycle took $(rig_elapsed_ms "$xl_t0" "$(rig_now)") ms"
	if rig_start_lamina_consoled lxl-hv; then
		rig_expect lxl-hv.hypervisor-is-lamina "-lamina" \
			"$(timeout 20 $LXL info xen_extra)"
		rig_lxl_info_numa lxl-hv
		rig_lxl_info_keys lxl-hv
		rig_lxl_sched_credit lxl-hv hv
		# Debian's xl again, lamina-consoled serving: libxl empties
		# console/tty as it writes the console device and waits for the
		# backend to publish it again (as xenconsoled does).
		rig_lifecycle lxl-hv-xl-consoled
		rig_lxl lxl-hv policies cycles 3
	fi
fi
