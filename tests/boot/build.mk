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

# The fuzzer and the initrd checker: guest-pv kernels (they link libgpv as
# tests/guest kernels do).
BOOT_GPV_KERNELS := $(O)/tests/boot/fuzz.elf $(O)/tests/boot/initrd.elf \
	$(O)/tests/boot/pagetables.elf $(O)/tests/boot/memory.elf $(O)/tests/boot/vcpuinfo.elf \
	$(O)/tests/boot/hcpage.elf $(O)/tests/boot/preempt.elf

$(O)/obj/tests/boot/gpv/%.o: tests/boot/%.c | $(GPV_SYSINC)/xen
	@mkdir -p $(dir $@)
	$(CC) $(GPV_CFLAGS) -c -o $@ $<

$(O)/tests/boot/%.elf: $(O)/obj/tests/boot/gpv/%.o $(GPV_LIB) $(GPV_LDS)
	@mkdir -p $(dir $@)
	$(LD) $(GPV_LDFLAGS) -o $@ $(GPV_HEAD) $< $(GPV_LIB)

ALL_TARGETS += $(BOOT_CRASH_GUEST) $(BOOT_GPV_KERNELS)
SCRIPT_TESTS += tests/boot/boot.sh tests/boot/on-xen.sh
