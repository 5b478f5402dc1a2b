# SPDX-License-Identifier: GPL-2.0-only
# Coverage-guided fuzzers (libFuzzer, from Debian's clang, with ASan and
# UBSan). Each harness is tests/fuzz/fuzz_<name>.c, with its seed corpus in
# tests/fuzz/corpus/<name>/ and the inputs that once found a bug in
# tests/fuzz/regress/<name>/. The code under test is compiled again with
# clang and the sanitizers, into $(O)/fuzz/.
#   make fuzz [FUZZ_SECONDS=60] [FUZZERS="xs_msgs ..."]   run each for a while,
#     then xenstored's random traffic + live update run (4 seeds, as long)
#   make test   replays every corpus and runs each harness briefly
# (tests/fuzz/run.sh; see docs/fuzzing.md).

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_OUT := $(O)/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -std=gnu11 -g -O1 $(WARN_FLAGS) -D_GNU_SOURCE -MMD -MP -fsanitize=fuzzer-no-link \
	$(FUZZ_SAN) -Ixenstore -Itests/fuzz
FUZZ_LDFLAGS := -fsanitize=fuzzer $(FUZZ_SAN)

FUZZ_XS_OBJS := $(addprefix $(FUZZ_OUT)/obj/xenstore/,$(XS_CORE_SRCS:.c=.o)) \
	$(FUZZ_OUT)/obj/tests/fuzz/fuzz_xs.o

$(FUZZ_OUT)/obj/xenstore/%.o: xenstore/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_OUT)/obj/tests/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_OUT)/fuzz_xs_%: $(FUZZ_OUT)/obj/tests/fuzz/fuzz_xs_%.o $(FUZZ_XS_OBJS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^

# guest-pv's xenbus client and console writer, built for the host as
# tests/guest/unit/ builds them.
FUZZ_GPV_CFLAGS := $(FUZZ_CFLAGS) -Iguest-pv/include \
	-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__

$(FUZZ_OUT)/obj/guest-pv/%.o: guest-pv/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_GPV_CFLAGS) -c -o $@ $<

$(FUZZ_OUT)/obj/tests/fuzz/fuzz_gpv_%.o: tests/fuzz/fuzz_gpv_%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_GPV_CFLAGS) -c -o $@ $<

$(FUZZ_OUT)/fuzz_gpv_xenbus: $(FUZZ_OUT)/obj/tests/fuzz/fuzz_gpv_xenbus.o \
		$(FUZZ_OUT)/obj/guest-pv/arch/xenbus.o $(FUZZ_OUT)/obj/guest-pv/lib/printf.o
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^

$(FUZZ_OUT)/fuzz_gpv_console: $(FUZZ_OUT)/obj/tests/fuzz/fuzz_gpv_console.o \
		$(FUZZ_OUT)/obj/guest-pv/arch/console.o
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^

# The hypervisor's pure modules (hypervisor/build.mk's HV_LIB_MODULES and
# HV_ARCH_LIB_MODULES), built for the host as tests/unit/ builds them.
FUZZ_HV_CFLAGS := $(FUZZ_CFLAGS) $(HV_LIB_CFLAGS) -Wno-unknown-attributes

$(FUZZ_OUT)/obj/hv/lib/%.o: $(HV_LIB_DIR)/%.c | $(HV_XENINC)/xen
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_HV_CFLAGS) -c -o $@ $<

$(FUZZ_OUT)/obj/hv/x86_64/%.o: $(HV_ARCH_LIB_DIR)/%.c | $(HV_XENINC)/xen
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_HV_CFLAGS) -c -o $@ $<

$(FUZZ_OUT)/obj/tests/fuzz/fuzz_hv_%.o: tests/fuzz/fuzz_hv_%.c | $(HV_XENINC)/xen
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_HV_CFLAGS) -c -o $@ $<

# fuzz_hv NAME, LIB-MODULES, X86-MODULES
define fuzz_hv
$(FUZZ_OUT)/fuzz_hv_$(1): $(FUZZ_OUT)/obj/tests/fuzz/fuzz_hv_$(1).o \
		$(patsubst %,$(FUZZ_OUT)/obj/hv/lib/%.o,$(2)) $(patsubst %,$(FUZZ_OUT)/obj/hv/x86_64/%.o,$(3))
	$$(FUZZ_CC) $$(FUZZ_LDFLAGS) -o $$@ $$^
endef
$(eval $(call fuzz_hv,insn,,insn_decode insn_info))
$(eval $(call fuzz_hv,elf,elfnote elf_load,dom0_layout))
$(eval $(call fuzz_hv,desc,,descriptor bounce_frame))
$(eval $(call fuzz_hv,policy,,cpuid_policy msr_policy vmce_policy))

# The toolstack (dom0-tools/): libcfg over Debian's libxlutil, and lxl's
# command line over a pretend toolstack (tests/fuzz/d0_fake.c stands in for
# libtk, libhyp and xenstore: nothing reaches a hypervisor or a daemon).
FUZZ_D0_CFLAGS := $(FUZZ_CFLAGS) -I. -Idom0-tools/libcfg -Idom0-tools/libhyp -Idom0-tools/libxsu \
	-Idom0-tools/libtk -Idom0-tools/lxl
FUZZ_D0_CFG_OBJS := $(addprefix $(FUZZ_OUT)/obj/d0/libcfg/,$(D0_CFG_SRCS:.c=.o))
FUZZ_D0_LXL_OBJS := $(addprefix $(FUZZ_OUT)/obj/d0/lxl/,$(D0_LXL_SRCS:.c=.o))

$(FUZZ_OUT)/obj/d0/%.o: dom0-tools/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_D0_CFLAGS) -c -o $@ $<

$(FUZZ_OUT)/obj/tests/fuzz/fuzz_d0_%.o: tests/fuzz/fuzz_d0_%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_D0_CFLAGS) -c -o $@ $<

$(FUZZ_OUT)/obj/tests/fuzz/d0_fake.o: tests/fuzz/d0_fake.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_D0_CFLAGS) -c -o $@ $<

$(FUZZ_OUT)/fuzz_d0_cfg: $(FUZZ_OUT)/obj/tests/fuzz/fuzz_d0_cfg.o $(FUZZ_D0_CFG_OBJS)
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^ $(D0_CFG_LIBS)

# lxl's fork (the create monitor) and sleeps are wrapped (d0_fake.c).
$(FUZZ_OUT)/fuzz_d0_args: $(FUZZ_OUT)/obj/tests/fuzz/fuzz_d0_args.o \
		$(FUZZ_OUT)/obj/tests/fuzz/d0_fake.o $(FUZZ_D0_LXL_OBJS) $(FUZZ_D0_CFG_OBJS)
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -Wl,--wrap=fork,--wrap=usleep,--wrap=poll,--wrap=cfg_read_file -o $@ $^ $(D0_CFG_LIBS) -lyajl

FUZZ_XS_NAMES := xs_msgs xs_frame xs_state
FUZZ_ALL_NAMES := $(FUZZ_XS_NAMES) gpv_xenbus gpv_console hv_insn hv_elf hv_desc hv_policy \
	d0_cfg d0_args
FUZZ_BINS := $(addprefix $(FUZZ_OUT)/fuzz_,$(FUZZ_ALL_NAMES))
FUZZERS ?= $(FUZZ_ALL_NAMES)

ALL_TARGETS += $(FUZZ_BINS)
SCRIPT_TESTS += tests/fuzz/run.sh

-include $(shell find $(FUZZ_OUT)/obj -name '*.d' 2>/dev/null)

.PHONY: fuzz
fuzz: $(FUZZ_BINS) $(O)/xenstored
	bash tests/fuzz/run.sh --seconds $(FUZZ_SECONDS) $(FUZZERS)
	bash tests/fuzz/lufuzz.sh $(FUZZ_SECONDS) 4
