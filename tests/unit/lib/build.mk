# SPDX-License-Identifier: GPL-2.0-only
# Tests of hypervisor/lib/: CUnit suites, and the comparisons with real Xen.

# ELF notes and loading (the synthetic-image writer beside the suite).
$(eval $(call hv_suite,lib,elfnote,elfnote elf_load,dom0_layout,$(HVT_OBJ)/lib/elf_writer.o))
$(eval $(call hv_suite,lib,xen_version,xen_version))

# Xen's acceptance rules against Xen itself: the image generator, the script.
ALL_TARGETS += $(HVT_OUT)/lib/elf_gen
$(HVT_OUT)/lib/elf_gen: tests/unit/lib/elf_gen.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $(HV_SAN) -o $@ $<
SCRIPT_TESTS += tests/unit/lib/elf_vs_xen.sh

# xen_version (and the MSRs the same guest reads): the guest-pv dumper, the
# module's answers, the comparison.
$(eval $(call hv_guest,lib,xenver_guest,xenver_guest))
$(eval $(call hv_tool,lib,xenver_tool,xen_version,msr_policy vmce_policy cpuid_policy))
SCRIPT_TESTS += tests/unit/lib/xenver_vs_xen.sh

# vsnprintf under other names, so the test binary keeps the C library's.
HVT_RENAME := -Dvsnprintf=lamina_vsnprintf -Dsnprintf=lamina_snprintf
$(HVT_OBJ)/mod/lib/vsnprintf-renamed.o: $(HV_LIB_DIR)/vsnprintf.c | $(HV_XENINC)/xen
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $(HV_LIB_CFLAGS) $(HVT_RENAME) -c -o $@ $<
$(eval $(call hv_suite,lib,vsnprintf,,,$(HVT_OBJ)/mod/lib/vsnprintf-renamed.o))
