# SPDX-License-Identifier: GPL-2.0-only
# Host tests of hypervisor/common/ code (event channels, timers, the command
# line) with a harness for guest memory and the clock (tests/unit/common/).

HVC_CFLAGS := $(HOST_CFLAGS) $(HV_LIB_CFLAGS) -Itests/unit
HVC_EVENTS := hypervisor/common/event_channel.c hypervisor/common/event_2l.c \
	hypervisor/common/event_fifo.c
HVC_COMMON := $(HVC_EVENTS) hypervisor/common/timer.c hypervisor/common/vcpu_timer.c \
	hypervisor/common/cmdline.c \
	$(HV_LIB_DIR)/strtoull.c
HVC_OBJS := $(patsubst hypervisor/%.c,$(HVT_OBJ)/host/%.o,$(HVC_COMMON))

$(HVT_OBJ)/host/%.o: hypervisor/%.c | $(HV_XENINC)/xen
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HVC_CFLAGS) -c -o $@ $<

$(HVT_OBJ)/common/%.o: tests/unit/common/%.c | $(HV_XENINC)/xen
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HVC_CFLAGS) -c -o $@ $<

UNIT_TESTS += $(HVT_OUT)/common/event_channel
ALL_TARGETS += $(HVT_OUT)/common/event_channel
$(HVT_OUT)/common/event_channel: $(HVT_OBJ)/common/event_channel.o $(HVT_OBJ)/common/host_harness.o \
		$(HVC_OBJS) $(CUNIT_RUN_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) -o $@ $^ $(CUNIT_LIBS)

# The event channels between two simulated domains, 2-level and FIFO.
UNIT_TESTS += $(HVT_OUT)/common/event_fifo
ALL_TARGETS += $(HVT_OUT)/common/event_fifo
$(HVT_OUT)/common/event_fifo: $(HVT_OBJ)/common/event_fifo.o $(HVT_OBJ)/common/host_harness.o \
		$(patsubst hypervisor/%.c,$(HVT_OBJ)/host/%.o,$(HVC_EVENTS)) $(CUNIT_RUN_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) -o $@ $^ $(CUNIT_LIBS)

# console_io's privilege check, with its own harness (tests/unit/common/console_io.c).
UNIT_TESTS += $(HVT_OUT)/common/console_io
ALL_TARGETS += $(HVT_OUT)/common/console_io
$(HVT_OUT)/common/console_io: $(HVT_OBJ)/common/console_io.o \
		$(HVT_OBJ)/host/common/console_io.o $(CUNIT_RUN_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) -o $@ $^ $(CUNIT_LIBS)

# domctl and sysctl's generic part, with its own harness (tests/unit/common/domctl.c).
HVC_DOMCTL := $(wildcard hypervisor/common/domctl*.c hypervisor/common/sysctl*.c)
UNIT_TESTS += $(HVT_OUT)/common/domctl
ALL_TARGETS += $(HVT_OUT)/common/domctl
$(HVT_OUT)/common/domctl: $(HVT_OBJ)/common/domctl.o $(HVT_OBJ)/common/host_harness.o \
		$(patsubst hypervisor/%.c,$(HVT_OBJ)/host/%.o,$(HVC_DOMCTL)) $(CUNIT_RUN_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) -o $@ $^ $(CUNIT_LIBS)

# The timer queue with a fake clock and two fake CPUs (tests/unit/common/timer_queue.c).
UNIT_TESTS += $(HVT_OUT)/common/timer_queue
ALL_TARGETS += $(HVT_OUT)/common/timer_queue
$(HVT_OUT)/common/timer_queue: $(HVT_OBJ)/common/timer_queue.o \
		$(HVT_OBJ)/host/common/timer.o $(CUNIT_RUN_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) -o $@ $^ $(CUNIT_LIBS)
