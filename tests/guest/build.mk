# SPDX-License-Identifier: MIT
#
# guest-pv test kernels (build/guest-pv/<name>.elf), one per ABI area, the
# real-Xen image they are checked against, the boot scripts and the
# hypercall benchmark. A kernel <name> is tests/guest/<name>.c plus
# tests/guest/<name>-*.S / -*.c if any.

GPV_KERNELS := hello boot xen_version console sched traps emul hostile mmu mmu_refs domu-test \
	xs-hostile \
	crash fail
# A domU that answers control/shutdown as Linux does (lxl/xl shutdown and reboot in the rig).
GPV_KERNELS += pvctl
# Event channels (2-level limits, FIFO) and grant tables v1 (issue 10).
GPV_KERNELS += fifo grant grant_map grant_v2 grant_user
GPV_EXTRA_grant_user = $(GPV_UMODE)
# domctl and sysctl: a dom0 that builds, runs and destroys a domU (issue 11).
GPV_KERNELS += domctl domctl_destroy tkbuild domctl_tsc domctl_cpu
GPV_EXTRA_domctl_destroy := $(GPV_OBJ)/tests/domctl-lib.o
GPV_EXTRA_tkbuild := $(GPV_OBJ)/tests/domctl-lib.o
GPV_EXTRA_domctl_tsc := $(GPV_OBJ)/tests/domctl-lib.o
GPV_EXTRA_domctl_cpu := $(GPV_OBJ)/tests/domctl-lib.o
# cpupools, affinity and credit2's parameters on two CPUs (issues 10 and 11).
GPV_KERNELS += cpupool
GPV_EXTRA_cpupool := $(GPV_OBJ)/tests/domctl-lib.o
# credit2's weights and caps measured in two domUs dom0 builds (on two CPUs).
GPV_KERNELS += schedw
GPV_EXTRA_schedw := $(GPV_OBJ)/tests/domctl-lib.o
# The stateful hypercall fuzzer (issue 12; tests/guest/hcfuzz.sh runs it).
GPV_KERNELS += hcfuzz
# Time and vCPU operations (issue 10).
GPV_KERNELS += time vcpu vcpu_smp vcpu_race evtchn_race
GPV_EXTRA_vcpu_smp := $(GPV_OBJ)/tests/vcpu-lib.o
GPV_EXTRA_vcpu_race := $(GPV_OBJ)/tests/vcpu-lib.o
GPV_EXTRA_evtchn_race := $(GPV_OBJ)/tests/vcpu-lib.o $(GPV_OBJ)/tests/two-domain-lib.o

# Boot-time domUs (tests/guest/two-domain.sh): dom0's and the domUs' kernels.
GPV_KERNELS += two-domain-dom0 two-domain-domu
GPV_EXTRA_two-domain-dom0 := $(GPV_OBJ)/tests/two-domain-lib.o
GPV_EXTRA_two-domain-domu := $(GPV_OBJ)/tests/two-domain-lib.o
# The two-domain grant test (tests/guest/grant-two-domain.sh).
GPV_KERNELS += grant2d_dom0 grant2d_domu
GPV_EXTRA_grant2d_dom0 := $(GPV_OBJ)/tests/two-domain-lib.o
GPV_EXTRA_grant2d_domu := $(GPV_OBJ)/tests/two-domain-lib.o

# Guest user mode (tests/guest/umode.h), linked into the kernels that name it
# in GPV_EXTRA_<kernel>.
GPV_UMODE := $(GPV_OBJ)/tests/umode.o $(GPV_OBJ)/tests/umode-asm.o

# Issue 8's defects found from outside, a kernel each (docs/guest-pv.md).
GPV_KERNELS += hcpage callgate archiopl specmsr iretfault sysenter debugreg consoleio
GPV_EXTRA_sysenter := $(GPV_UMODE)
GPV_EXTRA_iretfault := $(GPV_UMODE)
GPV_EXTRA_archiopl := $(GPV_UMODE)
GPV_EXTRA_callgate := $(GPV_UMODE)
# Issue 9's LDT (MMUEXT_SET_LDT, loaded lazily as descriptor pages).
GPV_KERNELS += mmu_ldt mmu_mem mmu_foreign mmu_deep
GPV_EXTRA_mmu_deep := $(GPV_OBJ)/tests/vcpu-lib.o
GPV_EXTRA_mmu_foreign := $(GPV_OBJ)/tests/domctl-lib.o
GPV_EXTRA_mmu_ldt := $(GPV_UMODE)
GPV_EXTRA_time := $(GPV_UMODE)
# VIRQ_CON_RING (booted with console_to_ring by on-xen.sh and on-lamina.sh).
GPV_KERNELS += conring
GPV_EXTRA_conring := $(GPV_OBJ)/tests/domctl-lib.o
# emul's CR4.TSD checks run RDTSC in user mode.
GPV_EXTRA_emul := $(GPV_UMODE)
# CR4.FSGSBASE: rd/wr{fs,gs}base in kernel and user mode, two vCPUs.
GPV_KERNELS += fsgsbase
GPV_EXTRA_fsgsbase := $(GPV_UMODE) $(GPV_OBJ)/tests/vcpu-lib.o

XEN_ELF := $(O)/xen/xen-4.17.elf
XEN_GZ := /boot/xen-4.17-amd64.gz

$(XEN_ELF): $(XEN_GZ)
	@mkdir -p $(dir $@)
	gunzip -c $< > $@.tmp && mv $@.tmp $@

$(GPV_OBJ)/tests/%.o: tests/guest/%.c | $(GPV_SYSINC)/xen
	@mkdir -p $(dir $@)
	$(CC) $(GPV_CFLAGS) -c -o $@ $<

$(GPV_OBJ)/tests/%.o: tests/guest/%.S | $(GPV_SYSINC)/xen
	@mkdir -p $(dir $@)
	$(CC) $(GPV_CFLAGS) -D__ASSEMBLY__ -c -o $@ $<

gpv_kernel_objs = $(patsubst tests/guest/%,$(GPV_OBJ)/tests/%.o,$(basename \
	$(wildcard tests/guest/$(1).c tests/guest/$(1)-*.c tests/guest/$(1)-*.S))) \
	$(GPV_EXTRA_$(1))

# The hypercall benchmark kernel (tests/bench/hypercall-*.c/.S).
GPV_BENCH_OBJS := $(GPV_OBJ)/bench/hypercall-kernel.o $(GPV_OBJ)/bench/hypercall-asm.o

$(GPV_OBJ)/bench/%.o: tests/bench/%.c | $(GPV_SYSINC)/xen
	@mkdir -p $(dir $@)
	$(CC) $(GPV_CFLAGS) -c -o $@ $<

$(GPV_OBJ)/bench/%.o: tests/bench/%.S | $(GPV_SYSINC)/xen
	@mkdir -p $(dir $@)
	$(CC) $(GPV_CFLAGS) -D__ASSEMBLY__ -c -o $@ $<

$(GPV_OUT)/hypercall-bench.elf: $(GPV_BENCH_OBJS) $(GPV_LIB) $(GPV_LDS)
	$(LD) $(GPV_LDFLAGS) -o $@ $(GPV_HEAD) $(GPV_BENCH_OBJS) $(GPV_LIB)

ALL_TARGETS += $(GPV_OUT)/hypercall-bench.elf
BENCHES += tests/bench/hypercall

# The PV MMU benchmark kernel (tests/bench/mmu-kernel.c), run by tests/bench/mmu.
$(GPV_OUT)/mmu-bench.elf: $(GPV_OBJ)/bench/mmu-kernel.o $(GPV_LIB) $(GPV_LDS)
	$(LD) $(GPV_LDFLAGS) -o $@ $(GPV_HEAD) $(GPV_OBJ)/bench/mmu-kernel.o $(GPV_LIB)

ALL_TARGETS += $(GPV_OUT)/mmu-bench.elf
BENCHES += tests/bench/mmu

# The event-channel and grant-copy benchmark kernel (tests/bench/evtchn-kernel.c).
$(GPV_OUT)/evtchn-bench.elf: $(GPV_OBJ)/bench/evtchn-kernel.o $(GPV_LIB) $(GPV_LDS)
	$(LD) $(GPV_LDFLAGS) -o $@ $(GPV_HEAD) $(GPV_OBJ)/bench/evtchn-kernel.o $(GPV_LIB)

ALL_TARGETS += $(GPV_OUT)/evtchn-bench.elf
BENCHES += tests/bench/evtchn
# vCPU context-switch cost between boot-time domUs (tests/bench/context-switch).
BENCHES += tests/bench/context-switch

# The inter-domain benchmark kernel: dom0 builds a domU with domctl, the two
# ping-pong events and yield to each other (tests/bench/interdomain).
IDB_OBJS := $(GPV_OBJ)/bench/interdomain-kernel.o $(GPV_OBJ)/bench/interdomain-domu.o \
	$(GPV_OBJ)/tests/domctl-lib.o
$(GPV_OUT)/interdomain-bench.elf: $(IDB_OBJS) $(GPV_LIB) $(GPV_LDS)
	$(LD) $(GPV_LDFLAGS) -o $@ $(GPV_HEAD) $(IDB_OBJS) $(GPV_LIB)

ALL_TARGETS += $(GPV_OUT)/interdomain-bench.elf
BENCHES += tests/bench/interdomain

# The timer round-trip benchmark kernel (tests/bench/timer-kernel.c).
$(GPV_OUT)/timer-bench.elf: $(GPV_OBJ)/bench/timer-kernel.o $(GPV_LIB) $(GPV_LDS)
	$(LD) $(GPV_LDFLAGS) -o $@ $(GPV_HEAD) $(GPV_OBJ)/bench/timer-kernel.o $(GPV_LIB)

ALL_TARGETS += $(GPV_OUT)/timer-bench.elf
BENCHES += tests/bench/timer

define gpv_kernel_rule
$(GPV_OUT)/$(1).elf: $(call gpv_kernel_objs,$(1)) $(GPV_LIB) $(GPV_LDS)
	$$(LD) $$(GPV_LDFLAGS) -o $$@ $$(GPV_HEAD) $(call gpv_kernel_objs,$(1)) $$(GPV_LIB)
endef
$(foreach k,$(GPV_KERNELS),$(eval $(call gpv_kernel_rule,$(k))))

ALL_TARGETS += $(XEN_ELF) $(foreach k,$(GPV_KERNELS),$(GPV_OUT)/$(k).elf)
.PRECIOUS: $(GPV_OBJ)/tests/%.o

# Both run the issue-4 kernels (on-lamina.sh leaves domu-test out until
# Lamina has grant tables). on-xen-domu.sh is run by hand: it needs
# `make xen-rig`, and the rig's own scenarios run the domU kernels.
SCRIPT_TESTS += tests/guest/on-xen.sh tests/guest/on-lamina.sh tests/guest/two-domain.sh \
	tests/guest/grant-two-domain.sh
# The stateful hypercall fuzzer on both, its traces compared (issue 12).
SCRIPT_TESTS += tests/guest/hcfuzz.sh

# Host unit tests of guest-pv's pure code (formatting).
GPV_UNIT_OBJ := $(O)/obj/tests/guest/unit
$(GPV_UNIT_OBJ)/printf.o: guest-pv/lib/printf.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -Iguest-pv/include -c -o $@ $<
$(GPV_UNIT_OBJ)/gpv_printf_test.o: tests/guest/unit/gpv_printf_test.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(CUNIT_CFLAGS) -Iguest-pv/include -c -o $@ $<
$(O)/tests/unit/gpv_printf: $(GPV_UNIT_OBJ)/gpv_printf_test.o $(GPV_UNIT_OBJ)/printf.o \
		$(CUNIT_RUN_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) -o $@ $^ $(CUNIT_LIBS)
UNIT_TESTS += $(O)/tests/unit/gpv_printf
ALL_TARGETS += $(O)/tests/unit/gpv_printf

# Host unit test of the xenbus client against a scripted fake xenstored.
GPV_HOST_CFLAGS := $(HOST_CFLAGS) -Iguest-pv/include \
	-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__
$(GPV_UNIT_OBJ)/xenbus.o: guest-pv/arch/xenbus.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(GPV_HOST_CFLAGS) -c -o $@ $<
$(GPV_UNIT_OBJ)/gpv_xenbus_test.o: tests/guest/unit/gpv_xenbus_test.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(CUNIT_CFLAGS) $(GPV_HOST_CFLAGS) -c -o $@ $<
$(O)/tests/unit/gpv_xenbus: $(GPV_UNIT_OBJ)/gpv_xenbus_test.o $(GPV_UNIT_OBJ)/xenbus.o \
		$(GPV_UNIT_OBJ)/printf.o $(CUNIT_RUN_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) -o $@ $^ $(CUNIT_LIBS)
UNIT_TESTS += $(O)/tests/unit/gpv_xenbus
ALL_TARGETS += $(O)/tests/unit/gpv_xenbus

# Host unit test of the console ring writer against a fake backend.
$(GPV_UNIT_OBJ)/console.o: guest-pv/arch/console.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(GPV_HOST_CFLAGS) -c -o $@ $<
$(GPV_UNIT_OBJ)/gpv_console_test.o: tests/guest/unit/gpv_console_test.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(CUNIT_CFLAGS) $(GPV_HOST_CFLAGS) -c -o $@ $<
$(O)/tests/unit/gpv_console: $(GPV_UNIT_OBJ)/gpv_console_test.o $(GPV_UNIT_OBJ)/console.o \
		$(CUNIT_RUN_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) -o $@ $^ $(CUNIT_LIBS)
UNIT_TESTS += $(O)/tests/unit/gpv_console
ALL_TARGETS += $(O)/tests/unit/gpv_console

# Host unit test of the grant-table code with a stubbed hypervisor.
$(GPV_UNIT_OBJ)/gnttab.o: guest-pv/arch/gnttab.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(GPV_HOST_CFLAGS) -c -o $@ $<
$(GPV_UNIT_OBJ)/gpv_gnttab_test.o: tests/guest/unit/gpv_gnttab_test.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(CUNIT_CFLAGS) $(GPV_HOST_CFLAGS) -c -o $@ $<
$(O)/tests/unit/gpv_gnttab: $(GPV_UNIT_OBJ)/gpv_gnttab_test.o $(GPV_UNIT_OBJ)/gnttab.o \
		$(CUNIT_RUN_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) -o $@ $^ $(CUNIT_LIBS)
UNIT_TESTS += $(O)/tests/unit/gpv_gnttab
ALL_TARGETS += $(O)/tests/unit/gpv_gnttab
