#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `make run`: boot build/lamina under QEMU with a guest-pv kernel as dom0
# and show the serial console (the hypervisor's lines and the guest's).
# The demo kernel is build/guest-pv/demo.elf when guest-pv builds one,
# otherwise build/guest-pv/hello.elf. Exit status: the guest's verdict.
#   run-demo.sh [KERNEL] [DOM0-CMDLINE]
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kernel=${1:-}
if [ -z "$kernel" ]; then
	kernel=$top/build/guest-pv/demo.elf
	[ -f "$kernel" ] || kernel=$top/build/guest-pv/hello.elf
fi
cmdline=${2:-demo}
if [ ! -f "$top/build/lamina" ] || [ ! -f "$kernel" ]; then
	echo "run-demo: build first (make all): need build/lamina and $kernel" >&2
	exit 2
fi
"$top/scripts/qemu-run.sh" --kernel "$top/build/lamina" --append "console=com1 loglvl=info" \
	--module "$kernel $cmdline" --smp 2 --timeout 60 --show
rc=$?
echo "run-demo: dom0 ended with code $rc"
exit $rc
