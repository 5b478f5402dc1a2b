# SPDX-License-Identifier: GPL-2.0-only
# Tests of hypervisor/common/sched/ (the scheduler's pure algorithm), driven
# by a discrete-event simulator of CPUs and vCPUs (sim.c) in simulated time.
$(HVT_OBJ)/mod/sched/%.o: $(SCHED_DIR)/%.c | $(HV_XENINC)/xen
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) $(HV_LIB_CFLAGS) $(HV_SAN) -c -o $@ $<

$(HVT_OBJ)/common/sched/%.o: tests/unit/common/sched/%.c | $(HV_XENINC)/xen
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HV_TEST_CFLAGS) -Itests/unit/common/sched -c -o $@ $<

$(eval $(call hv_suite,common/sched,credit,,,$(HVT_OBJ)/common/sched/sim.o \
	$(patsubst %,$(HVT_OBJ)/mod/sched/%.o,core credit credit1)))
$(eval $(call hv_suite,common/sched,credit1,,,$(HVT_OBJ)/common/sched/sim.o \
	$(patsubst %,$(HVT_OBJ)/mod/sched/%.o,core credit credit1)))
