# SPDX-License-Identifier: GPL-2.0-only
# CUnit suites of the frame table's pure modules (arch/x86_64/mm/), each
# over simulated frames, under AddressSanitizer and UBSan.
include hypervisor/arch/x86_64/mm/build.mk

HV_MM_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
HV_MM_CFLAGS := -Ihypervisor/arch/x86_64/include $(MM_XEN_VERSION) $(HV_MM_SAN)

$(O)/obj/tests/unit/mm/%.o: $(MM_DIR)/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $(HV_MM_CFLAGS) -c -o $@ $<

$(O)/obj/tests/unit/mm/hv_%.o: tests/unit/hv_%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(CUNIT_CFLAGS) $(HV_MM_CFLAGS) -c -o $@ $<

define hv_mm_test
UNIT_TESTS += $(O)/tests/unit/hv_$(1)
ALL_TARGETS += $(O)/tests/unit/hv_$(1)
$(O)/tests/unit/hv_$(1): $(O)/obj/tests/unit/mm/hv_$(1).o \
		$(patsubst %,$(O)/obj/tests/unit/mm/%.o,$(2)) $(CUNIT_RUN_OBJ)
	@mkdir -p $$(dir $$@)
	$$(HOSTCC) $$(HV_MM_SAN) -o $$@ $$^ $$(CUNIT_LIBS)
endef

$(eval $(call hv_mm_test,page_type,page_type page_table))
$(eval $(call hv_mm_test,ptwr_emul,ptwr_emul))
