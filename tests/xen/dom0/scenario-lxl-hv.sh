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

if rig_start_lamina_xenstored lxl-hv; then
	# rig_start_xenstored starts xenconsoled; let it write its pid file
	# before lamina-consoled takes its place (else both would serve).
	rig_wait_for 5 test -s /run/xenconsoled.pid
	if rig_start_lamina_consoled lxl-hv; then
		rig_expect lxl-hv.hypervisor-is-lamina "-lamina" \
			"$(timeout 20 $LXL info xen_extra | awk '{ print $3 }')"
		rig_lxl lxl-hv policies cycles 3
	fi
fi
