# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# Scenario 1: Lamina's xenstored replaces Xen's in dom0, as a packager would
# swap the daemon: every domU is destroyed, Xen's xenstored and xenconsoled
# stop, Lamina's starts with the same options and takes dom0's ring over
# (/proc/xen/xsd_kva, xsd_port), xen-init-dom0 populates it, and Xen's own
# tools run against it: xenstore-* over the socket and over dom0's ring
# (/dev/xen/xenbus), Xen's test-xenstore over both, xl create/list/console/
# destroy, @introduceDomain and @releaseDomain.

rig_stop_xenstored
if rig_start_lamina_xenstored; then
	rig_check lamina.xenstored-is-lamina sh -c \
		"readlink /proc/\$(cat /run/xenstored.pid)/exe | grep -q '^/lamina/'"
	rig_expect lamina.dom0-name Domain-0 "$(timeout 20 xenstore-read /local/domain/0/name 2>&1)"
	rig_expect lamina.dom0-domid 0 "$(timeout 20 xenstore-read domid 2>&1)"
	rig_check lamina.socket-write xenstore-write /rig/sock "over the socket"
	rig_expect lamina.socket-read "over the socket" "$(timeout 20 xenstore-read /rig/sock 2>&1)"
	# dom0's own ring: libxenstore falls back to the kernel's xenbus device,
	# which talks to the daemon over the page at /proc/xen/xsd_kva.
	rig_check lamina.ring-write env XENSTORED_PATH=/dev/xen/xenbus \
		xenstore-write /rig/ring "over dom0's ring"
	rig_expect lamina.ring-read "over dom0's ring" \
		"$(XENSTORED_PATH=/dev/xen/xenbus timeout 20 xenstore-read /rig/ring 2>&1)"
	rig_expect lamina.ring-sees-socket-write "over the socket" \
		"$(XENSTORED_PATH=/dev/xen/xenbus timeout 20 xenstore-read /rig/sock 2>&1)"
	rig_check lamina.ring-directory sh -c \
		"XENSTORED_PATH=/dev/xen/xenbus xenstore-list /rig | grep -qx ring"
	rig_check lamina.xenstore-rm xenstore-rm /rig
	rig_check lamina.xl-list sh -c 'xl list | grep -q "^Domain-0 "'
	rig_test_xenstore lamina
	rig_lifecycle lamina
fi
