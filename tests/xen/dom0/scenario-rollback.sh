# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# Rolling back, as a packager would check before shipping: Lamina's
# xenstored stops and Xen's C xenstored takes dom0's ring back. Lamina's
# daemon must have left the ring in a state Xen's accepts: dom0's ring and
# socket serve, and a guest's whole life under xl works again.

rig_stop_xenstored
if rig_start_xen_xenstored rollback; then
	rig_expect rollback.dom0-name Domain-0 \
		"$(timeout 20 xenstore-read /local/domain/0/name 2>&1)"
	rig_check rollback.ring-write env XENSTORED_PATH=/dev/xen/xenbus \
		xenstore-write /rig/ring "back on Xen's"
	rig_expect rollback.ring-read "back on Xen's" \
		"$(XENSTORED_PATH=/dev/xen/xenbus timeout 20 xenstore-read /rig/ring 2>&1)"
	rig_lifecycle rollback
fi
