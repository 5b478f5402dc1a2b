# SPDX-License-Identifier: GPL-2.0-only
#
# The frame table's pure modules (arch/x86_64/mm/, headers asm/page_info.h
# and asm/ptwr_emul.h): the page-type state machine, the page-table entry
# checks and the ptwr instruction emulator. Pure as arch/x86_64/lib/ is
# (no hardware, no hypervisor state), except that they call back the
# mm_env_* hooks asm/page_info.h declares: the hypervisor provides those
# (arch/x86_64/mm.c) and so does each unit test, over simulated frames
# (tests/unit/x86_64/mm/).
#   MM_SRCS      the sources, for the hypervisor's build
#   MM_CFLAGS    what they need to build on the host
# `make all` checks that they include only their own headers and call
# nothing but each other and the mm_env_* hooks.
MM_DIR := hypervisor/arch/x86_64/mm
MM_MODULES := page_type page_table page_tree ptwr_emul
MM_HEADERS := hypervisor/arch/x86_64/include/asm/page_info.h \
	hypervisor/arch/x86_64/include/asm/ptwr_emul.h
MM_SRCS := $(patsubst %,$(MM_DIR)/%.c,$(MM_MODULES))
MM_CFLAGS := $(HV_LIB_CFLAGS)
MM_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(MM_SRCS))

$(O)/obj/hypervisor/mm-pure.ok: $(MM_OBJS) $(MM_HEADERS) | $(HV_XENINC)/xen
	@for s in $(MM_SRCS); do \
		deps=$$($(CC) $(filter-out -MMD -MP,$(FREE_CFLAGS)) $(MM_CFLAGS) -MM $$s | \
			tr -d '\\' | tr ' ' '\n' | grep '\.h$$' | grep -v '^/\|xeninc/xen/'); \
		for d in $$deps; do \
			case " $(MM_HEADERS) " in *" $$d "*) ;; \
			*) echo "mm module $$s includes a non-mm header: $$d"; exit 1 ;; esac; \
		done; \
	done
	@bad=$$(nm -u $(MM_OBJS) | awk 'NF == 2 { print $$2 }' | grep -v '^mm_' | sort -u); \
	if [ -n "$$bad" ]; then echo "arch/x86_64/mm calls outside itself: $$bad"; exit 1; fi
	@touch $@

ALL_TARGETS += $(O)/obj/hypervisor/mm-pure.ok
