# SPDX-License-Identifier: GPL-2.0-only
# xenstored's tests: one CUnit binary over the daemon's core, and the
# integration script that runs Debian's and Xen's clients against the daemon.

XS_UT_SRCS := ut_main.c ut_harness.c ut_tree.c ut_perms.c ut_txn.c ut_watch.c ut_quota.c \
	ut_parse.c ut_ring.c ut_state.c
XS_UT_OBJS := $(addprefix $(O)/obj/tests/xenstore/,$(XS_UT_SRCS:.c=.o))

$(O)/obj/tests/xenstore/%.o: tests/xenstore/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(CUNIT_CFLAGS) -Wno-missing-prototypes -Ixenstore -c -o $@ $<

$(O)/tests/unit/xenstore: $(XS_UT_OBJS) $(XS_CORE_OBJS) $(CUNIT_RUN_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) -o $@ $^ $(CUNIT_LIBS)

# The Xen transport against a pretend hypervisor instead of Xen's libraries.
XS_XEN_UT_OBJS := $(addprefix $(O)/obj/tests/xenstore/,ut_xen.o fake_xen.o) \
	$(filter-out %/xs_main.o,$(XS_DAEMON_OBJS))

$(O)/tests/unit/xenstore-xen: $(XS_XEN_UT_OBJS) $(XS_CORE_OBJS) $(CUNIT_RUN_OBJ)
	@mkdir -p $(dir $@)
	$(HOSTCC) -o $@ $^ $(CUNIT_LIBS)

UNIT_TESTS += $(O)/tests/unit/xenstore $(O)/tests/unit/xenstore-xen
ALL_TARGETS += $(O)/tests/unit/xenstore $(O)/tests/unit/xenstore-xen
SCRIPT_TESTS += tests/xenstore/integration.sh
