# SPDX-License-Identifier: GPL-2.0-only
# Host unit tests of the hypervisor, laid out as the tree they test:
#   tests/unit/lib/     hypervisor/lib/ (pure generic code)
#   tests/unit/x86_64/  hypervisor/arch/x86_64/lib/ (pure x86 code)
#   tests/unit/common/  hypervisor/common/ code a small harness can host
# The pure modules are the ones hypervisor/build.mk lists (HV_LIB_MODULES,
# HV_ARCH_LIB_MODULES), compiled here for the host; each directory's
# build.mk names its suites and the modules each links.

# Hostile-input tests run under AddressSanitizer and UBSan: an out-of-bounds
# read of a malformed image fails the test instead of passing by luck.
HV_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HV_TEST_CFLAGS := $(CUNIT_CFLAGS) $(HV_LIB_CFLAGS) $(HV_SAN)
HVT_OBJ := $(O)/obj/tests/unit
HVT_OUT := $(O)/tests/unit

# The pure modules, built for the host: $(HVT_OBJ)/mod/{lib,x86_64}/NAME.o.
$(HVT_OBJ)/mod/lib/%.o: $(HV_LIB_DIR)/%.c | $(HV_XENINC)/xen
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $(HV_LIB_CFLAGS) $(HV_SAN) -c -o $@ $<

$(HVT_OBJ)/mod/x86_64/%.o: $(HV_ARCH_LIB_DIR)/%.c | $(HV_XENINC)/xen
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $(HV_LIB_CFLAGS) $(HV_SAN) -c -o $@ $<

# Test sources of each directory, with the module headers on the path.
$(HVT_OBJ)/lib/%.o: tests/unit/lib/%.c | $(HV_XENINC)/xen
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HV_TEST_CFLAGS) -Itests/unit/lib -c -o $@ $<

$(HVT_OBJ)/x86_64/%.o: tests/unit/x86_64/%.c | $(HV_XENINC)/xen
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HV_TEST_CFLAGS) -Itests/unit/x86_64 -c -o $@ $<

# hv_mods DIR, MODULES: the host objects of lib/ (DIR lib) or x86_64/ modules.
hv_mods = $(patsubst %,$(HVT_OBJ)/mod/$(1)/%.o,$(2))

# hv_suite DIR, SUITE, LIB-MODULES, X86-MODULES, EXTRA-OBJS: a CUnit binary
# $(HVT_OUT)/DIR/SUITE from tests/unit/DIR/SUITE.c and the modules it tests.
define hv_suite
UNIT_TESTS += $(HVT_OUT)/$(1)/$(2)
ALL_TARGETS += $(HVT_OUT)/$(1)/$(2)
$(HVT_OUT)/$(1)/$(2): $(HVT_OBJ)/$(1)/$(2).o $(call hv_mods,lib,$(3)) \
		$(call hv_mods,x86_64,$(4)) $(5) $(CUNIT_RUN_OBJ)
	@mkdir -p $$(dir $$@)
	$$(HOSTCC) $$(HV_SAN) -o $$@ $$^ $$(CUNIT_LIBS)
endef

# hv_tool DIR, TOOL, LIB-MODULES, X86-MODULES: a host tool a comparison
# script runs (no CUnit).
define hv_tool
ALL_TARGETS += $(HVT_OUT)/$(1)/$(2)
$(HVT_OUT)/$(1)/$(2): $(HVT_OBJ)/$(1)/$(2).o $(call hv_mods,lib,$(3)) $(call hv_mods,x86_64,$(4))
	@mkdir -p $$(dir $$@)
	$$(HOSTCC) $$(HV_SAN) -o $$@ $$^
endef

# hv_guest DIR, NAME, OBJS: a guest-pv kernel (dom0 on real Xen) built from
# tests/unit/DIR sources, as tests/guest kernels are.
$(GPV_OBJ)/hvtests/%.o: tests/unit/%.c | $(GPV_SYSINC)/xen
	@mkdir -p $(dir $@)
	$(CC) $(GPV_CFLAGS) -I$(dir $<) -c -o $@ $<

$(GPV_OBJ)/hvtests/%.o: tests/unit/%.S | $(GPV_SYSINC)/xen
	@mkdir -p $(dir $@)
	$(CC) $(GPV_CFLAGS) -I$(dir $<) -D__ASSEMBLY__ -c -o $@ $<

define hv_guest
ALL_TARGETS += $(HVT_OUT)/$(1)/$(2).elf
$(HVT_OUT)/$(1)/$(2).elf: $(patsubst %,$(GPV_OBJ)/hvtests/$(1)/%.o,$(3)) $(GPV_LIB) $(GPV_LDS)
	@mkdir -p $$(dir $$@)
	$$(LD) $$(GPV_LDFLAGS) -o $$@ $$(GPV_HEAD) $$(patsubst %,$(GPV_OBJ)/hvtests/$(1)/%.o,$(3)) \
		$$(GPV_LIB)
endef

include tests/unit/lib/build.mk tests/unit/x86_64/build.mk tests/unit/common/build.mk \
	tests/unit/x86_64/mm/build.mk tests/unit/common/sched/build.mk
