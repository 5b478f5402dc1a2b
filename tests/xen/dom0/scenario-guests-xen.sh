# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# Scenario 2, first half: the guest-pv test kernel domu-test as a domU under
# Xen's xl and Xen's xenstored (console ring, xenbus read/write/directory/
# watch/transactions, event channels with upcalls, grant tables, timers,
# SCHEDOP_block). Its results are kept for scenario guests-lamina to compare.

if rig_xl_create guests-xen domu-xen "$GUESTS/domu-test.elf"; then
	rig_guest_results guests-xen domu-xen 30
	cp /tmp/domu-xen.results /tmp/domu-ref.results 2>/dev/null
	timeout 30 xl destroy domu-xen >/dev/null 2>&1
fi
