# SPDX-License-Identifier: GPL-2.0-only
# Hypervisor boot tests: boots of build/lamina under QEMU (TCG), with the
# guest-pv hello kernel and a tiny misbehaving guest of our own as dom0.

BOOT_CRASH_GUEST := $(O)/tests/boot/crash-guest.elf

$(O)/obj/tests/boot/crash-guest.o: tests/boot/crash-guest.S | $(HV_XENINC)/xen
	@mkdir -p $(dir $@)
	$(CC) -I$(HV_XENINC) -D__ASSEMBLY__ -c -o $@ $<

$(BOOT_CRASH_GUEST): $(O)/obj/tests/boot/crash-guest.o tests/boot/crash-guest.lds
	@mkdir -p $(dir $@)
	$(LD) -nostdlib -static -z max-page-size=0x1000 --no-warn-rwx-segments \
		-T tests/boot/crash-guest.lds -o $@ $<

ALL_TARGETS += $(BOOT_CRASH_GUEST)
SCRIPT_TESTS += tests/boot/boot.sh
