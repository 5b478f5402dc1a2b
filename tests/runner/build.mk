# SPDX-License-Identifier: GPL-2.0-only
# The probe image that tests scripts/qemu-run.sh itself.
RUNNER_PROBE := $(O)/tests/runner/probe.elf

$(RUNNER_PROBE): tests/runner/probe.S tests/runner/probe.ld
	@mkdir -p $(dir $@) $(O)/obj/tests/runner
	$(CC) -m32 -c -o $(O)/obj/tests/runner/probe.o $<
	$(LD) -m elf_i386 --no-warn-rwx-segments -T tests/runner/probe.ld -o $@ $(O)/obj/tests/runner/probe.o

ALL_TARGETS += $(RUNNER_PROBE)
SCRIPT_TESTS += tests/runner/qemu-run-test.sh
SCRIPT_TESTS += tests/runner/run-demo-test.sh
