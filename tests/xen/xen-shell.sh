#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot the real-Xen rig interactively: Xen's and dom0's console on this
# terminal (QEMU's monitor multiplexed: Ctrl-A x quits, Ctrl-A c toggles), a
# shell in dom0 with Xen's tools and Lamina's in /lamina, the rig's helpers
# loaded, and a xenstored running: Xen's (the default), Lamina's, or none.
# xl works at once; a scenario runs by hand with `. /rig/scenario-xen.sh`,
# and `rig_exit 0` ends the session.
#   xen-shell.sh [xen|lamina|none]      (make xen-shell XENSTORED=lamina)
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
rig=$top/build/xen-rig
xsd=${1:-xen}
case $xsd in
xen | lamina | none) ;;
*) echo "xen-shell: xenstored is xen, lamina or none" >&2; exit 2 ;;
esac
# TCG: this machine's /dev/kvm cannot run Xen (docs/xen-rig.md).
accel=tcg cpu=max,-smap
exec qemu-system-x86_64 -accel $accel,thread=multi -cpu $cpu -m 1280 -smp 2 \
	-machine pc -nodefaults -no-user-config -display none -no-reboot \
	-serial mon:stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$rig/xen.elf" \
	-append "console=com1 com1=115200,8n1 dom0_mem=512M,max:512M dom0_max_vcpus=1 loglvl=all guest_loglvl=all xpti=false" \
	-initrd "$rig/vmlinux console=hvc0 earlyprintk=xen acpi=off pci=off nr_cpus=1 swiotlb=noforce mitigations=off mce=off initcall_blacklist=cmos_init rig.shell=$xsd,$rig/dom0.cpio"
