# SPDX-License-Identifier: GPL-2.0-only
#
# The frame table's pure modules (arch/x86_64/mm/, headers asm/page_info.h
# and asm/ptwr_emul.h): the page-type state machine, the page-table entry
# checks and the ptwr instruction emulator. They need only <stdint.h>,
# <stdbool.h>, <stddef.h>, Xen's public headers and the mm_env_* hooks
# asm/page_info.h declares, so they build into the hypervisor and into the
# CUnit tests over simulated frames (tests/unit/hv_mm.mk).
#   MM_SRCS      the sources, for the hypervisor's build
#   MM_CFLAGS    the flags they need on top of FREE_CFLAGS
# `make all` checks that they compile freestanding and call nothing but each
# other and the mm_env_* hooks.
ifndef MM_BUILD_MK
MM_BUILD_MK := 1

MM_DIR := hypervisor/arch/x86_64/mm
MM_MODULES := page_type page_table ptwr_emul
MM_SRCS := $(patsubst %,$(MM_DIR)/%.c,$(MM_MODULES))
MM_XEN_INC := $(O)/mm-include
MM_XEN_VERSION := -D__XEN_INTERFACE_VERSION__=0x00040e00
MM_CFLAGS := -Ihypervisor/arch/x86_64/include -isystem $(MM_XEN_INC) $(MM_XEN_VERSION)

$(MM_XEN_INC)/xen:
	@mkdir -p $(MM_XEN_INC)
	ln -sfn /usr/include/xen $@

MM_FREE_OBJS := $(patsubst $(MM_DIR)/%.c,$(O)/obj/mm-free/%.o,$(MM_SRCS))

$(O)/obj/mm-free/%.o: $(MM_DIR)/%.c | $(MM_XEN_INC)/xen
	@mkdir -p $(dir $@)
	$(CC) $(FREE_CFLAGS) $(MM_CFLAGS) -c -o $@ $<

$(O)/obj/mm-free/.ok: $(MM_FREE_OBJS)
	@undef=$$(nm -u $(MM_FREE_OBJS) | awk 'NF == 2 { print $$2 }' | grep -v '^mm_' | sort -u); \
	if [ -n "$$undef" ]; then echo "mm modules call outside themselves: $$undef"; exit 1; fi
	@touch $@

ALL_TARGETS += $(O)/obj/mm-free/.ok

endif
