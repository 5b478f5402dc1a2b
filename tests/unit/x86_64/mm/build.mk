# SPDX-License-Identifier: GPL-2.0-only
# Tests of hypervisor/arch/x86_64/mm/ (the frame table's pure modules), each
# over simulated frames (frames.c): the page-type state machine and entry
# checks, preemptible trees, and the ptwr instruction emulator.
$(HVT_OBJ)/mod/mm/%.o: $(MM_DIR)/%.c | $(HV_XENINC)/xen
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $(MM_CFLAGS) $(HV_SAN) -c -o $@ $<

MMT_MODS := $(patsubst %,$(HVT_OBJ)/mod/mm/%.o,page_type page_table page_tree) \
	$(HVT_OBJ)/x86_64/mm/frames.o
$(eval $(call hv_suite,x86_64/mm,page_type,,,$(MMT_MODS)))
$(eval $(call hv_suite,x86_64/mm,page_tree,,,$(MMT_MODS)))
$(eval $(call hv_suite,x86_64/mm,ptwr_emul,,,$(HVT_OBJ)/mod/mm/ptwr_emul.o))
