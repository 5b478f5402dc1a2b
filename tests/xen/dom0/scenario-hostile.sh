# SPDX-License-Identifier: GPL-2.0-only
#
# Scenario 3: hostile guests against Lamina's xenstored. The xs-hostile
# kernel writes garbage to its own store ring, one kind per domU: an unknown
# message type (answered with XS_ERROR, the ring keeps serving), an
# over-long message and a runaway req_prod (the daemon must stop serving that
# ring). After each, the daemon must still be running and serving dom0; at
# the end a fresh domu-test guest must pass every check: the other guests
# keep working.

xsd_pid=$(cat /run/xenstored.pid 2>/dev/null)
for kind in type len prod; do
	name=hostile-$kind
	if rig_xl_create hostile "$name" "$GUESTS/xs-hostile.elf" "$kind"; then
		rig_guest_results hostile "$name" 30
	fi
	rig_check "hostile.$kind.xenstored-alive" kill -0 "$xsd_pid"
	rig_expect "hostile.$kind.dom0-still-served" Domain-0 \
		"$(timeout 5 xenstore-read /local/domain/0/name 2>&1)"
	rig_check "hostile.$kind.xl-destroy" timeout 20 xl destroy "$name"
done
if rig_xl_create hostile domu-after "$GUESTS/domu-test.elf"; then
	rig_guest_results hostile domu-after 30
	rig_check hostile.guest-after-all-pass sh -c \
		"! grep -q '^FAIL' /tmp/domu-after.results && grep -q '^PASS' /tmp/domu-after.results"
	xl destroy domu-after >/dev/null 2>&1
fi
