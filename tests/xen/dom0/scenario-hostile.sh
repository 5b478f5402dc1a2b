# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# Scenario 3: hostile guests against Lamina's xenstored (see hostile.sh).

rig_hostile hostile
