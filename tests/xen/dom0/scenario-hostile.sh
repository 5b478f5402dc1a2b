# SPDX-License-Identifier: GPL-2.0-only
#
# Scenario 3: hostile guests against Lamina's xenstored. The xs-hostile
# kernel writes garbage to its own store ring, one kind per domU: an unknown
# message type (answered with XS_ERROR, the ring keeps serving), an
# over-long message and a runaway req_prod (the daemon must stop serving that
# ring). After each, the daemon must still be running and serving dom0; a
# domu-test guest running alongside the runaway producer, and a fresh one at
# the end, must pass every check: the other guests keep working.

xsd_pid=$(cat /run/xenstored.pid 2>/dev/null)

# rig_hostile_after KIND: the daemon survived KIND and still serves dom0.
rig_hostile_after() {
	rig_check "hostile.$1.xenstored-alive" kill -0 "$xsd_pid"
	rig_expect "hostile.$1.dom0-still-served" Domain-0 \
		"$(timeout 5 xenstore-read /local/domain/0/name 2>&1)"
	rig_check "hostile.$1.xl-destroy" timeout 20 xl destroy "hostile-$1"
}

for kind in type len; do
	if rig_xl_create hostile "hostile-$kind" "$GUESTS/xs-hostile.elf" "$kind"; then
		rig_guest_results hostile "hostile-$kind" 30
	fi
	rig_hostile_after $kind
done

# The runaway producer, with a well-behaved guest started right behind it so
# both run at once: the good one must pass every check.
if rig_xl_create hostile hostile-prod "$GUESTS/xs-hostile.elf" prod; then
	if rig_xl_create hostile domu-during "$GUESTS/domu-test.elf"; then
		rig_guest_results hostile domu-during 30
		rig_check hostile.guest-during-attack-all-pass sh -c \
			"! grep -q '^FAIL' /tmp/domu-during.results && grep -q '^PASS' /tmp/domu-during.results"
		xl destroy domu-during >/dev/null 2>&1
	fi
	rig_guest_results hostile hostile-prod 30
fi
rig_hostile_after prod

# And a guest started after all of it.
if rig_xl_create hostile domu-after "$GUESTS/domu-test.elf"; then
	rig_guest_results hostile domu-after 30
	rig_check hostile.guest-after-all-pass sh -c \
		"! grep -q '^FAIL' /tmp/domu-after.results && grep -q '^PASS' /tmp/domu-after.results"
	xl destroy domu-after >/dev/null 2>&1
fi
