# SPDX-License-Identifier: GPL-2.0-only
#
# The host-testable pieces of the PV personality (headers in
# hypervisor/include/pv/). Each module is one .c file that needs only
# <stdint.h>, <stddef.h>, <stdbool.h> and Xen's public headers, so it builds
# both into the hypervisor (freestanding) and into the CUnit tests on the host
# (tests/unit/build.mk builds those).
#
# For the hypervisor's build:
#   PV_SRCS        the module sources to compile and link
#   PV_CFLAGS      flags they need on top of FREE_CFLAGS (include paths, the
#                  Xen interface version)
# This file also checks, as part of `make all`, that every module and every
# header under hypervisor/include/pv/ compiles freestanding on its own.
ifndef PV_BUILD_MK
PV_BUILD_MK := 1

PV_DIR := hypervisor/arch/x86_64/pv
PV_MODULES := elfnote elf_load dom0_layout insn_decode insn_info cpuid_policy msr_policy \
	xen_version bounce_frame hypercall_page descriptor
PV_SRCS := $(patsubst %,$(PV_DIR)/%.c,$(PV_MODULES))
PV_HEADERS := $(wildcard hypervisor/include/pv/*.h)

# Xen's public headers, reachable under -nostdinc without the rest of
# /usr/include: build/pv-include/xen -> /usr/include/xen.
PV_XEN_INC := $(O)/pv-include
PV_XEN_VERSION_FLAGS := -D__XEN_INTERFACE_VERSION__=0x00040e00
PV_CFLAGS := -Ihypervisor/include -isystem $(PV_XEN_INC) $(PV_XEN_VERSION_FLAGS)

$(PV_XEN_INC)/xen:
	@mkdir -p $(PV_XEN_INC)
	ln -sfn /usr/include/xen $@

PV_FREE_OBJS := $(patsubst $(PV_DIR)/%.c,$(O)/obj/pv-free/%.o,$(PV_SRCS))
PV_HDR_CHECKS := $(patsubst hypervisor/include/pv/%.h,$(O)/obj/pv-free/hdr-%.o,$(PV_HEADERS))

$(O)/obj/pv-free/%.o: $(PV_DIR)/%.c | $(PV_XEN_INC)/xen
	@mkdir -p $(dir $@)
	$(CC) $(FREE_CFLAGS) $(PV_CFLAGS) -c -o $@ $<

# A header compiles on its own (STYLE.md: headers are self-contained).
$(O)/obj/pv-free/hdr-%.o: hypervisor/include/pv/%.h | $(PV_XEN_INC)/xen
	@mkdir -p $(dir $@)
	$(CC) $(FREE_CFLAGS) $(PV_CFLAGS) -x c -c -o $@ $<

# ...and calls nothing outside the PV modules (no memcpy/memset a compiler
# might emit for a loop: the hypervisor need not provide them).
$(O)/obj/pv-free/.ok: $(PV_FREE_OBJS) $(PV_HDR_CHECKS)
	@undef=$$(nm -u $(PV_FREE_OBJS) | awk 'NF == 2 { print $$2 }' | grep -v '^pv_' | sort -u); \
	if [ -n "$$undef" ]; then echo "pv modules call outside themselves: $$undef"; exit 1; fi
	@touch $@

ALL_TARGETS += $(O)/obj/pv-free/.ok

endif
