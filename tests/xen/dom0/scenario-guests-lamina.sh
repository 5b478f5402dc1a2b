# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# Scenario 2, second half: the same domu-test kernel under Lamina's
# xenstored. Every check is reported on its own; the verdicts of the checks
# that talk to the store (start_info's store ring, the xenbus area) must be
# identical to the run against Xen's xenstored (scenario guests-xen, earlier
# in the same boot). The other areas (event channels, timers, grant tables)
# do not involve xenstored: a difference there is the hypervisor's or the
# test's, and shows as its own FAIL line, not as a xenstored difference.

# The store-dependent verdicts of a results file, details dropped.
store_checks() {
	grep -E '^(PASS|FAIL): domu: (xenbus|start_info):' "$1" | sed 's/ (.*)$//'
}

if rig_xl_create guests-lamina domu-lamina "$GUESTS/domu-test.elf"; then
	rig_guest_results guests-lamina domu-lamina 30
	timeout 30 xl destroy domu-lamina >/dev/null 2>&1
	if [ -f /tmp/domu-ref.results ] && [ -f /tmp/domu-lamina.results ]; then
		store_checks /tmp/domu-ref.results >/tmp/domu-ref.store
		store_checks /tmp/domu-lamina.results >/tmp/domu-lamina.store
		if [ -s /tmp/domu-ref.store ] &&
			cmp -s /tmp/domu-ref.store /tmp/domu-lamina.store; then
			rig_pass "guests-lamina.results-identical-to-xen-xenstored"
		else
			rig_fail "guests-lamina.results-identical-to-xen-xenstored"
			diff /tmp/domu-ref.store /tmp/domu-lamina.store | sed 's/^/    | /'
		fi
	else
		rig_fail "guests-lamina.results-identical-to-xen-xenstored" \
			"no reference run (scenario guests-xen) or no results"
	fi
fi
