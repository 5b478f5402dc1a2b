# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# Scenario 0, the baseline on stock Xen tools: Xen's own C xenstored,
# xen-init-dom0, xenconsoled and xl, with the hello kernel as a domU. It
# proves the rig itself: if this fails, nothing Lamina-specific is to blame.

if rig_start_xen_xenstored; then
	rig_expect xen.dom0-name Domain-0 "$(timeout 20 xenstore-read /local/domain/0/name 2>&1)"
	rig_check xen.xl-list sh -c 'xl list | grep -q "^Domain-0 "'
	rig_check xen.xl-info sh -c 'xl info | grep -q "^xen_major *: 4"'
	rig_test_xenstore xen
	rig_lifecycle xen
fi
