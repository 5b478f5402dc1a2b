# SPDX-License-Identifier: GPL-2.0-only
# Shared test plumbing: the CUnit driver every unit-test binary links.
# A part adds a CUnit binary like this:
#   UNIT_TESTS += $(O)/tests/unit/xs_tree
#   $(O)/tests/unit/xs_tree: <objs> $(CUNIT_RUN_OBJ)
#	$(HOSTCC) -o $@ $^ $(CUNIT_LIBS)

CUNIT_RUN_OBJ := $(O)/obj/tests/unit/cunit_run.o
CUNIT_LIBS := -lcunit
CUNIT_CFLAGS := $(HOST_CFLAGS) -Itests/unit

$(O)/obj/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(CUNIT_CFLAGS) -c -o $@ $<

include $(wildcard tests/*/build.mk)
