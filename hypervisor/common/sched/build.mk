# SPDX-License-Identifier: GPL-2.0-only
#
# The scheduler (common/sched/, interface lamina/scheduler.h): the core and
# its algorithms. Pure: no hardware, no hypervisor state, no locks, no clock;
# the hypervisor drives it and so do the host tests (tests/unit/common/sched/).
#   SCHED_SRCS     the sources, for the hypervisor's build
# `make all` checks that they include only their own headers and call
# nothing but each other.
SCHED_DIR := hypervisor/common/sched
SCHED_HEADERS := hypervisor/include/lamina/scheduler.h hypervisor/include/lamina/types.h
SCHED_SRCS := $(wildcard $(SCHED_DIR)/*.c)
SCHED_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(SCHED_SRCS))

$(O)/obj/hypervisor/sched-pure.ok: $(SCHED_OBJS) $(SCHED_HEADERS) | $(HV_XENINC)/xen
	@for s in $(SCHED_SRCS); do \
		deps=$$($(CC) $(filter-out -MMD -MP,$(FREE_CFLAGS)) $(HV_LIB_CFLAGS) -MM $$s | \
			tr -d '\\' | tr ' ' '\n' | grep '\.h$$' | grep -v '^/\|xeninc/xen/'); \
		for d in $$deps; do \
			case " $(SCHED_HEADERS) " in *" $$d "*) ;; \
			*) echo "sched module $$s includes a non-sched header: $$d"; exit 1 ;; esac; \
		done; \
	done
	@bad=$$(nm -u $(SCHED_OBJS) | awk 'NF == 2 { print $$2 }' | grep -v '^sched_' | sort -u); \
	if [ -n "$$bad" ]; then echo "common/sched calls outside itself: $$bad"; exit 1; fi
	@touch $@

ALL_TARGETS += $(O)/obj/hypervisor/sched-pure.ok
