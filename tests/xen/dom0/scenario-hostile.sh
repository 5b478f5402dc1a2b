# SPDX-License-Identifier: GPL-2.0-only
#
# Scenario 3: hostile guests against Lamina's xenstored (see hostile.sh).

rig_hostile hostile
