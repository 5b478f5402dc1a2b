# SPDX-License-Identifier: GPL-2.0-only
# CUnit suites for the hypervisor's host-testable PV modules
# (hypervisor/arch/x86_64/pv/, tests/unit/hv_*.c).
include hypervisor/arch/x86_64/pv/build.mk

# Hostile-input tests run under AddressSanitizer and UBSan: an out-of-bounds
# read of a malformed image fails the test instead of passing by luck.
HV_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HV_TEST_CFLAGS := $(CUNIT_CFLAGS) -Ihypervisor/include $(PV_XEN_VERSION_FLAGS) $(HV_SAN)

$(O)/obj/tests/unit/hv/%.o: $(PV_DIR)/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Ihypervisor/include $(PV_XEN_VERSION_FLAGS) $(HV_SAN) -c -o $@ $<

$(O)/obj/tests/unit/hv_%.o: tests/unit/hv_%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HV_TEST_CFLAGS) -c -o $@ $<

# hv_<suite>: its test file plus the modules it exercises.
define hv_unit_test
UNIT_TESTS += $(O)/tests/unit/hv_$(1)
$(O)/tests/unit/hv_$(1): $(O)/obj/tests/unit/hv_$(1).o \
		$(patsubst %,$(O)/obj/tests/unit/hv/%.o,$(2)) $(CUNIT_RUN_OBJ)
	@mkdir -p $$(dir $$@)
	$$(HOSTCC) $$(HV_SAN) -o $$@ $$^ $$(CUNIT_LIBS)
ALL_TARGETS += $(O)/tests/unit/hv_$(1)
endef

$(eval $(call hv_unit_test,elfnote,elfnote elf_load dom0_layout))
$(eval $(call hv_unit_test,insn_decode,insn_decode insn_info))
$(eval $(call hv_unit_test,cpuid_msr,cpuid_policy msr_policy))
$(eval $(call hv_unit_test,xen_version,xen_version))
$(eval $(call hv_unit_test,bounce_frame,bounce_frame))
$(eval $(call hv_unit_test,hypercall_page,hypercall_page))
$(eval $(call hv_unit_test,descriptor,descriptor))

# The layout, printed as Xen prints it, and compared with real Xen's boot.
$(O)/tests/unit/hv_layout_tool: tests/unit/hv_layout_tool.c \
		$(O)/obj/tests/unit/hv/elfnote.o $(O)/obj/tests/unit/hv/elf_load.o \
		$(O)/obj/tests/unit/hv/dom0_layout.o
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Ihypervisor/include $(PV_XEN_VERSION_FLAGS) $(HV_SAN) -o $@ $^
ALL_TARGETS += $(O)/tests/unit/hv_layout_tool
SCRIPT_TESTS += tests/unit/hv_layout_vs_xen.sh

# CPUID: the bare host dumper, the guest-pv dumper, the policy tool, and the
# script that compares pv/cpuid_policy with real Xen on the same QEMU CPU.
HV_HOST32_CFLAGS := -std=gnu11 -O2 $(WARN_FLAGS) -m32 -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -mgeneral-regs-only -Itests/unit

$(O)/obj/tests/unit/hv_cpuid_host.o: tests/unit/hv_cpuid_host.c tests/unit/hv_cpuid_leaves.h
	@mkdir -p $(dir $@)
	$(CC) $(HV_HOST32_CFLAGS) -c -o $@ $<

$(O)/tests/unit/hv_cpuid_host.elf: $(O)/obj/tests/unit/hv_cpuid_host.o tests/unit/hv_cpuid_host.lds
	@mkdir -p $(dir $@)
	$(LD) -m elf_i386 -nostdlib -static --no-warn-rwx-segments -T tests/unit/hv_cpuid_host.lds \
		-o $@ $<

$(GPV_OBJ)/hvtests/hv_cpuid_guest.o: tests/unit/hv_cpuid_guest.c tests/unit/hv_cpuid_leaves.h \
		| $(GPV_SYSINC)/xen
	@mkdir -p $(dir $@)
	$(CC) $(GPV_CFLAGS) -Itests/unit -c -o $@ $<

$(O)/tests/unit/hv_cpuid_guest.elf: $(GPV_OBJ)/hvtests/hv_cpuid_guest.o $(GPV_LIB) $(GPV_LDS)
	@mkdir -p $(dir $@)
	$(LD) $(GPV_LDFLAGS) -o $@ $(GPV_HEAD) $< $(GPV_LIB)

$(O)/tests/unit/hv_cpuid_tool: tests/unit/hv_cpuid_tool.c tests/unit/hv_cpuid_leaves.h \
		$(O)/obj/tests/unit/hv/cpuid_policy.o
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Itests/unit -Ihypervisor/include $(PV_XEN_VERSION_FLAGS) $(HV_SAN) \
		-o $@ $< $(O)/obj/tests/unit/hv/cpuid_policy.o

ALL_TARGETS += $(O)/tests/unit/hv_cpuid_host.elf $(O)/tests/unit/hv_cpuid_guest.elf \
	$(O)/tests/unit/hv_cpuid_tool
SCRIPT_TESTS += tests/unit/hv_cpuid_vs_xen.sh

# xen_version: the guest-pv dumper, the module's answers, the comparison.
$(GPV_OBJ)/hvtests/hv_xenver_guest.o: tests/unit/hv_xenver_guest.c | $(GPV_SYSINC)/xen
	@mkdir -p $(dir $@)
	$(CC) $(GPV_CFLAGS) -c -o $@ $<

$(O)/tests/unit/hv_xenver_guest.elf: $(GPV_OBJ)/hvtests/hv_xenver_guest.o $(GPV_LIB) $(GPV_LDS)
	@mkdir -p $(dir $@)
	$(LD) $(GPV_LDFLAGS) -o $@ $(GPV_HEAD) $< $(GPV_LIB)

$(O)/tests/unit/hv_xenver_tool: tests/unit/hv_xenver_tool.c $(O)/obj/tests/unit/hv/xen_version.o \
		$(O)/obj/tests/unit/hv/msr_policy.o $(O)/obj/tests/unit/hv/cpuid_policy.o
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Ihypervisor/include $(PV_XEN_VERSION_FLAGS) $(HV_SAN) -o $@ $^

ALL_TARGETS += $(O)/tests/unit/hv_xenver_guest.elf $(O)/tests/unit/hv_xenver_tool
SCRIPT_TESTS += tests/unit/hv_xenver_vs_xen.sh

# The decoder against GNU as.
$(O)/tests/unit/hv_insn_tool: tests/unit/hv_insn_tool.c $(O)/obj/tests/unit/hv/insn_decode.o \
		$(O)/obj/tests/unit/hv/insn_info.o
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Ihypervisor/include $(PV_XEN_VERSION_FLAGS) $(HV_SAN) -o $@ $^
ALL_TARGETS += $(O)/tests/unit/hv_insn_tool
SCRIPT_TESTS += tests/unit/hv_insn_vs_gas.sh

# Bounce frames: the guest-pv kernel that records Xen's, the tool, the script.
$(GPV_OBJ)/hvtests/hv_bounce_guest.o: tests/unit/hv_bounce_guest.c tests/unit/hv_descriptor_cases.h \
		| $(GPV_SYSINC)/xen
	@mkdir -p $(dir $@)
	$(CC) $(GPV_CFLAGS) -Itests/unit -c -o $@ $<

$(GPV_OBJ)/hvtests/hv_bounce_guest-asm.o: tests/unit/hv_bounce_guest-asm.S | $(GPV_SYSINC)/xen
	@mkdir -p $(dir $@)
	$(CC) $(GPV_CFLAGS) -D__ASSEMBLY__ -c -o $@ $<

$(O)/tests/unit/hv_bounce_guest.elf: $(GPV_OBJ)/hvtests/hv_bounce_guest.o \
		$(GPV_OBJ)/hvtests/hv_bounce_guest-asm.o $(GPV_LIB) $(GPV_LDS)
	@mkdir -p $(dir $@)
	$(LD) $(GPV_LDFLAGS) -o $@ $(GPV_HEAD) $(GPV_OBJ)/hvtests/hv_bounce_guest.o \
		$(GPV_OBJ)/hvtests/hv_bounce_guest-asm.o $(GPV_LIB)

$(O)/tests/unit/hv_bounce_tool: tests/unit/hv_bounce_tool.c $(O)/obj/tests/unit/hv/bounce_frame.o \
		$(O)/obj/tests/unit/hv/hypercall_page.o $(O)/obj/tests/unit/hv/descriptor.o
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Ihypervisor/include $(PV_XEN_VERSION_FLAGS) $(HV_SAN) -o $@ $^

ALL_TARGETS += $(O)/tests/unit/hv_bounce_guest.elf $(O)/tests/unit/hv_bounce_tool
SCRIPT_TESTS += tests/unit/hv_bounce_vs_xen.sh

# Acceptance rules against Xen: the image generator and the script.
$(O)/tests/unit/hv_elf_gen: tests/unit/hv_elf_gen.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $(HV_SAN) -o $@ $<
ALL_TARGETS += $(O)/tests/unit/hv_elf_gen
SCRIPT_TESTS += tests/unit/hv_elf_vs_xen.sh

# The synthetic-image writer the ELF-note suite links.
$(O)/tests/unit/hv_elfnote: $(O)/obj/tests/unit/hv_elf_writer.o
