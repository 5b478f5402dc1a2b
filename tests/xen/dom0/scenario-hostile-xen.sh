# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=dash
#
# The hostile guests against Xen's C xenstored, the reference: what scenario
# hostile demands of Lamina's daemon, Xen's does too (see hostile.sh). The
# garbage only: the well-behaved guests run in scenario hostile.

rig_hostile hostile-xen garbage-only
